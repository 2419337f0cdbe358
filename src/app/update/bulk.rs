//! A change to several findings: one PATCH each, paced by the team's rate
//! budget, with progress, refusals, a stop key and a report of what was
//! left undone.

use super::{command_center, errors};
use crate::api::ApiError;
use crate::api::model::{Finding, FindingPatch};
use crate::app::effect::Effect;
use crate::app::state::{AppState, BulkProgress, Modal};

/// Starts a bulk job for `ids`: refused moves are reported at once, the
/// rest go to the worker.
pub fn start(
    state: &mut AppState,
    ids: Vec<String>,
    patch: FindingPatch,
    what: String,
) -> Vec<Effect> {
    if state.bulk_running() {
        state.toast(
            "a bulk change is still running: wait for it to finish",
            false,
        );
        return Vec::new();
    }
    let job = state.request_id();
    let mut failures = Vec::new();
    let mut send = Vec::new();
    for id in ids.iter() {
        match state.refusal(id, &patch) {
            Some(why) => failures.push((state.label(id), why)),
            None => send.push(id.clone()),
        }
    }
    state.bulk = Some(BulkProgress {
        job,
        what,
        patch: patch.clone(),
        total: ids.len(),
        done: failures.len(),
        failures,
        started: state.now,
        finished: send.is_empty(),
        sent: send.clone(),
        answered: Vec::new(),
        not_sent: Vec::new(),
        cancelling: false,
    });
    state.modal = Some(Modal::Bulk);
    if send.is_empty() {
        return Vec::new();
    }
    vec![Effect::Bulk {
        job,
        ids: send,
        patch,
    }]
}

/// One finding of a bulk job answered.
pub fn item(
    state: &mut AppState,
    job: u64,
    finding_id: &str,
    result: Result<Finding, ApiError>,
) -> Vec<Effect> {
    if state.bulk.as_ref().is_none_or(|b| b.job != job) {
        return Vec::new();
    }
    match result {
        Ok(finding) => {
            // Applied: another press of the key must not send it again.
            state.findings.marks.remove(finding_id);
            state.replace_finding(finding_id, &finding);
        }
        Err(e) => {
            errors::record(state, &e);
            let name = state.label(finding_id);
            if let Some(b) = state.bulk.as_mut() {
                b.failures.push((name, errors::short(&e)));
            }
        }
    }
    let Some(b) = state.bulk.as_mut() else {
        return Vec::new();
    };
    b.done += 1;
    b.answered.push(finding_id.to_string());
    finish_if_done(state)
}

/// `c` in the overlay: no further PATCH is sent.
pub fn cancel(state: &mut AppState) -> Vec<Effect> {
    let Some(b) = state.bulk.as_mut().filter(|b| !b.finished && !b.cancelling) else {
        return Vec::new();
    };
    b.cancelling = true;
    let job = b.job;
    state.toast(
        "stopping the bulk change: the change in flight finishes, the rest is not sent",
        false,
    );
    vec![Effect::CancelBulk { job }]
}

/// The worker stopped a cancelled job before sending these ids.
pub fn cancelled(state: &mut AppState, job: u64, not_sent: Vec<String>) -> Vec<Effect> {
    // These were counted as answers to come when the job started.
    state.in_flight = state.in_flight.saturating_sub(not_sent.len());
    let Some(b) = state.bulk.as_mut().filter(|b| b.job == job) else {
        return Vec::new();
    };
    b.not_sent.extend(not_sent);
    finish_if_done(state)
}

/// Hides the overlay; a running job keeps going (the status bar counts it,
/// and the overlay comes back if anything is refused). A finished job is
/// forgotten.
pub fn close_overlay(state: &mut AppState) -> Vec<Effect> {
    state.modal = None;
    if !state.bulk_running() {
        state.bulk = None;
    }
    Vec::new()
}

/// Ends a bulk job once every finding is accounted for: applied, refused
/// or not sent. The overlay stays up when anything was not applied.
fn finish_if_done(state: &mut AppState) -> Vec<Effect> {
    let Some(b) = state.bulk.as_mut() else {
        return Vec::new();
    };
    if b.finished || b.done + b.not_sent.len() < b.total {
        return Vec::new();
    }
    b.finished = true;
    let (applied, refused, not_sent) = (b.applied(), b.failures.len(), b.not_sent.len());
    let text = if not_sent == 0 {
        format!(
            "{}: {applied} of {} done, {refused} refused",
            b.what, b.total
        )
    } else {
        format!(
            "{} stopped: {applied} applied, {refused} refused, {not_sent} not sent",
            b.what
        )
    };
    // Each applied finding was unmarked as it answered; the ones not
    // changed stay marked for another try.
    let incomplete = refused + not_sent > 0;
    if incomplete && state.modal.is_none() {
        state.modal = Some(Modal::Bulk);
    }
    state.toast(text, incomplete);
    if state.quit_after_bulk {
        state.exit_report = state.bulk_exit_report();
        state.quit = true;
        return Vec::new();
    }
    command_center::refresh(state)
}
