//! `i`: the verifications of the selected task (tasks pane) or finding
//! (through its newest task), each with its result and its checks before
//! → after, in an overlay.

use super::{errors, unavailable};
use crate::api::ApiError;
use crate::api::model::{Task, Verification};
use crate::app::effect::Effect;
use crate::app::state::{
    AppState, ChangeTargets, Load, Modal, Pane, VerificationsOf, VerificationsView,
};

/// Opens the overlay and asks for the runs.
pub fn open(state: &mut AppState) -> Vec<Effect> {
    let (of, label, task) = match state.pane {
        Pane::Tasks => {
            let Some(task) = state.remediation.tasks.selected().cloned() else {
                state.toast("no task selected: move the cursor to one first", false);
                return Vec::new();
            };
            let label = state
                .title_of(&task.finding_id)
                .unwrap_or_else(|| crate::sanitize::sanitize(&task.title).into_owned());
            let of = VerificationsOf::Task {
                id: task.id.clone(),
                created: task.created(),
            };
            (of, label, Some(task))
        }
        Pane::Findings => match state.findings.selected().map(|f| f.id().to_string()) {
            Some(id) => (VerificationsOf::Finding(id.clone()), state.label(&id), None),
            None => return nothing_selected(state),
        },
        _ => match state.change_targets() {
            Some(ChangeTargets::One(id)) => {
                (VerificationsOf::Finding(id.clone()), state.label(&id), None)
            }
            _ => return nothing_selected(state),
        },
    };
    let generation = state.request_id();
    state.remediation.verifications = Some(VerificationsView {
        of: of.clone(),
        label,
        task,
        rows: Vec::new(),
        generation,
        load: Load::Loading,
    });
    state.modal = Some(Modal::Verifications { scroll: 0 });
    vec![Effect::LoadVerifications { generation, of }]
}

fn nothing_selected(state: &mut AppState) -> Vec<Effect> {
    state.toast(
        "nothing selected: move the cursor to a finding or a task",
        false,
    );
    Vec::new()
}

/// The runs arrived (with the task, for a finding), or why not.
pub fn loaded(
    state: &mut AppState,
    generation: u64,
    result: Result<(Option<Task>, Vec<Verification>), ApiError>,
) -> Vec<Effect> {
    let ours = state
        .remediation
        .verifications
        .as_ref()
        .is_some_and(|v| v.generation == generation);
    if !ours {
        return Vec::new();
    }
    let load = match result {
        Ok((task, rows)) => {
            if let Some(view) = state.remediation.verifications.as_mut() {
                if task.is_some() {
                    view.task = task;
                }
                view.rows = rows;
            }
            Load::Loaded
        }
        Err(e) => match unavailable::explain("verifications", "GET /verifications", &e) {
            Some(why) => Load::NotOffered(why),
            None => {
                errors::record(state, &e);
                Load::Failed(format!("verifications not loaded: {}", errors::short(&e)))
            }
        },
    };
    if let Some(view) = state.remediation.verifications.as_mut() {
        view.load = load;
    }
    Vec::new()
}
