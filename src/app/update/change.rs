//! Changing findings by hand: status, owner, severity, from a key or a
//! menu. One finding is changed optimistically (and put back if refused);
//! several become a bulk job.

use tui_input::Input;

use super::{bulk, command_center, errors};
use crate::api::ApiError;
use crate::api::model::{Finding, FindingPatch, FindingStatus, Severity};
use crate::api::transitions::finding_targets;
use crate::app::effect::Effect;
use crate::app::state::{AppState, AssignChoice, Connection, Modal, PendingPatch};
use crate::sanitize::sanitize;

const NOTHING_SELECTED: &str = "no finding selected: move the cursor to one first";

/// Opens a menu for the target findings, if there are any.
pub fn open_menu(state: &mut AppState, modal: impl FnOnce(Vec<String>) -> Modal) -> Vec<Effect> {
    let ids = state.change_targets();
    if ids.is_empty() {
        state.toast(NOTHING_SELECTED, false);
    } else {
        state.modal = Some(modal(ids));
    }
    Vec::new()
}

/// `d`: asks before dismissing.
pub fn ask_dismiss(state: &mut AppState) -> Vec<Effect> {
    open_menu(state, |ids| Modal::ConfirmDismiss { ids })
}

/// `a`: the assign menu.
pub fn open_assign(state: &mut AppState) -> Vec<Effect> {
    open_menu(state, |ids| Modal::AssignMenu { ids, selected: 0 })
}

/// `S`: the severity override menu.
pub fn open_severity(state: &mut AppState) -> Vec<Effect> {
    open_menu(state, |ids| Modal::SeverityMenu { ids, selected: 0 })
}

/// `c`: the status menu, with only the moves the lifecycle allows.
pub fn open_status_menu(state: &mut AppState) -> Vec<Effect> {
    let ids = state.change_targets();
    let mut options: Vec<FindingStatus> = Vec::new();
    for id in &ids {
        if let Some(from) = state.status_of(id) {
            for to in finding_targets(&from) {
                if !options.contains(&to) {
                    options.push(to);
                }
            }
        }
    }
    options.sort_by_key(FindingStatus::rank);
    open_menu(state, |ids| Modal::StatusMenu {
        ids,
        targets: options,
        selected: 0,
    })
}

/// Moves the target findings to `status`.
pub fn set_status(state: &mut AppState, status: FindingStatus) -> Vec<Effect> {
    let ids = state.change_targets();
    apply(state, ids, status_patch(status))
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
    ids: Vec<String>,
    to: Option<FindingStatus>,
) -> Vec<Effect> {
    match to {
        Some(FindingStatus::Dismissed) => {
            state.modal = Some(Modal::ConfirmDismiss { ids });
            Vec::new()
        }
        Some(to) => apply(state, ids, status_patch(to)),
        None => Vec::new(),
    }
}

/// The answer to "dismiss?".
pub fn confirm_dismiss(state: &mut AppState, ids: Vec<String>, yes: bool) -> Vec<Effect> {
    if !yes {
        return Vec::new();
    }
    apply(state, ids, status_patch(FindingStatus::Dismissed))
}

/// A severity chosen in the override menu.
pub fn choose_severity(state: &mut AppState, ids: Vec<String>, selected: usize) -> Vec<Effect> {
    let Some(severity) = Severity::KNOWN.get(selected).cloned() else {
        return Vec::new();
    };
    let patch = FindingPatch {
        severity: Some(severity),
        ..FindingPatch::default()
    };
    apply(state, ids, patch)
}

/// A choice of the assign menu.
pub fn choose_assignee(state: &mut AppState, ids: Vec<String>, selected: usize) -> Vec<Effect> {
    match state.assign_choices().get(selected).cloned() {
        Some(AssignChoice::Me) => match state.session.me().map(str::to_string) {
            Some(me) => apply(state, ids, owner_patch(Some(me))),
            None => {
                state.toast(
                    "your user id is not known: set `me` in the config profile, or choose \"a user id\"",
                    true,
                );
                Vec::new()
            }
        },
        Some(AssignChoice::Person(_, id)) => apply(state, ids, owner_patch(Some(id))),
        Some(AssignChoice::Uuid) => {
            state.modal = Some(Modal::OwnerPrompt {
                ids,
                input: Input::default(),
                error: None,
            });
            Vec::new()
        }
        Some(AssignChoice::Unassigned) => apply(state, ids, owner_patch(None)),
        None => Vec::new(),
    }
}

/// Enter in the user-id prompt: assigns when it holds a UUID, else says so
/// and keeps the prompt open.
pub fn submit_owner(state: &mut AppState, ids: Vec<String>, input: Input) -> Vec<Effect> {
    let value = input.value().trim().to_string();
    match uuid::Uuid::parse_str(&value) {
        Ok(uuid) => apply(state, ids, owner_patch(Some(uuid.to_string()))),
        Err(_) => {
            state.modal = Some(Modal::OwnerPrompt {
                ids,
                input,
                error: Some("not a UUID: paste the user id, e.g. 3f2b…-…".to_string()),
            });
            Vec::new()
        }
    }
}

/// Sends a change for the given findings: one optimistic PATCH, or a bulk
/// job when there are several.
pub fn apply(state: &mut AppState, ids: Vec<String>, patch: FindingPatch) -> Vec<Effect> {
    if state.session.read_only {
        state.toast("read-only mode: changes are refused", true);
        return Vec::new();
    }
    if super::session::refused_while_switching(state) {
        return Vec::new();
    }
    let what = describe(state, &patch);
    match ids.as_slice() {
        [] => {
            state.toast(NOTHING_SELECTED, false);
            Vec::new()
        }
        [id] => single(state, id.clone(), patch, what),
        _ => bulk::start(state, ids, patch, what),
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
    let before = state.finding(&id).cloned();
    let request = state.request_id();
    state.pending.insert(
        request,
        PendingPatch {
            finding_id: id.clone(),
            before,
            what,
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

/// The server accepted a change (its copy wins) or refused it (the row
/// goes back to what it was, with a toast saying why).
pub fn patched(
    state: &mut AppState,
    request: u64,
    result: Result<Finding, ApiError>,
) -> Vec<Effect> {
    let Some(pending) = state.pending.remove(&request) else {
        return Vec::new();
    };
    let id = pending.finding_id.clone();
    match result {
        Ok(finding) => {
            state.connection = Connection::Online;
            state.replace_finding(&id, &finding);
            let title = sanitize(&finding.title).into_owned();
            state.toast(format!("{}: “{title}”", pending.what), false);
            command_center::refresh(state)
        }
        Err(e) => {
            errors::record(state, &e);
            if let Some(before) = &pending.before {
                state.replace_finding(&id, before);
            }
            let name = pending
                .before
                .as_ref()
                .map_or(sanitize(&id).into_owned(), |f| {
                    format!("“{}”", sanitize(&f.title))
                });
            state.toast(
                format!(
                    "could not {} {name}: {}; the change was undone",
                    pending.what,
                    errors::short(&e)
                ),
                true,
            );
            Vec::new()
        }
    }
}
