//! Time passing: the spinner turns, info toasts fade, a finished scan's
//! line leaves the status bar.

use std::time::Instant;

use chrono::{DateTime, Utc};

use crate::app::effect::Effect;
use crate::app::state::{AppState, INFO_TOAST_TTL, SCAN_LINE_TTL};

/// A tick of the clock.
pub fn tick(state: &mut AppState, now: Instant, wall: DateTime<Utc>) -> Vec<Effect> {
    state.now = now;
    state.wall = wall;
    if state.in_flight > 0 {
        state.spinner = state.spinner.wrapping_add(1);
    }
    state
        .toasts
        .retain(|t| t.error || now.saturating_duration_since(t.created) < INFO_TOAST_TTL);
    // A finished scan's line makes room for the rest of the bar.
    if state
        .scan
        .as_ref()
        .and_then(|s| s.finished_at)
        .is_some_and(|at| now.saturating_duration_since(at) >= SCAN_LINE_TTL)
    {
        state.scan = None;
    }
    Vec::new()
}
