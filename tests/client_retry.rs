//! Rate limits and retries over real HTTP: 429 waited out, pacing when the
//! window is spent, 5xx retried only where resending is harmless.

mod support;

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use krafter::api::model::*;
use krafter::api::{ApiError, PaceReason};
use serde_json::json;
use support::{Reply, ScriptedServer, unix_now};

fn scan_reply() -> Reply {
    Reply::data(
        200,
        json!({"id": "s1", "status": "running"}),
        json!({"request_id": "ok"}),
    )
}

fn new_task() -> NewTask {
    NewTask {
        finding_id: "f1".into(),
        title: "Add a CSP".into(),
        ..NewTask::default()
    }
}

/// Polls `check` until it holds or a deadline passes.
async fn eventually(mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if check() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    false
}

fn gap(a: SystemTime, b: SystemTime) -> Duration {
    b.duration_since(a).unwrap_or_default()
}

#[tokio::test]
async fn a_429_is_waited_out_then_retried() {
    let server = ScriptedServer::start().await;
    server.push(
        Reply::json(
            429,
            json!({"error": "Rate limit exceeded", "retry_after": 1}),
        )
        .header("retry-after", 1),
    );
    server.push(scan_reply());
    let client = server.client();

    let call = tokio::spawn({
        let client = client.clone();
        async move { client.get_scan("s1").await }
    });
    // While it waits, the budget says so: the TUI shows "pacing until T".
    assert!(eventually(|| client.budget().pacing_reason == Some(PaceReason::RetryAfter)).await);
    let scan = call.await.unwrap().unwrap();
    assert_eq!(scan.id, "s1");

    let got = server.requests();
    assert_eq!(got.len(), 2);
    assert!(
        gap(got[0].at, got[1].at) >= Duration::from_millis(950),
        "{:?}",
        gap(got[0].at, got[1].at)
    );
    assert_eq!(
        client.budget().pacing_until,
        None,
        "pacing ends with the wait"
    );
}

#[tokio::test]
async fn a_429_on_a_create_is_safe_to_resend_and_the_body_alone_suffices() {
    let server = ScriptedServer::start().await;
    server.push(Reply::json(
        429,
        json!({"error": "Rate limit exceeded", "retry_after": 1}),
    ));
    server.push(Reply::data(
        201,
        json!({"id": "t1", "status": "backlog"}),
        json!({}),
    ));

    let started = Instant::now();
    let task = server.client().create_task(&new_task()).await.unwrap();
    assert_eq!(task.status, TaskStatus::Backlog);
    assert!(started.elapsed() >= Duration::from_millis(950));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn endless_429s_end_in_a_clear_error() {
    let server = ScriptedServer::start().await;
    for _ in 0..10 {
        server.push(
            Reply::json(
                429,
                json!({"error": "Rate limit exceeded", "retry_after": 0}),
            )
            .header("retry-after", 0),
        );
    }
    let err = server.client().command_center().await.unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert!(err.to_string().contains("rate limit"), "{err}");
    assert_eq!(
        server.requests().len(),
        5,
        "one try and four waits, then give up"
    );
}

#[tokio::test]
async fn a_spent_window_paces_the_next_request_until_reset() {
    let server = ScriptedServer::start().await;
    // The window resets at the next whole second plus one: 1 to 2 s away.
    let reset = unix_now().ceil() as u64 + 1;
    server.push(scan_reply().rate(3, 0, reset));
    server.push(scan_reply().rate(3, 2, reset + 1));
    let client = server.client();

    let mut watcher = client.watch_budget();
    client.get_scan("s1").await.unwrap();
    let snap = client.budget();
    assert_eq!((snap.limit, snap.remaining), (Some(3), Some(0)));
    assert_eq!(
        *watcher.borrow_and_update(),
        snap,
        "watchers saw the headers"
    );
    let reset_at = UNIX_EPOCH + Duration::from_secs(reset);
    assert_eq!(snap.reset_at, Some(reset_at));

    // Another project's client shares the team's budget, so it waits too.
    let other = client.with_project("marketing-site");
    let call = tokio::spawn(async move { other.get_scan("s1").await });
    assert!(
        eventually(|| {
            let b = client.budget();
            b.pacing_until == Some(reset_at) && b.pacing_reason == Some(PaceReason::WindowSpent)
        })
        .await
    );
    call.await.unwrap().unwrap();

    let got = server.requests();
    assert_eq!(got.len(), 2);
    assert!(
        got[1].at >= reset_at,
        "sent {:?} before the reset",
        gap(got[1].at, reset_at)
    );
    assert!(got[1].path.contains("/projects/marketing-site/"));
    assert_eq!(client.budget().remaining, Some(2));
}

#[tokio::test]
async fn a_500_on_a_get_is_retried_until_it_succeeds() {
    let server = ScriptedServer::start().await;
    server.push(Reply::error(500, "internal", "boom", "r1"));
    server.push(Reply::raw(503, "text/plain", "unavailable"));
    server.push(scan_reply());
    let scan = server.client().get_scan("s1").await.unwrap();
    assert_eq!(scan.status, ScanStatus::Running);
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_500_on_a_patch_is_retried_and_gives_up_after_max_retries() {
    let server = ScriptedServer::start().await;
    for _ in 0..5 {
        server.push(Reply::error(
            500,
            "internal",
            "database unavailable",
            "r-500",
        ));
    }
    let patch = FindingPatch {
        status: Some(FindingStatus::Triaged),
        ..FindingPatch::default()
    };
    let err = server
        .client()
        .patch_finding("f1", &patch)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert!(err.to_string().contains("database unavailable"), "{err}");
    assert_eq!(server.requests().len(), 3, "max_retries = 2");
}

#[tokio::test]
async fn a_500_on_a_create_is_not_resent() {
    let server = ScriptedServer::start().await;
    server.push(Reply::error(500, "internal", "boom", "r1"));
    server.push(Reply::error(502, "internal", "boom", "r2"));
    let client = server.client();

    let err = client.create_task(&new_task()).await.unwrap_err();
    assert_eq!(err.status(), Some(500));
    let err = client.run_verification("t1").await.unwrap_err();
    assert_eq!(err.status(), Some(502));

    let got = server.requests();
    assert_eq!(got.len(), 2, "each create was sent exactly once");
    assert_eq!(got[0].json()["finding_id"], "f1");
    assert_eq!(got[1].json(), json!({"task_id": "t1"}));
}

#[tokio::test]
async fn a_connection_lost_mid_create_is_not_resent() {
    let server = ScriptedServer::start().await;
    server.push(Reply::drop_connection());
    server.push(Reply::data(201, json!({"id": "t1"}), json!({})));
    let err = server.client().create_task(&new_task()).await.unwrap_err();
    assert!(matches!(err, ApiError::Connect { .. }), "{err:?}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_connection_lost_mid_get_is_retried() {
    let server = ScriptedServer::start().await;
    server.push(Reply::drop_connection());
    server.push(scan_reply());
    assert_eq!(server.client().get_scan("s1").await.unwrap().id, "s1");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn concurrent_clones_do_not_overspend_the_window() {
    let server = ScriptedServer::start().await;
    let reset = unix_now().ceil() as u64 + 1;
    let reset_at = UNIX_EPOCH + Duration::from_secs(reset);
    server.push(scan_reply().rate(3, 1, reset));
    server.push(scan_reply().rate(3, 0, reset));
    server.push(scan_reply().rate(3, 2, reset + 1));
    server.push(scan_reply().rate(3, 1, reset + 1));
    let client = server.client();
    client.get_scan("s1").await.unwrap();

    // One request is left in this window; three clones want it at once.
    let calls: Vec<_> = (0..3)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.get_scan("s1").await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }

    let got = server.requests();
    assert_eq!(got.len(), 4);
    let early = got[1..].iter().filter(|r| r.at < reset_at).count();
    assert_eq!(
        early, 1,
        "only the one remaining request went before the reset"
    );
}

/// `retry-after` may be an HTTP date (RFC 9110): the client waits until
/// then, not the one second it assumes when it understands nothing.
#[tokio::test]
async fn a_429_with_an_http_date_is_waited_out_until_that_date() {
    let server = ScriptedServer::start().await;
    let until = SystemTime::now() + Duration::from_secs(3);
    server.push(
        Reply::json(429, json!({"error": "Rate limit exceeded"}))
            .header("retry-after", httpdate::fmt_http_date(until)),
    );
    server.push(scan_reply());
    let scan = server.client().get_scan("s1").await.unwrap();
    assert_eq!(scan.id, "s1");
    let got = server.requests();
    assert_eq!(got.len(), 2);
    assert!(
        gap(got[0].at, got[1].at) >= Duration::from_secs(2),
        "waited only {:?}",
        gap(got[0].at, got[1].at)
    );
}
