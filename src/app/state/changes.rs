//! The "what changed" view: the period it looks back over and the report.

use std::time::Duration;

use crate::engine::changes::ChangeReport;

/// The periods the view offers, in the order its key cycles them.
pub const PERIODS: [(Duration, &str); 4] = [
    (Duration::from_secs(60 * 60), "1 h"),
    (Duration::from_secs(8 * 60 * 60), "8 h"),
    (Duration::from_secs(24 * 60 * 60), "24 h"),
    (Duration::from_secs(7 * 24 * 60 * 60), "7 days"),
];

/// The period the view opens with: overnight and a bit.
pub const DEFAULT_PERIOD: usize = 2;

/// The view's data.
#[derive(Clone, Debug, Default)]
pub struct ChangesView {
    /// Index into [`PERIODS`].
    pub period: usize,
    pub generation: u64,
    pub loading: bool,
    pub report: Option<ChangeReport>,
    pub error: Option<String>,
}

impl ChangesView {
    /// The period's name, e.g. `24 h`.
    pub fn period_label(&self) -> &'static str {
        PERIODS.get(self.period).map_or("24 h", |(_, l)| l)
    }

    /// The period's length.
    pub fn period_length(&self) -> Duration {
        PERIODS
            .get(self.period)
            .map_or(PERIODS[DEFAULT_PERIOD].0, |(d, _)| *d)
    }
}
