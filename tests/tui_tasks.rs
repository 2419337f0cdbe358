//! Reducer tests of the remediation panes: the tasks pane (cursor pages,
//! status filter, legal moves only, ticket and PR, a task for a finding),
//! regressions and the report degrading once on a 404, badges and counts.

mod tui_fixtures;

use crossterm::event::KeyCode;
use krafter::api::model::*;
use krafter::app::action::Action;
use krafter::app::effect::Effect;
use krafter::app::state::{AppState, Load, Modal, Pane, TaskField, VerificationsOf};
use krafter::app::update::update;
use tui_fixtures::remediation::*;
use tui_fixtures::*;

/// The tasks pane with its first page of `n` tasks (more behind a cursor).
fn tasks_pane(n: usize, more: bool) -> AppState {
    let mut s = loaded(20, 20);
    let effects = press(&mut s, &[ch('3')]);
    assert_eq!(s.pane, Pane::Tasks);
    let [
        Effect::LoadTasks {
            generation,
            status: None,
            cursor: None,
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    let next = more.then_some("cursor-2");
    update(
        &mut s,
        Action::TasksPage {
            generation: *generation,
            result: Ok(task_page(
                tasks(0..n),
                next,
                if more { 2 * n as u64 } else { n as u64 },
            )),
        },
    );
    s
}

#[test]
fn the_tasks_pane_pages_by_cursor_as_the_cursor_nears_the_end() {
    let mut s = tasks_pane(15, true);
    assert_eq!(s.remediation.tasks.rows.len(), 15);
    assert!(press(&mut s, &[ch('j')]).is_empty(), "far from the end");
    let effects = press(&mut s, &[ch('G')]);
    let [
        Effect::LoadTasks {
            generation, cursor, ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(
        cursor.as_deref(),
        Some("cursor-2"),
        "the server's cursor, as sent"
    );
    assert!(press(&mut s, &[ch('k')]).is_empty(), "one page at a time");
    update(
        &mut s,
        Action::TasksPage {
            generation: *generation,
            result: Ok(task_page(tasks(14..20), None, 20)),
        },
    );
    let ids: Vec<&str> = s
        .remediation
        .tasks
        .rows
        .iter()
        .map(|t| t.id.as_str())
        .collect();
    assert_eq!(ids.len(), 20, "t-014 is not listed twice: {ids:?}");
    assert!(s.remediation.tasks.exhausted());
    assert!(press(&mut s, &[ch('G')]).is_empty(), "nothing more to load");
}

#[test]
fn the_status_filter_starts_the_list_over_and_drops_late_pages() {
    let mut s = tasks_pane(5, false);
    let old = s.remediation.tasks.generation;
    press(&mut s, &[ch('f')]);
    assert!(matches!(
        s.modal,
        Some(Modal::TaskFilterMenu { selected: 0 })
    ));
    let effects = press(&mut s, &[ch('j'), ch('j'), key(KeyCode::Enter)]);
    let [
        Effect::LoadTasks {
            generation,
            status,
            cursor: None,
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(status, &Some(TaskStatus::InProgress));
    assert!(s.remediation.tasks.rows.is_empty());
    // A page for the old filter arrives late: dropped.
    update(
        &mut s,
        Action::TasksPage {
            generation: old,
            result: Ok(task_page(tasks(0..5), None, 5)),
        },
    );
    assert!(s.remediation.tasks.rows.is_empty());
    update(
        &mut s,
        Action::TasksPage {
            generation: *generation,
            result: Ok(task_page(vec![task(1)], None, 1)),
        },
    );
    assert_eq!(s.remediation.tasks.rows.len(), 1);
}

#[test]
fn a_task_moves_only_through_its_legal_statuses() {
    let mut s = tasks_pane(5, false);
    // t-000 is in backlog: in_progress or blocked, never done.
    press(&mut s, &[ch('c')]);
    let Some(Modal::TaskStatusMenu { targets, .. }) = &s.modal else {
        panic!("{:?}", s.modal)
    };
    assert_eq!(targets, &[TaskStatus::InProgress, TaskStatus::Blocked]);
    let effects = press(&mut s, &[key(KeyCode::Enter)]);
    let [Effect::PatchTask { request, id, patch }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(id, "t-000");
    assert_eq!(
        serde_json::to_value(patch).unwrap(),
        serde_json::json!({"status": "in_progress"})
    );
    // The server's task is what shows; the finding moved too, so the
    // panes that show it refresh.
    let mut moved = task(0);
    moved.status = TaskStatus::InProgress;
    let effects = update(
        &mut s,
        Action::TaskPatched {
            request: *request,
            result: Ok(moved),
        },
    );
    assert_eq!(s.remediation.tasks.rows[0].status, TaskStatus::InProgress);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::LoadFindings { .. }))
    );
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::LoadTasks { .. }))
    );

    // A done task offers no move, and says why.
    let mut s = tasks_pane(5, false);
    press(&mut s, &[ch('j'), ch('j'), ch('j'), ch('j')]);
    assert_eq!(
        s.remediation.tasks.selected().unwrap().status,
        TaskStatus::Done
    );
    press(&mut s, &[ch('c')]);
    let Some(Modal::TaskStatusMenu { targets, .. }) = &s.modal else {
        panic!("{:?}", s.modal)
    };
    assert!(targets.is_empty());
    assert!(press(&mut s, &[key(KeyCode::Enter)]).is_empty());
}

#[test]
fn a_refused_move_keeps_the_row_and_a_missing_patch_route_is_said_once() {
    let mut s = tasks_pane(5, false);
    let effects = press(&mut s, &[ch('c'), key(KeyCode::Enter)]);
    let [Effect::PatchTask { request, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    update(
        &mut s,
        Action::TaskPatched {
            request: *request,
            result: Err(http_error(
                422,
                "invalid_transition",
                "cannot move a task from backlog to done; allowed: in_progress, blocked",
            )),
        },
    );
    assert_eq!(s.remediation.tasks.rows[0].status, TaskStatus::Backlog);
    assert!(
        s.toasts
            .last()
            .is_some_and(|t| t.error && t.text.contains("allowed"))
    );

    let effects = press(&mut s, &[ch('K'), ch('S'), key(KeyCode::Enter)]);
    let [Effect::PatchTask { request, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let not_offered =
        not_found().on_sandbox_route("changing tasks", "PATCH /tasks/{id}", Some("the task"));
    update(
        &mut s,
        Action::TaskPatched {
            request: *request,
            result: Err(not_offered),
        },
    );
    let why = s
        .remediation
        .tasks
        .changes_not_offered
        .clone()
        .expect("remembered");
    assert!(why.contains("does not offer changing tasks"), "{why}");
    assert!(!why.contains("org and project"), "{why}");
    // Asked again: said in place, nothing is sent.
    let toasts = s.toasts.len();
    assert!(press(&mut s, &[ch('c')]).is_empty());
    assert!(s.modal.is_none());
    assert!(s.toasts.len() <= toasts + 1);
}

#[test]
fn ticket_and_pr_are_typed_in_and_a_pr_must_be_a_web_address() {
    let mut s = tasks_pane(5, false);
    // t-000 has SEC-100: the prompt starts from it; emptied, it clears.
    press(&mut s, &[ch('K')]);
    let Some(Modal::TaskPrompt {
        input,
        field: TaskField::Ticket { .. },
        ..
    }) = &s.modal
    else {
        panic!("{:?}", s.modal)
    };
    assert_eq!(input.value(), "SEC-100");
    let mut keys = vec![key(KeyCode::Backspace); 7];
    keys.push(key(KeyCode::Enter));
    let effects = press(&mut s, &keys);
    let [Effect::PatchTask { patch, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(patch.external_ticket_key, Some(None));

    let mut s = tasks_pane(5, false);
    press(&mut s, &[ch('j'), ch('L')]);
    for c in "javascript:alert(1)".chars() {
        press(&mut s, &[ch(c)]);
    }
    assert!(press(&mut s, &[key(KeyCode::Enter)]).is_empty());
    let Some(Modal::TaskPrompt {
        error: Some(why), ..
    }) = &s.modal
    else {
        panic!("{:?}", s.modal)
    };
    assert!(why.contains("http(s)"), "{why}");
    press(&mut s, &[key(KeyCode::Esc), ch('L')]);
    for c in "https://git.example/pull/7".chars() {
        press(&mut s, &[ch(c)]);
    }
    let effects = press(&mut s, &[key(KeyCode::Enter)]);
    let [Effect::PatchTask { id, patch, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(id, "t-001");
    assert_eq!(
        patch.pr_url,
        Some(Some("https://git.example/pull/7".into()))
    );
}

#[test]
fn enter_on_a_task_opens_its_finding_and_esc_comes_back() {
    let mut s = tasks_pane(5, false);
    let effects = press(&mut s, &[ch('j'), key(KeyCode::Enter)]);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::LoadFinding { id, .. } if id == "f-001")),
        "{effects:?}"
    );
    assert_eq!(s.pane, Pane::Detail);
    press(&mut s, &[key(KeyCode::Esc)]);
    assert_eq!(s.pane, Pane::Tasks);
}

#[test]
fn a_task_for_a_finding_gets_its_owner_priority_and_sla() {
    let mut s = loaded(5, 5);
    remediation_known(&mut s, Vec::new());
    press(&mut s, &[key(KeyCode::Tab), ch('j')]);
    // f-001 is high: priority high; the policy's SLA is 72h.
    press(&mut s, &[ch('N')]);
    assert!(
        matches!(&s.modal, Some(Modal::TaskOwnerMenu { finding_id, .. }) if finding_id == "f-001")
    );
    press(&mut s, &[key(KeyCode::Enter)]);
    let Some(Modal::TaskPrompt {
        field: TaskField::Sla { owner, .. },
        ..
    }) = &s.modal
    else {
        panic!("{:?}", s.modal)
    };
    assert_eq!(owner.as_deref(), Some(ME), "me was chosen");
    assert_eq!(s.task_sla_hint("f-001"), "the policy's 3d (high)");
    let effects = press(&mut s, &[key(KeyCode::Enter)]);
    let [Effect::CreateTask { request, task: new }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(new.finding_id, "f-001");
    assert_eq!(new.title, finding(1).title);
    assert_eq!(new.priority, Some(TaskPriority::High));
    assert_eq!(new.sla_due_at, None, "the server applies the policy");
    // Once asked for, a second N waits for the answer.
    assert!(press(&mut s, &[ch('N')]).is_empty());
    assert!(s.modal.is_none());
    let mut created = task(1);
    created.status = TaskStatus::Backlog;
    update(
        &mut s,
        Action::TaskCreated {
            request: *request,
            result: Ok(created),
        },
    );
    assert!(
        s.toasts
            .last()
            .is_some_and(|t| t.text.contains("task created"))
    );

    // Overridden: 48 hours from now.
    let mut s = loaded(5, 5);
    press(
        &mut s,
        &[key(KeyCode::Tab), ch('N'), ch('j'), key(KeyCode::Enter)],
    );
    for c in "48".chars() {
        press(&mut s, &[ch(c)]);
    }
    let effects = press(&mut s, &[key(KeyCode::Enter)]);
    let [Effect::CreateTask { task: new, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(new.owner_id, None, "the second choice here is unassigned");
    assert_eq!(new.sla_due_at.as_deref(), Some("2025-06-17T12:00:00Z"));
}

#[test]
fn a_finding_with_an_open_task_is_not_given_another() {
    let mut s = tasks_pane(5, false);
    press(&mut s, &[ch('2')]);
    assert_eq!(s.pane, Pane::Findings);
    assert!(press(&mut s, &[ch('N')]).is_empty());
    assert!(s.modal.is_none());
    assert!(
        s.toasts
            .last()
            .is_some_and(|t| t.text.contains("already has a task"))
    );
}

#[test]
fn read_only_refuses_task_changes() {
    let mut sess = session();
    sess.read_only = true;
    let mut s = state_with(sess, &[]);
    load(&mut s, 5, 5);
    press(&mut s, &[key(KeyCode::Tab)]);
    assert!(press(&mut s, &[ch('N')]).is_empty());
    assert!(s.modal.is_none());
    assert!(s.toasts.iter().any(|t| t.text.contains("read-only")));
}

#[test]
fn verifications_of_a_task_or_a_finding_open_in_an_overlay() {
    let mut s = tasks_pane(5, false);
    let effects = press(&mut s, &[ch('i')]);
    let [Effect::LoadVerifications { generation, of }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert!(matches!(of, VerificationsOf::Task { id, created: Some(_) } if id == "t-000"));
    assert!(matches!(s.modal, Some(Modal::Verifications { .. })));
    let v: Verification = serde_json::from_value(serde_json::json!({
        "id": "v-1", "task_id": "t-000", "result": "failed",
        "checks": [{"key": "security.csp_missing", "before": "", "after": null, "status": "failed"}]
    }))
    .unwrap();
    update(
        &mut s,
        Action::VerificationsLoaded {
            generation: *generation,
            result: Ok((None, vec![v])),
        },
    );
    let view = s.remediation.verifications.as_ref().unwrap();
    assert_eq!((view.load.clone(), view.rows.len()), (Load::Loaded, 1));
    // Any other key closes it.
    press(&mut s, &[ch('x')]);
    assert!(s.modal.is_none());

    let mut s = loaded(5, 5);
    let effects = press(&mut s, &[key(KeyCode::Tab), ch('i')]);
    assert!(matches!(
        effects.as_slice(),
        [Effect::LoadVerifications { of: VerificationsOf::Finding(id), .. }] if id == "f-000"
    ));
}

#[test]
fn v_in_the_tasks_pane_verifies_through_that_task() {
    let mut s = tasks_pane(5, false);
    let effects = press(&mut s, &[ch('j'), ch('V')]);
    assert_eq!(
        effects,
        [Effect::VerifyTask {
            finding_id: "f-001".into(),
            task_id: "t-001".into()
        }]
    );
    // A failed run offers to move it back, unless it is in_progress already.
    let failed: Verification = serde_json::from_value(serde_json::json!({
        "id": "v-9", "task_id": "t-001", "result": "failed",
        "checks": [{"key": "security.csp_missing", "before": "", "after": "", "status": "failed"}]
    }))
    .unwrap();
    update(
        &mut s,
        Action::VerificationStarted {
            finding_id: "f-001".into(),
            result: Ok(failed),
        },
    );
    assert_eq!(
        s.remediation.tasks.task("t-001").unwrap().status,
        TaskStatus::InProgress
    );
    assert!(
        s.modal.is_none(),
        "t-001 is in_progress already: {:?}",
        s.modal
    );
    assert!(
        s.toasts
            .last()
            .is_some_and(|t| t.error && t.text.contains("still failing"))
    );
}

#[test]
fn regressions_badge_their_findings_and_are_counted() {
    let mut s = loaded(5, 5);
    remediation_known(&mut s, vec![regression(2, true)]);
    assert!(s.remediation.regressions.open_of("f-002").is_some());
    assert!(s.remediation.regressions.open_of("f-001").is_none());
    assert_eq!(s.remediation.regressions.open_count(), Some(1));
    // f-000 is critical, 3h old: 24h SLA, not breached; none of the five is.
    let count = s.sla_breaches().expect("the policy is known");
    assert_eq!((count.of, count.complete), (5, true));
}

#[test]
fn a_sandbox_route_missing_degrades_once_and_is_not_asked_again() {
    let mut s = loaded(5, 5);
    update(
        &mut s,
        Action::OpenRegressions {
            result: Err(not_found()),
        },
    );
    let r = &s.remediation.regressions;
    assert!(r.open_load.is_not_offered() && r.open.is_none());
    // The pane says so without asking; refreshing asks nothing either.
    let effects = press(&mut s, &[ch('4')]);
    assert!(effects.is_empty(), "{effects:?}");
    let Load::NotOffered(why) = &s.remediation.regressions.load else {
        panic!("{:?}", s.remediation.regressions.load)
    };
    assert!(
        why.contains("does not offer regressions") && why.contains("req-404"),
        "{why}"
    );
    let effects = press(&mut s, &[ch('r')]);
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::LoadRegressions { .. }))
    );
    assert!(
        s.toasts.iter().all(|t| !t.text.contains("regressions")),
        "no error per refresh"
    );

    // The report: a 404 on first show, then nothing on refresh.
    let effects = press(&mut s, &[ch('5')]);
    let [Effect::LoadReport { generation }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    update(
        &mut s,
        Action::ReportLoaded {
            generation: *generation,
            result: Err(not_found()),
        },
    );
    assert!(s.remediation.report.load.is_not_offered());
    let effects = press(&mut s, &[ch('r')]);
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::LoadReport { .. }))
    );
}

#[test]
fn the_regressions_pane_lists_open_then_closed_on_demand_with_titles() {
    let mut s = loaded(3, 3);
    let effects = press(&mut s, &[ch('4')]);
    let [Effect::LoadRegressions { generation, status }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(status, &Some(RegressionStatus::Open));
    // f-001 is loaded; f-007 is not: its title is fetched.
    let effects = update(
        &mut s,
        Action::RegressionsLoaded {
            generation: *generation,
            result: Ok(vec![regression(1, true), regression(7, true)]),
        },
    );
    assert_eq!(
        effects,
        [Effect::LoadTitles {
            ids: vec!["f-007".into()]
        }]
    );
    assert_eq!(s.remediation.regressions.open_count(), Some(2));
    let effects = press(&mut s, &[ch('f'), ch('j'), key(KeyCode::Enter)]);
    assert!(matches!(
        effects.as_slice(),
        [Effect::LoadRegressions {
            status: Some(RegressionStatus::Closed),
            ..
        }]
    ));
    assert_eq!(
        s.remediation.regressions.open_count(),
        Some(2),
        "badges stay"
    );
}

#[test]
fn tab_cycles_through_every_pane_and_loads_each_once() {
    let mut s = loaded(3, 3);
    let mut seen = Vec::new();
    for _ in 0..5 {
        let effects = press(&mut s, &[key(KeyCode::Tab)]);
        seen.push((s.pane, effects.len()));
    }
    assert_eq!(
        seen,
        [
            (Pane::Findings, 0),
            (Pane::Tasks, 1),
            (Pane::Regressions, 1),
            (Pane::Report, 1),
            (Pane::CommandCenter, 0),
        ]
    );
    // Shown again: no second load while the first is out.
    assert!(press(&mut s, &[ch('3')]).is_empty());
}

/// The rows of the list pane on screen (the lines between its header
/// and its bottom border that hold something), top to bottom.
fn pane_rows(screen: &str, header: &str) -> Vec<String> {
    screen
        .lines()
        .skip_while(|l| !l.contains(header))
        .skip(1)
        .take_while(|l| !l.starts_with('└'))
        .map(|l| l.trim_matches(|c| c == '│' || c == ' ').to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn a_pane_scrolled_down_shows_its_first_rows_again_when_the_terminal_grows() {
    let mut s = tasks_pane(15, false);
    draw(&mut s, 120, 16);
    press(&mut s, &[ch('G')]);
    let small = pane_rows(&text(&draw(&mut s, 120, 16)), "│Finding ");
    assert!(
        !small.is_empty() && !small[0].contains("SEC-100"),
        "scrolled: {small:#?}"
    );
    let tall = pane_rows(&text(&draw(&mut s, 120, 40)), "│Finding ");
    assert_eq!(tall.len(), 15, "every task fits: {tall:#?}");
    assert!(tall[0].contains("SEC-100"), "{tall:#?}");

    let mut s = loaded(3, 3);
    let effects = press(&mut s, &[ch('4')]);
    let [Effect::LoadRegressions { generation, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    update(
        &mut s,
        Action::RegressionsLoaded {
            generation: *generation,
            result: Ok((0..15).map(|i| regression(i, true)).collect()),
        },
    );
    draw(&mut s, 120, 16);
    press(&mut s, &[ch('G')]);
    let small = pane_rows(&text(&draw(&mut s, 120, 16)), "Detected");
    let tall = pane_rows(&text(&draw(&mut s, 120, 40)), "Detected");
    assert!(small.len() < 15 && small.len() > 1, "scrolled: {small:#?}");
    assert_ne!(small[0], tall[0], "scrolled: {small:#?}");
    assert_eq!(tall.len(), 15, "every regression fits: {tall:#?}");
}
