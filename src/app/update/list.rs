//! The findings list: paging, the cursor, filters (server and `/`), sort
//! and marks, and the pages as they arrive.

use crossterm::event::{Event, KeyCode, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::errors;
use crate::api::ApiError;
use crate::api::Page;
use crate::api::model::{Domain, Finding, FindingStatus, Severity};
use crate::api::paginate::{FindingsPager, FindingsPosition};
use crate::app::effect::Effect;
use crate::app::keymap::{Intent, Scope};
use crate::app::layout;
use crate::app::state::{AppState, FILTER_FIELDS, FilterField, FindingsState, Modal, Pane};
use crate::engine::people::same_id;

/// Rows from the end of the loaded ones at which the next page is asked for.
const PREFETCH: usize = 20;

/// Rows the list shows at the current terminal size.
pub fn page_height(state: &AppState) -> usize {
    let shown = state.findings.filter_line_shown();
    (layout::findings(layout::findings_area(state.size), shown)
        .rows
        .height as usize)
        .max(1)
}

/// Moves the cursor by `delta` rows, keeps it in view and asks for the next
/// page when it nears the end of what is loaded.
pub fn move_cursor(state: &mut AppState, delta: isize) -> Vec<Effect> {
    let f = &mut state.findings;
    let last = f.visible.len().saturating_sub(1);
    f.cursor = (f.cursor as isize + delta).clamp(0, last as isize) as usize;
    keep_in_view(state);
    prefetch(state)
}

/// Scrolls so the cursor is on screen.
pub fn keep_in_view(state: &mut AppState) {
    let height = page_height(state);
    let f = &mut state.findings;
    if f.cursor < f.scroll {
        f.scroll = f.cursor;
    } else if f.cursor >= f.scroll + height {
        f.scroll = f.cursor + 1 - height;
    }
    f.scroll = f.scroll.min(f.visible.len().saturating_sub(1));
}

/// Asks for the next page when the cursor is close to the last loaded row.
pub fn prefetch(state: &mut AppState) -> Vec<Effect> {
    let f = &mut state.findings;
    if f.loading || f.exhausted || f.cursor + PREFETCH < f.visible.len() {
        return Vec::new();
    }
    let Some(position) = f.pager.next_position() else {
        return Vec::new();
    };
    let cursor = match position {
        FindingsPosition::Cursor(c) => Some(c.clone()),
        FindingsPosition::Offset(_) => None,
    };
    f.loading = true;
    vec![Effect::LoadFindings {
        generation: f.generation,
        query: f.pager.query().clone(),
        offset: received(f),
        limit: f.pager.page_size(),
        cursor,
    }]
}

/// Rows received for the current query: a page answers the request made
/// when this many had arrived, and is dropped otherwise.
fn received(f: &FindingsState) -> u64 {
    f.rows.len() as u64 + f.owner_ignored
}

/// Starts the list over for the current query: a new generation, so that
/// answers for the old query are dropped.
pub fn reload(state: &mut AppState) -> Vec<Effect> {
    let f = &mut state.findings;
    f.generation += 1;
    f.rows.clear();
    f.visible.clear();
    f.total = None;
    f.pager = FindingsPager::new(f.query.clone(), state.session.page_size.max(1));
    f.owner_ignored = 0;
    f.exhausted = false;
    f.loading = false;
    f.cursor = 0;
    f.scroll = 0;
    prefetch(state)
}

/// A page of findings arrived: appended when it answers the current query
/// and follows the loaded rows, dropped otherwise.
pub fn page_loaded(
    state: &mut AppState,
    generation: u64,
    offset: u64,
    result: Result<Page<Finding>, ApiError>,
) -> Vec<Effect> {
    let f = &mut state.findings;
    if generation != f.generation || offset != received(f) {
        return Vec::new();
    }
    f.loading = false;
    let page = match result {
        Ok(page) => page,
        Err(e) => {
            errors::record(state, &e);
            let kept = state.findings.rows.len();
            state.toast(
                format!(
                    "findings not loaded: {}; the {kept} loaded rows are kept, press r to retry",
                    errors::short(&e)
                ),
                true,
            );
            return Vec::new();
        }
    };
    state.connection = crate::app::state::Connection::Online;
    let f = &mut state.findings;
    let before = f.pager.progress().fetched;
    f.pager.record(&page);
    // A server that ignores the position sends the same page again: the
    // pager stops there and its rows are not added twice.
    let repeated = !page.items.is_empty() && f.pager.progress().fetched == before;
    let mut items = if repeated { Vec::new() } else { page.items };
    let first_ignored = f.owner_ignored == 0;
    if let Some(owner) = f.pager.query().owner_id.clone() {
        let before = items.len();
        items.retain(|row| owner_matches(row, &owner));
        f.owner_ignored += (before - items.len()) as u64;
    }
    let appended_from = f.rows.len();
    f.rows.extend(items);
    f.total = f.pager.progress().total.or(f.total);
    f.exhausted = f.pager.is_done();
    if f.owner_ignored > 0 {
        // The server's total counts everyone's rows.
        f.total = f.exhausted.then_some(f.rows.len() as u64);
        if first_ignored {
            state.toast("the server ignored the owner filter; filtering here", false);
        }
    }
    state.findings.append_visible(appended_from);
    state.follow_pending_cursor();
    keep_in_view(state);
    // With a text filter few rows may match; chaining pages here would walk
    // the whole list. Moving the cursor still loads more.
    if state.findings.text_filter.is_empty() && state.findings.filter_input.is_none() {
        prefetch(state)
    } else {
        Vec::new()
    }
}

/// True when `row` belongs to `owner` (`none`: unassigned), as the owner
/// filter means it (contract 5.3: a sandbox-only parameter the real service
/// may ignore).
fn owner_matches(row: &Finding, owner: &str) -> bool {
    match (&row.owner_id, owner) {
        (None, "none") => true,
        (Some(id), wanted) => same_id(id, wanted),
        (None, _) => false,
    }
}

/// `/`: opens the text filter prompt with what is kept.
pub fn open_text_filter(state: &mut AppState) -> Vec<Effect> {
    state.pane = Pane::Findings;
    let f = &mut state.findings;
    f.filter_input = Some(Input::new(f.text_filter.clone()));
    Vec::new()
}

/// Typing in the `/` prompt: the filter applies at every keystroke; the
/// prompt's keys keep or clear it, the arrows move the cursor.
pub fn text_filter_key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let intent = state.keymap.intent(Scope::Prompt, &key);
    let f = &mut state.findings;
    match (intent, key.code) {
        (Some(Intent::PromptCancel), _) | (_, KeyCode::Esc) => {
            f.filter_input = None;
            f.text_filter.clear();
        }
        (Some(Intent::PromptSubmit), _) => {
            if let Some(input) = f.filter_input.take() {
                f.text_filter = input.value().to_string();
            }
        }
        (_, KeyCode::Up | KeyCode::Down) => {
            let delta = if key.code == KeyCode::Up { -1 } else { 1 };
            return move_cursor(state, delta);
        }
        _ => {
            if let Some(input) = f.filter_input.as_mut() {
                input.handle_event(&Event::Key(key));
            }
        }
    }
    state.findings.recompute_visible();
    keep_in_view(state);
    prefetch(state)
}

/// Esc in the list: clears a kept text filter.
pub fn clear_text_filter(state: &mut AppState) -> Vec<Effect> {
    state.findings.text_filter.clear();
    state.findings.recompute_visible();
    Vec::new()
}

/// `x`: every filter off, the list reloaded.
pub fn clear_filters(state: &mut AppState) -> Vec<Effect> {
    state.findings.text_filter.clear();
    state.findings.query = Default::default();
    state.findings.sort_then.clear();
    let effects = reload(state);
    state.sync_view();
    effects
}

/// `o`: the next client-side sort.
pub fn next_sort(state: &mut AppState) -> Vec<Effect> {
    let sla_known = state.findings.sla.is_some();
    state.findings.sort = state.findings.sort.next_with(sla_known);
    state.findings.recompute_visible();
    keep_in_view(state);
    state.sync_view();
    Vec::new()
}

/// Space: marks or unmarks the finding under the cursor and moves on.
pub fn toggle_mark(state: &mut AppState) -> Vec<Effect> {
    if state.pane != Pane::Findings {
        return Vec::new();
    }
    let f = &mut state.findings;
    if let Some(&row) = f.visible.get(f.cursor) {
        f.marks.toggle(&f.rows[row]);
        f.mark_anchor = Some(f.cursor);
    }
    move_cursor(state, 1)
}

/// `m`: marks every row from the last mark to the cursor.
pub fn mark_range(state: &mut AppState) -> Vec<Effect> {
    let f = &mut state.findings;
    let Some(anchor) = f.mark_anchor.filter(|a| *a < f.visible.len()) else {
        state.toast(
            "mark a row with space first; m then marks from it to the cursor",
            false,
        );
        return Vec::new();
    };
    let (from, to) = (anchor.min(f.cursor), anchor.max(f.cursor));
    for &row in &f.visible[from..=to.min(f.visible.len().saturating_sub(1))] {
        f.marks.set(&f.rows[row], true);
    }
    f.mark_anchor = Some(f.cursor);
    Vec::new()
}

/// ctrl-a: marks every loaded row that is shown.
pub fn mark_loaded(state: &mut AppState) -> Vec<Effect> {
    let f = &mut state.findings;
    for &row in &f.visible {
        f.marks.set(&f.rows[row], true);
    }
    Vec::new()
}

/// `I`: inverts the marks of the loaded rows that are shown.
pub fn invert_marks(state: &mut AppState) -> Vec<Effect> {
    let f = &mut state.findings;
    for &row in &f.visible {
        f.marks.toggle(&f.rows[row]);
    }
    Vec::new()
}

/// `U`: unmarks everything.
pub fn clear_marks(state: &mut AppState) -> Vec<Effect> {
    state.findings.marks.clear();
    state.findings.mark_anchor = None;
    Vec::new()
}

/// `M`: marks every finding of the server filters, loaded or not; the
/// count is the server's total at once.
pub fn mark_filter(state: &mut AppState) -> Vec<Effect> {
    let Some(total) = state.findings.total else {
        state.toast(
            "the list is still loading: its total is not known yet",
            false,
        );
        return Vec::new();
    };
    if !state.findings.text_filter.is_empty() {
        // The fuzzy filter is this screen's; the server knows only its own.
        state.toast(
            "marked every finding of the server filters; the / filter is not one of them",
            false,
        );
    }
    let f = &mut state.findings;
    let query = f.query.clone();
    f.marks.mark_filter(query, total, &f.rows);
    let (n, not_loaded) = (f.marks.count(), f.marked_not_loaded());
    state.toast(format!("{n} marked ({not_loaded} not loaded)"), false);
    Vec::new()
}

/// `f`: the filter menu.
pub fn open_filter_menu(state: &mut AppState) -> Vec<Effect> {
    state.pane = Pane::Findings;
    state.modal = Some(Modal::FilterFields { selected: 0 });
    Vec::new()
}

/// A field was chosen in the filter menu: its values come next.
pub fn choose_filter_field(state: &mut AppState, selected: usize) -> Vec<Effect> {
    let field = FILTER_FIELDS[selected.min(FILTER_FIELDS.len() - 1)];
    state.modal = Some(Modal::FilterValues { field, selected: 0 });
    Vec::new()
}

/// A value was chosen: the list reloads with the filter.
pub fn choose_filter_value(
    state: &mut AppState,
    field: FilterField,
    selected: usize,
) -> Vec<Effect> {
    let values = field.values(&state.session.people);
    let value = values.get(selected).filter(|_| selected > 0).cloned();
    let me = state.session.me().map(str::to_string);
    let q = &mut state.findings.query;
    match field {
        FilterField::Severity => q.severity = value.map(|v| Severity::parse(&v)),
        FilterField::Status => q.status = value.map(|v| FindingStatus::parse(&v)),
        FilterField::Domain => q.domain = value.map(|v| Domain::parse(&v)),
        FilterField::Owner => {
            // By position: a person may well be called "me".
            q.owner_id = match selected {
                0 => None,
                1 => match me {
                    Some(me) => Some(me),
                    None => {
                        state.toast(
                            "your user id is not known: set `me` in the config profile",
                            true,
                        );
                        return Vec::new();
                    }
                },
                2 => Some("none".to_string()),
                n => state
                    .session
                    .people
                    .get(n - 3)
                    .map(|(_, id)| id.to_string()),
            }
        }
    }
    let effects = reload(state);
    state.sync_view();
    effects
}
