//! A bulk change's progress: what was applied, refused, not sent, and
//! what is still waiting for an answer.

use std::time::{Duration, Instant};

use crate::api::model::FindingPatch;

/// A bulk change of marked findings, one PATCH each.
#[derive(Clone, Debug)]
pub struct BulkProgress {
    pub job: u64,
    pub what: String,
    pub patch: FindingPatch,
    pub total: usize,
    pub done: usize,
    /// Refused ones: finding id (or title) and why.
    pub failures: Vec<(String, String)>,
    pub started: Instant,
    pub finished: bool,
    /// Ids handed to the worker, in the order it sends them.
    pub sent: Vec<String>,
    /// Ids the worker answered for (applied or refused).
    pub answered: Vec<String>,
    /// Ids the worker did not send because the job was cancelled.
    pub not_sent: Vec<String>,
    /// Cancel was asked for: no further PATCH is sent.
    pub cancelling: bool,
}

impl BulkProgress {
    /// Estimated time left: the pace so far, or what the rate budget
    /// allows (`floor`), whichever is longer; `None` once finished.
    pub fn eta(&self, now: Instant, floor: Option<Duration>) -> Option<Duration> {
        if self.finished {
            return None;
        }
        let elapsed = now.saturating_duration_since(self.started);
        crate::engine::duration::eta(self.done as u64, self.total as u64, elapsed, floor)
    }

    /// Findings changed by the server so far.
    pub fn applied(&self) -> usize {
        self.done - self.failures.len()
    }

    /// Ids handed to the worker with no answer yet, in sending order.
    pub fn unanswered(&self) -> Vec<String> {
        self.sent
            .iter()
            .filter(|id| !self.answered.contains(id) && !self.not_sent.contains(id))
            .cloned()
            .collect()
    }
}
