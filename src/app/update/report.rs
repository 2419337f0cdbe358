//! The report pane: the 7-day risk burn-down, the verification pass rate,
//! the regression rate and the open findings (contract 5.7).

use super::{errors, unavailable};
use crate::api::ApiError;
use crate::api::model::ReportSummary;
use crate::app::effect::Effect;
use crate::app::state::{AppState, Load};

/// Asks for the report the first time the pane is shown.
pub fn ensure_loaded(state: &mut AppState) -> Vec<Effect> {
    match state.remediation.report.load {
        Load::NotAsked => reload(state),
        _ => Vec::new(),
    }
}

/// Asks for the report again (not when the service lacks it, nor twice).
pub fn reload(state: &mut AppState) -> Vec<Effect> {
    let report = &mut state.remediation.report;
    if report.load.is_not_offered() || report.load.is_loading() {
        return Vec::new();
    }
    report.generation += 1;
    report.load = Load::Loading;
    vec![Effect::LoadReport {
        generation: report.generation,
    }]
}

/// The report arrived, or why not.
pub fn loaded(
    state: &mut AppState,
    generation: u64,
    result: Result<ReportSummary, ApiError>,
) -> Vec<Effect> {
    if generation != state.remediation.report.generation {
        return Vec::new();
    }
    match result {
        Ok(data) => {
            let report = &mut state.remediation.report;
            report.data = Some(data);
            report.load = Load::Loaded;
        }
        Err(e) => {
            let load = match unavailable::explain("the report", "GET /reports/summary", &e) {
                Some(why) => Load::NotOffered(why),
                None => {
                    errors::record(state, &e);
                    Load::Failed(format!("report not loaded: {}", errors::short(&e)))
                }
            };
            state.remediation.report.load = load;
        }
    }
    Vec::new()
}
