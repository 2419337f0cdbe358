//! Which pane shows: `tab` cycles through them, `1`–`5` go to one; a
//! remediation pane loads its data the first time it is shown. The keys
//! that mean something else in the tasks and regressions panes (filter,
//! status, verify) are routed to their features here.

use super::{regressions, report, task_change, tasks, verify};
use crate::app::effect::Effect;
use crate::app::keymap::Intent;
use crate::app::state::{AppState, Pane};

/// The panes in tab order (the detail stands in for the findings).
pub const ORDER: [Pane; 5] = [
    Pane::CommandCenter,
    Pane::Findings,
    Pane::Tasks,
    Pane::Regressions,
    Pane::Report,
];

/// Shows `pane`, loading it when it was never loaded.
pub fn show(state: &mut AppState, pane: Pane) -> Vec<Effect> {
    // Going to the findings keeps an open detail in front of them.
    state.pane = if pane == Pane::Findings && state.detail.is_some() {
        Pane::Detail
    } else {
        pane
    };
    match pane {
        Pane::Tasks => tasks::ensure_loaded(state),
        Pane::Regressions => regressions::ensure_loaded(state),
        Pane::Report => report::ensure_loaded(state),
        Pane::CommandCenter | Pane::Findings | Pane::Detail => Vec::new(),
    }
}

/// `tab`: the next pane.
pub fn next(state: &mut AppState) -> Vec<Effect> {
    let here = match state.pane {
        Pane::Detail => Pane::Findings,
        other => other,
    };
    let at = ORDER.iter().position(|p| *p == here).unwrap_or(0);
    show(state, ORDER[(at + 1) % ORDER.len()])
}

/// `shift-tab`: the previous pane.
pub fn previous(state: &mut AppState) -> Vec<Effect> {
    let here = match state.pane {
        Pane::Detail => Pane::Findings,
        other => other,
    };
    let at = ORDER.iter().position(|p| *p == here).unwrap_or(0);
    show(state, ORDER[(at + ORDER.len() - 1) % ORDER.len()])
}

/// Keys whose meaning depends on the remediation pane that has them;
/// `None` lets the key do what it does everywhere else.
pub fn on_intent(state: &mut AppState, intent: Intent) -> Option<Vec<Effect>> {
    let effects = match (state.pane, intent) {
        (Pane::Tasks, Intent::FilterMenu) => tasks::open_filter(state),
        (Pane::Tasks, Intent::StatusMenu) => task_change::open_status_menu(state),
        (Pane::Tasks, Intent::Verify) => verify::start_task(state),
        (Pane::Regressions, Intent::FilterMenu) => regressions::open_filter(state),
        // The findings list's own keys mean nothing here.
        (
            Pane::Tasks | Pane::Regressions | Pane::Report,
            Intent::TextFilter
            | Intent::ClearFilters
            | Intent::Sort
            | Intent::Mark
            | Intent::SortMenu
            | Intent::SaveView,
        ) => Vec::new(),
        (Pane::Report, Intent::FilterMenu | Intent::StatusMenu) => Vec::new(),
        _ => return None,
    };
    Some(effects)
}
