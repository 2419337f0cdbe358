//! The remediation loop end to end, against the sandbox and a website on
//! 127.0.0.1 whose Content-Security-Policy header the test ships and
//! removes: a scan finds the missing header → a task → the site is fixed →
//! the verification passes → approved: finding `resolved`, task `done` →
//! the header is removed → a rescan opens a regression and the finding is
//! `new` again. Once through the headless commands (the real binary), with
//! the TUI's state looked at along the way; once through the TUI's keys.

mod cmd_support;
mod support_contract;
mod tui_fixtures;

use cmd_support::{Run, json, krafter};
use crossterm::event::KeyCode;
use krafter::api::Client;
use krafter::api::model::{FindingStatus, TaskStatus};
use krafter::app::state::{AppState, Load, Modal, Pane, TaskField};
use krafter::app::switch::SessionChange;
use krafter::runtime::Runtime;
use krafter::sandbox::{RunningSandbox, SandboxOptions, spawn};
use serde_json::Value;
use support_contract::Site;
use tui_fixtures::{Drive, ch, key, runtime};

/// The binary against `sb`, off the async threads (the sandbox answers it
/// on them).
fn cli(sb: &RunningSandbox, args: &[&str]) -> Run {
    tokio::task::block_in_place(|| krafter(sb, args))
}

fn ok(run: &Run) {
    assert_eq!(
        run.code,
        Some(0),
        "stdout:\n{}\nstderr:\n{}",
        run.stdout,
        run.stderr
    );
}

/// The CSP finding of the site.
fn csp_finding(findings: &Value) -> Value {
    findings
        .as_array()
        .expect("a list")
        .iter()
        .find(|f| f["check"] == "security.csp_missing")
        .cloned()
        .unwrap_or_else(|| panic!("no CSP finding in {findings}"))
}

/// A TUI session on `sb` whose client may scan the local site.
fn tui(sb: &RunningSandbox) -> Runtime {
    let mut settings = sb.client_settings(&sb.projects[0]);
    settings.allow_private_targets = true;
    let client = Client::new(settings).expect("client");
    let state = AppState::open(SessionChange::of(&client), &Default::default(), &[]);
    runtime(state, client)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_loop_through_the_headless_commands_and_in_the_tuis_state() {
    let site = Site::start().await;
    let sb = spawn(SandboxOptions::for_tests())
        .await
        .expect("sandbox starts");
    let url = site.loopback_url.clone();

    // Without the flag, the client's own pre-check refuses loopback.
    let run = cli(&sb, &["scan", &url]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("--allow-private-targets"),
        "{}",
        run.stderr
    );

    // The scan finds the missing header.
    ok(&cli(
        &sb,
        &[
            "scan",
            &url,
            "--allow-private-targets",
            "--wait",
            "--timeout",
            "60",
        ],
    ));
    let found = cli(&sb, &["findings", "--all", "--format", "json"]);
    ok(&found);
    let csp = csp_finding(&json(&found));
    let fid = csp["id"].as_str().expect("an id").to_string();
    assert_eq!(csp["status"], "new");

    // A task: titled after the finding, priority from its severity, the
    // policy's SLA (72h for high).
    let run = cli(&sb, &["task", "create", &fid, "--owner", "none-given"]);
    assert_eq!(
        run.code,
        Some(2),
        "a bad owner is a usage error: {}",
        run.stderr
    );
    let created = cli(&sb, &["task", "create", &fid, "--format", "json"]);
    ok(&created);
    let task = json(&created);
    let tid = task["id"].as_str().expect("an id").to_string();
    assert_eq!(task["status"], "backlog");
    assert_eq!(task["priority"], "high");
    assert_eq!(task["title"], csp["title"]);
    assert!(task["sla_due_at"].is_string(), "{task}");

    // Work starts: ticket, PR, in_progress (the finding follows).
    let set = cli(
        &sb,
        &[
            "task",
            "set",
            &tid,
            "--status",
            "in_progress",
            "--ticket",
            "SEC-142",
            "--pr-url",
            "https://git.example/shop/pull/7",
            "--format",
            "json",
        ],
    );
    ok(&set);
    let task = json(&set);
    assert_eq!(
        (
            task["status"].as_str(),
            task["external_ticket_key"].as_str()
        ),
        (Some("in_progress"), Some("SEC-142"))
    );
    let run = cli(&sb, &["task", "set", &tid, "--status", "done"]);
    assert_eq!(
        run.code,
        Some(2),
        "done is never set by hand: {}",
        run.stderr
    );
    let listed = cli(&sb, &["tasks"]);
    ok(&listed);
    assert!(
        listed.stdout.contains("SEC-142") && listed.stdout.contains(" left"),
        "{}",
        listed.stdout
    );

    // The TUI sees the task, the SLA, and no regression yet.
    let mut h = tui(&sb);
    h.settled().await;
    assert!(
        h.state.remediation.sla.is_some(),
        "the policy came with the command center"
    );
    assert_eq!(h.state.remediation.regressions.open_count(), Some(0));
    h.press(&[ch('3')]);
    h.settled().await;
    let seen = h
        .state
        .remediation
        .tasks
        .task(&tid)
        .expect("the task is listed");
    assert_eq!(seen.status, TaskStatus::InProgress);

    // The site ships the header; the fix goes to verification and passes.
    site.ship_csp(true);
    ok(&cli(
        &sb,
        &["task", "set", &tid, "--status", "ready_verify"],
    ));
    let verified = cli(
        &sb,
        &[
            "verify",
            &fid,
            "--task",
            &tid,
            "--timeout",
            "60",
            "--format",
            "json",
        ],
    );
    ok(&verified);
    let v = json(&verified);
    assert_eq!(v["result"], "passed");
    assert_eq!(v["task_id"], tid.as_str());
    let vid = v["id"].as_str().expect("an id").to_string();
    let runs = cli(&sb, &["verifications", "--task", &tid, "--format", "json"]);
    ok(&runs);
    assert_eq!(json(&runs).as_array().map(Vec::len), Some(1));

    // Approved: the finding is resolved, the task done.
    let approved = cli(&sb, &["approve", &vid, "--format", "json"]);
    ok(&approved);
    assert!(json(&approved)["verified_at"].is_string());
    let finding = cli(&sb, &["finding", &fid, "--format", "json"]);
    assert_eq!(json(&finding)["status"], "resolved");
    let done = cli(&sb, &["tasks", "--status", "done", "--format", "json"]);
    assert_eq!(json(&done)[0]["id"], tid.as_str());

    // The header goes again: a rescan opens a regression, the finding is new.
    site.ship_csp(false);
    let rescan = cli(
        &sb,
        &[
            "scan",
            &url,
            "--allow-private-targets",
            "--wait",
            "--timeout",
            "60",
            "--format",
            "json",
        ],
    );
    ok(&rescan);
    assert_eq!(json(&rescan)["summary"]["regressions"], 1);
    let open = cli(
        &sb,
        &["regressions", "--status", "open", "--format", "json"],
    );
    ok(&open);
    let open = json(&open);
    assert_eq!(open.as_array().map(Vec::len), Some(1));
    assert_eq!(open[0]["finding_id"], fid.as_str());
    let table = cli(&sb, &["regressions"]);
    assert!(
        table.stdout.contains("↺ open") && table.stdout.contains("Content-Security-Policy"),
        "{}",
        table.stdout
    );
    let finding = cli(&sb, &["finding", &fid, "--format", "json"]);
    assert_eq!(json(&finding)["status"], "new");
    let report = cli(&sb, &["report", "--format", "json"]);
    ok(&report);
    let report = json(&report);
    assert_eq!(report["verification_pass_rate"], 1.0);
    assert_eq!(report["risk_burn_down"].as_array().map(Vec::len), Some(7));

    // The TUI, refreshed: the regression badges the finding and is counted,
    // the task is done, the regressions pane lists it, the report loads.
    h.press(&[ch('r')]);
    h.settled().await;
    assert!(h.state.remediation.regressions.open_of(&fid).is_some());
    assert_eq!(h.state.remediation.regressions.open_count(), Some(1));
    assert_eq!(
        h.state.remediation.tasks.task(&tid).map(|t| &t.status),
        Some(&TaskStatus::Done)
    );
    let row = h
        .state
        .findings
        .rows
        .iter()
        .find(|f| f.id() == fid)
        .expect("listed");
    assert_eq!(*row.status(), FindingStatus::New);
    h.press(&[ch('4')]);
    h.settled().await;
    assert_eq!(h.state.remediation.regressions.load, Load::Loaded);
    assert!(
        h.state
            .remediation
            .regressions
            .rows
            .iter()
            .any(|r| r.finding_id == fid)
    );
    h.press(&[ch('5')]);
    h.settled().await;
    let report = h
        .state
        .remediation
        .report
        .data
        .as_ref()
        .expect("the report");
    assert_eq!(report.risk_burn_down.len(), 7);
    sb.shutdown().await;
}

/// Moves the list's cursor to finding `id`.
fn select(h: &mut Runtime, id: &str) {
    h.press(&[ch('2'), ch('g')]);
    for _ in 0..h.state.findings.visible.len() {
        if h.state.findings.selected().is_some_and(|f| f.id() == id) {
            return;
        }
        h.press(&[ch('j')]);
    }
    panic!("finding {id} is not in the list");
}

/// Types `text` into the open prompt and sends it.
fn type_in(h: &mut Runtime, text: &str) {
    for c in text.chars() {
        h.press(&[ch(c)]);
    }
    h.press(&[key(KeyCode::Enter)]);
}

/// Scans the site from the scan prompt and waits for its end.
async fn scan_from_the_prompt(h: &mut Runtime, url: &str) {
    h.press(&[ch('s')]);
    let Some(Modal::ScanPrompt { input, .. }) = &h.state.modal else {
        panic!("{:?}", h.state.modal)
    };
    let erase = vec![key(KeyCode::Backspace); input.value().chars().count()];
    h.press(&erase);
    type_in(h, url);
    assert!(
        h.state.modal.is_none(),
        "the URL was taken: {:?}",
        h.state.modal
    );
    h.until(|s| s.scan.as_ref().is_some_and(|p| p.status.is_finished()))
        .await;
    h.settled().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_loop_through_the_tuis_keys() {
    let site = Site::start().await;
    let sb = spawn(SandboxOptions::for_tests())
        .await
        .expect("sandbox starts");
    let checker = Client::new(sb.client_settings(&sb.projects[0])).expect("client");
    let mut h = tui(&sb);
    h.settled().await;

    scan_from_the_prompt(&mut h, &site.loopback_url).await;
    // The list keeps a compact row (no `check`): the server names it.
    let listed = checker
        .list_findings(&krafter::api::model::FindingQuery::default(), 0, 100)
        .await
        .expect("the list");
    let fid = listed
        .items
        .iter()
        .find(|f| f.extra.get("check").and_then(|c| c.as_str()) == Some("security.csp_missing"))
        .map(|f| f.id.clone())
        .expect("the scan found the missing header");
    assert!(
        h.state.findings.rows.iter().any(|f| f.id() == fid),
        "the TUI's list holds it"
    );

    // N: a task for it, unassigned, the policy's SLA.
    select(&mut h, &fid);
    h.press(&[ch('N')]);
    let unassigned = h
        .state
        .modal
        .as_ref()
        .map(|m| h.state.menu_len(m))
        .unwrap_or(1)
        - 1;
    for _ in 0..unassigned {
        h.press(&[ch('j')]);
    }
    h.press(&[key(KeyCode::Enter)]);
    assert!(matches!(
        h.state.modal,
        Some(Modal::TaskPrompt {
            field: TaskField::Sla { .. },
            ..
        })
    ));
    h.press(&[key(KeyCode::Enter)]);
    h.settled().await;
    let tasks = checker.list_tasks(None, None, None).await.expect("tasks");
    assert_eq!(tasks.items.len(), 1, "one task was created");
    let tid = tasks.items[0].id.clone();
    assert!(tasks.items[0].sla_due_at.is_some());

    // The tasks pane: move it to in_progress, then ready_verify. The list
    // has the focus, where digits pick a view: tab goes on to the tasks.
    h.press(&[key(KeyCode::Tab)]);
    h.settled().await;
    assert_eq!(h.state.pane, Pane::Tasks);
    assert_eq!(
        h.state.remediation.tasks.selected().map(|t| t.id.clone()),
        Some(tid.clone())
    );
    h.press(&[ch('c'), key(KeyCode::Enter)]);
    h.settled().await;
    assert_eq!(
        checker.get_task(&tid).await.unwrap().status,
        TaskStatus::InProgress
    );
    h.press(&[ch('c')]);
    let Some(Modal::TaskStatusMenu { targets, .. }) = &h.state.modal else {
        panic!("{:?}", h.state.modal)
    };
    let ready = targets
        .iter()
        .position(|t| *t == TaskStatus::ReadyVerify)
        .expect("offered");
    for _ in 0..ready {
        h.press(&[ch('j')]);
    }
    h.press(&[key(KeyCode::Enter)]);
    h.settled().await;
    assert_eq!(
        checker.get_task(&tid).await.unwrap().status,
        TaskStatus::ReadyVerify
    );

    // Before the fix: V fails, says what is wrong, offers to move it back.
    h.press(&[ch('V')]);
    h.until(|s| s.verify.is_none()).await;
    assert!(
        matches!(h.state.modal, Some(Modal::ConfirmTaskBack { .. })),
        "{:?}",
        h.state.toasts
    );
    h.press(&[ch('y')]);
    h.settled().await;
    assert_eq!(
        checker.get_task(&tid).await.unwrap().status,
        TaskStatus::InProgress
    );

    // The fix ships; V passes; y approves: resolved and done.
    site.ship_csp(true);
    h.press(&[ch('V')]);
    h.until(|s| s.modal.is_some() || s.verify.is_none()).await;
    assert!(
        matches!(h.state.modal, Some(Modal::ConfirmApprove { .. })),
        "{:?}",
        h.state.toasts
    );
    h.press(&[ch('y')]);
    h.until(|s| s.verify.is_none()).await;
    h.settled().await;
    assert_eq!(
        checker.get_finding(&fid).await.unwrap().status,
        FindingStatus::Resolved
    );
    assert_eq!(
        h.state.remediation.tasks.task(&tid).map(|t| &t.status),
        Some(&TaskStatus::Done)
    );
    assert_eq!(
        h.state
            .findings
            .rows
            .iter()
            .find(|f| f.id() == fid)
            .map(|f| f.status()),
        Some(&FindingStatus::Resolved)
    );

    // The verifications of the task: a failed run, then a passed, approved one.
    h.press(&[ch('3'), ch('i')]);
    h.settled().await;
    let view = h.state.remediation.verifications.as_ref().expect("open");
    let results: Vec<&str> = view.rows.iter().map(|v| v.result.as_str()).collect();
    assert_eq!(results, ["passed", "failed"], "newest first");
    h.press(&[key(KeyCode::Esc)]);

    // The header goes; a rescan from the TUI opens a regression.
    site.ship_csp(false);
    scan_from_the_prompt(&mut h, &site.loopback_url).await;
    assert!(
        h.state.remediation.regressions.open_of(&fid).is_some(),
        "badged"
    );
    assert_eq!(h.state.remediation.regressions.open_count(), Some(1));
    assert_eq!(
        h.state
            .findings
            .rows
            .iter()
            .find(|f| f.id() == fid)
            .map(|f| f.status()),
        Some(&FindingStatus::New)
    );
    h.press(&[ch('4')]);
    h.settled().await;
    assert_eq!(
        h.state
            .remediation
            .regressions
            .rows
            .first()
            .map(|r| r.finding_id.clone()),
        Some(fid.clone())
    );
    // enter opens the regressed finding.
    h.press(&[key(KeyCode::Enter)]);
    h.settled().await;
    assert_eq!(h.state.pane, Pane::Detail);
    assert_eq!(h.state.detail.as_ref().map(|d| d.id.clone()), Some(fid));
    sb.shutdown().await;
}
