//! The command center: loaded at start, on `r`, after changes and on the
//! auto-refresh; and the refresh of everything shown.

use super::{detail, errors, list, regressions, report, tasks, views};
use crate::api::ApiError;
use crate::api::model::CommandCenter;
use crate::app::effect::Effect;
use crate::app::state::{AppState, Connection};

/// Reloads the command center, the list and the open detail, and the
/// tasks, regressions and report once they have been shown.
pub fn refresh_all(state: &mut AppState) -> Vec<Effect> {
    let mut effects = refresh(state);
    effects.extend(list::reload(state));
    effects.extend(views::refresh_counts(state));
    effects.extend(detail::reload(state));
    let r = &state.remediation;
    let (tasks_shown, regressions_shown, report_shown) = (
        r.tasks.load.refreshable(),
        r.regressions.load.refreshable(),
        r.report.load.refreshable(),
    );
    if tasks_shown {
        effects.extend(tasks::reload(state));
    }
    if regressions_shown {
        effects.extend(regressions::reload(state));
    }
    if report_shown {
        effects.extend(report::reload(state));
    }
    effects
}

/// Asks for the command center unless a request for it is already out.
pub fn refresh(state: &mut AppState) -> Vec<Effect> {
    let cc = &mut state.command_center;
    if cc.loading {
        return Vec::new();
    }
    cc.loading = true;
    cc.generation += 1;
    vec![Effect::LoadCommandCenter {
        generation: cc.generation,
    }]
}

/// Moves the selection among the top priorities.
pub fn select(state: &mut AppState, delta: isize) -> Vec<Effect> {
    let cc = &mut state.command_center;
    let count = cc
        .data
        .as_ref()
        .map_or(0, |d| d.top_priorities.len().min(5));
    let last = count.saturating_sub(1) as isize;
    cc.selected = (cc.selected as isize).saturating_add(delta).clamp(0, last) as usize;
    Vec::new()
}

/// The command center arrived (or failed): keep the last data on failure.
pub fn loaded(
    state: &mut AppState,
    generation: u64,
    result: Result<CommandCenter, ApiError>,
) -> Vec<Effect> {
    if generation != state.command_center.generation {
        return Vec::new();
    }
    state.command_center.loading = false;
    match result {
        Ok(data) => {
            state.connection = Connection::Online;
            let cc = &mut state.command_center;
            cc.selected = cc.selected.min(data.top_priorities.len().saturating_sub(1));
            cc.data = Some(data);
            cc.updated_at = Some(state.now);
        }
        Err(e) => {
            errors::record(state, &e);
            state.toast(
                format!("command center not refreshed: {}", errors::short(&e)),
                true,
            );
        }
    }
    Vec::new()
}
