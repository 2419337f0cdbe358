//! What the update asks the outside world to do. The worker runs these.

use std::time::Duration;

use crate::api::model::{
    FindingPatch, FindingQuery, NewTask, RegressionStatus, TaskPatch, TaskStatus,
};
use crate::app::state::VerificationsOf;
use crate::app::switch::SwitchTarget;
use crate::engine::bulk::Preview;
use crate::engine::bulk::plan::Pick;
use crate::engine::watch::WatchAsk;
use crate::journal::{Change, JobId, NewJob};

/// What to do with a running bulk job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BulkControl {
    Pause,
    Resume,
    Cancel,
}

/// A request for the worker; its answer comes back as an action.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// The command center, with what it counts: the open regressions (and,
    /// once a session, the SLA policy) come back as actions of their own.
    LoadCommandCenter {
        generation: u64,
    },
    /// The auto-refresh: the command center, and what the alerts need.
    Refresh {
        generation: u64,
        ask: WatchAsk,
    },
    /// Tell the user about alerts beyond the screen: the terminal bell,
    /// a desktop notification. Run by the runtime, between two frames.
    Notify {
        title: String,
        body: String,
        bell: bool,
        desktop: bool,
    },
    /// What changed since a time, for the changes view.
    LoadChanges {
        generation: u64,
        since: chrono::DateTime<chrono::Utc>,
    },
    LoadFindings {
        generation: u64,
        query: FindingQuery,
        offset: u64,
        limit: u32,
        /// Follow a server's `next_cursor` instead of the offset.
        cursor: Option<String>,
    },
    LoadFinding {
        generation: u64,
        id: String,
    },
    /// The `/` text asked of the server (`query.q`): the first page of its
    /// matches, answered with the same `seq`.
    SearchFindings {
        seq: u64,
        query: FindingQuery,
        limit: u32,
    },
    Patch {
        request: u64,
        id: String,
        patch: FindingPatch,
    },
    /// Read a finding again after a change to it failed in a way that may
    /// still have applied it (no answer, an unreadable one, a 5xx): what
    /// the server holds decides what the user is told.
    Recheck {
        request: u64,
        id: String,
    },
    StartScan {
        url: String,
    },
    PollScan {
        id: String,
        after: Duration,
    },
    /// Find or create the finding's task and run a verification of it.
    StartVerification {
        finding_id: String,
    },
    PollVerification {
        id: String,
        after: Duration,
    },
    ApproveVerification {
        id: String,
    },
    /// Run a verification of this task of the finding.
    VerifyTask {
        finding_id: String,
        task_id: String,
    },
    /// One page of tasks; `cursor` from the last page, `None` for the first.
    LoadTasks {
        generation: u64,
        status: Option<TaskStatus>,
        cursor: Option<String>,
    },
    CreateTask {
        request: u64,
        task: NewTask,
    },
    PatchTask {
        request: u64,
        id: String,
        patch: TaskPatch,
    },
    LoadVerifications {
        generation: u64,
        of: VerificationsOf,
    },
    /// Every regression of a status (every page).
    LoadRegressions {
        generation: u64,
        status: Option<RegressionStatus>,
    },
    LoadReport {
        generation: u64,
    },
    /// Findings to fetch for their titles (a few, by id).
    LoadTitles {
        ids: Vec<String>,
    },
    /// Read what a bulk change applies to (up front, with progress) and
    /// preview it; nothing is sent.
    PlanBulk {
        request: u64,
        pick: Pick,
        change: Change,
    },
    /// Read and preview the undo of a recorded job.
    PlanUndo {
        request: u64,
        job: JobId,
    },
    /// Record the job (before anything is sent) and start it.
    RunBulk {
        request: u64,
        record: Box<NewJob>,
        preview: Box<Preview>,
    },
    /// Start a recorded job again: what it did not send, and what it sent
    /// without an answer, with the same values.
    ResumeBulk {
        request: u64,
        job: JobId,
    },
    /// Pause, resume or cancel the running job.
    ControlBulk {
        job: JobId,
        control: BulkControl,
    },
    /// Look in the journal for an unfinished job of this project.
    FindUnfinished,
    /// A finding's local history, from the journal.
    LoadHistory {
        generation: u64,
        finding_id: String,
    },
    /// Count a saved view's findings: one request of one row, for the
    /// server's `total`.
    CountView {
        generation: u64,
        index: usize,
        query: FindingQuery,
        /// When not empty, the count is the sum of the query's counts for
        /// each of these statuses (a view of open findings).
        statuses: Vec<crate::api::model::FindingStatus>,
    },
    /// Put text on the clipboard through the terminal (OSC 52). Written
    /// by the runtime, between two frames.
    Copy {
        text: String,
    },
    /// Open a link in the browser; a failure comes back as a toast.
    OpenUrl {
        url: String,
    },
    /// Save a view into the config file, keeping the rest of the file.
    SaveView {
        path: std::path::PathBuf,
        /// The session's profile: the view goes among its own views when
        /// it has some.
        profile: String,
        view: crate::config::views::ViewSpec,
    },
    /// Write the command line's history (the newest entries) to its file.
    SaveHistory {
        path: std::path::PathBuf,
        lines: Vec<String>,
    },
    /// Write the remembered view and list position of every project.
    Remember {
        path: std::path::PathBuf,
        remembered: std::collections::BTreeMap<String, crate::app::state::Remembered>,
    },
    /// Open another profile or project; the event loop builds its client
    /// and answers with `Action::Switched`.
    Switch {
        /// Handed back with the answer.
        generation: u64,
        target: SwitchTarget,
    },
}

impl Effect {
    /// How many answers an effect brings, for the in-flight count. A
    /// running bulk job reports through events, counted by its own state.
    pub fn answers(&self) -> usize {
        match self {
            Effect::ControlBulk { .. } => 0,
            // Nothing answers it: the runtime rings and notifies.
            Effect::Notify { .. } => 0,
            // Written by the runtime at once, or answered only on failure.
            Effect::Copy { .. }
            | Effect::OpenUrl { .. }
            | Effect::SaveHistory { .. }
            | Effect::Remember { .. } => 0,
            // Counted when its request goes out, after the backoff wait
            // (`Action::PollSent`): a wait is not a request in flight.
            Effect::PollScan { .. } | Effect::PollVerification { .. } => 0,
            _ => 1,
        }
    }
}
