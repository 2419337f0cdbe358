//! Saved views: the digits and `:view` switch the list to one (its server
//! filters, sort and columns), the tabs' counts are asked with the
//! command center, a changed list can be saved as a new view, and the last
//! view and position of each project are remembered.

use std::collections::BTreeMap;

use super::{errors, list};
use crate::api::ApiError;
use crate::api::model::FindingQuery;
use crate::app::effect::Effect;
use crate::app::state::{AppState, Pane, Remembered, SortKey, ViewCount};
use crate::config::views::{OwnerSpec, ViewSpec};
use crate::sanitize::sanitize;

/// The file of remembered views in the state directory.
pub const REMEMBERED_FILE: &str = "views.json";

/// Puts the list in view `index`'s filters, sort and columns, without
/// loading; the reason when it cannot be shown.
fn set_view(state: &mut AppState, index: usize) -> Result<(), String> {
    let me = state.session.me().map(str::to_string);
    let view = state
        .views
        .views
        .get(index)
        .ok_or_else(|| format!("there is no view {}", index + 1))?;
    let query = view
        .query(me.as_deref())
        .map_err(|why| format!("view {} not shown: {why}", sanitize(&view.spec.name)))?;
    let keys = view.sort();
    let f = &mut state.findings;
    f.query = query;
    f.sort = keys.first().copied().unwrap_or_default();
    f.sort_then = keys.iter().skip(1).copied().collect();
    f.text_filter.clear();
    f.filter_input = None;
    f.grouping.reset();
    f.grouping.by = view.group_by();
    f.open_only = view.open_only();
    state.views.current = Some(index);
    state.views.base = index;
    Ok(())
}

/// A digit or `:view`: the list shows view `index`, reloaded.
pub fn switch(state: &mut AppState, index: usize) -> Vec<Effect> {
    if let Err(why) = set_view(state, index) {
        state.toast(why, true);
        return Vec::new();
    }
    state.views.pending_cursor = None;
    if state.pane != Pane::Detail {
        state.pane = Pane::Findings;
    }
    let mut effects = list::reload(state);
    effects.extend(remember(state));
    effects
}

/// Before the first load of a project: its remembered view and position,
/// else the first view.
pub fn restore(state: &mut AppState) {
    let remembered = state.remembered.get(&state.remember_key()).cloned();
    let index = remembered
        .as_ref()
        .and_then(|r| state.views.find(&r.view))
        .unwrap_or(0);
    let shown = set_view(state, index).map_err(|why| {
        // The first view may need `me`: fall back to the plain list.
        state.toast(why, true);
        state.views.current = None;
    });
    if shown.is_ok() {
        state.views.pending_cursor = remembered.map(|r| r.position).filter(|&p| p > 0);
    }
}

/// Records where the list is, and asks the runtime to keep it.
pub fn remember(state: &mut AppState) -> Vec<Effect> {
    let view = state
        .views
        .views
        .get(state.views.current.unwrap_or(state.views.base))
        .map(|v| v.spec.name.clone())
        .unwrap_or_default();
    let position = state.views.pending_cursor.unwrap_or(state.findings.cursor);
    let key = state.remember_key();
    state.remembered.insert(key, Remembered { view, position });
    match &state.session.state_dir {
        Some(dir) => vec![Effect::Remember {
            path: dir.join(REMEMBERED_FILE),
            remembered: state
                .remembered
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<BTreeMap<_, _>>(),
        }],
        None => Vec::new(),
    }
}

/// Asks for every view's count, unless the rate budget is nearly spent
/// (the counts shown then stay as they are until the next refresh).
pub fn refresh_counts(state: &mut AppState) -> Vec<Effect> {
    let needed = state
        .views
        .views
        .iter()
        .map(|v| v.counted_statuses().len().max(1) as u32)
        .sum::<u32>()
        + 5;
    if state.budget.remaining.is_some_and(|left| left < needed) {
        return Vec::new();
    }
    state.views.generation += 1;
    let generation = state.views.generation;
    let me = state.session.me().map(str::to_string);
    let mut effects = Vec::new();
    for (index, view) in state.views.views.iter_mut().enumerate() {
        match view.query(me.as_deref()) {
            Ok(query) => {
                let last = match &view.count {
                    ViewCount::Known(n) | ViewCount::Asking(Some(n)) => Some(*n),
                    _ => None,
                };
                view.count = ViewCount::Asking(last);
                effects.push(Effect::CountView {
                    generation,
                    index,
                    query,
                    statuses: view.counted_statuses(),
                });
            }
            Err(why) => view.count = ViewCount::Failed(why),
        }
    }
    effects
}

/// A view's count arrived.
pub fn counted(
    state: &mut AppState,
    generation: u64,
    index: usize,
    result: Result<u64, ApiError>,
) -> Vec<Effect> {
    if generation != state.views.generation {
        return Vec::new();
    }
    if let Some(view) = state.views.views.get_mut(index) {
        view.count = match result {
            Ok(n) => ViewCount::Known(n),
            Err(e) => ViewCount::Failed(errors::short(&e)),
        };
    }
    Vec::new()
}

/// `:goto N`: the cursor to row N (1-based), loading up to it.
pub fn goto(state: &mut AppState, row: usize) -> Vec<Effect> {
    state.pane = Pane::Findings;
    state.views.pending_cursor = Some(row.saturating_sub(1));
    state.follow_pending_cursor();
    list::keep_in_view(state);
    list::prefetch(state)
}

/// The list's filters and sort as a view named `name`.
fn current_spec(state: &AppState, name: &str) -> ViewSpec {
    let f = &state.findings;
    let q: &FindingQuery = &f.query;
    let owner = q.owner_id.as_deref().map(|o| match o {
        "none" => OwnerSpec::Unassigned,
        id if state.session.me() == Some(id) => OwnerSpec::Me,
        id => OwnerSpec::Id(id.to_string()),
    });
    let keys = f.sort_keys();
    let sort = if keys == [SortKey::Priority] {
        Vec::new()
    } else {
        keys.iter().map(|k| k.name().to_string()).collect()
    };
    let columns = state
        .views
        .views
        .get(state.views.current.unwrap_or(state.views.base))
        .map(|v| v.spec.columns.clone())
        .unwrap_or_default();
    ViewSpec {
        name: name.to_string(),
        severity: q.severity.clone(),
        status: q.status.clone(),
        open_only: f.open_only && q.status.is_none(),
        domain: q.domain.clone(),
        owner,
        text: q.q.clone(),
        sort,
        columns,
        group_by: f.grouping.by.map(|g| g.name().to_string()),
    }
}

/// `:save-view NAME` (or `W`, which types the command): saves the list's
/// filters and sort as a view into the config file.
pub fn save(state: &mut AppState, name: &str) -> Vec<Effect> {
    let name = name.trim();
    if name.is_empty() {
        state.toast("name the view: :save-view NAME", true);
        return Vec::new();
    }
    let Some(path) = state.session.config_file.clone() else {
        state.toast(
            "there is no config file to save the view in (no home directory?); use --config",
            true,
        );
        return Vec::new();
    };
    let view = current_spec(state, name);
    let profile = state.session.profile.clone();
    vec![Effect::SaveView {
        path,
        profile,
        view,
    }]
}

/// The view was saved (or not): it becomes a tab and the current view.
pub fn saved(state: &mut AppState, view: ViewSpec, result: Result<String, String>) -> Vec<Effect> {
    match result {
        Ok(path) => {
            let name = view.name.clone();
            let index = match state
                .views
                .find(&name)
                .filter(|&i| state.views.views[i].spec.name.eq_ignore_ascii_case(&name))
            {
                Some(i) => {
                    state.views.views[i].spec = view;
                    i
                }
                None => {
                    state.views.views.push(crate::app::state::View {
                        spec: view,
                        count: ViewCount::Unknown,
                    });
                    state.views.views.len() - 1
                }
            };
            state.views.current = Some(index);
            state.views.base = index;
            state.toast(
                format!("saved view {} in {}", sanitize(&name), sanitize(&path)),
                false,
            );
            refresh_counts(state)
        }
        Err(why) => {
            state.toast(format!("view not saved: {}", sanitize(&why)), true);
            Vec::new()
        }
    }
}
