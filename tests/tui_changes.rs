//! Reducer tests of changes to findings: optimistic updates, refusals,
//! menus, bulk jobs, read-only mode and scans.

mod tui_fixtures;

use crossterm::event::KeyCode;
use krafter::api::ApiError;
use krafter::api::model::*;
use krafter::app::action::Action;
use krafter::app::effect::Effect;
use krafter::app::state::{Modal, Pane};
use krafter::app::update::update;
use tui_fixtures::*;

fn findings_pane(rows: usize, total: u64) -> krafter::app::state::AppState {
    let mut s = loaded(rows, total);
    press(&mut s, &[key(KeyCode::Tab)]);
    assert_eq!(s.pane, Pane::Findings);
    s
}

fn status_of(s: &krafter::app::state::AppState, id: &str) -> FindingStatus {
    s.findings
        .rows
        .iter()
        .find(|f| f.id() == id)
        .unwrap()
        .status()
        .clone()
}

#[test]
fn triage_is_optimistic_and_kept_on_success() {
    let mut s = findings_pane(5, 5);
    let effects = press(&mut s, &[ch('t')]);
    let [Effect::Patch { request, id, patch }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(id, "f-000");
    assert_eq!(patch.status, Some(FindingStatus::Triaged));
    assert_eq!(
        status_of(&s, "f-000"),
        FindingStatus::Triaged,
        "changed at once"
    );
    let mut server = finding(0);
    server.status = FindingStatus::Triaged;
    server.updated_at = Some(Timestamp::new("2025-06-15T12:00:01Z"));
    let effects = update(
        &mut s,
        Action::Patched {
            request: *request,
            result: Ok(server),
        },
    );
    assert_eq!(status_of(&s, "f-000"), FindingStatus::Triaged);
    assert!(
        s.toasts
            .iter()
            .any(|t| !t.error && t.text.contains("triaged"))
    );
    assert!(
        matches!(effects.as_slice(), [Effect::LoadCommandCenter { .. }]),
        "counts refresh"
    );
}

#[test]
fn refused_change_reverts_with_the_reason() {
    let mut s = findings_pane(5, 5);
    let effects = press(&mut s, &[ch('t')]);
    let Effect::Patch { request, .. } = &effects[0] else {
        panic!()
    };
    update(
        &mut s,
        Action::Patched {
            request: *request,
            result: Err(http_error(
                422,
                "invalid_transition",
                "new cannot move to triaged here",
            )),
        },
    );
    assert_eq!(status_of(&s, "f-000"), FindingStatus::New, "reverted");
    let toast = s.toasts.last().unwrap();
    assert!(toast.error);
    assert!(
        toast.text.contains("new cannot move to triaged here"),
        "{}",
        toast.text
    );
    assert!(toast.text.contains("undone"));
    assert_eq!(
        s.last_error.as_ref().unwrap().request_id.as_deref(),
        Some("req-err-42")
    );
}

#[test]
fn illegal_move_is_not_sent() {
    let mut s = findings_pane(5, 5);
    s.findings.rows[0].set_status(FindingStatus::ReadyVerify);
    let effects = press(&mut s, &[ch('t')]);
    assert!(effects.is_empty());
    let toast = s.toasts.last().unwrap();
    assert!(
        toast.error && toast.text.contains("allowed: in_progress, dismissed"),
        "{}",
        toast.text
    );
}

#[test]
fn dismiss_asks_first() {
    let mut s = findings_pane(5, 5);
    assert!(press(&mut s, &[ch('d')]).is_empty());
    assert!(matches!(s.modal, Some(Modal::ConfirmDismiss { .. })));
    assert!(
        press(&mut s, &[ch('n')]).is_empty(),
        "any other key cancels"
    );
    assert!(s.modal.is_none());
    assert_eq!(status_of(&s, "f-000"), FindingStatus::New);
    let effects = press(&mut s, &[ch('d'), ch('y')]);
    assert!(
        matches!(&effects[0], Effect::Patch { patch, .. } if patch.status == Some(FindingStatus::Dismissed))
    );
    assert_eq!(status_of(&s, "f-000"), FindingStatus::Dismissed);
}

#[test]
fn assign_to_me_to_a_uuid_and_unassign() {
    let mut s = findings_pane(5, 5);
    let effects = press(&mut s, &[ch('a'), key(KeyCode::Enter)]);
    assert!(
        matches!(&effects[0], Effect::Patch { patch, .. } if patch.owner_id == Some(Some(ME.into())))
    );
    assert_eq!(s.findings.rows[0].owner_id(), Some(ME));

    press(&mut s, &[ch('j'), ch('a'), ch('j'), key(KeyCode::Enter)]);
    assert!(matches!(s.modal, Some(Modal::OwnerPrompt { .. })));
    press(&mut s, &[ch('x'), ch('y'), key(KeyCode::Enter)]);
    let Some(Modal::OwnerPrompt { error: Some(e), .. }) = &s.modal else {
        panic!("bad uuid kept open")
    };
    assert!(e.contains("not a UUID"));
    press(&mut s, &[key(KeyCode::Backspace), key(KeyCode::Backspace)]);
    let typed: Vec<Action> = OTHER.chars().map(ch).collect();
    press(&mut s, &typed);
    let effects = press(&mut s, &[key(KeyCode::Enter)]);
    assert!(
        matches!(&effects[0], Effect::Patch { id, patch, .. } if id == "f-001" && patch.owner_id == Some(Some(OTHER.into())))
    );

    let effects = press(&mut s, &[ch('a'), ch('j'), ch('j'), key(KeyCode::Enter)]);
    assert!(matches!(&effects[0], Effect::Patch { patch, .. } if patch.owner_id == Some(None)));
}

#[test]
fn status_menu_offers_only_legal_moves() {
    let mut s = findings_pane(5, 5);
    s.findings.rows[0].set_status(FindingStatus::Triaged);
    press(&mut s, &[ch('c')]);
    let Some(Modal::StatusMenu { statuses, .. }) = &s.modal else {
        panic!()
    };
    assert_eq!(
        statuses,
        &vec![
            FindingStatus::New,
            FindingStatus::InProgress,
            FindingStatus::Dismissed
        ]
    );
    let effects = press(&mut s, &[ch('j'), key(KeyCode::Enter)]);
    assert!(
        matches!(&effects[0], Effect::Patch { patch, .. } if patch.status == Some(FindingStatus::InProgress))
    );
}

#[test]
fn shortcut_keys_for_start_ready_and_reopen() {
    let mut s = findings_pane(5, 5);
    s.findings.rows[0].set_status(FindingStatus::Triaged);
    let e = press(&mut s, &[ch('p')]);
    assert!(
        matches!(&e[0], Effect::Patch { patch, .. } if patch.status == Some(FindingStatus::InProgress))
    );
    let e = press(&mut s, &[ch('v')]);
    assert!(
        matches!(&e[0], Effect::Patch { patch, .. } if patch.status == Some(FindingStatus::ReadyVerify))
    );
    s.findings.rows[1].set_status(FindingStatus::Dismissed);
    let e = press(&mut s, &[ch('j'), ch('n')]);
    assert!(
        matches!(&e[0], Effect::Patch { id, patch, .. } if id == "f-001" && patch.status == Some(FindingStatus::New))
    );
}

#[test]
fn severity_override() {
    let mut s = findings_pane(5, 5);
    let e = press(
        &mut s,
        &[ch('S'), ch('j'), ch('j'), ch('j'), key(KeyCode::Enter)],
    );
    assert!(matches!(&e[0], Effect::Patch { patch, .. } if patch.severity == Some(Severity::Low)));
    assert_eq!(*s.findings.rows[0].severity(), Severity::Low);
}

#[test]
fn read_only_refuses_changes() {
    let mut sess = session();
    sess.read_only = true;
    let mut s = state_with(sess, &[]);
    load(&mut s, 5, 5);
    press(&mut s, &[key(KeyCode::Tab)]);
    for k in ['t', 'd', 'a', 'c', 'p', 'v', 'n', 'S', 's'] {
        assert!(press(&mut s, &[ch(k)]).is_empty(), "{k} refused");
        assert!(s.modal.is_none(), "{k} opens nothing");
    }
    assert!(s.toasts.iter().all(|t| t.text.contains("read-only")));
    assert_eq!(status_of(&s, "f-000"), FindingStatus::New);
}

#[test]
fn scan_progress_polls_with_backoff_and_refreshes_on_completion() {
    let mut s = findings_pane(5, 5);
    press(&mut s, &[ch('s')]);
    let Some(Modal::ScanPrompt { input, .. }) = &s.modal else {
        panic!()
    };
    assert_eq!(
        input.value(),
        "https://example.com",
        "pre-filled from the settings"
    );
    press(&mut s, &[key(KeyCode::Esc)]);
    s.scan = Some(krafter::app::state::ScanProgress::new(
        "https://example.com",
        s.now,
    ));
    let scan = |status: ScanStatus| Scan {
        id: "scan-1".into(),
        status,
        ..Scan::default()
    };
    let e = update(
        &mut s,
        Action::ScanStarted {
            result: Ok(scan(ScanStatus::Queued)),
        },
    );
    let [Effect::PollScan { after: first, .. }] = e.as_slice() else {
        panic!("{e:?}")
    };
    let e = update(
        &mut s,
        Action::ScanPolled {
            result: Ok(scan(ScanStatus::Running)),
        },
    );
    let [Effect::PollScan { after: second, .. }] = e.as_slice() else {
        panic!("{e:?}")
    };
    assert!(second > first, "backoff");
    assert_eq!(s.scan.as_ref().unwrap().status, ScanStatus::Running);
    let mut done = scan(ScanStatus::Completed);
    done.summary = serde_json::json!({"findings": 9, "new": 4});
    let e = update(&mut s, Action::ScanPolled { result: Ok(done) });
    assert!(
        e.iter()
            .any(|e| matches!(e, Effect::LoadCommandCenter { .. }))
    );
    assert!(e.iter().any(|e| matches!(e, Effect::LoadFindings { .. })));
    assert!(s.toasts.last().unwrap().text.contains("4 new finding"));
}

#[test]
fn failed_scan_says_why() {
    let mut s = findings_pane(1, 1);
    s.scan = Some(krafter::app::state::ScanProgress {
        id: Some("scan-1".into()),
        status: ScanStatus::Running,
        ..krafter::app::state::ScanProgress::new("https://example.com", s.now)
    });
    let failed = Scan {
        id: "scan-1".into(),
        status: ScanStatus::Failed,
        summary: serde_json::json!({"error": "connection refused"}),
        ..Scan::default()
    };
    assert!(update(&mut s, Action::ScanPolled { result: Ok(failed) }).is_empty());
    let t = s.toasts.last().unwrap();
    assert!(t.error && t.text.contains("connection refused"));
}

#[test]
fn a_finished_scan_leaves_the_status_bar_after_ten_seconds() {
    let mut s = findings_pane(1, 1);
    s.scan = Some(krafter::app::state::ScanProgress {
        id: Some("scan-1".into()),
        status: ScanStatus::Running,
        ..krafter::app::state::ScanProgress::new("https://example.com", s.now)
    });
    let done = Scan {
        id: "scan-1".into(),
        status: ScanStatus::Completed,
        ..Scan::default()
    };
    update(&mut s, Action::ScanPolled { result: Ok(done) });
    let tick = |s: &mut krafter::app::state::AppState, secs: u64| {
        let now = s.now + std::time::Duration::from_secs(secs);
        update(s, Action::Tick { now, wall: wall() });
    };
    tick(&mut s, 3);
    assert!(s.scan.is_some(), "the result is shown for a while");
    tick(&mut s, 11);
    assert!(s.scan.is_none(), "then its line goes");
}

#[test]
fn scan_polling_gives_up_after_ten_minutes_and_names_the_scan() {
    let mut s = findings_pane(1, 1);
    s.scan = Some(krafter::app::state::ScanProgress::new(
        "https://example.com",
        s.now,
    ));
    let running = || Scan {
        id: "scan-7".into(),
        status: ScanStatus::Running,
        ..Scan::default()
    };
    let e = update(
        &mut s,
        Action::ScanStarted {
            result: Ok(running()),
        },
    );
    assert!(matches!(e.as_slice(), [Effect::PollScan { .. }]));
    assert_eq!(
        s.in_flight, 0,
        "the backoff wait is not a request in flight"
    );
    update(&mut s, Action::PollSent);
    assert_eq!(s.in_flight, 1, "the poll's request is");
    s.now += std::time::Duration::from_secs(9 * 60);
    let e = update(
        &mut s,
        Action::ScanPolled {
            result: Ok(running()),
        },
    );
    assert!(matches!(e.as_slice(), [Effect::PollScan { .. }]), "{e:?}");
    assert_eq!(s.in_flight, 0);
    update(&mut s, Action::PollSent);
    s.now += std::time::Duration::from_secs(61);
    let e = update(
        &mut s,
        Action::ScanPolled {
            result: Ok(running()),
        },
    );
    assert!(e.is_empty(), "no more polls: {e:?}");
    assert_eq!(s.in_flight, 0, "the spinner stops");
    let t = s.toasts.last().unwrap();
    assert!(
        t.text.contains("still running") && t.text.contains("scan-7"),
        "{}",
        t.text
    );
    let line = krafter::ui::status_bar::scan_line(&s).unwrap_or_default();
    assert!(line.contains("not followed"), "{line}");
    // Another scan may be started now.
    press(&mut s, &[ch('s'), key(KeyCode::Enter)]);
    assert!(s.scan.as_ref().is_some_and(|p| p.is_followed()));
}

/// A change whose answer may have come after it landed (a 5xx after the
/// retries, a cut-off body, a dropped connection) is not reported failed:
/// the finding is read again, and the toast says what the server holds.
#[test]
fn an_unclear_answer_is_settled_by_reading_the_finding_again() {
    for (error, server_status, applied) in [
        (
            http_error(500, "internal", "the store is down"),
            FindingStatus::Triaged,
            true,
        ),
        (cut_off(), FindingStatus::Triaged, true),
        (
            http_error(502, "bad_gateway", "proxy"),
            FindingStatus::New,
            false,
        ),
        (cut_off(), FindingStatus::New, false),
    ] {
        let mut s = findings_pane(5, 5);
        let effects = press(&mut s, &[ch('t')]);
        let Effect::Patch { request, .. } = &effects[0] else {
            panic!()
        };
        let request = *request;
        let effects = update(
            &mut s,
            Action::Patched {
                request,
                result: Err(error.clone()),
            },
        );
        assert_eq!(
            effects,
            vec![Effect::Recheck {
                request,
                id: "f-000".into()
            }],
            "{error}"
        );
        assert!(s.is_pending("f-000"), "still in flight while read again");
        assert!(
            !s.toasts.last().unwrap().error,
            "not reported failed yet: {}",
            s.toasts.last().unwrap().text
        );
        let mut server = finding(0);
        server.status = server_status.clone();
        update(
            &mut s,
            Action::Rechecked {
                request,
                result: Ok(server),
            },
        );
        assert!(!s.is_pending("f-000"));
        assert_eq!(status_of(&s, "f-000"), server_status, "the server's copy");
        let toast = s.toasts.last().unwrap();
        assert_eq!(toast.error, !applied, "{error}: {}", toast.text);
        if applied {
            assert!(toast.text.contains("the change holds"), "{}", toast.text);
        } else {
            assert!(
                toast.text.contains("could not move to triaged")
                    && toast.text.contains("does not hold the change"),
                "{}",
                toast.text
            );
        }
    }
}

/// When the finding cannot be read again either, the toast says the
/// outcome is unknown (never "failed") and the row shows what the server
/// last said.
#[test]
fn an_unclear_answer_that_cannot_be_settled_is_reported_unknown() {
    let mut s = findings_pane(5, 5);
    let effects = press(&mut s, &[ch('t')]);
    let Effect::Patch { request, .. } = &effects[0] else {
        panic!()
    };
    let request = *request;
    let lost = ApiError::Connect {
        host: "h".into(),
        detail: "the connection closed before a complete answer".into(),
    };
    update(
        &mut s,
        Action::Patched {
            request,
            result: Err(lost.clone()),
        },
    );
    update(
        &mut s,
        Action::Rechecked {
            request,
            result: Err(lost),
        },
    );
    assert_eq!(status_of(&s, "f-000"), FindingStatus::New);
    let toast = s.toasts.last().unwrap();
    assert!(
        toast.error && toast.text.contains("unknown whether it applied"),
        "{}",
        toast.text
    );
    assert!(!toast.text.contains("could not move"), "{}", toast.text);
}

/// A clear refusal needs no second read.
#[test]
fn a_clear_refusal_is_not_read_again() {
    let mut s = findings_pane(5, 5);
    let effects = press(&mut s, &[ch('t')]);
    let Effect::Patch { request, .. } = &effects[0] else {
        panic!()
    };
    let effects = update(
        &mut s,
        Action::Patched {
            request: *request,
            result: Err(http_error(403, "forbidden", "read-only key")),
        },
    );
    assert!(effects.is_empty(), "{effects:?}");
    assert!(!s.is_pending("f-000"));
}

/// A 200 whose body was cut off mid-way.
fn cut_off() -> ApiError {
    ApiError::Decode {
        status: 200,
        detail: "EOF while parsing an object".into(),
        request_id: None,
    }
}

#[test]
fn quitting_while_a_change_waits_for_its_answer_names_it() {
    let mut s = findings_pane(5, 5);
    let effects = press(&mut s, &[ch('t')]);
    assert!(matches!(effects.as_slice(), [Effect::Patch { .. }]));
    press(&mut s, &[ch('q')]);
    assert!(s.quit, "q quits at once: no bulk job runs");
    let report = s.exit_report.clone().expect("the terminal is told");
    assert!(
        report.contains("1 change had no answer yet when krafter quit")
            && report.contains("f-000")
            && report.contains("krafter finding ID"),
        "{report}"
    );
    // With every answer in, quitting says nothing.
    let mut s = findings_pane(5, 5);
    press(&mut s, &[ch('q')]);
    assert!(s.quit && s.exit_report.is_none());
}
