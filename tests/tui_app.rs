//! The app without a terminal, against a real sandbox over loopback: the
//! update, the worker and the client together. Server state is checked
//! through a separate client.

mod tui_fixtures;

use crossterm::event::KeyCode;
use krafter::api::Client;
use krafter::api::model::{FindingQuery, FindingStatus, Severity};
use krafter::app::state::{AppState, BulkPhase, Modal, Pane};
use krafter::app::switch::SessionChange;
use krafter::config::UiSettings;
use krafter::engine::people::People;
use krafter::journal::Outcome;
use krafter::sandbox::{DataSource, SandboxOptions};
use tui_fixtures::{Drive, ch, key, runtime};

#[tokio::test]
async fn load_filter_open_triage_and_assign_against_the_sandbox() {
    let sandbox = krafter::sandbox::spawn(SandboxOptions::for_tests().with_data(DataSource::Demo))
        .await
        .expect("sandbox starts");
    let project = sandbox.projects[0].clone();
    let client = Client::new(sandbox.client_settings(&project)).expect("client");
    let checker = Client::new(sandbox.client_settings(&project)).expect("client");
    let me = sandbox.me.clone().expect("the demo data names a user");

    let ui = UiSettings {
        page_size: 10,
        ..UiSettings::default()
    };
    let change = SessionChange {
        profile: "demo".into(),
        people: People::new(Vec::new(), Some(me.clone())),
        ..SessionChange::of(&client)
    };
    let state = AppState::open(change, &ui, &[]);
    let mut h = runtime(state, client);
    h.settled().await;

    // Loaded: command center and the first page, total from the server.
    let cc = checker.command_center().await.unwrap();
    assert_eq!(
        h.state.command_center.data.as_ref().unwrap().health_score,
        cc.health_score
    );
    let all = checker
        .list_findings(&FindingQuery::default(), 0, 100)
        .await
        .unwrap();
    assert_eq!(h.state.findings.total, all.total);
    assert!(!h.state.findings.rows.is_empty());
    assert!(h.state.budget.remaining.is_some() || h.state.budget.limit.is_none());

    // Paging: going to the bottom loads every row, page by page.
    h.press(&[key(KeyCode::Tab)]);
    assert_eq!(h.state.pane, Pane::Findings);
    for _ in 0..20 {
        h.press(&[ch('G')]);
        h.settled().await;
        if h.state.findings.exhausted {
            break;
        }
    }
    assert_eq!(Some(h.state.findings.rows.len() as u64), all.total);

    // Server-side filter: severity critical.
    h.press(&[ch('f'), key(KeyCode::Enter), ch('j'), key(KeyCode::Enter)]);
    h.settled().await;
    let critical = FindingQuery {
        severity: Some(Severity::Critical),
        ..FindingQuery::default()
    };
    let expected = checker.list_findings(&critical, 0, 100).await.unwrap();
    assert_eq!(h.state.findings.total, expected.total);
    assert!(
        h.state
            .findings
            .rows
            .iter()
            .all(|f| *f.severity() == Severity::Critical)
    );

    // Clear the filter, find a new finding, open it, triage it, assign it.
    h.press(&[ch('x')]);
    h.settled().await;
    h.press(&[ch('g')]);
    let mut guard = 0;
    while h.state.findings.selected().map(|f| f.status()) != Some(&FindingStatus::New) {
        h.press(&[ch('j')]);
        h.settled().await;
        guard += 1;
        assert!(guard < 500, "the demo data has a new finding");
    }
    let id = h.state.findings.selected().unwrap().id().to_string();
    h.press(&[key(KeyCode::Enter)]);
    h.settled().await;
    assert_eq!(h.state.pane, Pane::Detail);
    assert_eq!(
        h.state
            .detail
            .as_ref()
            .unwrap()
            .finding
            .as_ref()
            .unwrap()
            .id,
        id
    );

    h.press(&[ch('t')]);
    h.settled().await;
    assert_eq!(
        checker.get_finding(&id).await.unwrap().status,
        FindingStatus::Triaged
    );
    assert_eq!(
        h.state
            .detail
            .as_ref()
            .unwrap()
            .finding
            .as_ref()
            .unwrap()
            .status,
        FindingStatus::Triaged
    );

    h.press(&[ch('a'), key(KeyCode::Enter)]);
    h.settled().await;
    assert_eq!(
        checker.get_finding(&id).await.unwrap().owner_id.as_deref(),
        Some(me.as_str())
    );

    // A move the lifecycle refuses is never sent: the server state stays.
    h.press(&[ch('v')]);
    h.settled().await;
    assert_eq!(
        checker.get_finding(&id).await.unwrap().status,
        FindingStatus::Triaged
    );
    assert!(
        h.state
            .toasts
            .iter()
            .any(|t| t.error && t.text.contains("cannot move to ready_verify"))
    );

    sandbox.shutdown().await;
}

#[tokio::test]
async fn bulk_triage_is_paced_by_the_rate_budget_and_loses_nothing() {
    let options = SandboxOptions {
        rate_default: Some(krafter::sandbox::RateWindow::new(4, 1)),
        ..SandboxOptions::for_tests().with_data(DataSource::Generate(60))
    };
    let sandbox = krafter::sandbox::spawn(options)
        .await
        .expect("sandbox starts");
    let project = sandbox.projects[0].clone();
    let client = Client::new(sandbox.client_settings(&project)).expect("client");
    let checker = client.clone();
    let ui = UiSettings::default();
    let change = SessionChange {
        profile: "demo".into(),
        people: People::new(Vec::new(), sandbox.me.clone()),
        ..SessionChange::of(&client)
    };
    let state = AppState::open(change, &ui, &[]);
    let mut h = runtime(state, client);
    h.settled().await;
    h.press(&[key(KeyCode::Tab), ch('g')]);
    let mut marked = Vec::new();
    while marked.len() < 8 && h.state.findings.cursor + 1 < h.state.findings.visible.len() {
        let row = h.state.findings.selected().unwrap();
        if *row.status() == FindingStatus::New {
            marked.push(row.id().to_string());
            h.press(&[ch(' ')]);
        } else {
            h.press(&[ch('j')]);
        }
        h.settled().await;
    }
    assert!(
        marked.len() >= 6,
        "60 generated findings hold enough new ones"
    );
    // Read and previewed first; sent once the preview is confirmed.
    h.press(&[ch('t')]);
    h.settled().await;
    assert!(
        matches!(h.state.modal, Some(Modal::BulkPreview)),
        "{:?}",
        h.state.modal
    );
    h.press(&[key(KeyCode::Enter)]);
    h.until(|s| {
        s.bulk
            .as_ref()
            .is_some_and(|b| matches!(b.phase, BulkPhase::Done(_)))
    })
    .await;
    let BulkPhase::Done(report) = &h.state.bulk.as_ref().unwrap().phase else {
        unreachable!()
    };
    assert_eq!(report.counts.total, marked.len());
    assert_eq!(
        report.counts.updated,
        marked.len(),
        "paced, not refused: {report:?}"
    );
    for id in &marked {
        assert_eq!(
            checker.get_finding(id).await.unwrap().status,
            FindingStatus::Triaged
        );
    }
    assert!(
        h.state.findings.marks.is_empty(),
        "marks cleared once all succeeded"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn stopped_bulk_job_sends_nothing_more_and_every_finding_is_accounted_for() {
    let options = SandboxOptions {
        rate_default: Some(krafter::sandbox::RateWindow::new(3, 1)),
        ..SandboxOptions::for_tests().with_data(DataSource::Generate(60))
    };
    let sandbox = krafter::sandbox::spawn(options)
        .await
        .expect("sandbox starts");
    let project = sandbox.projects[0].clone();
    let client = Client::new(sandbox.client_settings(&project)).expect("client");
    let checker = Client::new(sandbox.client_settings(&project)).expect("client");
    let change = SessionChange {
        profile: "demo".into(),
        people: People::new(Vec::new(), sandbox.me.clone()),
        ..SessionChange::of(&client)
    };
    let state = AppState::open(change, &UiSettings::default(), &[]);
    let mut h = runtime(state, client);
    h.settled().await;
    h.press(&[key(KeyCode::Tab), ch('g')]);
    let mut marked = Vec::new();
    while marked.len() < 8 && h.state.findings.cursor + 1 < h.state.findings.visible.len() {
        let row = h.state.findings.selected().unwrap();
        if *row.status() == FindingStatus::New {
            marked.push(row.id().to_string());
            h.press(&[ch(' ')]);
        } else {
            h.press(&[ch('j')]);
        }
    }
    assert!(marked.len() >= 6, "enough new findings to mark");
    h.press(&[ch('t')]);
    h.until(|s| matches!(s.modal, Some(Modal::BulkPreview)))
        .await;
    h.press(&[key(KeyCode::Enter)]);
    // Stop as soon as the first answer is in.
    h.until(|s| s.bulk.as_ref().is_some_and(|b| b.done_of().0 > 0))
        .await;
    h.press(&[ch('c')]);
    h.until(|s| {
        s.bulk
            .as_ref()
            .is_some_and(|b| matches!(b.phase, BulkPhase::Done(_)))
    })
    .await;
    let BulkPhase::Done(report) = h.state.bulk.clone().unwrap().phase else {
        unreachable!()
    };
    let c = report.counts;
    assert!(c.not_sent > 0, "stopped before the end: {c:?}");
    assert_eq!(
        c.updated + c.failed + c.not_sent,
        marked.len(),
        "every finding is applied, refused or not sent"
    );
    for item in &report.items {
        let status = checker.get_finding(&item.finding_id).await.unwrap().status;
        match item.outcome {
            Outcome::NotSent { .. } => {
                assert_eq!(status, FindingStatus::New, "{item:?} was not sent")
            }
            Outcome::Updated { .. } => {
                assert_eq!(status, FindingStatus::Triaged, "{item:?} was applied")
            }
            _ => {}
        }
    }
    sandbox.shutdown().await;
}
