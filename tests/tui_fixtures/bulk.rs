//! Driving a bulk job through the pure update, for the TUI tests: the
//! worker's answers built from the loaded rows.
#![allow(dead_code)]

use std::collections::HashMap;
use std::time::SystemTime;

use krafter::api::model::FindingStatus;
use krafter::app::action::Action;
use krafter::app::effect::Effect;
use krafter::app::state::AppState;
use krafter::app::update::update;
use krafter::engine::bulk::plan::Pick;
use krafter::engine::bulk::{self, Current, Event, Preview, Report, Target};
use krafter::journal::{Change, Item, JobRecord, JobState, Outcome, Scope, Selection};

use super::{ch, key, press};
use crossterm::event::KeyCode;

pub const JOB: &str = "0a1b2c3d-0000-4000-8000-000000000001";

pub fn triage() -> Change {
    Change {
        status: Some(FindingStatus::Triaged),
        ..Change::default()
    }
}

/// The preview the worker would make of `ids` from the loaded rows.
pub fn preview_of(s: &AppState, ids: &[String], change: &Change) -> Preview {
    let targets: Vec<Target> = ids
        .iter()
        .map(|id| Target {
            id: id.clone(),
            change: change.clone(),
            guard: None,
            title: None,
        })
        .collect();
    let current: HashMap<String, Current> = ids
        .iter()
        .filter_map(|id| Some((id.clone(), Current::of(&s.finding(id)?.whole()))))
        .collect();
    bulk::preview(&targets, &current, &s.budget, SystemTime::now())
}

pub fn request_of(effects: &[Effect]) -> (u64, Pick, Change) {
    match effects {
        [
            Effect::PlanBulk {
                request,
                pick,
                change,
            },
        ] => (*request, pick.clone(), change.clone()),
        other => panic!("expected a plan, got {other:?}"),
    }
}

/// Marks the first `n` rows and triages them: read, previewed, confirmed
/// and started as job [`JOB`]. Returns the ids.
pub fn start_bulk(s: &mut AppState, n: usize) -> Vec<String> {
    for _ in 0..n {
        press(s, &[ch(' ')]);
    }
    let (request, pick, change) = request_of(&press(s, &[ch('t')]));
    let Pick::Ids(ids) = pick else {
        panic!("marked rows are picked by id")
    };
    assert_eq!(ids.len(), n);
    let preview = preview_of(s, &ids, &change);
    update(
        s,
        Action::BulkPlanned {
            request,
            result: Ok(Box::new(preview)),
        },
    );
    let effects = press(s, &[key(KeyCode::Enter)]);
    assert!(
        matches!(effects.as_slice(), [Effect::RunBulk { .. }]),
        "{effects:?}"
    );
    update(
        s,
        Action::BulkStarted {
            request,
            result: Ok(JOB.into()),
        },
    );
    ids
}

pub fn job_record(s: &AppState, state: JobState) -> JobRecord {
    JobRecord {
        id: JOB.into(),
        created_at: "2025-06-15T11:00:00Z".into(),
        profile: "default".into(),
        scope: Scope {
            base_url: s.session.base_url.clone(),
            org_id: s.session.org_id.clone(),
            project_id: s.session.project_id.clone(),
        },
        selection: Selection::Ids { count: 3 },
        change: triage(),
        reason: None,
        comment: None,
        undo_of: None,
        state,
        message: None,
    }
}

pub fn item(seq: u32, id: &str, outcome: Outcome) -> Item {
    Item {
        seq,
        finding_id: id.into(),
        title: format!("title of {id}"),
        before: None,
        change: triage(),
        outcome,
    }
}

pub fn event(s: &mut AppState, event: Event) -> Vec<Effect> {
    update(
        s,
        Action::BulkEvent {
            job: JOB.into(),
            event: Box::new(event),
        },
    )
}

pub fn updated() -> Outcome {
    Outcome::Updated {
        updated_at: Some("2025-06-15T12:00:00Z".into()),
    }
}

pub fn failed() -> Outcome {
    Outcome::Failed {
        reason: "HTTP 500: internal".into(),
        http_status: Some(500),
        request_id: Some("req-77".into()),
    }
}

pub fn finish(s: &mut AppState, items: Vec<Item>, state: JobState) -> Vec<Effect> {
    let report = Report::new(job_record(s, state), items);
    event(s, Event::Finished(Box::new(report)))
}

/// The job says it has done `done` of `total`.
pub fn progress(s: &mut AppState, done: usize, total: usize) {
    event(
        s,
        Event::Progress(bulk::Progress {
            counts: krafter::journal::Counts {
                total,
                updated: done,
                open: total - done,
                ..Default::default()
            },
            eta: Some(std::time::Duration::from_secs(125)),
            waiting: None,
            budget: Default::default(),
        }),
    );
}
