//! Changing findings by hand: status, owner, severity, from a key or a
//! menu. One finding is changed optimistically (and put back if refused);
//! several become a bulk job.

use tui_input::Input;

use super::reported::{self, Fields, Told};
use super::{bulk, command_center, errors};
use crate::api::ApiError;
use crate::api::model::{Finding, FindingPatch, FindingStatus, Severity};
use crate::api::transitions::finding_targets;
use crate::app::effect::Effect;
use crate::app::state::{
    AppState, AssignChoice, ChangeTargets, Connection, FindingRef, Modal, PendingPatch,
};
use crate::sanitize::sanitize;

const NOTHING_SELECTED: &str = "no finding selected: move the cursor to one first";

/// Opens a menu for what a change applies to, if anything is selected.
pub fn open_menu(state: &mut AppState, modal: impl FnOnce(ChangeTargets) -> Modal) -> Vec<Effect> {
    match state.change_targets() {
        Some(targets) => state.modal = Some(modal(targets)),
        None => state.toast(NOTHING_SELECTED, false),
    }
    Vec::new()
}

/// `d`: asks before dismissing (marked findings get the preview, which
/// asks why).
pub fn ask_dismiss(state: &mut AppState) -> Vec<Effect> {
    match state.change_targets() {
        Some(ChangeTargets::Marked) => apply(
            state,
            ChangeTargets::Marked,
            status_patch(FindingStatus::Dismissed),
        ),
        _ => open_menu(state, |targets| Modal::ConfirmDismiss { targets }),
    }
}

/// `a`: the assign menu.
pub fn open_assign(state: &mut AppState) -> Vec<Effect> {
    open_menu(state, |targets| Modal::AssignMenu {
        targets,
        selected: 0,
    })
}

/// `S`: the severity override menu.
pub fn open_severity(state: &mut AppState) -> Vec<Effect> {
    open_menu(state, |targets| Modal::SeverityMenu {
        targets,
        selected: 0,
    })
}

/// `c`: the status menu, with only the moves the lifecycle allows from
/// the statuses known; marked findings not loaded may be in any status,
/// so every manual move is offered then (the preview skips the illegal).
pub fn open_status_menu(state: &mut AppState) -> Vec<Effect> {
    let Some(targets) = state.change_targets() else {
        state.toast(NOTHING_SELECTED, false);
        return Vec::new();
    };
    let froms: Vec<FindingStatus> = match &targets {
        ChangeTargets::One(id) => state.status_of(id).into_iter().collect(),
        ChangeTargets::Marked if state.findings.marked_not_loaded() > 0 => {
            FindingStatus::KNOWN.to_vec()
        }
        ChangeTargets::Marked => state
            .findings
            .rows
            .iter()
            .filter(|f| state.findings.marks.contains(f))
            .map(|f| f.status().clone())
            .collect(),
    };
    let mut statuses: Vec<FindingStatus> = Vec::new();
    for from in &froms {
        for to in finding_targets(from) {
            if !statuses.contains(&to) {
                statuses.push(to);
            }
        }
    }
    statuses.sort_by_key(FindingStatus::rank);
    state.modal = Some(Modal::StatusMenu {
        targets,
        statuses,
        selected: 0,
    });
    Vec::new()
}

/// Moves the target findings to `status`.
pub fn set_status(state: &mut AppState, status: FindingStatus) -> Vec<Effect> {
    match state.change_targets() {
        Some(targets) => apply(state, targets, status_patch(status)),
        None => {
            state.toast(NOTHING_SELECTED, false);
            Vec::new()
        }
    }
}

fn status_patch(status: FindingStatus) -> FindingPatch {
    FindingPatch {
        status: Some(status),
        ..FindingPatch::default()
    }
}

fn owner_patch(owner: Option<String>) -> FindingPatch {
    FindingPatch {
        owner_id: Some(owner),
        ..FindingPatch::default()
    }
}

/// A status chosen in the status menu (dismissing asks first).
pub fn choose_status(
    state: &mut AppState,
    targets: ChangeTargets,
    to: Option<FindingStatus>,
) -> Vec<Effect> {
    match to {
        // Marked findings get the preview, which asks why.
        Some(FindingStatus::Dismissed) if targets != ChangeTargets::Marked => {
            state.modal = Some(Modal::ConfirmDismiss { targets });
            Vec::new()
        }
        Some(to) => apply(state, targets, status_patch(to)),
        None => Vec::new(),
    }
}

/// The answer to "dismiss?".
pub fn confirm_dismiss(state: &mut AppState, targets: ChangeTargets, yes: bool) -> Vec<Effect> {
    if !yes {
        return Vec::new();
    }
    apply(state, targets, status_patch(FindingStatus::Dismissed))
}

/// A severity chosen in the override menu.
pub fn choose_severity(
    state: &mut AppState,
    targets: ChangeTargets,
    selected: usize,
) -> Vec<Effect> {
    let Some(severity) = Severity::KNOWN.get(selected).cloned() else {
        return Vec::new();
    };
    let patch = FindingPatch {
        severity: Some(severity),
        ..FindingPatch::default()
    };
    apply(state, targets, patch)
}

/// A choice of the assign menu.
pub fn choose_assignee(
    state: &mut AppState,
    targets: ChangeTargets,
    selected: usize,
) -> Vec<Effect> {
    match state.assign_choices().get(selected).cloned() {
        Some(AssignChoice::Me) => match state.session.me().map(str::to_string) {
            Some(me) => apply(state, targets, owner_patch(Some(me))),
            None => {
                state.toast(
                    "your user id is not known: set `me` in the config profile, or choose \"a user id\"",
                    true,
                );
                Vec::new()
            }
        },
        Some(AssignChoice::Person(_, id)) => apply(state, targets, owner_patch(Some(id))),
        Some(AssignChoice::Uuid) => {
            state.modal = Some(Modal::OwnerPrompt {
                targets,
                input: Input::default(),
                error: None,
            });
            Vec::new()
        }
        Some(AssignChoice::Unassigned) => apply(state, targets, owner_patch(None)),
        None => Vec::new(),
    }
}

/// Enter in the user-id prompt: assigns when it holds a UUID, else says so
/// and keeps the prompt open.
pub fn submit_owner(state: &mut AppState, targets: ChangeTargets, input: Input) -> Vec<Effect> {
    let value = input.value().trim().to_string();
    match uuid::Uuid::parse_str(&value) {
        Ok(uuid) => apply(state, targets, owner_patch(Some(uuid.to_string()))),
        Err(_) => {
            state.modal = Some(Modal::OwnerPrompt {
                targets,
                input,
                error: Some("not a UUID: paste the user id, e.g. 3f2b…-…".to_string()),
            });
            Vec::new()
        }
    }
}

/// Sends a change: one optimistic PATCH for one finding, a bulk job
/// (previewed first) for the marked ones.
pub fn apply(state: &mut AppState, targets: ChangeTargets, patch: FindingPatch) -> Vec<Effect> {
    if state.session.read_only {
        state.toast("read-only mode: changes are refused", true);
        return Vec::new();
    }
    if super::session::refused_while_switching(state) {
        return Vec::new();
    }
    let what = describe(state, &patch);
    match targets {
        ChangeTargets::One(id) => single(state, id, patch, what),
        ChangeTargets::Marked => match state.findings.marks.only_ids().as_deref() {
            // One marked finding needs no journal: it is one change.
            Some([id]) => single(state, id.clone(), patch, what),
            _ => bulk::plan(state, patch, what),
        },
    }
}

/// Words for a patch, e.g. "move to triaged", "assign to Mei Lin".
pub fn describe(state: &AppState, patch: &FindingPatch) -> String {
    if let Some(s) = &patch.status {
        format!("move to {s}")
    } else if let Some(owner) = &patch.owner_id {
        match owner {
            Some(id) => format!("assign to {}", state.session.people.short(Some(id))),
            None => "unassign".to_string(),
        }
    } else if let Some(sev) = &patch.severity {
        format!("set severity {sev}")
    } else {
        "change".to_string()
    }
}

fn single(state: &mut AppState, id: String, patch: FindingPatch, what: String) -> Vec<Effect> {
    if let Some(why) = state.refusal(&id, &patch) {
        let name = state.label(&id);
        state.toast(format!("cannot {what} {name}: {why}"), true);
        return Vec::new();
    }
    let before = state.finding(&id).map(FindingRef::whole);
    let request = state.request_id();
    state.pending.insert(
        request,
        PendingPatch {
            finding_id: id.clone(),
            before,
            what,
            patch: patch.clone(),
            lost: None,
        },
    );
    state.change_finding(&id, |f| patch_finding(f, &patch));
    vec![Effect::Patch { request, id, patch }]
}

/// What a patch does to a finding, applied locally.
pub fn patch_finding(f: &mut Finding, patch: &FindingPatch) {
    if let Some(s) = &patch.status {
        f.status = s.clone();
    }
    if let Some(owner) = &patch.owner_id {
        f.owner_id = owner.clone();
    }
    if let Some(sev) = &patch.severity {
        f.severity = sev.clone();
    }
}

/// True when `f` holds every field `patch` sets.
fn holds(f: &Finding, patch: &FindingPatch) -> bool {
    patch.status.as_ref().is_none_or(|s| *s == f.status)
        && patch.owner_id.as_ref().is_none_or(|o| *o == f.owner_id)
        && patch.severity.as_ref().is_none_or(|s| *s == f.severity)
}

/// Logs what the user is told of a single change: `via=single` when its
/// answer told, `via=reread` when the finding had to be read again.
fn log_told(pending: &PendingPatch, told: Told) {
    let patch = &pending.patch;
    let fields = Fields {
        status: patch.status.as_ref(),
        owner: patch.owner_id.as_ref().map(Option::as_deref),
        severity: patch.severity.as_ref(),
    };
    let via = if pending.lost.is_some() {
        "reread"
    } else {
        "single"
    };
    reported::log(&pending.finding_id, fields, told, via);
}

/// The finding's name for a message: its title as it was, else its id.
fn name_of(pending: &PendingPatch) -> String {
    pending
        .before
        .as_ref()
        .map_or(sanitize(&pending.finding_id).into_owned(), |f| {
            format!("“{}”", sanitize(&f.title))
        })
}

/// The server accepted a change (its copy wins) or refused it (the row
/// goes back to what it was, with a toast saying why). A failure that may
/// still have applied the change (no answer, an unreadable one, a 5xx or a
/// 429 after the retries) is not reported as a failure: the finding is
/// read again first, and what the server holds is what the user is told.
pub fn patched(
    state: &mut AppState,
    request: u64,
    result: Result<Finding, ApiError>,
) -> Vec<Effect> {
    let Some(mut pending) = state.pending.remove(&request) else {
        return Vec::new();
    };
    let id = pending.finding_id.clone();
    match result {
        Ok(finding) => {
            state.connection = Connection::Online;
            state.replace_finding(&id, &finding);
            log_told(&pending, Told::Applied);
            let title = sanitize(&finding.title).into_owned();
            state.toast(format!("{}: “{title}”", pending.what), false);
            command_center::refresh(state)
        }
        Err(e) if e.may_have_applied() => {
            errors::record(state, &e);
            state.toast(
                format!(
                    "{} {}: no clear answer ({}); reading the finding again to see whether it applied…",
                    pending.what,
                    name_of(&pending),
                    errors::short(&e)
                ),
                false,
            );
            pending.lost = Some(e);
            state.pending.insert(request, pending);
            vec![Effect::Recheck { request, id }]
        }
        Err(e) => {
            errors::record(state, &e);
            if let Some(before) = &pending.before {
                state.replace_finding(&id, before);
            }
            log_told(&pending, Told::Failed);
            state.toast(
                format!(
                    "could not {} {}: {}; the change was undone",
                    pending.what,
                    name_of(&pending),
                    errors::short(&e)
                ),
                true,
            );
            Vec::new()
        }
    }
}

/// The finding read again after its change's answer was lost: the change
/// holds (applied after all), does not (failed), or the finding could not
/// be read either (unknown, and said so).
pub fn rechecked(
    state: &mut AppState,
    request: u64,
    result: Result<Finding, ApiError>,
) -> Vec<Effect> {
    let Some(pending) = state.pending.remove(&request) else {
        return Vec::new();
    };
    let id = pending.finding_id.clone();
    let lost = pending
        .lost
        .as_ref()
        .map(errors::short)
        .unwrap_or_else(|| "no answer".to_string());
    match result {
        Ok(finding) if holds(&finding, &pending.patch) => {
            state.connection = Connection::Online;
            state.replace_finding(&id, &finding);
            log_told(&pending, Told::Applied);
            let title = sanitize(&finding.title).into_owned();
            state.toast(
                format!(
                    "{}: “{title}” (its answer was lost: {lost}; read again, the change holds)",
                    pending.what
                ),
                false,
            );
            command_center::refresh(state)
        }
        Ok(finding) => {
            state.connection = Connection::Online;
            state.replace_finding(&id, &finding);
            log_told(&pending, Told::Failed);
            state.toast(
                format!(
                    "could not {} {}: {lost}; read again, the finding does not hold the change",
                    pending.what,
                    name_of(&pending),
                ),
                true,
            );
            Vec::new()
        }
        Err(e) => {
            errors::record(state, &e);
            if let Some(before) = &pending.before {
                state.replace_finding(&id, before);
            }
            log_told(&pending, Told::Unknown);
            state.toast(
                format!(
                    "{} {}: unknown whether it applied ({lost}), and the finding could not be \
                     read again ({}); press r to refresh before changing it again",
                    pending.what,
                    name_of(&pending),
                    errors::short(&e)
                ),
                true,
            );
            Vec::new()
        }
    }
}
