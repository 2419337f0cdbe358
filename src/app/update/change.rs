//! Changes to findings: one finding optimistically, several as a bulk job.

use crate::api::model::{Finding, FindingPatch, FindingStatus, Severity};
use crate::api::transitions::{finding_move_allowed, finding_targets};
use crate::app::effect::Effect;
use crate::app::state::{AppState, BulkProgress, Modal, Pane, PendingPatch};
use crate::sanitize::sanitize;

use super::list;

/// The findings a change applies to: the marked ones in the list, else the
/// one under the cursor (or shown in the detail, or selected in the
/// command center).
pub fn targets(state: &AppState) -> Vec<String> {
    match state.pane {
        Pane::Findings if !state.findings.marks.is_empty() => {
            let mut ids: Vec<String> = state.findings.marks.iter().cloned().collect();
            ids.sort();
            ids
        }
        Pane::Findings => state
            .findings
            .selected()
            .map(|f| f.id.clone())
            .into_iter()
            .collect(),
        Pane::Detail => state.detail.iter().map(|d| d.id.clone()).collect(),
        Pane::CommandCenter => state
            .command_center
            .data
            .as_ref()
            .and_then(|d| d.top_priorities.get(state.command_center.selected))
            .map(|t| t.id.clone())
            .into_iter()
            .collect(),
    }
}

/// The status of a finding as far as the TUI knows it.
pub(super) fn current_status(state: &AppState, id: &str) -> Option<FindingStatus> {
    state.finding(id).map(|f| f.status.clone()).or_else(|| {
        let top = state.command_center.data.as_ref()?.top_priorities.iter();
        top.clone().find(|t| t.id == id).map(|t| t.status.clone())
    })
}

/// A short name for a finding in messages.
pub(super) fn label(state: &AppState, id: &str) -> String {
    match state.finding(id) {
        Some(f) if !f.title.is_empty() => format!("“{}”", sanitize(&f.title)),
        _ => sanitize(id).into_owned(),
    }
}

/// Opens a menu for the target findings, if there are any.
pub fn open_menu(state: &mut AppState, modal: impl FnOnce(Vec<String>) -> Modal) -> Vec<Effect> {
    let ids = targets(state);
    if ids.is_empty() {
        state.toast("no finding selected: move the cursor to one first", false);
    } else {
        state.modal = Some(modal(ids));
    }
    Vec::new()
}

/// Opens the status menu with only the moves the lifecycle allows.
pub fn open_status_menu(state: &mut AppState) -> Vec<Effect> {
    let ids = targets(state);
    let mut options: Vec<FindingStatus> = Vec::new();
    for id in &ids {
        if let Some(from) = current_status(state, id) {
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
    let ids = targets(state);
    apply(
        state,
        ids,
        FindingPatch {
            status: Some(status),
            ..FindingPatch::default()
        },
    )
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
    let what = match &patch.owner_id {
        Some(Some(owner)) => format!("assign to {}", state.session.owner_name(owner)),
        _ => describe(&patch),
    };
    match ids.as_slice() {
        [] => {
            state.toast("no finding selected: move the cursor to one first", false);
            Vec::new()
        }
        [id] => single(state, id.clone(), patch, what),
        _ => bulk(state, ids, patch, what),
    }
}

/// Words for a patch, e.g. "move to triaged".
pub fn describe(patch: &FindingPatch) -> String {
    if let Some(s) = &patch.status {
        format!("move to {s}")
    } else if let Some(owner) = &patch.owner_id {
        match owner {
            Some(id) => format!("assign to {}", short_id(id)),
            None => "unassign".to_string(),
        }
    } else if let Some(sev) = &patch.severity {
        format!("set severity {sev}")
    } else {
        "change".to_string()
    }
}

/// The first block of a UUID, enough to tell owners apart.
pub fn short_id(id: &str) -> String {
    sanitize(id.split('-').next().unwrap_or(id))
        .chars()
        .take(8)
        .collect()
}

/// Why a status move is refused before sending, if it is.
fn refusal(state: &AppState, id: &str, patch: &FindingPatch) -> Option<String> {
    let to = patch.status.as_ref()?;
    let from = current_status(state, id)?;
    if finding_move_allowed(&from, to) {
        return None;
    }
    let allowed: Vec<String> = finding_targets(&from)
        .iter()
        .map(ToString::to_string)
        .collect();
    let options = if allowed.is_empty() {
        "none".to_string()
    } else {
        allowed.join(", ")
    };
    let mut why = format!("{from} cannot move to {to} (allowed: {options})");
    if *to == FindingStatus::Resolved || from == FindingStatus::Resolved {
        why.push_str("; ");
        why.push_str(crate::api::transitions::RESOLVED_EXPLANATION);
    }
    Some(why)
}

fn single(state: &mut AppState, id: String, patch: FindingPatch, what: String) -> Vec<Effect> {
    if let Some(why) = refusal(state, &id, &patch) {
        let name = label(state, &id);
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
    apply_local(state, &id, |f| patch_finding(f, &patch));
    vec![Effect::Patch { request, id, patch }]
}

fn bulk(state: &mut AppState, ids: Vec<String>, patch: FindingPatch, what: String) -> Vec<Effect> {
    if state.bulk.as_ref().is_some_and(|b| !b.finished) {
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
        match refusal(state, id, &patch) {
            Some(why) => failures.push((label(state, id), why)),
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

/// Changes a finding wherever it is shown: list row, detail, top priorities.
pub fn apply_local(state: &mut AppState, id: &str, change: impl Fn(&mut Finding)) {
    let mut retitled = false;
    for row in state.findings.rows.iter_mut().filter(|f| f.id == id) {
        let title = row.title.clone();
        change(row);
        retitled |= row.title != title;
    }
    if retitled {
        // The filter's remembered matches were scored on the old title.
        state.findings.filter_memo = None;
    }
    if let Some(f) = state
        .detail
        .as_mut()
        .and_then(|d| d.finding.as_mut())
        .filter(|f| f.id == id)
    {
        change(f);
    }
    if let Some(cc) = state.command_center.data.as_mut() {
        for top in cc.top_priorities.iter_mut().filter(|t| t.id == id) {
            let mut f = Finding {
                status: top.status.clone(),
                severity: top.severity.clone(),
                ..Finding::default()
            };
            change(&mut f);
            top.status = f.status;
            top.severity = f.severity;
        }
    }
    list::recompute_visible(&mut state.findings);
}

/// Puts a finding back as it was, or as the server sent it.
pub fn replace(state: &mut AppState, id: &str, finding: &Finding) {
    apply_local(state, id, |f| *f = finding.clone());
}

/// The severity choices of the override menu.
pub fn severity_options() -> &'static [Severity] {
    Severity::KNOWN
}
