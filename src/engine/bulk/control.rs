//! What a running job tells its caller, and how it is told to run.

use super::report::{Progress, Report};
use crate::journal::Item;

/// What a running job tells its caller.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// After each item, and while the job waits for the rate limit.
    Progress(Progress),
    /// One item got its outcome.
    Item(Item),
    /// The job holds before its next item.
    Paused(PauseCause),
    /// It goes on.
    Resumed,
    /// The last event: how the job ended.
    Finished(Box<Report>),
}

/// Why a job holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PauseCause {
    /// [`super::JobHandle::pause`].
    User,
    /// The rate budget stayed spent (429s after waiting); resume later.
    BudgetSpent(String),
}

/// What to do when the rate budget stays spent after the client waited
/// for it: the TUI pauses (the user resumes), a script stops (the job is
/// left interrupted for `krafter update --resume`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum WhenSpent {
    #[default]
    Pause,
    Stop,
}

/// How a job runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StartOptions {
    pub when_spent: WhenSpent,
    /// Failures in a row (5xx, 404, ...) that stop the job: past that the
    /// service is failing, and sending more only spends the budget.
    pub max_failures_in_a_row: u32,
}

impl Default for StartOptions {
    fn default() -> Self {
        StartOptions {
            when_spent: WhenSpent::Pause,
            max_failures_in_a_row: 5,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Control {
    Run,
    Pause,
    Cancel,
}
