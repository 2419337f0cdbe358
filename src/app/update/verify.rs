//! `V`: re-check the selected finding's fix through its task, follow the
//! verification, and offer to approve a pass, which resolves the finding
//! (contract 5.3 to 5.5).

use crossterm::event::KeyCode;

use super::change::{current_status, label, targets};
use super::results::{MAX_POLL, SCAN_FOLLOW_LIMIT, record_error, refresh_all, short};
use crate::api::ApiError;
use crate::api::model::{FindingStatus, Verification, VerificationResult};
use crate::api::remediation::failure_reason;
use crate::app::effect::Effect;
use crate::app::state::{AppState, Modal, Pane, VerifyProgress};

const AGAIN: &str = "press V again";

/// The one finding `V` acts on: the cursor's, never the marks.
fn selected(state: &AppState) -> Option<String> {
    match state.pane {
        Pane::Findings => state.findings.selected().map(|f| f.id.clone()),
        _ => targets(state).into_iter().next(),
    }
}

/// Starts a verification of the selected finding.
pub fn start(state: &mut AppState) -> Vec<Effect> {
    let Some(id) = selected(state) else {
        state.toast("no finding selected: move the cursor to one first", false);
        return Vec::new();
    };
    if state.verify.is_some() {
        state.toast(
            "a verification is already running: wait for its result",
            false,
        );
        return Vec::new();
    }
    let name = label(state, &id);
    if current_status(state, &id) == Some(FindingStatus::Resolved) {
        state.toast(
            format!("{name} is already resolved: nothing to verify"),
            false,
        );
        return Vec::new();
    }
    let marks = if state.pane == Pane::Findings && !state.findings.marks.is_empty() {
        " (one finding at a time: marks are left out)"
    } else {
        ""
    };
    state.verify = Some(VerifyProgress::new(id.clone(), state.now));
    state.toast(format!("verifying the fix of {name}{marks}…"), false);
    vec![Effect::StartVerification { finding_id: id }]
}

/// The task was found or created and the run accepted (or not).
pub fn started(
    state: &mut AppState,
    finding_id: &str,
    result: Result<Verification, ApiError>,
) -> Vec<Effect> {
    let awaited = state
        .verify
        .as_ref()
        .is_some_and(|v| v.finding_id == finding_id && v.id.is_none());
    if !awaited {
        return Vec::new();
    }
    match result {
        Ok(v) => {
            if let Some(p) = state.verify.as_mut() {
                p.id = Some(v.id.clone());
            }
            polled(state, Ok(v))
        }
        Err(e) => {
            record_error(state, &e);
            state.verify = None;
            let name = label(state, finding_id);
            state.toast(
                format!("verification of {name} not started: {}", short(&e)),
                true,
            );
            Vec::new()
        }
    }
}

/// A poll of the running verification: poll again with backoff while it
/// is pending, then report, and ask to approve a pass.
pub fn polled(state: &mut AppState, result: Result<Verification, ApiError>) -> Vec<Effect> {
    let Some(progress) = state.verify.as_ref() else {
        return Vec::new();
    };
    let late = state.now.saturating_duration_since(progress.started) >= SCAN_FOLLOW_LIMIT;
    let (finding_id, known_id, delay) = (
        progress.finding_id.clone(),
        progress.id.clone(),
        progress.poll_delay,
    );
    let name = label(state, &finding_id);
    // Answers about another run (one started before a switch) are dropped;
    // until the start is answered, no poll is ours.
    let Some(known_id) = known_id else {
        return Vec::new();
    };
    let v = match result {
        Ok(v) if v.id != known_id => return Vec::new(),
        Ok(v) => v,
        Err(e) => {
            record_error(state, &e);
            let retry = e.status().is_none_or(|s| s == 429 || s >= 500);
            if let (true, Some(p)) = (retry && !late, state.verify.as_mut()) {
                p.poll_delay = (delay * 2).min(MAX_POLL);
                return vec![Effect::PollVerification {
                    id: known_id,
                    after: delay,
                }];
            }
            state.verify = None;
            state.toast(
                format!("verification of {name} not followed: {}", short(&e)),
                true,
            );
            return Vec::new();
        }
    };
    match v.result {
        VerificationResult::Pending if late => {
            state.verify = None;
            state.toast(
                format!("verification of {name} is still pending; it goes on: {AGAIN} later"),
                true,
            );
            Vec::new()
        }
        VerificationResult::Pending => {
            if let Some(p) = state.verify.as_mut() {
                p.poll_delay = (delay * 3 / 2).min(MAX_POLL);
            }
            vec![Effect::PollVerification {
                id: v.id,
                after: delay,
            }]
        }
        VerificationResult::Passed if state.modal.is_none() => {
            state.modal = Some(Modal::ConfirmApprove {
                verification_id: v.id,
                finding_id,
            });
            Vec::new()
        }
        VerificationResult::Passed => {
            state.verify = None;
            state.toast(
                format!(
                    "the fix of {name} passed but is not approved: close the dialog and {AGAIN} to approve"
                ),
                false,
            );
            Vec::new()
        }
        _ => {
            state.verify = None;
            let why = failure_reason(&v, AGAIN);
            state.toast(format!("verification of {name} failed: {why}"), true);
            Vec::new()
        }
    }
}

/// A key in the approval dialog: `y` approves, anything else leaves it.
pub fn on_confirm(
    state: &mut AppState,
    code: KeyCode,
    verification_id: String,
    finding_id: &str,
) -> Vec<Effect> {
    let name = label(state, finding_id);
    if matches!(code, KeyCode::Char('y') | KeyCode::Char('Y')) {
        if let Some(p) = state.verify.as_mut() {
            p.approving = true;
        }
        return vec![Effect::ApproveVerification {
            id: verification_id,
        }];
    }
    state.verify = None;
    state.toast(
        format!("not approved: {name} is not resolved; {AGAIN} to verify and approve"),
        false,
    );
    Vec::new()
}

/// The approval answered: the finding is resolved, so everything reloads.
pub fn approved(state: &mut AppState, result: Result<Verification, ApiError>) -> Vec<Effect> {
    let ours = state.verify.as_ref().is_some_and(|p| {
        p.approving
            && match &result {
                Ok(v) => p.id.as_ref() == Some(&v.id),
                Err(_) => true,
            }
    });
    let Some(progress) = state.verify.take_if(|_| ours) else {
        return Vec::new();
    };
    let name = label(state, &progress.finding_id);
    match result {
        Ok(_) => {
            state.toast(format!("approved: {name} is now resolved"), false);
            refresh_all(state)
        }
        Err(e) => {
            record_error(state, &e);
            state.toast(
                format!(
                    "the fix of {name} passed but was not approved: {}; {AGAIN} to try again",
                    short(&e)
                ),
                true,
            );
            Vec::new()
        }
    }
}
