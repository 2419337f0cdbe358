//! The findings list: visible rows (fuzzy filter and sort), cursor, paging.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use crate::api::paginate::{FindingsPager, FindingsPosition};
use crate::app::effect::Effect;
use crate::app::state::{AppState, FindingsState, SortKey};
use crate::ui::layout;

/// Rows from the end of the loaded ones at which the next page is asked for.
const PREFETCH: usize = 20;

/// True when the findings pane shows its filter line.
pub fn filter_line_shown(f: &FindingsState) -> bool {
    f.filter_input.is_some()
        || !f.text_filter.is_empty()
        || f.query != Default::default()
        || f.sort != SortKey::Priority
}

/// Recomputes which loaded rows are shown and in what order, keeping the
/// cursor on the same finding when it is still shown.
pub fn recompute_visible(f: &mut FindingsState) {
    let keep = f.selected().map(|x| x.id.clone());
    let text = f
        .filter_input
        .as_ref()
        .map_or(f.text_filter.as_str(), |i| i.value());
    let mut visible: Vec<usize> = if text.trim().is_empty() {
        (0..f.rows.len()).collect()
    } else {
        let pattern = Pattern::parse(text, CaseMatching::Ignore, Normalization::Smart);
        let mut matcher = Matcher::new(Config::DEFAULT);
        let mut buf = Vec::new();
        f.rows
            .iter()
            .enumerate()
            .filter(|(_, row)| {
                pattern
                    .score(Utf32Str::new(&row.title, &mut buf), &mut matcher)
                    .is_some()
            })
            .map(|(i, _)| i)
            .collect()
    };
    let rows = &f.rows;
    match f.sort {
        SortKey::Priority => {}
        SortKey::Severity => visible.sort_by_key(|&i| rows[i].severity.rank()),
        SortKey::Age => visible.sort_by_key(|&i| rows[i].created()),
        SortKey::Status => visible.sort_by_key(|&i| rows[i].status.rank()),
    }
    f.visible = visible;
    f.cursor = keep
        .and_then(|id| f.visible.iter().position(|&i| f.rows[i].id == id))
        .unwrap_or(f.cursor)
        .min(f.visible.len().saturating_sub(1));
}

/// Rows the list shows at the current terminal size.
pub fn page_height(state: &AppState, size: (u16, u16)) -> usize {
    let shown = filter_line_shown(&state.findings);
    (layout::findings(layout::findings_area(size), shown)
        .rows
        .height as usize)
        .max(1)
}

/// Moves the cursor by `delta` rows, keeps it in view and asks for the next
/// page when it nears the end of what is loaded.
pub fn move_cursor(state: &mut AppState, delta: isize, size: (u16, u16)) -> Vec<Effect> {
    let f = &mut state.findings;
    let last = f.visible.len().saturating_sub(1);
    f.cursor = (f.cursor as isize + delta).clamp(0, last as isize) as usize;
    keep_in_view(state, size);
    prefetch(state)
}

/// Scrolls so the cursor is on screen.
pub fn keep_in_view(state: &mut AppState, size: (u16, u16)) {
    let height = page_height(state, size);
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
pub fn received(f: &FindingsState) -> u64 {
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
