//! `V` through the update, the worker and the client against a sandbox
//! scanning its demo storefront: after the fix is shipped, the verification
//! passes, `y` approves it, and the server has the finding resolved.

mod tui_fixtures;

use std::time::Duration;

use crossterm::event::KeyCode;
use krafter::api::Client;
use krafter::api::model::{Finding, FindingQuery, FindingStatus, ScanRequest, ScanTrigger};
use krafter::app::state::{AppState, Modal};
use krafter::app::switch::SessionChange;
use krafter::sandbox::SandboxOptions;
use tui_fixtures::{Drive, ch, key, runtime};

fn check_of(f: &Finding) -> &str {
    f.extra
        .get("check")
        .and_then(|c| c.as_str())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v_then_y_resolves_a_fixed_finding_on_the_server() {
    let sb = krafter::sandbox::spawn(SandboxOptions {
        demo_site: true,
        allow_private_targets: false,
        ..SandboxOptions::for_tests()
    })
    .await
    .expect("sandbox starts");
    let project = sb.projects[0].clone();
    let checker = Client::new(sb.client_settings(&project)).expect("client");
    let scan = checker
        .run_scan(&ScanRequest {
            url: sb.demo_site_url.clone().expect("a demo site"),
            trigger: ScanTrigger::Manual,
        })
        .await
        .expect("scan accepted");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !checker
        .get_scan(&scan.id)
        .await
        .unwrap()
        .status
        .is_finished()
    {
        assert!(tokio::time::Instant::now() < deadline, "scan still running");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let csp = checker
        .list_findings(&FindingQuery::default(), 0, 100)
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|f| check_of(f) == "security.csp_missing")
        .expect("a CSP finding");
    let fix = sb.demo_site_fix_url("csp").expect("a fix URL");
    let shipped = reqwest::Client::new().post(&fix).send().await.unwrap();
    assert!(shipped.status().is_success());

    let client = Client::new(sb.client_settings(&project)).expect("client");
    let change = SessionChange::of(&client);
    let state = AppState::open(change, &Default::default(), &[]);
    let mut h = runtime(state, client);
    h.until(|s| s.in_flight == 0 && !s.findings.rows.is_empty())
        .await;
    h.dispatch(key(KeyCode::Tab));
    for _ in 0..h.state.findings.rows.len() {
        if h.state
            .findings
            .selected()
            .is_some_and(|f| f.id() == csp.id)
        {
            break;
        }
        h.dispatch(ch('j'));
    }
    assert_eq!(
        h.state.findings.selected().map(|f| f.id().to_string()),
        Some(csp.id.clone())
    );

    h.dispatch(ch('V'));
    h.until(|s| s.modal.is_some() || s.verify.is_none()).await;
    assert!(
        matches!(h.state.modal, Some(Modal::ConfirmApprove { .. })),
        "{:?}",
        h.state.toasts
    );
    h.dispatch(ch('y'));
    h.until(|s| s.verify.is_none()).await;
    assert!(
        h.state
            .toasts
            .iter()
            .any(|t| t.text.contains("is now resolved")),
        "{:?}",
        h.state.toasts
    );
    let now = checker.get_finding(&csp.id).await.unwrap();
    assert_eq!(now.status, FindingStatus::Resolved);
    let tasks = checker.list_tasks(None, None, None).await.unwrap();
    assert_eq!(tasks.items.len(), 1, "one task was created for it");
    sb.shutdown().await;
}
