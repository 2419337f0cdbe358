//! `V`: re-check the selected finding's fix through its task, follow the
//! verification, and offer to approve a pass, which resolves the finding
//! (contract 5.3 to 5.5).

use super::{command_center, errors};
use crate::api::ApiError;
use crate::api::model::{FindingStatus, Verification, VerificationResult};
use crate::api::remediation::failure_reason;
use crate::app::effect::Effect;
use crate::app::state::{AppState, Modal, Pane, VerifyProgress};
use crate::engine::poll::Next;

const AGAIN: &str = "press V again";

/// The one finding `V` acts on: the cursor's, never the marks.
fn selected(state: &AppState) -> Option<String> {
    match state.pane {
        Pane::Findings => state.findings.selected().map(|f| f.id.clone()),
        _ => state.change_targets().into_iter().next(),
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
    let name = state.label(&id);
    if state.status_of(&id) == Some(FindingStatus::Resolved) {
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
            errors::record(state, &e);
            state.verify = None;
            let name = state.label(finding_id);
            state.toast(
                format!("verification of {name} not started: {}", errors::short(&e)),
                true,
            );
            Vec::new()
        }
    }
}

/// A poll of the running verification: poll again while it is pending,
/// then report, and ask to approve a pass.
pub fn polled(state: &mut AppState, result: Result<Verification, ApiError>) -> Vec<Effect> {
    let now = state.now;
    let Some(progress) = state.verify.as_ref() else {
        return Vec::new();
    };
    let finding_id = progress.finding_id.clone();
    // Answers about another run (one started before a switch) are dropped;
    // until the start is answered, no poll is ours.
    let Some(known_id) = progress.id.clone() else {
        return Vec::new();
    };
    let name = state.label(&finding_id);
    let v = match result {
        Ok(v) if v.id != known_id => return Vec::new(),
        Ok(v) => v,
        Err(e) => {
            errors::record(state, &e);
            let next = match state.verify.as_mut() {
                Some(p) => p.schedule.failed(now, &e),
                None => Next::GiveUp,
            };
            if let Next::After(after) = next {
                return vec![Effect::PollVerification {
                    id: known_id,
                    after,
                }];
            }
            state.verify = None;
            state.toast(
                format!("verification of {name} not followed: {}", errors::short(&e)),
                true,
            );
            return Vec::new();
        }
    };
    match v.result {
        VerificationResult::Pending => {
            let next = match state.verify.as_mut() {
                Some(p) => p.schedule.pending(now),
                None => Next::GiveUp,
            };
            if let Next::After(after) = next {
                return vec![Effect::PollVerification { id: v.id, after }];
            }
            state.verify = None;
            state.toast(
                format!("verification of {name} is still pending; it goes on: {AGAIN} later"),
                true,
            );
            Vec::new()
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

/// The answer to "approve?": yes approves, anything else leaves it.
pub fn confirm(
    state: &mut AppState,
    verification_id: String,
    finding_id: &str,
    yes: bool,
) -> Vec<Effect> {
    let name = state.label(finding_id);
    if yes {
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
    let name = state.label(&progress.finding_id);
    match result {
        Ok(_) => {
            state.toast(format!("approved: {name} is now resolved"), false);
            command_center::refresh_all(state)
        }
        Err(e) => {
            errors::record(state, &e);
            state.toast(
                format!(
                    "the fix of {name} passed but was not approved: {}; {AGAIN} to try again",
                    errors::short(&e)
                ),
                true,
            );
            Vec::new()
        }
    }
}
