//! What the update asks the outside world to do. The worker runs these.

use std::time::Duration;

use crate::api::model::{
    FindingPatch, FindingQuery, NewTask, RegressionStatus, TaskPatch, TaskStatus,
};
use crate::app::state::VerificationsOf;
use crate::app::switch::SwitchTarget;

/// A request for the API worker; its answer comes back as an action.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// The command center, with what it counts: the open regressions (and,
    /// once a session, the SLA policy) come back as actions of their own.
    LoadCommandCenter {
        generation: u64,
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
    Patch {
        request: u64,
        id: String,
        patch: FindingPatch,
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
    /// One PATCH per finding, paced by the rate budget.
    Bulk {
        job: u64,
        ids: Vec<String>,
        patch: FindingPatch,
    },
    /// Stop sending the PATCHes of a bulk job; the worker answers with the
    /// ids it did not send.
    CancelBulk {
        job: u64,
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
    /// True for effects that answer with exactly one action, for the
    /// in-flight count. A bulk job answers once per finding.
    pub fn answers(&self) -> usize {
        match self {
            Effect::Bulk { ids, .. } => ids.len(),
            // Its answers are counted against the bulk job's.
            Effect::CancelBulk { .. } => 0,
            // Counted when its request goes out, after the backoff wait
            // (`Action::PollSent`): a wait is not a request in flight.
            Effect::PollScan { .. } | Effect::PollVerification { .. } => 0,
            _ => 1,
        }
    }
}
