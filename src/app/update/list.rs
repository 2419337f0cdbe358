//! The findings list: visible rows (fuzzy filter and sort), cursor, paging.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use crate::api::model::Finding;
use crate::api::paginate::{FindingsPager, FindingsPosition};
use crate::app::effect::Effect;
use crate::app::state::{AppState, FilterMemo, FindingsState, SortKey};
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

/// Characters with a meaning in a filter pattern (negation, anchors,
/// exact match, escape): a text holding one may match rows its extension
/// does not, so it is never narrowed from.
const PATTERN_SYNTAX: &[char] = &['!', '^', '$', '\'', '\\'];

/// Recomputes which loaded rows are shown and in what order, keeping the
/// cursor on the same finding when it is still shown.
pub fn recompute_visible(f: &mut FindingsState) {
    // Rows do not move here: the selected row's index identifies it.
    let keep = f.visible.get(f.cursor).copied();
    let text = filter_text(f).to_string();
    let mut visible: Vec<usize> = if text.trim().is_empty() {
        f.filter_memo = None;
        (0..f.rows.len()).collect()
    } else {
        // Typing extends the text: only the rows the shorter text matched
        // (and rows loaded since) can match the longer one.
        let narrowed = f.filter_memo.take().filter(|m| {
            m.generation == f.generation
                && m.rows <= f.rows.len()
                && text.starts_with(m.text.as_str())
                && !m.text.contains(PATTERN_SYNTAX)
        });
        let (candidates, from) = match narrowed {
            Some(memo) => (memo.matches, memo.rows),
            None => (Vec::new(), 0),
        };
        let mut matcher = TitleMatcher::new(&text);
        let matches: Vec<usize> = candidates
            .into_iter()
            .chain(from..f.rows.len())
            .filter(|&i| matcher.matches(&f.rows[i]))
            .collect();
        f.filter_memo = Some(FilterMemo {
            text,
            generation: f.generation,
            rows: f.rows.len(),
            matches: matches.clone(),
        });
        matches
    };
    sort_rows(&f.rows, &mut visible, f.sort);
    f.visible = visible;
    f.cursor = keep
        .and_then(|row| f.visible.iter().position(|&i| i == row))
        .unwrap_or(f.cursor)
        .min(f.visible.len().saturating_sub(1));
}

/// Rows `from..` were just appended: filters and sorts only them and merges
/// them into `visible`, the cursor staying on its finding.
pub fn append_visible(f: &mut FindingsState, from: usize) {
    let text = filter_text(f).to_string();
    let mut new: Vec<usize> = if text.trim().is_empty() {
        (from..f.rows.len()).collect()
    } else {
        let mut matcher = TitleMatcher::new(&text);
        (from..f.rows.len())
            .filter(|&i| matcher.matches(&f.rows[i]))
            .collect()
    };
    if let Some(memo) = f
        .filter_memo
        .as_mut()
        .filter(|m| m.text == text && m.generation == f.generation && m.rows == from)
    {
        memo.matches.extend_from_slice(&new);
        memo.rows = f.rows.len();
    }
    sort_rows(&f.rows, &mut new, f.sort);
    let rows = &f.rows;
    let at: Vec<usize> = match f.sort {
        // New rows come after every loaded one in server order.
        SortKey::Priority => vec![f.visible.len(); new.len()],
        SortKey::Severity => insert_points(&f.visible, &new, |i| rows[i].severity.rank()),
        SortKey::Age => insert_points(&f.visible, &new, |i| rows[i].created()),
        SortKey::Status => insert_points(&f.visible, &new, |i| rows[i].status.rank()),
    };
    let shown = !f.visible.is_empty();
    let before_cursor = at.iter().filter(|&&p| p <= f.cursor).count();
    let mut merged = Vec::with_capacity(f.visible.len() + new.len());
    let mut done = 0;
    for (&p, &i) in at.iter().zip(&new) {
        merged.extend_from_slice(&f.visible[done..p]);
        merged.push(i);
        done = p;
    }
    merged.extend_from_slice(&f.visible[done..]);
    f.visible = merged;
    if shown {
        f.cursor += before_cursor;
    }
    f.cursor = f.cursor.min(f.visible.len().saturating_sub(1));
}

/// Where each of `new` (sorted, all after `visible`'s rows) goes in the
/// sorted `visible`; equal keys keep server order.
fn insert_points<K: Ord>(visible: &[usize], new: &[usize], key: impl Fn(usize) -> K) -> Vec<usize> {
    new.iter()
        .map(|&n| {
            let k = key(n);
            // `visible`'s rows all precede the new ones, so ties go before.
            visible.partition_point(|&v| key(v) <= k)
        })
        .collect()
}

/// The text filter as typed, or as kept.
fn filter_text(f: &FindingsState) -> &str {
    f.filter_input
        .as_ref()
        .map_or(f.text_filter.as_str(), |i| i.value())
}

/// Sorts row indices (in server order) by the sort key; equal keys keep
/// server order. Each key is read once: comparing rows in place would read
/// two large rows at random addresses per comparison.
fn sort_rows(rows: &[Finding], visible: &mut Vec<usize>, sort: SortKey) {
    fn by<K: Ord>(rows: &[Finding], visible: &mut Vec<usize>, key: impl Fn(&Finding) -> K) {
        let mut keyed: Vec<(K, usize)> = visible.iter().map(|&i| (key(&rows[i]), i)).collect();
        // Stable: equal keys keep server order (and few distinct keys,
        // like severities, make long runs it sorts fast).
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        visible.clear();
        visible.extend(keyed.into_iter().map(|(_, i)| i));
    }
    match sort {
        SortKey::Priority => {}
        SortKey::Severity => by(rows, visible, |r| r.severity.rank()),
        SortKey::Age => by(rows, visible, Finding::created),
        SortKey::Status => by(rows, visible, |r| r.status.rank()),
    }
}

/// The `/` pattern, compiled once per recompute.
struct TitleMatcher {
    pattern: Pattern,
    matcher: Matcher,
    buf: Vec<char>,
}

impl TitleMatcher {
    fn new(text: &str) -> Self {
        TitleMatcher {
            pattern: Pattern::parse(text, CaseMatching::Ignore, Normalization::Smart),
            matcher: Matcher::new(Config::DEFAULT),
            buf: Vec::new(),
        }
    }

    fn matches(&mut self, row: &Finding) -> bool {
        self.pattern
            .score(Utf32Str::new(&row.title, &mut self.buf), &mut self.matcher)
            .is_some()
    }
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
