//! Bulk changes in the TUI through the pure update: marks (by row, range,
//! loaded rows, a whole server filter), the read → preview → run → report
//! state machine, reason and comment, pause/resume/cancel, retry, undo,
//! resuming an unfinished job, quitting while one runs, marks per project.

mod tui_fixtures;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use krafter::api::model::{FindingQuery, FindingStatus, Severity};
use krafter::app::action::Action;
use krafter::app::effect::{BulkControl, Effect};
use krafter::app::state::{AppState, BulkPhase, Modal};
use krafter::app::switch::{SessionChange, SwitchTarget};
use krafter::app::update::update;
use krafter::engine::bulk::plan::Pick;
use krafter::engine::bulk::{Event, PauseCause};
use krafter::engine::people::People;
use krafter::journal::{Change, JobState, Outcome, Reason, Selection};
use tui_fixtures::bulk::*;
use tui_fixtures::*;

fn findings_pane(rows: usize, total: u64) -> AppState {
    let mut s = loaded(rows, total);
    press(&mut s, &[key(KeyCode::Tab)]);
    s
}

#[test]
fn marks_survive_paging_and_a_change_is_read_previewed_then_run() {
    let mut s = findings_pane(50, 60);
    press(&mut s, &[ch(' '), ch(' '), ch('j'), ch(' ')]);
    assert_eq!(s.findings.marks.count(), 3);
    let effects = press(&mut s, &[ch('G')]);
    let Effect::LoadFindings { generation, .. } = &effects[0] else {
        panic!("{effects:?}")
    };
    update(
        &mut s,
        Action::FindingsPage {
            generation: *generation,
            offset: 50,
            result: Ok(page(findings(50..60), 60)),
        },
    );
    assert_eq!(s.findings.marks.count(), 3, "marks kept by id across pages");

    // Nothing is sent first: the marks are read.
    s.findings.rows[3].set_status(FindingStatus::ReadyVerify);
    let (request, pick, change) = request_of(&press(&mut s, &[ch('t')]));
    assert_eq!(
        pick,
        Pick::Ids(vec!["f-000".into(), "f-001".into(), "f-003".into()])
    );
    assert!(matches!(s.modal, Some(Modal::Bulk)));
    update(
        &mut s,
        Action::BulkRead {
            request,
            read: 2,
            total: Some(3),
        },
    );
    assert!(matches!(
        s.bulk.as_ref().unwrap().phase,
        BulkPhase::Reading {
            read: 2,
            total: Some(3)
        }
    ));

    // The preview says what will happen; a comment is typed.
    let Pick::Ids(ids) = pick else { unreachable!() };
    let preview = preview_of(&s, &ids, &change);
    assert_eq!(preview.requests(), 2, "ready_verify cannot be triaged");
    update(
        &mut s,
        Action::BulkPlanned {
            request,
            result: Ok(Box::new(preview)),
        },
    );
    assert!(matches!(s.modal, Some(Modal::BulkPreview)));
    press(&mut s, &[ch('b'), ch('1'), ch('2')]);
    let effects = press(&mut s, &[key(KeyCode::Enter)]);
    let [
        Effect::RunBulk {
            record, preview, ..
        },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(record.comment.as_deref(), Some("b12"));
    assert_eq!(record.reason, None, "only a dismissal asks why");
    assert_eq!(record.change, triage());
    assert_eq!(record.selection, Selection::Ids { count: 3 });
    assert_eq!(record.scope.project_id, "production-website");
    assert_eq!(preview.requests(), 2);
    assert!(matches!(
        s.bulk.as_ref().unwrap().phase,
        BulkPhase::Starting
    ));

    // Running: an applied item shows at once; the overlay can be hidden;
    // one job at a time.
    update(
        &mut s,
        Action::BulkStarted {
            request,
            result: Ok(JOB.into()),
        },
    );
    assert!(s.bulk_running());
    event(&mut s, Event::Item(item(0, "f-000", updated())));
    assert_eq!(
        *s.finding("f-000").unwrap().status(),
        FindingStatus::Triaged
    );
    press(&mut s, &[key(KeyCode::Esc)]);
    assert!(s.modal.is_none(), "hidden while it runs");
    assert!(
        press(&mut s, &[ch('t')]).is_empty(),
        "one bulk job at a time"
    );

    // The report: what was not changed stays marked, the overlay comes back.
    let effects = finish(
        &mut s,
        vec![
            item(0, "f-000", updated()),
            item(1, "f-001", failed()),
            item(
                2,
                "f-003",
                Outcome::Skipped {
                    reason: "cannot move".into(),
                },
            ),
        ],
        JobState::Done,
    );
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::LoadCommandCenter { .. })),
        "numbers refreshed: {effects:?}"
    );
    assert!(matches!(s.modal, Some(Modal::Bulk)));
    assert_eq!(
        s.findings.marks.pick(),
        Pick::Ids(vec!["f-001".into(), "f-003".into()])
    );
    let toast = s.toasts.last().unwrap();
    assert!(
        toast.error && toast.text.contains("1 updated") && toast.text.contains("1 failed"),
        "{toast:?}"
    );
}

#[test]
fn marking_by_filter_counts_the_servers_total_and_picks_the_filter() {
    let mut s = findings_pane(10, 10);
    // The critical ones: 5 loaded of 40 on the server.
    let effects = press(
        &mut s,
        &[ch('f'), key(KeyCode::Enter), ch('j'), key(KeyCode::Enter)],
    );
    let Effect::LoadFindings { generation, .. } = &effects[0] else {
        panic!("{effects:?}")
    };
    let critical: Vec<_> = findings(0..20)
        .into_iter()
        .filter(|f| f.severity == Severity::Critical)
        .collect();
    update(
        &mut s,
        Action::FindingsPage {
            generation: *generation,
            offset: 0,
            result: Ok(page(critical, 40)),
        },
    );
    press(&mut s, &[ch('M')]);
    assert_eq!(s.findings.marks.count(), 40);
    assert_eq!(s.findings.marked_not_loaded(), 35);
    assert!(
        s.toasts
            .last()
            .unwrap()
            .text
            .contains("40 marked (35 not loaded)")
    );
    // Unmarking a loaded row excludes it from the filter.
    press(&mut s, &[ch(' ')]);
    assert_eq!(s.findings.marks.count(), 39);
    let (_, pick, _) = request_of(&press(&mut s, &[ch('t')]));
    assert_eq!(
        pick,
        Pick::Marked {
            query: FindingQuery {
                severity: Some(Severity::Critical),
                ..FindingQuery::default()
            },
            excluded: vec!["f-000".into()],
            extra: vec![],
        }
    );
}

#[test]
fn ranges_loaded_rows_invert_and_clear() {
    let mut s = findings_pane(10, 10);
    press(&mut s, &[ch(' ')]);
    press(&mut s, &[ch('j'), ch('j'), ch('m')]);
    assert_eq!(s.findings.marks.count(), 4, "rows 0 to 3");
    press(&mut s, &[ch('I')]);
    assert_eq!(s.findings.marks.count(), 6, "the other six");
    press(&mut s, &[ch('U')]);
    assert!(s.findings.marks.is_empty());
    update(
        &mut s,
        Action::Key(KeyEvent::new(KeyCode::Char('a'), KeyModifiers::CONTROL)),
    );
    assert_eq!(s.findings.marks.count(), 10);
}

#[test]
fn dismissing_marked_findings_asks_why_in_the_preview() {
    let mut s = findings_pane(5, 5);
    press(&mut s, &[ch(' '), ch(' ')]);
    let (request, pick, change) = request_of(&press(&mut s, &[ch('d')]));
    assert_eq!(change.status, Some(FindingStatus::Dismissed));
    let Pick::Ids(ids) = pick else { unreachable!() };
    let preview = preview_of(&s, &ids, &change);
    update(
        &mut s,
        Action::BulkPlanned {
            request,
            result: Ok(Box::new(preview)),
        },
    );
    press(&mut s, &[key(KeyCode::Down), key(KeyCode::Down)]);
    let effects = press(&mut s, &[key(KeyCode::Enter)]);
    let [Effect::RunBulk { record, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(record.reason, Some(Reason::AcceptedRisk));
}

#[test]
fn a_cancelled_preview_sends_nothing_and_keeps_the_marks() {
    let mut s = findings_pane(5, 5);
    press(&mut s, &[ch(' '), ch(' ')]);
    let (request, pick, change) = request_of(&press(&mut s, &[ch('t')]));
    let Pick::Ids(ids) = pick else { unreachable!() };
    let preview = preview_of(&s, &ids, &change);
    update(
        &mut s,
        Action::BulkPlanned {
            request,
            result: Ok(Box::new(preview)),
        },
    );
    assert!(press(&mut s, &[key(KeyCode::Esc)]).is_empty());
    assert!(s.modal.is_none() && s.bulk.is_none());
    assert_eq!(s.findings.marks.count(), 2);
    // A failed read says so and sends nothing either.
    let (request, _, _) = request_of(&press(&mut s, &[ch('t')]));
    update(
        &mut s,
        Action::BulkPlanned {
            request,
            result: Err("HTTP 503: down".into()),
        },
    );
    assert!(matches!(
        &s.bulk.as_ref().unwrap().phase,
        BulkPhase::Failed(why) if why.contains("nothing was sent")
    ));
}

#[test]
fn pause_resume_and_cancel_go_to_the_running_job() {
    let mut s = findings_pane(5, 5);
    start_bulk(&mut s, 3);
    let pause = press(&mut s, &[ch('p')]);
    assert_eq!(
        pause,
        vec![Effect::ControlBulk {
            job: JOB.into(),
            control: BulkControl::Pause
        }]
    );
    event(&mut s, Event::Paused(PauseCause::User));
    let resume = press(&mut s, &[ch('p')]);
    assert_eq!(
        resume,
        vec![Effect::ControlBulk {
            job: JOB.into(),
            control: BulkControl::Resume
        }]
    );
    event(&mut s, Event::Resumed);
    let cancel = press(&mut s, &[ch('c')]);
    assert_eq!(
        cancel,
        vec![Effect::ControlBulk {
            job: JOB.into(),
            control: BulkControl::Cancel
        }]
    );
    assert!(press(&mut s, &[ch('c')]).is_empty(), "cancelled once");
}

#[test]
fn a_report_retries_the_failed_and_undoes_the_applied_after_a_preview() {
    let mut s = findings_pane(5, 5);
    let ids = start_bulk(&mut s, 3);
    finish(
        &mut s,
        vec![
            item(0, &ids[0], updated()),
            item(1, &ids[1], failed()),
            item(2, &ids[2], updated()),
        ],
        JobState::Done,
    );
    let (_, pick, change) = request_of(&press(&mut s, &[ch('r')]));
    assert_eq!(pick, Pick::Ids(vec![ids[1].clone()]));
    assert_eq!(change, triage());
    // Back to the report of the first job to undo it.
    press(&mut s, &[key(KeyCode::Esc)]);
    let mut s = findings_pane(5, 5);
    let ids = start_bulk(&mut s, 2);
    finish(
        &mut s,
        vec![item(0, &ids[0], updated()), item(1, &ids[1], updated())],
        JobState::Done,
    );
    let effects = press(&mut s, &[ch('u')]);
    let [Effect::PlanUndo { request, job }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(job, JOB);
    let preview = preview_of(&s, &ids, &Change::default());
    update(
        &mut s,
        Action::BulkPlanned {
            request: *request,
            result: Ok(Box::new(preview)),
        },
    );
    assert!(matches!(s.modal, Some(Modal::BulkPreview)));
}

#[test]
fn an_undo_is_recorded_as_the_undo_of_its_job() {
    let mut s = findings_pane(5, 5);
    let ids = start_bulk(&mut s, 2);
    finish(
        &mut s,
        vec![item(0, &ids[0], updated()), item(1, &ids[1], updated())],
        JobState::Done,
    );
    let effects = press(&mut s, &[ch('u')]);
    let [Effect::PlanUndo { request, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    // Both are triaged now; the undo puts them back to new.
    for id in &ids {
        s.findings
            .rows
            .iter_mut()
            .filter(|f| f.id() == *id)
            .for_each(|f| f.set_status(FindingStatus::Triaged));
    }
    let back = Change {
        status: Some(FindingStatus::New),
        ..Change::default()
    };
    let preview = preview_of(&s, &ids, &back);
    update(
        &mut s,
        Action::BulkPlanned {
            request: *request,
            result: Ok(Box::new(preview)),
        },
    );
    let effects = press(&mut s, &[key(KeyCode::Enter)]);
    let [Effect::RunBulk { record, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(record.undo_of.as_deref(), Some(JOB));
    assert_eq!(record.selection, Selection::UndoOf { job: JOB.into() });
}

#[test]
fn quitting_during_a_job_pauses_it_then_quits_and_says_how_to_resume() {
    let mut s = findings_pane(10, 10);
    start_bulk(&mut s, 3);
    event(
        &mut s,
        Event::Progress(krafter::engine::bulk::Progress {
            counts: krafter::journal::Counts {
                total: 3,
                updated: 1,
                open: 2,
                ..Default::default()
            },
            eta: None,
            waiting: None,
            budget: Default::default(),
        }),
    );
    press(&mut s, &[key(KeyCode::Esc), ch('q')]);
    assert!(!s.quit, "q does not drop a running job silently");
    assert!(matches!(s.modal, Some(Modal::ConfirmQuit)));
    press(&mut s, &[ch('n')]);
    assert!(
        !s.quit && s.modal.is_none(),
        "any other key keeps it running"
    );
    press(&mut s, &[ch('q')]);
    let effects = press(&mut s, &[ch('y')]);
    assert_eq!(
        effects,
        vec![Effect::ControlBulk {
            job: JOB.into(),
            control: BulkControl::Pause
        }]
    );
    assert!(!s.quit, "waits for the change in flight");
    event(&mut s, Event::Paused(PauseCause::User));
    assert!(s.quit);
    let report = s.exit_report.clone().expect("a report for the terminal");
    assert!(
        report.contains("2 of 3 left") && report.contains(&format!("--resume {JOB}")),
        "{report}"
    );
}

#[test]
fn ctrl_c_twice_or_a_signal_quits_at_once_and_the_job_stays_resumable() {
    let mut s = findings_pane(10, 10);
    start_bulk(&mut s, 3);
    let ctrl_c = Action::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    update(&mut s, ctrl_c.clone());
    assert!(!s.quit && matches!(s.modal, Some(Modal::ConfirmQuit)));
    update(&mut s, ctrl_c);
    assert!(s.quit);
    assert!(
        s.exit_report
            .as_deref()
            .is_some_and(|r| r.contains("--resume"))
    );

    let mut s = findings_pane(10, 10);
    start_bulk(&mut s, 2);
    update(&mut s, Action::Terminate);
    assert!(s.quit && s.exit_report.is_some());
}

#[test]
fn an_unfinished_job_is_offered_at_start_and_resumed_on_yes() {
    let mut s = loaded(5, 5);
    let job = job_record(&s, JobState::Interrupted);
    update(
        &mut s,
        Action::UnfinishedFound {
            result: Ok(Some((Box::new(job.clone()), 2))),
        },
    );
    assert!(matches!(
        s.modal,
        Some(Modal::ConfirmResume { left: 2, .. })
    ));
    let effects = press(&mut s, &[ch('y')]);
    assert!(
        matches!(effects.as_slice(), [Effect::ResumeBulk { job, .. }] if job == JOB),
        "{effects:?}"
    );
    assert!(matches!(
        s.bulk.as_ref().unwrap().phase,
        BulkPhase::Starting
    ));

    let mut s = loaded(5, 5);
    update(
        &mut s,
        Action::UnfinishedFound {
            result: Ok(Some((Box::new(job), 2))),
        },
    );
    assert!(press(&mut s, &[ch('n')]).is_empty());
    assert!(s.toasts.last().unwrap().text.contains("--resume"));
}

#[test]
fn a_switch_waits_for_the_job_and_marks_belong_to_their_project() {
    let mut s = findings_pane(10, 10);
    s.targets = vec![
        SwitchTarget::Project("production-website".into()),
        SwitchTarget::Project("customer-portal".into()),
    ];
    start_bulk(&mut s, 3);
    press(&mut s, &[key(KeyCode::Esc)]);
    let effects = press(&mut s, &[ch('P'), ch('j'), key(KeyCode::Enter)]);
    assert!(effects.is_empty());
    assert!(s.toasts.last().unwrap().text.contains("bulk change"));
    finish(&mut s, vec![item(0, "f-000", failed())], JobState::Done);
    press(&mut s, &[key(KeyCode::Esc)]);
    assert_eq!(s.findings.marks.count(), 1);

    let switch = |s: &mut AppState, project: &str| {
        let position = s
            .targets
            .iter()
            .position(|t| *t == SwitchTarget::Project(project.into()))
            .unwrap();
        // To the top of the switcher, then down to the project.
        let mut keys = vec![ch('P'), ch('k'), ch('k')];
        keys.extend(std::iter::repeat_n(ch('j'), position));
        keys.push(key(KeyCode::Enter));
        let effects = press(s, &keys);
        let [Effect::Switch { generation, target }] = effects.as_slice() else {
            panic!("{effects:?} {:?} {:?}", s.modal, s.toasts)
        };
        update(
            s,
            Action::Switched {
                generation: *generation,
                target: target.clone(),
                result: Ok(SessionChange {
                    project_id: project.into(),
                    base_url: s.session.base_url.clone(),
                    org_id: s.session.org_id.clone(),
                    people: People::new(Vec::new(), Some(ME.into())),
                    ..SessionChange::default()
                }),
            },
        );
    };
    switch(&mut s, "customer-portal");
    assert!(s.findings.marks.is_empty(), "another project, other marks");
    switch(&mut s, "production-website");
    assert_eq!(s.findings.marks.count(), 1, "back: its marks are back");
}

#[test]
fn read_only_refuses_retry_and_undo() {
    let mut s = findings_pane(5, 5);
    let ids = start_bulk(&mut s, 2);
    finish(
        &mut s,
        vec![item(0, &ids[0], updated()), item(1, &ids[1], failed())],
        JobState::Done,
    );
    s.session.read_only = true;
    assert!(press(&mut s, &[ch('r')]).is_empty());
    assert!(press(&mut s, &[ch('u')]).is_empty());
    assert!(s.toasts.last().unwrap().text.contains("read-only"));
}

#[test]
fn the_detail_asks_for_the_findings_local_history() {
    let mut s = findings_pane(5, 5);
    let effects = press(&mut s, &[key(KeyCode::Enter)]);
    let generation = effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadHistory {
                generation,
                finding_id,
            } if finding_id == "f-000" => Some(*generation),
            _ => None,
        })
        .expect("the history is asked for");
    update(
        &mut s,
        Action::HistoryLoaded {
            generation,
            result: Ok(Vec::new()),
        },
    );
    assert!(matches!(
        s.detail.as_ref().unwrap().history,
        Some(Ok(ref entries)) if entries.is_empty()
    ));
}
