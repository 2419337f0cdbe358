//! The "what changed" view: opened with a key, it asks for the report of
//! the last 24 hours; `p` in the view moves to the next period.

use crate::app::effect::Effect;
use crate::app::state::{AppState, ChangesView, DEFAULT_PERIOD, Modal, PERIODS};
use crate::engine::changes::ChangeReport;

/// Opens the view on the period it had (24 hours the first time) and asks
/// for a fresh report.
pub fn open(state: &mut AppState) -> Vec<Effect> {
    let period = state.changes.as_ref().map_or(DEFAULT_PERIOD, |c| c.period);
    state.modal = Some(Modal::Changes { scroll: 0 });
    load(state, period)
}

/// The next period, and its report.
pub fn next_period(state: &mut AppState) -> Vec<Effect> {
    let period = state
        .changes
        .as_ref()
        .map_or(DEFAULT_PERIOD, |c| (c.period + 1) % PERIODS.len());
    if let Some(Modal::Changes { scroll }) = state.modal.as_mut() {
        *scroll = 0;
    }
    load(state, period)
}

fn load(state: &mut AppState, period: usize) -> Vec<Effect> {
    let generation = state.changes.as_ref().map_or(0, |c| c.generation) + 1;
    let view = ChangesView {
        period,
        generation,
        loading: true,
        report: None,
        error: None,
    };
    let back =
        chrono::Duration::from_std(view.period_length()).unwrap_or(chrono::Duration::days(1));
    let since = state.wall - back;
    state.changes = Some(view);
    vec![Effect::LoadChanges { generation, since }]
}

/// The report arrived (or could not be made); a late one is dropped.
pub fn loaded(
    state: &mut AppState,
    generation: u64,
    result: Result<ChangeReport, String>,
) -> Vec<Effect> {
    let Some(view) = state
        .changes
        .as_mut()
        .filter(|v| v.generation == generation)
    else {
        return Vec::new();
    };
    view.loading = false;
    match result {
        Ok(report) => view.report = Some(report),
        Err(why) => view.error = Some(crate::sanitize::sanitize(&why).into_owned()),
    }
    Vec::new()
}
