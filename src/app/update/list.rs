//! The findings list: paging, the cursor, filters (server and `/`), sort
//! and marks, and the pages as they arrive.

use crossterm::event::{Event, KeyCode, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::errors;
use crate::api::ApiError;
use crate::api::Page;
use crate::api::model::{Domain, Finding, FindingQuery, FindingStatus, Severity};
use crate::api::paginate::{FindingsPager, FindingsPosition};
use crate::app::effect::Effect;
use crate::app::keymap::{Intent, Scope};
use crate::app::layout;
use crate::app::state::{
    AppState, FILTER_FIELDS, FilterField, FindingsState, ListWindow, Modal, NOT_LOADED, Pane,
    SEARCH_DEBOUNCE, SearchResult,
};
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
    state.findings.settle();
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

/// Asks for the pages the screen needs: in a windowed list the pages of
/// the rows on screen (and a few beyond), else the next page when the
/// cursor is close to the last loaded row.
pub fn prefetch(state: &mut AppState) -> Vec<Effect> {
    if state.findings.window.is_some() {
        return window_pages(state);
    }
    let f = &mut state.findings;
    // Grouped, the groups count every finding; open only, the count is
    // known once every page was read: the whole list loads.
    let near_end =
        f.grouping.by.is_some() || f.shows_open_only() || f.cursor + PREFETCH >= f.visible.len();
    if f.loading || f.exhausted || !near_end {
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

/// The pages of a windowed list the screen still needs, as many as may be
/// in flight. Showing every position, that is the rows on screen and
/// `PREFETCH` either side; filtered or sorted (only loaded rows shown), the
/// first page not here once the cursor nears the end of what is shown.
fn window_pages(state: &mut AppState) -> Vec<Effect> {
    let height = page_height(state);
    let f = &mut state.findings;
    let Some(w) = f.window.as_ref() else {
        return Vec::new();
    };
    let total = f.slots.len() as u64;
    let slots = &f.slots;
    let loaded = |p: u64| slots.get(p as usize).is_none_or(|&s| s != NOT_LOADED);
    let whole = f.grouping.by.is_some();
    let offsets = if f.shows_every_position() && !whole {
        let from = f.scroll.saturating_sub(PREFETCH) as u64;
        let to = ((f.scroll + height + PREFETCH) as u64).min(total);
        w.wanted(from, to, f.cursor as u64, loaded)
    } else if whole || f.cursor + PREFETCH >= f.visible.len() {
        let first = (0..total)
            .step_by(w.page_len as usize)
            .find(|&o| !w.settled(o) && (o..(o + w.page_len).min(total)).any(|p| !loaded(p)));
        match first {
            Some(o) => w.wanted(o, (o + w.page_len).min(total), o, loaded),
            None => Vec::new(),
        }
    } else {
        Vec::new()
    };
    let (generation, query, limit) = (f.generation, f.pager.query().clone(), f.pager.page_size());
    let Some(w) = f.window.as_mut() else {
        return Vec::new();
    };
    let effects: Vec<Effect> = offsets
        .into_iter()
        .map(|offset| {
            w.in_flight.insert(offset);
            Effect::LoadFindings {
                generation,
                query: query.clone(),
                offset,
                limit: limit.max(w.page_len as u32),
                cursor: None,
            }
        })
        .collect();
    f.loading = !w.in_flight.is_empty();
    effects
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
    f.clear_rows();
    f.slots.clear();
    f.positions.clear();
    f.window = None;
    f.visible.clear();
    f.visible_dirty = false;
    f.filter_memo = None;
    f.search.seq += 1;
    f.search.pending = None;
    f.search.result = None;
    f.total = None;
    f.pager = FindingsPager::new(f.query.clone(), state.session.page_size.max(1));
    f.owner_ignored = 0;
    f.exhausted = false;
    f.loading = false;
    f.cursor = 0;
    f.scroll = 0;
    // The grouping and the open group stay; marks waiting for a group's
    // rows belonged to the old list.
    f.grouping.marked_pending.clear();
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
    if generation != f.generation {
        return Vec::new();
    }
    if f.window.is_some() {
        return window_page_loaded(state, offset, result);
    }
    if offset != received(f) {
        return Vec::new();
    }
    f.loading = false;
    let page: Page<Finding> = match result {
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
    let items_before = items.len();
    let first_ignored = f.owner_ignored == 0;
    let mut owner_dropped = 0;
    if let Some(owner) = f.pager.query().owner_id.clone() {
        let before = items.len();
        items.retain(|row| owner_matches(row, &owner));
        owner_dropped = before - items.len();
    }
    let open_only = f.shows_open_only();
    if open_only {
        items.retain(|row| row.status.is_unresolved());
    }
    // Rows dropped here still count for where the next page starts.
    f.owner_ignored += (items_before - items.len()) as u64;
    let appended_from = f.rows.len();
    // A first page that tells the total, of a list that pages by offset
    // and honours its filters: from here the list is a window over pages.
    let windowed = appended_from == 0
        && !repeated
        && !open_only
        && f.owner_ignored == 0
        && page.next_cursor.is_none()
        && page.total.is_some_and(|t| t > items.len() as u64);
    for row in items {
        f.store(f.rows.len(), row);
    }
    f.total = f.pager.progress().total.or(f.total);
    f.exhausted = f.pager.is_done();
    if let Some(total) = page.total.filter(|_| windowed) {
        let mut window = ListWindow::new(f.rows.len() as u64);
        window.answered.insert(0);
        f.window = Some(window);
        f.slots.resize(total as usize, NOT_LOADED);
        f.recompute_visible();
        keep_in_view(state);
        return prefetch(state);
    }
    if f.owner_ignored > 0 || open_only {
        // The server's total counts the rows dropped here too.
        f.total = f.exhausted.then_some(f.rows.len() as u64);
        if first_ignored && owner_dropped > 0 {
            state.toast("the server ignored the owner filter; filtering here", false);
        }
    }
    state.findings.append_visible(appended_from);
    state.follow_pending_cursor();
    keep_in_view(state);
    // With a text filter few rows may match; chaining pages here would walk
    // the whole list. Moving the cursor still loads more.
    let f = &state.findings;
    let whole = f.grouping.by.is_some() || f.shows_open_only();
    if whole || (f.text_filter.is_empty() && f.filter_input.is_none()) {
        prefetch(state)
    } else {
        Vec::new()
    }
}

/// A page of a windowed list arrived: its rows are stored at their
/// positions whether or not the screen is still there (the cursor does not
/// move), and the pages the screen now needs are asked for.
fn window_page_loaded(
    state: &mut AppState,
    offset: u64,
    result: Result<Page<Finding>, ApiError>,
) -> Vec<Effect> {
    let f = &mut state.findings;
    let Some(w) = f.window.as_mut() else {
        return Vec::new();
    };
    w.in_flight.remove(&offset);
    f.loading = !w.in_flight.is_empty();
    let page = match result {
        Ok(page) => page,
        Err(e) => {
            w.failed.insert(offset);
            errors::record(state, &e);
            let to = offset + state.findings.window.as_ref().map_or(1, |w| w.page_len);
            state.toast(
                format!(
                    "rows {}–{to} not loaded: {}; press r to reload the list",
                    offset + 1,
                    errors::short(&e)
                ),
                true,
            );
            return Vec::new();
        }
    };
    state.connection = crate::app::state::Connection::Online;
    let f = &mut state.findings;
    let total = f.slots.len() as u64;
    if page.total.is_some_and(|t| t != total) {
        // Rows came or went on the server: every position may have moved.
        state.toast(
            "the list changed on the server: reloaded from the top",
            false,
        );
        return reload(state);
    }
    if let Some(w) = f.window.as_mut() {
        w.answered.insert(offset);
        w.failed.remove(&offset);
    }
    for (i, row) in page.items.into_iter().enumerate() {
        let pos = offset + i as u64;
        if pos >= total {
            break;
        }
        f.store(pos as usize, row);
    }
    f.exhausted = f.rows.len() as u64 >= total;
    if !f.shows_every_position() {
        // Filtered or sorted: the new rows join at the next frame.
        f.visible_dirty = true;
    }
    prefetch(state)
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

/// Typing in the `/` prompt: the text is kept and the list recomputed once
/// before the next frame (however fast keys come); while not every row is
/// loaded the text also goes to the server, debounced. Enter keeps the
/// filter, or over a partly loaded list makes the server's answer the
/// list; the arrows move the cursor.
pub fn text_filter_key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let intent = state.keymap.intent(Scope::Prompt, &key);
    let f = &mut state.findings;
    match (intent, key.code) {
        (Some(Intent::PromptCancel), _) | (_, KeyCode::Esc) => {
            f.filter_input = None;
            f.text_filter.clear();
            forget_search(f);
        }
        (Some(Intent::PromptSubmit), _) => {
            if let Some(input) = f.filter_input.take() {
                let text = input.value().trim().to_string();
                if !text.is_empty() && !f.all_loaded() && f.search.usable {
                    return keep_server_result(state, text);
                }
                f.text_filter = input.value().to_string();
            }
        }
        (_, KeyCode::Up | KeyCode::Down) => {
            let delta = if key.code == KeyCode::Up { -1 } else { 1 };
            return move_cursor(state, delta);
        }
        _ => {
            if let Some(input) = f.filter_input.as_mut() {
                let before = input.value().to_string();
                input.handle_event(&Event::Key(key));
                if input.value() != before {
                    f.visible_dirty = true;
                    schedule_search(state);
                }
            }
            return Vec::new();
        }
    }
    state.findings.recompute_visible();
    keep_in_view(state);
    prefetch(state)
}

/// The `/` text changed: asks the server about it once typing pauses,
/// unless every row is already here. Whatever is out answers an older text.
fn schedule_search(state: &mut AppState) {
    let now = state.now;
    let f = &mut state.findings;
    let text = f.filter_text().trim().to_string();
    f.search.seq += 1;
    f.search.pending = (!text.is_empty() && !f.all_loaded() && f.search.usable)
        .then(|| (text, now + SEARCH_DEBOUNCE));
}

/// The `/` text is gone: nothing to ask the server, nothing to show.
fn forget_search(f: &mut FindingsState) {
    f.search.seq += 1;
    f.search.pending = None;
    f.search.result = None;
}

/// Sends the waiting `/` text to the server once its debounce passed and
/// no other search is out.
pub fn search_due(state: &mut AppState) -> Vec<Effect> {
    let now = state.now;
    let f = &mut state.findings;
    let s = &mut f.search;
    if s.in_flight || s.pending.as_ref().is_none_or(|(_, at)| now < *at) {
        return Vec::new();
    }
    let Some((text, _)) = s.pending.take() else {
        return Vec::new();
    };
    s.in_flight = true;
    let query = FindingQuery {
        q: Some(text),
        ..f.query.clone()
    };
    vec![Effect::SearchFindings {
        seq: s.seq,
        query,
        limit: f.pager.page_size(),
    }]
}

/// The server's answer to a `/` text: kept when it answers the newest
/// text, dropped when typing moved on; then the next text may go.
pub fn search_answered(
    state: &mut AppState,
    seq: u64,
    query: FindingQuery,
    result: Result<Page<Finding>, ApiError>,
) -> Vec<Effect> {
    state.findings.search.in_flight = false;
    if seq == state.findings.search.seq {
        match result {
            Ok(page) if page.items.iter().all(|f| query.matches(f)) => {
                let text = query.q.clone().unwrap_or_default();
                state.findings.search.result = Some(SearchResult { text, query, page });
            }
            Ok(_) => {
                // Rows that do not hold the text: this server does not search.
                state.findings.search.usable = false;
                state.toast(
                    "this server does not search findings: / filters the loaded rows only",
                    false,
                );
            }
            Err(e) => {
                errors::record(&mut *state, &e);
                state.toast(
                    format!("search on the server failed: {}", errors::short(&e)),
                    false,
                );
            }
        }
    }
    search_due(state)
}

/// Enter over a partly loaded list: the server's matches for `text` become
/// the list (its `q` filter); an answer already here is its first page.
fn keep_server_result(state: &mut AppState, text: String) -> Vec<Effect> {
    let f = &mut state.findings;
    let answered = f.search.result_for(&text).cloned();
    f.text_filter.clear();
    f.query.q = Some(text);
    let mut effects = reload(state);
    let Some(answer) = answered.filter(|a| a.query == state.findings.query) else {
        return effects;
    };
    // The first page is the answer already here: no need to ask again.
    let first = effects
        .iter()
        .position(|e| matches!(e, Effect::LoadFindings { offset: 0, .. }));
    let Some(Effect::LoadFindings { generation, .. }) = first.map(|i| effects.remove(i)) else {
        return effects;
    };
    effects.extend(page_loaded(state, generation, 0, Ok(answer.page)));
    effects
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
    state.findings.open_only = false;
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
    state.findings.settle();
    let f = &mut state.findings;
    if let Some(row) = f.visible.get(f.cursor).and_then(|&p| loaded_index(f, p)) {
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
    let mut loading = 0;
    for &pos in &f.visible[from..=to.min(f.visible.len().saturating_sub(1))] {
        match loaded_index(f, pos) {
            Some(row) => f.marks.set(&f.rows[row], true),
            None => loading += 1,
        }
    }
    f.mark_anchor = Some(f.cursor);
    if loading > 0 {
        state.toast(
            format!("{loading} rows of the range are still loading: not marked"),
            false,
        );
    }
    Vec::new()
}

/// ctrl-a: marks every loaded row that is shown.
pub fn mark_loaded(state: &mut AppState) -> Vec<Effect> {
    let f = &mut state.findings;
    for &pos in &f.visible {
        if let Some(row) = loaded_index(f, pos) {
            f.marks.set(&f.rows[row], true);
        }
    }
    Vec::new()
}

/// `I`: inverts the marks of the loaded rows that are shown.
pub fn invert_marks(state: &mut AppState) -> Vec<Effect> {
    let f = &mut state.findings;
    for &pos in &f.visible {
        if let Some(row) = loaded_index(f, pos) {
            f.marks.toggle(&f.rows[row]);
        }
    }
    Vec::new()
}

/// The index in `rows` of the row at list position `pos`, when loaded.
fn loaded_index(f: &FindingsState, pos: usize) -> Option<usize> {
    f.slots
        .get(pos)
        .filter(|&&i| i != NOT_LOADED)
        .map(|&i| i as usize)
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
        FilterField::Status => {
            q.status = value.map(|v| FindingStatus::parse(&v));
            state.findings.open_only = false;
        }
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
