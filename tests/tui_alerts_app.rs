//! The TUI's runtime against a sandbox: the auto-refresh fetches through
//! the worker, and a finding raised to critical between two refreshes
//! raises the alerts and a notice (bell) for the event loop; a policy the
//! service serves feeds the SLA; regressions are read.

mod support_sandbox;
mod tui_fixtures;

use krafter::api::Client;
use krafter::api::model::{FindingPatch, Severity};
use krafter::app::action::Action;
use krafter::app::state::AppState;
use krafter::app::switch::SessionChange;
use krafter::config::UiSettings;
use support_sandbox::fixture::{F, small_options};
use tui_fixtures::{Drive, runtime};

#[tokio::test]
async fn a_finding_raised_to_critical_alerts_through_the_runtime() {
    let (options, _dir) = small_options();
    let sandbox = krafter::sandbox::spawn(options)
        .await
        .expect("sandbox starts");
    let project = sandbox.projects[0].clone();
    let client = Client::new(sandbox.client_settings(&project)).unwrap();
    let checker = Client::new(sandbox.client_settings(&project)).unwrap();
    let state = AppState::open(SessionChange::of(&client), &UiSettings::default(), &[]);
    let mut h = runtime(state, client);
    h.settled().await;

    h.dispatch(Action::RefreshDue);
    h.settled().await;
    let last = h.state.alerts.watcher.last().expect("a snapshot");
    assert_eq!(last.critical.as_ref().map(Vec::len), Some(2), "F1 and F7");
    assert_eq!(last.regressions.as_ref().map(Vec::len), Some(2));
    assert!(last.sla.is_some(), "the policy's sla_hours");
    assert!(h.state.alerts.list.is_empty(), "{:?}", h.state.alerts.list);
    assert!(h.take_notices().is_empty());

    // F2 (high) becomes critical: 8 points off the health, a new critical.
    let patch = FindingPatch {
        severity: Some(Severity::Critical),
        ..FindingPatch::default()
    };
    checker.patch_finding(F[2], &patch).await.unwrap();
    h.dispatch(Action::RefreshDue);
    h.settled().await;
    let kinds: Vec<&str> = h.state.alerts.list.iter().map(|a| a.label()).collect();
    assert_eq!(kinds, ["health", "critical"], "{:?}", h.state.alerts.list);
    let notices = h.take_notices();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(notices[0].bell && !notices[0].desktop);
    assert!(
        notices[0].body.contains("Missing CSP header"),
        "{}",
        notices[0].body
    );
    sandbox.shutdown().await;
}
