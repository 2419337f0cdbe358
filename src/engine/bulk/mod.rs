//! The one bulk runner: `krafter update` and the TUI both run their bulk
//! changes through it, so they pace, stop and report alike.
//!
//! A job goes through four steps:
//!
//! 1. **read**: [`current::by_filter`] or [`current::by_ids`] read the
//!    findings' current values (the cheapest way the contract allows);
//! 2. **preview**: [`preview::preview`] decides, without a request, which
//!    findings change, which are skipped and why, and what it costs;
//! 3. **record**: [`crate::journal::Journal::create_job`] with
//!    [`Preview::journal_items`] writes the job before anything is sent;
//! 4. **run**: [`start`] sends one PATCH per item still to send, in order,
//!    journalling each before and after, and reports over a channel.
//!
//! Resuming a job is step 4 again on the same job id: items whose answer
//! never came are sent again with the same body (a no-op if it landed).
//! An undo is steps 1 to 4 with [`undo::targets`] as the targets.
//!
//! ```no_run
//! # async fn demo(client: krafter::api::Client, journal: krafter::journal::Journal, id: String) {
//! use krafter::engine::bulk::{self, Event, StartOptions};
//! let mut started = bulk::start(client, journal, &id, StartOptions::default()).unwrap();
//! let handle = started.handle.clone(); // pause(), resume(), cancel() from anywhere
//! while let Some(event) = started.events.recv().await {
//!     match event {
//!         Event::Progress(p) => { /* draw p.counts, p.eta, p.waiting */ }
//!         Event::Finished(report) => { /* report.items, report.counts */ break; }
//!         _ => {}
//!     }
//! }
//! # drop(handle);
//! # }
//! ```

use std::sync::Arc;

use tokio::sync::{mpsc, watch};

use crate::api::Client;
use crate::journal::{JobId, JobState, Journal, JournalError, Scope};

mod control;
pub mod current;
pub mod eta;
pub mod plan;
pub mod preview;
mod report;
mod runner;
pub mod undo;

use control::Control;
pub use control::{Event, PauseCause, StartOptions, WhenSpent};
pub use preview::{Current, Guard, Planned, Preview, Skip, Target, Verdict, preview};
pub use report::{Progress, Report};

/// Controls a running job; clones control the same job.
#[derive(Clone, Debug)]
pub struct JobHandle {
    id: JobId,
    control: Arc<watch::Sender<Control>>,
}

impl JobHandle {
    /// The job's id in the journal.
    pub fn job_id(&self) -> &str {
        &self.id
    }

    /// Holds the job before its next item; the one in flight completes.
    pub fn pause(&self) {
        self.set(Control::Pause);
    }

    /// Goes on after a pause (also after a pause for a spent budget).
    pub fn resume(&self) {
        self.set(Control::Run);
    }

    /// Stops sending: the request in flight completes and is reported, the
    /// items not sent are reported as such. The job ends cancelled.
    pub fn cancel(&self) {
        self.set(Control::Cancel);
    }

    fn set(&self, to: Control) {
        self.control.send_if_modified(|c| {
            // A cancel is final.
            let changed = *c != to && *c != Control::Cancel;
            if changed {
                *c = to;
            }
            changed
        });
    }
}

/// A job that started: its handle and its events (the last is
/// [`Event::Finished`]).
#[derive(Debug)]
pub struct Started {
    pub handle: JobHandle,
    pub events: mpsc::UnboundedReceiver<Event>,
}

/// Why a job could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// The job has no item left to send.
    #[error("job {id} is {}; there is nothing left to send", state.as_str())]
    Finished { id: JobId, state: JobState },
    /// The client talks to another service, org or project than the job.
    #[error(
        "job {id} changes findings of project {} (org {}) at {}; run it with the profile that reaches them (it was started with profile `{profile}`)",
        scope.project_id, scope.org_id, scope.base_url
    )]
    OtherScope {
        id: JobId,
        scope: Scope,
        profile: String,
    },
}

/// The scope a client talks to.
pub fn scope_of(client: &Client) -> Scope {
    Scope {
        base_url: client.base_url().to_string(),
        org_id: client.org_id().to_string(),
        project_id: client.project_id().to_string(),
    }
}

/// Starts (or resumes) the recorded job `job_id` in the background: one
/// PATCH per item still to send, in order. Must be called inside a Tokio
/// runtime. The job's lock is held until it finishes, so no other process
/// runs it at the same time.
pub fn start(
    client: Client,
    journal: Journal,
    job_id: &str,
    options: StartOptions,
) -> Result<Started, StartError> {
    let job = journal.find_job(job_id)?;
    let lock = journal.lock_job(&job.id)?;
    if !job.state.is_unfinished() {
        return Err(StartError::Finished {
            id: job.id,
            state: job.state,
        });
    }
    if job.scope != scope_of(&client) {
        return Err(StartError::OtherScope {
            id: job.id,
            scope: job.scope,
            profile: job.profile,
        });
    }
    let items = journal.items(&job.id)?;
    journal.set_state(&job.id, JobState::Running, None)?;
    let mut job = job;
    job.state = JobState::Running;
    job.message = None;
    let (control, control_rx) = watch::channel(Control::Run);
    let control = Arc::new(control);
    let (events_tx, events) = mpsc::unbounded_channel();
    let handle = JobHandle {
        id: job.id.clone(),
        control: Arc::clone(&control),
    };
    let runner = runner::Runner {
        client,
        journal,
        job,
        items,
        control: control_rx,
        _keep_control: control,
        events: events_tx,
        options,
        lock,
    };
    tokio::spawn(runner.run());
    Ok(Started { handle, events })
}

#[cfg(test)]
mod tests;
