//! Error toasts, the top line's last error and the errors view (`e`), as the
//! reducer makes them from real client errors: each answer below is sent by
//! a scripted server over loopback, turned into an `ApiError` by the real
//! client, and fed to the real update as the answer of a page of findings.
//! No toast text is written by hand, and every snapshot shows the
//! `request_id` in full where the server sent one.

mod support;
mod tui_fixtures;

use std::time::{Duration, SystemTime};

use crossterm::event::KeyCode;
use krafter::api::ApiError;
use krafter::api::model::FindingQuery;
use krafter::api::ratelimit::BudgetSnapshot;
use krafter::app::action::Action;
use krafter::app::state::{AppState, Modal};
use krafter::app::update::update;
use ratatui::buffer::Buffer;
use serde_json::json;
use support::{Reply, ScriptedServer};
use tui_fixtures::*;

/// One failure the server (or the network) can answer with.
struct Case {
    name: &'static str,
    /// What the server answers; the client waits out four 429s in a row,
    /// so a 429 storm is five.
    replies: Vec<Reply>,
    /// The request id the user must be able to read, when one is sent.
    request_id: Option<&'static str>,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "bad_key_401",
            replies: vec![
                Reply::json(401, json!({"error": "Invalid or missing API key"}))
                    .header("x-request-id", "F-mxbAQk6m9lXeQAAATj"),
            ],
            request_id: Some("F-mxbAQk6m9lXeQAAATj"),
        },
        Case {
            name: "rate_limited_429",
            replies: vec![
                Reply::json(
                    429,
                    json!({"error": "Rate limit exceeded", "retry_after": 1})
                )
                .header("retry-after", 1)
                .header("x-request-id", "Qz7pL0aW3nB9cD1eF2gH");
                5
            ],
            request_id: Some("Qz7pL0aW3nB9cD1eF2gH"),
        },
        Case {
            name: "internal_500",
            replies: vec![Reply::error(
                500,
                "internal",
                "the audit store did not answer",
                "k9XyZ-8b7A6c5D4e3F2g",
            )],
            request_id: Some("k9XyZ-8b7A6c5D4e3F2g"),
        },
        Case {
            name: "malformed_json",
            replies: vec![
                Reply::raw(200, "application/json", "{\"data\": [{\"id\": tru")
                    .header("x-request-id", "mAlF0rMeD-b0dY-1d0042"),
            ],
            request_id: Some("mAlF0rMeD-b0dY-1d0042"),
        },
        Case {
            name: "dropped_connection",
            replies: vec![Reply::drop_connection()],
            request_id: None,
        },
    ]
}

/// The error the real client makes of `reply`, with no retry.
async fn client_error(replies: Vec<Reply>) -> (ApiError, String) {
    let server = ScriptedServer::start().await;
    for reply in replies {
        server.push(reply);
    }
    let client = krafter::api::Client::new(server.settings(0)).expect("client");
    let err = client
        .list_findings(&FindingQuery::default(), 0, 50)
        .await
        .expect_err("the scripted answer is a failure");
    let port = server
        .base_url
        .trim_start_matches("http://127.0.0.1:")
        .split('/')
        .next()
        .unwrap()
        .to_string();
    (err, port)
}

/// The findings list as loaded (40 of 120, a budget, two marks), with the
/// clock of the errors view at UTC.
fn findings_state() -> AppState {
    let mut s = state_with(session(), &[]);
    load(&mut s, 40, 120);
    s.budget = BudgetSnapshot {
        limit: Some(100),
        remaining: Some(87),
        reset_at: Some(SystemTime::UNIX_EPOCH),
        ..BudgetSnapshot::default()
    };
    s.now += Duration::from_secs(12);
    s.alerts.utc_offset = chrono::FixedOffset::east_opt(0).unwrap();
    press(&mut s, &[key(KeyCode::Tab), ch(' '), ch(' '), ch('j')]);
    s
}

/// The reducer gets `err` as the answer of the next page.
fn fail_next_page(s: &mut AppState, err: ApiError) {
    let generation = s.findings.generation;
    let offset = s.findings.rows.len() as u64;
    update(
        s,
        Action::FindingsPage {
            generation,
            offset,
            result: Err(err),
        },
    );
}

/// The buffer's debug form with the scripted server's port (five digits on
/// Linux, so widths do not change) made stable.
fn stable(buffer: &Buffer, port: &str) -> String {
    format!("{buffer:#?}").replace(&format!("127.0.0.1:{port}"), "127.0.0.1:PORT_")
}

#[tokio::test]
async fn error_toasts_come_from_real_client_errors_and_show_the_request_id() {
    for case in cases() {
        let (err, port) = client_error(case.replies).await;
        assert_eq!(err.request_id(), case.request_id, "{}: {err}", case.name);
        let mut s = findings_state();
        fail_next_page(&mut s, err.clone());
        assert_eq!(s.toasts.len(), 1, "{}: one error toast", case.name);
        assert!(s.toasts[0].error);

        for (w, h) in [(80u16, 24u16), (120, 40)] {
            let buffer = draw(&mut s, w, h);
            let shown = text(&buffer);
            if let Some(id) = case.request_id {
                // On the top line, whole, and in the toast.
                let top = shown.lines().next().unwrap();
                assert!(top.contains(id), "{} at {w}x{h}: top line {top}", case.name);
                assert!(
                    shown.lines().skip(1).any(|l| l.contains(id)),
                    "{} at {w}x{h}: the toast shows the request id\n{shown}",
                    case.name
                );
            }
            assert!(shown.contains("not loaded"), "{}", case.name);
            insta::assert_snapshot!(
                format!("error_toast_{}_{w}x{h}", case.name),
                stable(&buffer, &port)
            );
        }

        // One key away: the errors view with status, request id, message
        // and what to do.
        press(&mut s, &[ch('e')]);
        assert!(matches!(s.modal, Some(Modal::Errors { scroll: 0 })));
        let buffer = draw(&mut s, 80, 24);
        let shown = text(&buffer);
        assert!(shown.contains("Errors · 1"), "{}\n{shown}", case.name);
        match (case.request_id, err.status()) {
            (Some(id), Some(status)) => {
                assert!(shown.contains(&format!("request_id {id}")), "{shown}");
                assert!(shown.contains(&format!("HTTP {status}")), "{shown}");
            }
            _ => assert!(shown.contains("no answer") && shown.contains("request_id none")),
        }
        assert!(shown.contains("what to do"), "{}\n{shown}", case.name);
        insta::assert_snapshot!(
            format!("errors_view_{}_80x24", case.name),
            stable(&buffer, &port)
        );
        // esc closes it; the error stays on the top line.
        press(&mut s, &[key(KeyCode::Esc)]);
        assert!(s.modal.is_none() && s.last_error.is_some());
    }
}

#[tokio::test]
async fn the_errors_view_lists_recent_errors_newest_first_and_scrolls() {
    let mut s = findings_state();
    for case in cases() {
        let (err, _) = client_error(case.replies).await;
        fail_next_page(&mut s, err);
    }
    assert_eq!(s.errors.len(), 5);
    press(&mut s, &[ch('e')]);
    let shown = text(&draw(&mut s, 120, 40));
    let newest = shown.find("no answer").expect("the dropped connection");
    let oldest = shown.find("F-mxbAQk6m9lXeQAAATj").expect("the 401");
    assert!(newest < oldest, "newest first\n{shown}");
    press(&mut s, &[ch('j'), ch('j')]);
    assert!(matches!(s.modal, Some(Modal::Errors { scroll: 2 })));
    // Only so many are kept.
    for _ in 0..30 {
        let (err, _) = client_error(vec![Reply::error(503, "unavailable", "down", "r")]).await;
        fail_next_page(&mut s, err);
    }
    assert_eq!(s.errors.len(), krafter::app::state::ERRORS_KEPT);
}
