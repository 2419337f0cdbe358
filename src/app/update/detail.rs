//! The detail of one finding: opened from the list or a top priority,
//! shown at once from what is loaded, then fetched fresh.

use super::errors;
use crate::api::ApiError;
use crate::api::model::Finding;
use crate::app::effect::Effect;
use crate::app::state::{AppState, Connection, DetailState, FindingRef, Pane};
use crate::journal::HistoryEntry;

/// Shows a finding at once from what is loaded and fetches it fresh.
pub fn open(state: &mut AppState, id: String) -> Vec<Effect> {
    // Unique across sessions: a late answer for a detail opened before a
    // switch must not match the one opened after it.
    let generation = state.request_id();
    state.detail_return = match state.pane {
        Pane::Detail => state.detail_return,
        other => other,
    };
    state.detail = Some(DetailState {
        finding: state.finding(&id).map(FindingRef::whole),
        id: id.clone(),
        loading: true,
        generation,
        scroll: 0,
        history: None,
    });
    state.pane = Pane::Detail;
    vec![
        Effect::LoadFinding {
            generation,
            id: id.clone(),
        },
        Effect::LoadHistory {
            generation,
            finding_id: id,
        },
    ]
}

/// Fetches the open finding again.
pub fn reload(state: &mut AppState) -> Vec<Effect> {
    let Some(d) = state.detail.as_mut() else {
        return Vec::new();
    };
    d.generation += 1;
    d.loading = true;
    vec![
        Effect::LoadFinding {
            generation: d.generation,
            id: d.id.clone(),
        },
        Effect::LoadHistory {
            generation: d.generation,
            finding_id: d.id.clone(),
        },
    ]
}

/// Scrolls the detail by `delta` lines.
pub fn scroll(state: &mut AppState, delta: isize) -> Vec<Effect> {
    if let Some(d) = state.detail.as_mut() {
        let next = (d.scroll as isize).saturating_add(delta);
        d.scroll = next.clamp(0, u16::MAX as isize) as u16;
    }
    Vec::new()
}

/// Closes the detail, back to where it was opened from.
pub fn close(state: &mut AppState) -> Vec<Effect> {
    state.pane = state.detail_return;
    state.detail = None;
    Vec::new()
}

/// A fresh copy of the finding shown in the detail.
pub fn loaded(
    state: &mut AppState,
    generation: u64,
    result: Result<Finding, ApiError>,
) -> Vec<Effect> {
    let Some(d) = state.detail.as_mut().filter(|d| d.generation == generation) else {
        return Vec::new();
    };
    d.loading = false;
    match result {
        Ok(finding) => {
            state.connection = Connection::Online;
            // A change still in flight wins over an older copy.
            if state.is_pending(&finding.id) {
                return Vec::new();
            }
            let id = finding.id.clone();
            if let Some(d) = state.detail.as_mut() {
                d.finding = Some(finding.clone());
            }
            state.replace_finding(&id, &finding);
        }
        Err(e) => {
            errors::record(state, &e);
            state.toast(format!("finding not loaded: {}", errors::short(&e)), true);
        }
    }
    Vec::new()
}

/// The open finding's local history arrived (or could not be read).
pub fn history_loaded(
    state: &mut AppState,
    generation: u64,
    result: Result<Vec<HistoryEntry>, String>,
) -> Vec<Effect> {
    if let Some(d) = state.detail.as_mut().filter(|d| d.generation == generation) {
        d.history = Some(result);
    }
    Vec::new()
}
