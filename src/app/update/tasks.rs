//! The tasks pane: the project's tasks by cursor pages, a status filter,
//! the cursor, and `enter` to open a task's finding. Changing tasks lives
//! in `task_change`.

use super::{detail, errors, unavailable};
use crate::api::ApiError;
use crate::api::Page;
use crate::api::model::Task;
use crate::api::paginate::CursorPager;
use crate::app::effect::Effect;
use crate::app::layout;
use crate::app::state::{AppState, Load, Modal, TASK_FILTERS};

/// Rows from the end of the loaded ones at which the next page is asked for.
const PREFETCH: usize = 10;

/// Asks for the first page the first time the pane is shown.
pub fn ensure_loaded(state: &mut AppState) -> Vec<Effect> {
    match state.remediation.tasks.load {
        Load::NotAsked => reload(state),
        _ => Vec::new(),
    }
}

/// Starts the list over for the current filter. The rows shown stay until
/// the first page replaces them, so a refresh does not blank the pane.
pub fn reload(state: &mut AppState) -> Vec<Effect> {
    let t = &mut state.remediation.tasks;
    if t.load.is_not_offered() {
        return Vec::new();
    }
    t.generation += 1;
    t.restart = true;
    t.pager = CursorPager::new();
    t.load = Load::Loading;
    vec![Effect::LoadTasks {
        generation: t.generation,
        status: t.status.clone(),
        cursor: None,
    }]
}

/// The next page, when the cursor nears the end of what is loaded.
fn prefetch(state: &mut AppState) -> Vec<Effect> {
    let t = &mut state.remediation.tasks;
    if t.load != Load::Loaded || t.pager.is_done() || t.cursor + PREFETCH < t.rows.len() {
        return Vec::new();
    }
    t.load = Load::Loading;
    vec![Effect::LoadTasks {
        generation: t.generation,
        status: t.status.clone(),
        cursor: t.pager.cursor().map(str::to_string),
    }]
}

/// A page of tasks arrived: appended when it answers the current filter.
pub fn page_loaded(
    state: &mut AppState,
    generation: u64,
    result: Result<Page<Task>, ApiError>,
) -> Vec<Effect> {
    if generation != state.remediation.tasks.generation {
        return Vec::new();
    }
    match result {
        Ok(page) => {
            let t = &mut state.remediation.tasks;
            if std::mem::take(&mut t.restart) {
                t.rows.clear();
                t.total = None;
            }
            t.pager.record(&page);
            t.total = t.pager.progress().total.or(t.total);
            // A task already shown (a page boundary that moved as tasks
            // were created) is not listed twice.
            let fresh: Vec<Task> = page
                .items
                .into_iter()
                .filter(|task| t.rows.iter().all(|r| r.id != task.id))
                .collect();
            t.rows.extend(fresh);
            t.load = Load::Loaded;
            keep_in_view(state);
            prefetch(state)
        }
        Err(e) => {
            let load = match unavailable::explain("tasks", "GET /tasks", &e) {
                Some(why) => Load::NotOffered(why),
                None => {
                    errors::record(state, &e);
                    let kept = match state.remediation.tasks.rows.len() {
                        0 => String::new(),
                        n => format!("; the {n} shown are kept"),
                    };
                    Load::Failed(format!(
                        "tasks not loaded: {}{kept}; press r to retry",
                        errors::short(&e)
                    ))
                }
            };
            state.remediation.tasks.load = load;
            Vec::new()
        }
    }
}

/// Rows the pane shows at the current terminal size.
pub fn page_height(state: &AppState) -> usize {
    // Border, header and the line under the table.
    (layout::findings_area(state.size).height as usize)
        .saturating_sub(4)
        .max(1)
}

/// Moves the cursor, keeps it in view, and asks for more near the end.
pub fn move_cursor(state: &mut AppState, delta: isize) -> Vec<Effect> {
    let t = &mut state.remediation.tasks;
    let last = t.rows.len().saturating_sub(1);
    t.cursor = (t.cursor as isize)
        .saturating_add(delta)
        .clamp(0, last as isize) as usize;
    keep_in_view(state);
    prefetch(state)
}

fn keep_in_view(state: &mut AppState) {
    let height = page_height(state);
    let t = &mut state.remediation.tasks;
    t.cursor = t.cursor.min(t.rows.len().saturating_sub(1));
    if t.cursor < t.scroll {
        t.scroll = t.cursor;
    } else if t.cursor >= t.scroll + height {
        t.scroll = t.cursor + 1 - height;
    }
}

/// `f`: the status filter.
pub fn open_filter(state: &mut AppState) -> Vec<Effect> {
    let current = state.remediation.tasks.status.as_ref();
    let selected = current
        .and_then(|s| TASK_FILTERS.iter().position(|f| f == s))
        .map_or(0, |i| i + 1);
    state.modal = Some(Modal::TaskFilterMenu { selected });
    Vec::new()
}

/// A filter was chosen: `(any)` or a status; the list starts over.
pub fn choose_filter(state: &mut AppState, selected: usize) -> Vec<Effect> {
    let status = selected
        .checked_sub(1)
        .and_then(|i| TASK_FILTERS.get(i))
        .cloned();
    let t = &mut state.remediation.tasks;
    t.status = status;
    // Another filter: the old rows are not its rows.
    t.rows.clear();
    t.total = None;
    t.cursor = 0;
    t.scroll = 0;
    reload(state)
}

/// `enter`: the finding of the task under the cursor.
pub fn open_finding(state: &mut AppState) -> Vec<Effect> {
    match state.remediation.tasks.selected() {
        Some(task) => {
            let id = task.finding_id.clone();
            detail::open(state, id)
        }
        None => Vec::new(),
    }
}
