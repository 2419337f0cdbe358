//! The one report of a bulk job, for the TUI and the headless commands.

use std::time::Duration;

use crate::api::BudgetSnapshot;
use crate::journal::{Counts, Item, JobRecord, Outcome};

/// How a job ended: every item with its outcome.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// The job as it ended (its final state and stop message).
    pub job: JobRecord,
    /// Every item, in order, with its outcome. An item still `Pending` or
    /// `InFlight` was not sent (or its answer never came) and a resume
    /// will send it.
    pub items: Vec<Item>,
    pub counts: Counts,
}

impl Report {
    /// A report of `items` as they stand.
    pub fn new(job: JobRecord, items: Vec<Item>) -> Report {
        let counts = Counts::of(items.iter().map(|i| &i.outcome));
        Report { job, items, counts }
    }

    /// True when every item was updated or already held the target values.
    pub fn all_applied(&self) -> bool {
        self.counts.updated + self.counts.unchanged == self.counts.total
    }

    /// Items still to send: not sent because the job stopped, or whose
    /// answer never came.
    pub fn left(&self) -> usize {
        self.counts.open + self.counts.not_sent
    }

    /// Items whose outcome is a failure, with the reason.
    pub fn failures(&self) -> impl Iterator<Item = &Item> {
        self.items
            .iter()
            .filter(|i| matches!(i.outcome, Outcome::Failed { .. }))
    }
}

/// Where a running job stands, sent after each item and while it waits.
#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    pub counts: Counts,
    /// Time left: the larger of the pace so far and what the rate budget
    /// allows. `None` before either is known.
    pub eta: Option<Duration>,
    /// Held back by the rate limit for this long right now.
    pub waiting: Option<Duration>,
    /// The budget as last seen: `limit` is the requests per window.
    pub budget: BudgetSnapshot,
}

impl Progress {
    /// Items done so far (any final outcome).
    pub fn done(&self) -> usize {
        self.counts.finished()
    }

    /// Items still to send.
    pub fn remaining(&self) -> usize {
        self.counts.open
    }
}
