//! A bulk change in the TUI: read what it applies to, preview it, then run
//! it through the bulk engine (journalled, resumable, undoable) and follow
//! its progress until its report.

use std::time::Instant;

use tui_input::Input;

use crate::engine::bulk::plan::Pick;
use crate::engine::bulk::{PauseCause, Preview, Progress, Report};
use crate::journal::{Change, JobId, Reason};

/// Where a bulk job stands.
#[derive(Clone, Debug)]
pub enum BulkPhase {
    /// Reading the findings' current values (up front, with progress).
    Reading { read: u64, total: Option<u64> },
    /// Read and previewed: nothing is sent until the user says so.
    Preview(Box<PreviewStep>),
    /// Recorded; the engine is starting.
    Starting,
    /// The engine sends, one PATCH per finding.
    Running {
        job: JobId,
        progress: Option<Box<Progress>>,
        paused: Option<PauseCause>,
        cancelling: bool,
    },
    /// The job ended; its report.
    Done(Box<Report>),
    /// It could not be read, recorded or started: why.
    Failed(String),
}

/// The preview dialog: what will happen, and why and what to note.
#[derive(Clone, Debug)]
pub struct PreviewStep {
    pub preview: Preview,
    /// The reason chosen (dismissing asks for one), as an index of
    /// [`Reason::ALL`].
    pub reason: Option<usize>,
    /// An optional comment, for every change.
    pub comment: Input,
}

impl PreviewStep {
    /// The reason chosen, if the change asks for one.
    pub fn chosen_reason(&self) -> Option<Reason> {
        self.reason.and_then(|i| Reason::ALL.get(i).copied())
    }
}

/// A bulk job followed by the TUI.
#[derive(Clone, Debug)]
pub struct BulkJob {
    /// Tags the worker's answers about it.
    pub request: u64,
    /// `move to triaged`, `undo of job 1a2b3c4d`.
    pub what: String,
    pub change: Change,
    /// What it applies to, as the journal records it.
    pub pick: Pick,
    /// Set when this job undoes another.
    pub undo_of: Option<JobId>,
    pub phase: BulkPhase,
    pub started: Instant,
}

impl BulkJob {
    /// A job about to be read.
    pub fn new(request: u64, what: String, change: Change, pick: Pick, now: Instant) -> Self {
        BulkJob {
            request,
            what,
            change,
            pick,
            undo_of: None,
            phase: BulkPhase::Reading {
                read: 0,
                total: None,
            },
            started: now,
        }
    }

    /// True until the job has ended (or failed to start): reading,
    /// previewing, starting or running.
    pub fn is_active(&self) -> bool {
        !matches!(self.phase, BulkPhase::Done(_) | BulkPhase::Failed(_))
    }

    /// True while the engine may still send.
    pub fn is_sending(&self) -> bool {
        matches!(self.phase, BulkPhase::Starting | BulkPhase::Running { .. })
    }

    /// The engine's job id, once recorded.
    pub fn job_id(&self) -> Option<&str> {
        match &self.phase {
            BulkPhase::Running { job, .. } => Some(job),
            BulkPhase::Done(report) => Some(&report.job.id),
            _ => None,
        }
    }

    /// `(done, total)` for a short progress text.
    pub fn done_of(&self) -> (usize, usize) {
        match &self.phase {
            BulkPhase::Running {
                progress: Some(p), ..
            } => (p.done(), p.counts.total),
            BulkPhase::Done(r) => (r.counts.finished(), r.counts.total),
            _ => (0, 0),
        }
    }
}
