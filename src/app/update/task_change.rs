//! Changing tasks: creating a finding's task (owner, then the SLA: the
//! policy's unless typed), moving a task through its legal statuses only,
//! setting its ticket key and PR URL. Every change waits for the server's
//! answer, which is what the pane then shows.

use tui_input::Input;

use super::{command_center, errors, unavailable};
use crate::api::ApiError;
use crate::api::model::{NewTask, Task, TaskPatch, TaskStatus};
use crate::api::remediation::priority_of;
use crate::api::transitions::task_targets;
use crate::app::effect::Effect;
use crate::app::state::{
    AppState, AssignChoice, ChangeTargets, Modal, Pane, PendingTaskChange, TaskField,
    task_owner_choices,
};
use crate::engine::sla::parse_due;
use crate::sanitize::sanitize;

/// The finding `T` creates a task for: the cursor's (never the marks), the
/// detail's, a top priority, or a regression's.
fn finding_for_task(state: &AppState) -> Option<String> {
    match state.pane {
        Pane::Findings => state.findings.selected().map(|f| f.id().to_string()),
        _ => match state.change_targets()? {
            ChangeTargets::One(id) => Some(id),
            ChangeTargets::Marked => None,
        },
    }
}

/// `T`: a task for the selected finding; first, who owns it.
pub fn open_create(state: &mut AppState) -> Vec<Effect> {
    let Some(finding_id) = finding_for_task(state) else {
        state.toast("no finding selected: move the cursor to one first", false);
        return Vec::new();
    };
    let name = state.label(&finding_id);
    if let Some(task) = state.remediation.tasks.open_task_of(&finding_id) {
        let text = format!(
            "{name} already has a task ({}, {}): see it in the tasks pane",
            sanitize(task.status.as_str()),
            sanitize(&task.id)
        );
        state.toast(text, false);
        return Vec::new();
    }
    if state.remediation.is_pending(&finding_id) {
        state.toast(format!("a task for {name} is being created"), false);
        return Vec::new();
    }
    state.modal = Some(Modal::TaskOwnerMenu {
        finding_id,
        selected: 0,
    });
    Vec::new()
}

/// An owner was chosen: the SLA prompt comes next.
pub fn choose_owner(state: &mut AppState, finding_id: String, selected: usize) -> Vec<Effect> {
    let owner = match task_owner_choices(&state.session.people).get(selected) {
        Some(AssignChoice::Me) => match state.session.me() {
            Some(me) => Some(me.to_string()),
            None => {
                state.toast(
                    "your user id is not known: set `me` in the config profile, or choose a person",
                    true,
                );
                return Vec::new();
            }
        },
        Some(AssignChoice::Person(_, id)) => Some(id.clone()),
        Some(AssignChoice::Unassigned | AssignChoice::Uuid) | None => None,
    };
    state.modal = Some(Modal::TaskPrompt {
        field: TaskField::Sla { finding_id, owner },
        input: Input::default(),
        error: None,
    });
    Vec::new()
}

/// Enter in a task prompt.
pub fn submit(state: &mut AppState, field: TaskField, input: Input) -> Vec<Effect> {
    let value = input.value().trim().to_string();
    let keep = |state: &mut AppState, field: TaskField, input: Input, why: String| {
        state.modal = Some(Modal::TaskPrompt {
            field,
            input,
            error: Some(why),
        });
        Vec::new()
    };
    match field {
        TaskField::Sla { finding_id, owner } => match parse_due(&value, state.wall) {
            Ok(due) => create(state, finding_id, owner, due),
            Err(why) => keep(state, TaskField::Sla { finding_id, owner }, input, why),
        },
        TaskField::Ticket { task_id } => {
            let key = (!value.is_empty()).then_some(value);
            let what = match &key {
                Some(k) => format!("set the ticket key {}", sanitize(k)),
                None => "clear the ticket key".to_string(),
            };
            let patch = TaskPatch {
                external_ticket_key: Some(key),
                ..TaskPatch::default()
            };
            send_patch(state, task_id, patch, what)
        }
        TaskField::PrUrl { task_id } => {
            if !value.is_empty() && !is_web_url(&value) {
                let why = "not an http(s) URL: paste the pull request's address".to_string();
                return keep(state, TaskField::PrUrl { task_id }, input, why);
            }
            let url = (!value.is_empty()).then_some(value);
            let what = match &url {
                Some(_) => "set the PR URL".to_string(),
                None => "clear the PR URL".to_string(),
            };
            let patch = TaskPatch {
                pr_url: Some(url),
                ..TaskPatch::default()
            };
            send_patch(state, task_id, patch, what)
        }
    }
}

fn is_web_url(text: &str) -> bool {
    url::Url::parse(text)
        .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
}

/// Sends `POST /tasks`: titled after the finding, its priority from the
/// finding's severity, the SLA from the policy unless one was typed.
fn create(
    state: &mut AppState,
    finding_id: String,
    owner: Option<String>,
    due: Option<chrono::DateTime<chrono::Utc>>,
) -> Vec<Effect> {
    let title = state
        .finding(&finding_id)
        .map(|f| f.title().to_string())
        .or_else(|| state.title_of(&finding_id))
        .unwrap_or_else(|| format!("Fix finding {finding_id}"));
    let task = NewTask {
        finding_id: finding_id.clone(),
        title,
        priority: Some(priority_of(&state.severity_of(&finding_id))),
        owner_id: owner,
        sla_due_at: due.map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
    };
    let request = state.request_id();
    state.remediation.pending.insert(
        request,
        PendingTaskChange {
            subject: finding_id.clone(),
            what: "create a task".to_string(),
        },
    );
    let name = state.label(&finding_id);
    state.toast(format!("creating a task for {name}…"), false);
    vec![Effect::CreateTask { request, task }]
}

/// `c` in the tasks pane: the moves the task's lifecycle allows.
pub fn open_status_menu(state: &mut AppState) -> Vec<Effect> {
    let Some(task) = selected_changeable(state) else {
        return Vec::new();
    };
    state.modal = Some(Modal::TaskStatusMenu {
        task_id: task.id.clone(),
        targets: task_targets(&task.status),
        selected: 0,
    });
    Vec::new()
}

/// The task under the cursor, when it can be changed; says why not.
fn selected_changeable(state: &mut AppState) -> Option<Task> {
    if let Some(why) = state.remediation.tasks.changes_not_offered.clone() {
        state.toast(why, false);
        return None;
    }
    let Some(task) = state.remediation.tasks.selected().cloned() else {
        state.toast("no task selected: move the cursor to one first", false);
        return None;
    };
    if state.remediation.is_pending(&task.id) {
        state.toast("a change of this task is still on its way", false);
        return None;
    }
    Some(task)
}

/// A status chosen in the task's menu.
pub fn choose_status(state: &mut AppState, task_id: String, to: Option<TaskStatus>) -> Vec<Effect> {
    let Some(to) = to else {
        return Vec::new();
    };
    let what = format!("move to {to}");
    let patch = TaskPatch {
        status: Some(to),
        ..TaskPatch::default()
    };
    send_patch(state, task_id, patch, what)
}

/// `K`: the ticket key prompt, with the current key.
pub fn open_ticket(state: &mut AppState) -> Vec<Effect> {
    let Some(task) = selected_changeable(state) else {
        return Vec::new();
    };
    state.modal = Some(Modal::TaskPrompt {
        field: TaskField::Ticket { task_id: task.id },
        input: Input::new(task.external_ticket_key.unwrap_or_default()),
        error: None,
    });
    Vec::new()
}

/// `U`: the PR URL prompt, with the current URL.
pub fn open_pr(state: &mut AppState) -> Vec<Effect> {
    let Some(task) = selected_changeable(state) else {
        return Vec::new();
    };
    state.modal = Some(Modal::TaskPrompt {
        field: TaskField::PrUrl { task_id: task.id },
        input: Input::new(task.pr_url.unwrap_or_default()),
        error: None,
    });
    Vec::new()
}

/// The answer to "move the task back to in_progress?" after a failed
/// verification.
pub fn confirm_back(state: &mut AppState, task_id: String, yes: bool) -> Vec<Effect> {
    if !yes {
        state.toast("the task keeps its status", false);
        return Vec::new();
    }
    choose_status(state, task_id, Some(TaskStatus::InProgress))
}

fn send_patch(
    state: &mut AppState,
    task_id: String,
    patch: TaskPatch,
    what: String,
) -> Vec<Effect> {
    if state.session.read_only {
        state.toast("read-only mode: changes are refused", true);
        return Vec::new();
    }
    let request = state.request_id();
    state.remediation.pending.insert(
        request,
        PendingTaskChange {
            subject: task_id.clone(),
            what,
        },
    );
    vec![Effect::PatchTask {
        request,
        id: task_id,
        patch,
    }]
}

/// `POST /tasks` answered.
pub fn created(state: &mut AppState, request: u64, result: Result<Task, ApiError>) -> Vec<Effect> {
    let Some(pending) = state.remediation.pending.remove(&request) else {
        return Vec::new();
    };
    let name = state.label(&pending.subject);
    match result {
        Ok(task) => {
            let due = crate::engine::sla::Sla::at(crate::engine::sla::task_due(&task), state.wall);
            state.toast(
                format!(
                    "task created for {name}: {}, SLA {}",
                    sanitize(task.status.as_str()),
                    due.text()
                ),
                false,
            );
            let tasks = &mut state.remediation.tasks;
            let shown = tasks.status.as_ref().is_none_or(|s| *s == task.status);
            if tasks.load == crate::app::state::Load::Loaded && shown {
                tasks.rows.insert(0, task);
                tasks.total = tasks.total.map(|t| t + 1);
            }
            Vec::new()
        }
        Err(e) => {
            errors::record(state, &e);
            state.toast(
                format!("no task created for {name}: {}", errors::short(&e)),
                true,
            );
            Vec::new()
        }
    }
}

/// `PATCH /tasks/{id}` answered: the server's task replaces the row; a
/// status move also moved the finding, so what shows it is refreshed.
pub fn patched(state: &mut AppState, request: u64, result: Result<Task, ApiError>) -> Vec<Effect> {
    let Some(pending) = state.remediation.pending.remove(&request) else {
        return Vec::new();
    };
    match result {
        Ok(task) => {
            let before = state
                .remediation
                .tasks
                .task(&task.id)
                .map(|t| t.status.clone());
            let title = sanitize(&task.title).into_owned();
            state.toast(format!("{}: task “{title}”", pending.what), false);
            let moved = before.as_ref() != Some(&task.status);
            if let Some(row) = state
                .remediation
                .tasks
                .rows
                .iter_mut()
                .find(|t| t.id == task.id)
            {
                *row = task;
            }
            if moved {
                command_center::refresh_all(state)
            } else {
                Vec::new()
            }
        }
        Err(e) if e.is_not_offered() => {
            let why = unavailable::explain("changing tasks", "PATCH /tasks/{id}", &e)
                .unwrap_or_else(|| e.to_string());
            state.toast(why.clone(), true);
            state.remediation.tasks.changes_not_offered = Some(why);
            Vec::new()
        }
        Err(e) => {
            errors::record(state, &e);
            state.toast(
                format!("could not {}: {}", pending.what, errors::short(&e)),
                true,
            );
            Vec::new()
        }
    }
}
