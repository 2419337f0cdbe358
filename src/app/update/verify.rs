//! `V`: re-check the selected finding's fix through its task (or the
//! selected task's, in the tasks pane), follow the verification, offer to
//! approve a pass, which resolves the finding, and, after a failure, say
//! what is still wrong and offer to move the task back to `in_progress`
//! (contract 5.3 to 5.5).

use super::{command_center, errors};
use crate::api::ApiError;
use crate::api::model::{FindingStatus, TaskStatus, Verification, VerificationResult};
use crate::api::remediation::{Approval, ApprovalError, failure_reason, still_wrong};
use crate::api::transitions::task_move_allowed;
use crate::app::effect::Effect;
use crate::app::state::{AppState, ChangeTargets, Modal, Pane, VerifyProgress};
use crate::engine::poll::Next;
use crate::sanitize::sanitize;

const AGAIN: &str = "press V again";

/// The one finding `V` acts on: the cursor's, never the marks.
fn selected(state: &AppState) -> Option<String> {
    match state.pane {
        Pane::Findings => state.findings.selected().map(|f| f.id().to_string()),
        _ => match state.change_targets()? {
            ChangeTargets::One(id) => Some(id),
            ChangeTargets::Marked => None,
        },
    }
}

/// Why a verification of finding `id` cannot start now, said as a toast.
fn refused(state: &mut AppState, id: &str) -> bool {
    if state.verify.is_some() {
        state.toast(
            "a verification is already running: wait for its result",
            false,
        );
        return true;
    }
    if state.status_of(id) == Some(FindingStatus::Resolved) {
        let name = state.label(id);
        state.toast(
            format!("{name} is already resolved: nothing to verify"),
            false,
        );
        return true;
    }
    false
}

/// `V` in the tasks pane: verifies the fix through the selected task.
pub fn start_task(state: &mut AppState) -> Vec<Effect> {
    let Some(task) = state.remediation.tasks.selected().cloned() else {
        state.toast("no task selected: move the cursor to one first", false);
        return Vec::new();
    };
    if task.status == TaskStatus::Done {
        state.toast(
            "this task is done: its verification was approved already",
            false,
        );
        return Vec::new();
    }
    if refused(state, &task.finding_id) {
        return Vec::new();
    }
    let name = state.label(&task.finding_id);
    state.verify = Some(VerifyProgress::new(task.finding_id.clone(), state.now));
    state.toast(
        format!("verifying the fix of {name} through this task…"),
        false,
    );
    vec![Effect::VerifyTask {
        finding_id: task.finding_id,
        task_id: task.id,
    }]
}

/// Starts a verification of the selected finding.
pub fn start(state: &mut AppState) -> Vec<Effect> {
    let Some(id) = selected(state) else {
        state.toast("no finding selected: move the cursor to one first", false);
        return Vec::new();
    };
    if refused(state, &id) {
        return Vec::new();
    }
    let name = state.label(&id);
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
            offer_back(state, &v, finding_id);
            Vec::new()
        }
    }
}

/// After a failed verification: offers to move its task back to
/// `in_progress`, when that is a move the task may make (unknown status:
/// offered, the server decides) and tasks can be changed here.
fn offer_back(state: &mut AppState, v: &Verification, finding_id: String) {
    if state.modal.is_some() || v.task_id.is_empty() {
        return;
    }
    if state.remediation.tasks.changes_not_offered.is_some() {
        return;
    }
    let status = state.remediation.tasks.task(&v.task_id).map(|t| &t.status);
    let movable = status.is_none_or(|s| {
        *s != TaskStatus::InProgress && task_move_allowed(s, &TaskStatus::InProgress)
    });
    if movable {
        state.modal = Some(Modal::ConfirmTaskBack {
            task_id: v.task_id.clone(),
            finding_id,
            still_wrong: still_wrong(v),
        });
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
/// A failed answer was checked by reading the verification back: the
/// toast says what really happened.
pub fn approved(state: &mut AppState, result: Result<Approval, ApprovalError>) -> Vec<Effect> {
    let ours = state.verify.as_ref().is_some_and(|p| {
        p.approving
            && match &result {
                Ok(a) => p.id.as_ref() == Some(&a.verification.typed.id),
                Err(_) => true,
            }
    });
    let Some(progress) = state.verify.take_if(|_| ours) else {
        return Vec::new();
    };
    let name = state.label(&progress.finding_id);
    match result {
        Ok(approval) => {
            let despite = approval
                .despite
                .as_ref()
                .map(|e| {
                    format!(
                        " (the service answered {}, but the verification reads back approved)",
                        sanitize(&answer_of(e))
                    )
                })
                .unwrap_or_default();
            state.toast(format!("approved: {name} is now resolved{despite}"), false);
            command_center::refresh_all(state)
        }
        Err(ApprovalError::Refused(e)) => {
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
        Err(ApprovalError::NotApplied { error, .. }) => {
            errors::record(state, &error);
            state.toast(
                format!(
                    "not approved: the service answered {} and the verification reads back \
                     unapproved, so {name} is not resolved; {AGAIN} to approve it again",
                    sanitize(&answer_of(&error))
                ),
                true,
            );
            Vec::new()
        }
        Err(e @ ApprovalError::Unknown { .. }) => {
            errors::record(state, e.api());
            state.toast(
                format!(
                    "whether {name} was approved is unknown: {}; the list is reloaded to show where it stands",
                    sanitize(&e.to_string())
                ),
                true,
            );
            command_center::refresh_all(state)
        }
    }
}

/// How an answer that left the outcome open reads: `HTTP 502`, or the
/// transport's failure.
fn answer_of(e: &ApiError) -> String {
    match e.status() {
        Some(status) => format!("HTTP {status}"),
        None => e.to_string(),
    }
}
