//! `s`: scan a URL. The URL is checked before sending, the scan is
//! followed with the shared polling schedule, and its findings show up by a
//! refresh when it completes.

use tui_input::Input;

use super::{command_center, errors};
use crate::api::ApiError;
use crate::api::model::{Scan, ScanStatus};
use crate::app::effect::Effect;
use crate::app::state::{AppState, Modal, ScanProgress};
use crate::engine::duration::human;
use crate::engine::poll::{FOLLOW_LIMIT, Next};
use crate::sanitize::sanitize;

/// Opens the URL prompt, filled with the default scan URL.
pub fn open_prompt(state: &mut AppState) -> Vec<Effect> {
    let url = state.session.default_scan_url.clone().unwrap_or_default();
    state.modal = Some(Modal::ScanPrompt {
        input: Input::new(url),
        error: None,
    });
    Vec::new()
}

/// Enter in the prompt: starts the scan, or says what is wrong with the
/// URL and keeps the prompt open.
pub fn submit(state: &mut AppState, input: Input) -> Vec<Effect> {
    let url = input.value().trim().to_string();
    let checked = if state.session.allow_private_targets {
        Ok(())
    } else {
        crate::api::ssrf::check_url(&url).map(|_| ())
    };
    if let Err(e) = checked {
        state.modal = Some(Modal::ScanPrompt {
            input,
            error: Some(format!("{e}; enter a public http(s) URL")),
        });
        return Vec::new();
    }
    if state.scan.as_ref().is_some_and(ScanProgress::is_followed) {
        state.toast("a scan is already running: wait for it to finish", false);
        return Vec::new();
    }
    state.scan = Some(ScanProgress::new(url.clone(), state.now));
    vec![Effect::StartScan { url }]
}

/// `POST /scans/run` answered: start polling, or say why not.
pub fn started(state: &mut AppState, result: Result<Scan, ApiError>) -> Vec<Effect> {
    match result {
        Ok(scan) => polled(state, Ok(scan)),
        Err(e) => {
            errors::record(state, &e);
            let url = state.scan.take().map(|s| s.url).unwrap_or_default();
            state.toast(
                format!(
                    "scan of {} not started: {}",
                    sanitize(&url),
                    errors::short(&e)
                ),
                true,
            );
            Vec::new()
        }
    }
}

/// A poll of the running scan: poll again until it finishes, then refresh
/// and say how many findings are new.
pub fn polled(state: &mut AppState, result: Result<Scan, ApiError>) -> Vec<Effect> {
    let now = state.now;
    if let Err(e) = &result {
        errors::record(state, e);
    }
    let Some(progress) = state.scan.as_mut() else {
        return Vec::new();
    };
    let url = sanitize(&progress.url).into_owned();
    let scan = match result {
        Ok(scan) => scan,
        Err(e) => {
            let next = progress.schedule.failed(now, &e);
            return match (progress.id.clone(), next) {
                (Some(id), Next::After(after)) => vec![Effect::PollScan { id, after }],
                (Some(id), Next::TooLate) => {
                    progress.finished_at = Some(now);
                    stop_following(state, &url, &id);
                    Vec::new()
                }
                _ => {
                    state.scan = None;
                    state.toast(format!("scan status unknown: {}", errors::short(&e)), true);
                    Vec::new()
                }
            };
        }
    };
    progress.status = scan.status.clone();
    progress.id = Some(scan.id.clone());
    if scan.status.is_finished() {
        progress.finished_at = Some(now);
    }
    let effects = match &scan.status {
        ScanStatus::Completed => {
            let new = scan.summary_count("new").unwrap_or(0);
            state.toast(
                format!("scan of {url} completed: {new} new finding(s)"),
                false,
            );
            command_center::refresh_all(state)
        }
        ScanStatus::Failed => {
            let why = sanitize(scan.failure_reason().unwrap_or("no reason given")).into_owned();
            state.toast(format!("scan of {url} failed: {why}"), true);
            Vec::new()
        }
        _ => match progress.schedule.pending(now) {
            Next::After(after) => vec![Effect::PollScan {
                id: scan.id.clone(),
                after,
            }],
            Next::TooLate | Next::GiveUp => {
                progress.finished_at = Some(now);
                stop_following(state, &url, &scan.id);
                Vec::new()
            }
        },
    };
    if let Some(p) = state.scan.as_mut() {
        p.last = Some(scan);
    }
    effects
}

/// Polling gave up on a scan that is still going: say where it stands and
/// how to find it later.
fn stop_following(state: &mut AppState, url: &str, id: &str) {
    state.toast(
        format!(
            "scan of {url} still running after {}; stopped following it \
             (scan {}); press r later to see its findings",
            human(FOLLOW_LIMIT),
            sanitize(id)
        ),
        true,
    );
}
