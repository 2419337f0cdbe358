//! What the update asks the outside world to do. The worker runs these.

use std::time::Duration;

use crate::api::model::{FindingPatch, FindingQuery};
use crate::app::switch::SwitchTarget;
use crate::engine::watch::WatchAsk;

/// A request for the API worker; its answer comes back as an action.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
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
            // Nothing answers it: the runtime rings and notifies.
            Effect::Notify { .. } => 0,
            // Counted when its request goes out, after the backoff wait
            // (`Action::PollSent`): a wait is not a request in flight.
            Effect::PollScan { .. } | Effect::PollVerification { .. } => 0,
            _ => 1,
        }
    }
}
