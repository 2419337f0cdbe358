//! Undoing a job: a new job that puts back, on every finding the job
//! changed, the values it had before, unless someone changed it since.

use crate::journal::{Change, Item, JobRecord, JobState, NewJob, Outcome, Selection};

use super::preview::{Guard, Target};

/// Why a job cannot be undone.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum UndoError {
    #[error("job {0} is still running; wait for it to finish (or cancel it) before undoing it")]
    StillRunning(String),
    #[error("job {0} was already undone")]
    AlreadyUndone(String),
    #[error("job {0} changed no finding; there is nothing to undo")]
    NothingChanged(String),
}

/// One target per finding the job changed: the reverse of its change,
/// guarded by the `updated_at` the server returned for it.
pub fn targets(job: &JobRecord, items: &[Item]) -> Result<Vec<Target>, UndoError> {
    match job.state {
        JobState::Running | JobState::Paused => {
            return Err(UndoError::StillRunning(job.id.clone()));
        }
        JobState::Undone => return Err(UndoError::AlreadyUndone(job.id.clone())),
        _ => {}
    }
    let targets: Vec<Target> = items
        .iter()
        .filter_map(|item| {
            let Outcome::Updated { updated_at } = &item.outcome else {
                return None;
            };
            let before = item.before.as_ref()?;
            Some(Target {
                id: item.finding_id.clone(),
                change: item.change.reverse(&before.values),
                guard: Some(Guard {
                    updated_at: updated_at.clone(),
                    after: item.change.applied_to(&before.values),
                }),
                title: Some(item.title.clone()),
            })
        })
        .collect();
    if targets.is_empty() {
        return Err(UndoError::NothingChanged(job.id.clone()));
    }
    Ok(targets)
}

/// The record of an undo job of `job`, run with `profile`.
pub fn new_job(job: &JobRecord, profile: &str) -> NewJob {
    NewJob {
        profile: profile.to_string(),
        scope: job.scope.clone(),
        selection: Selection::UndoOf {
            job: job.id.clone(),
        },
        // Each item carries its own change: the values it had before.
        change: Change::default(),
        reason: None,
        comment: None,
        undo_of: Some(job.id.clone()),
    }
}
