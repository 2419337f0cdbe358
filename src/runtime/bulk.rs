//! The worker's side of bulk changes: reading and previewing through the
//! bulk engine, recording and running jobs in the journal, forwarding the
//! engine's events as actions, and the journal's answers (an unfinished
//! job, a finding's history).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use tokio::sync::mpsc::UnboundedSender;

use crate::api::Client;
use crate::app::action::Action;
use crate::app::effect::BulkControl;
use crate::engine::bulk::plan::{self, Pick};
use crate::engine::bulk::{self, Event, JobHandle, Preview, Report, StartOptions, Started};
use crate::journal::{Change, JobRecord, Journal, NewJob};

/// The journal as the runtime got it: open, or why not.
pub type JournalSlot = Result<Journal, String>;

/// Running jobs by id, shared by every clone of the worker.
#[derive(Clone, Debug, Default)]
pub struct Jobs(Arc<Mutex<HashMap<String, JobHandle>>>);

impl Jobs {
    fn insert(&self, handle: JobHandle) {
        if let Ok(mut map) = self.0.lock() {
            map.insert(handle.job_id().to_string(), handle);
        }
    }

    fn remove(&self, job: &str) {
        if let Ok(mut map) = self.0.lock() {
            map.remove(job);
        }
    }

    /// Pauses, resumes or cancels a running job; nothing if it ended.
    pub fn control(&self, job: &str, control: BulkControl) {
        let Ok(map) = self.0.lock() else {
            return;
        };
        if let Some(handle) = map.get(job) {
            match control {
                BulkControl::Pause => handle.pause(),
                BulkControl::Resume => handle.resume(),
                BulkControl::Cancel => handle.cancel(),
            }
        }
    }
}

fn journal(slot: &JournalSlot) -> Result<&Journal, String> {
    slot.as_ref()
        .map_err(|why| format!("the local journal of bulk jobs is not available: {why}"))
}

/// Reads what `pick` selects and previews `change` on it, telling
/// `actions` how the reading goes.
pub async fn plan_change(
    client: &Client,
    actions: &UnboundedSender<Action>,
    request: u64,
    pick: &Pick,
    change: &Change,
) -> Result<Box<Preview>, String> {
    let tx = actions.clone();
    let mut on_read = move |read: u64, total: Option<u64>| {
        let _ = tx.send(Action::BulkRead {
            request,
            read,
            total,
        });
    };
    let (targets, current) = plan::read(client, pick, change, &mut on_read)
        .await
        .map_err(|e| e.to_string())?;
    Ok(Box::new(bulk::preview(
        &targets,
        &current,
        &client.budget(),
        SystemTime::now(),
    )))
}

/// Reads and previews the undo of `job`.
pub async fn plan_undo(
    client: &Client,
    slot: &JournalSlot,
    actions: &UnboundedSender<Action>,
    request: u64,
    job: &str,
) -> Result<Box<Preview>, String> {
    let journal = journal(slot)?;
    let record = journal.find_job(job).map_err(|e| e.to_string())?;
    let items = journal.items(&record.id).map_err(|e| e.to_string())?;
    let tx = actions.clone();
    let mut on_read = move |read: u64, total: Option<u64>| {
        let _ = tx.send(Action::BulkRead {
            request,
            read,
            total,
        });
    };
    let (targets, current) = plan::read_undo(client, &record, &items, &mut on_read)
        .await
        .map_err(|e| e.to_string())?;
    Ok(Box::new(bulk::preview(
        &targets,
        &current,
        &client.budget(),
        SystemTime::now(),
    )))
}

/// Records `record` and starts it; its events go to `actions`.
pub fn run(
    client: Client,
    slot: &JournalSlot,
    jobs: &Jobs,
    actions: &UnboundedSender<Action>,
    record: &NewJob,
    preview: &Preview,
) -> Result<String, String> {
    let journal = journal(slot)?.clone();
    let started = plan::record_and_start(client, journal, record, preview, StartOptions::default())
        .map_err(|e| e.to_string())?;
    Ok(follow(started, jobs, actions))
}

/// Starts a recorded job again; its events go to `actions`.
pub fn resume(
    client: Client,
    slot: &JournalSlot,
    jobs: &Jobs,
    actions: &UnboundedSender<Action>,
    job: &str,
) -> Result<String, String> {
    let journal = journal(slot)?.clone();
    let started =
        bulk::start(client, journal, job, StartOptions::default()).map_err(|e| e.to_string())?;
    Ok(follow(started, jobs, actions))
}

/// Keeps the job's handle and forwards its events until it finishes.
fn follow(started: Started, jobs: &Jobs, actions: &UnboundedSender<Action>) -> String {
    let Started { handle, mut events } = started;
    let job = handle.job_id().to_string();
    jobs.insert(handle);
    let (jobs, actions, id) = (jobs.clone(), actions.clone(), job.clone());
    tokio::spawn(async move {
        while let Some(event) = events.recv().await {
            let last = matches!(event, Event::Finished(_));
            let _ = actions.send(Action::BulkEvent {
                job: id.clone(),
                event: Box::new(event),
            });
            if last {
                break;
            }
        }
        jobs.remove(&id);
    });
    job
}

/// The newest interrupted job of the client's project, and how many of
/// its findings are left.
pub fn unfinished(
    client: &Client,
    slot: &JournalSlot,
) -> Result<Option<(Box<JobRecord>, usize)>, String> {
    // No journal: nothing can be unfinished (the start says nothing).
    let Ok(journal) = slot else {
        return Ok(None);
    };
    let Some(job) = journal
        .newest_unfinished(Some(&bulk::scope_of(client)))
        .map_err(|e| e.to_string())?
    else {
        return Ok(None);
    };
    let items = journal.items(&job.id).map_err(|e| e.to_string())?;
    let left = Report::new(job.clone(), items).left();
    Ok(Some((Box::new(job), left)))
}

/// A finding's local history in the client's org and project.
pub fn history(
    client: &Client,
    slot: &JournalSlot,
    finding_id: &str,
) -> Result<Vec<crate::journal::HistoryEntry>, String> {
    let journal = journal(slot)?;
    journal
        .history(client.org_id(), client.project_id(), finding_id)
        .map_err(|e| e.to_string())
}
