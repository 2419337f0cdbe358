//! Regressions (contract 5.6, a sandbox route): the open ones, read along
//! with the command center, badge their findings and are counted there;
//! the regressions pane lists open (or, on demand, closed) ones with the
//! finding, the scan that found it again, and when.

use super::{detail, errors, unavailable};
use crate::api::ApiError;
use crate::api::model::{Finding, Regression, RegressionStatus};
use crate::app::effect::Effect;
use crate::app::layout;
use crate::app::state::{AppState, Load, Modal, RegressionFilter};

/// Findings fetched for their titles after a load, at most.
const TITLES_PER_LOAD: usize = 20;

const FEATURE: &str = "regressions";
const ROUTE: &str = "GET /regressions";

/// Asks for the list the first time the pane is shown.
pub fn ensure_loaded(state: &mut AppState) -> Vec<Effect> {
    match state.remediation.regressions.load {
        Load::NotAsked => reload(state),
        _ => Vec::new(),
    }
}

/// Asks for the list of the current filter (not when the service lacks it).
pub fn reload(state: &mut AppState) -> Vec<Effect> {
    let r = &mut state.remediation.regressions;
    if let Load::NotOffered(why) = &r.open_load {
        r.load = Load::NotOffered(why.clone());
    }
    if r.load.is_not_offered() || r.load.is_loading() {
        return Vec::new();
    }
    r.generation += 1;
    r.load = Load::Loading;
    vec![Effect::LoadRegressions {
        generation: r.generation,
        status: r.filter.status(),
    }]
}

/// The pane's list arrived, or why not.
pub fn loaded(
    state: &mut AppState,
    generation: u64,
    result: Result<Vec<Regression>, ApiError>,
) -> Vec<Effect> {
    if generation != state.remediation.regressions.generation {
        return Vec::new();
    }
    match result {
        Ok(rows) => {
            let r = &mut state.remediation.regressions;
            if r.filter == RegressionFilter::Open {
                // The freshest word on which are open.
                r.open = Some(rows.clone());
                r.open_load = Load::Loaded;
            }
            r.rows = rows;
            r.cursor = r.cursor.min(r.rows.len().saturating_sub(1));
            r.load = Load::Loaded;
            keep_in_view(state);
            titles_wanted(state)
        }
        Err(e) => {
            match unavailable::explain(FEATURE, ROUTE, &e) {
                Some(why) => not_offered(state, why),
                None => {
                    errors::record(state, &e);
                    state.remediation.regressions.load =
                        Load::Failed(format!("regressions not loaded: {}", errors::short(&e)));
                }
            }
            Vec::new()
        }
    }
}

fn not_offered(state: &mut AppState, why: String) {
    let r = &mut state.remediation.regressions;
    r.load = Load::NotOffered(why.clone());
    r.open_load = Load::NotOffered(why);
    r.open = None;
}

/// Titles of the listed findings the TUI does not have yet.
fn titles_wanted(state: &AppState) -> Vec<Effect> {
    let mut ids: Vec<String> = Vec::new();
    for r in &state.remediation.regressions.rows {
        if state.title_of(&r.finding_id).is_none() && !ids.contains(&r.finding_id) {
            ids.push(r.finding_id.clone());
        }
    }
    ids.truncate(TITLES_PER_LOAD);
    if ids.is_empty() {
        Vec::new()
    } else {
        vec![Effect::LoadTitles { ids }]
    }
}

/// Findings fetched for their titles.
pub fn titles_loaded(state: &mut AppState, findings: Vec<Finding>) -> Vec<Effect> {
    for f in findings {
        state.remediation.titles.insert(f.id, f.title);
    }
    Vec::new()
}

/// The open regressions read with the command center.
pub fn open_loaded(state: &mut AppState, result: Result<Vec<Regression>, ApiError>) -> Vec<Effect> {
    let r = &mut state.remediation.regressions;
    match result {
        Ok(open) => {
            r.open = Some(
                open.into_iter()
                    .filter(|x| x.status == RegressionStatus::Open)
                    .collect(),
            );
            r.open_load = Load::Loaded;
        }
        Err(e) => match unavailable::explain(FEATURE, ROUTE, &e) {
            Some(why) => not_offered(state, why),
            // Kept quiet: the command center's own answer reports the
            // connection; the count shows as unknown.
            None => r.open_load = Load::Failed(errors::short(&e)),
        },
    }
    Vec::new()
}

fn page_height(state: &AppState) -> usize {
    (layout::findings_area(state.size).height as usize)
        .saturating_sub(4)
        .max(1)
}

fn keep_in_view(state: &mut AppState) {
    let height = page_height(state);
    let r = &mut state.remediation.regressions;
    if r.cursor < r.scroll {
        r.scroll = r.cursor;
    } else if r.cursor >= r.scroll + height {
        r.scroll = r.cursor + 1 - height;
    }
}

/// Moves the cursor and keeps it in view.
pub fn move_cursor(state: &mut AppState, delta: isize) -> Vec<Effect> {
    let r = &mut state.remediation.regressions;
    let last = r.rows.len().saturating_sub(1);
    r.cursor = (r.cursor as isize)
        .saturating_add(delta)
        .clamp(0, last as isize) as usize;
    keep_in_view(state);
    Vec::new()
}

/// `f`: open, closed, or both.
pub fn open_filter(state: &mut AppState) -> Vec<Effect> {
    let current = state.remediation.regressions.filter;
    let selected = RegressionFilter::ALL
        .iter()
        .position(|f| *f == current)
        .unwrap_or(0);
    state.modal = Some(Modal::RegressionFilterMenu { selected });
    Vec::new()
}

/// A filter was chosen: the list is read again.
pub fn choose_filter(state: &mut AppState, selected: usize) -> Vec<Effect> {
    let filter = RegressionFilter::ALL
        .get(selected)
        .copied()
        .unwrap_or_default();
    let r = &mut state.remediation.regressions;
    r.filter = filter;
    r.rows.clear();
    r.cursor = 0;
    r.scroll = 0;
    if r.load.is_loading() {
        // The answer on its way is for the old filter.
        r.load = Load::Loaded;
    }
    reload(state)
}

/// `enter`: the regressed finding.
pub fn open_finding(state: &mut AppState) -> Vec<Effect> {
    match state.remediation.regressions.selected() {
        Some(r) => {
            let id = r.finding_id.clone();
            detail::open(state, id)
        }
        None => Vec::new(),
    }
}
