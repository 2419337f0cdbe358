//! Grouping the findings list: `z` groups by check, then by page, then
//! not at all; the movement keys walk the group rows; enter (or →) opens
//! a group as a list of its findings and esc (or ←) goes back; space
//! marks every finding of a group, so one bulk change covers it.

use super::list;
use crate::app::effect::Effect;
use crate::app::keymap::{Intent, binding};
use crate::app::state::{AppState, GroupBy, Pane};

/// `z`: the next grouping, and the rest of the list loads so that the
/// groups count every finding.
pub fn cycle(state: &mut AppState) -> Vec<Effect> {
    let by = GroupBy::cycle(state.findings.grouping.by);
    set(state, by)
}

/// Groups the list by `by` (`None`: the plain list).
pub fn set(state: &mut AppState, by: Option<GroupBy>) -> Vec<Effect> {
    state.pane = Pane::Findings;
    let f = &mut state.findings;
    f.grouping.reset();
    f.grouping.by = by;
    f.recompute_visible();
    state.sync_view();
    let text = match by {
        Some(by) => format!(
            "grouped by {}: enter opens a group, space marks all its findings",
            by.name()
        ),
        None => "not grouped".to_string(),
    };
    state.toast(text, false);
    list::keep_in_view(state);
    list::prefetch(state)
}

/// What a key does while group rows are shown; `None` lets it do what it
/// does in the plain list (or nothing to do with the list at all).
pub fn on_intent(state: &mut AppState, intent: Intent) -> Option<Vec<Effect>> {
    if state.pane != Pane::Findings || state.findings.grouping.by.is_none() {
        return None;
    }
    if state.findings.grouping.open.is_some() {
        // Esc dismisses error toasts and clears the `/` filter first.
        let first = state.toasts.iter().any(|t| t.error) || !state.findings.text_filter.is_empty();
        return match intent {
            Intent::Back | Intent::Collapse if !first => Some(close(state)),
            _ => None,
        };
    }
    let height = list::page_height(state) as isize;
    Some(match intent {
        Intent::Up => move_cursor(state, -1),
        Intent::Down => move_cursor(state, 1),
        Intent::PageUp => move_cursor(state, -height),
        Intent::PageDown => move_cursor(state, height),
        Intent::Top => move_cursor(state, isize::MIN / 2),
        Intent::Bottom => move_cursor(state, isize::MAX / 2),
        Intent::Open | Intent::Expand => open(state),
        Intent::Mark => toggle_marks(state),
        Intent::MarkRange | Intent::CopyId | Intent::CopyUrl | Intent::OpenBrowser => {
            state.toast(ON_A_GROUP, false);
            Vec::new()
        }
        // A change with nothing marked has no finding to go to.
        _ if binding(intent).is_some_and(|b| b.mutates)
            && intent != Intent::Scan
            && state.findings.marks.is_empty() =>
        {
            state.toast(ON_A_GROUP, false);
            Vec::new()
        }
        _ => return None,
    })
}

const ON_A_GROUP: &str =
    "this is a group: enter opens it, space marks all its findings for a bulk change";

/// Moves the group cursor by `delta` rows and keeps it on screen.
fn move_cursor(state: &mut AppState, delta: isize) -> Vec<Effect> {
    state.findings.settle();
    let height = list::page_height(state);
    let g = &mut state.findings.grouping;
    let last = g.groups.len().saturating_sub(1) as isize;
    g.cursor = (g.cursor as isize + delta).clamp(0, last.max(0)) as usize;
    if g.cursor < g.scroll {
        g.scroll = g.cursor;
    } else if g.cursor >= g.scroll + height {
        g.scroll = g.cursor + 1 - height;
    }
    Vec::new()
}

/// Enter: the selected group's findings become the list.
fn open(state: &mut AppState) -> Vec<Effect> {
    state.findings.settle();
    let f = &mut state.findings;
    let Some(key) = f.grouping.selected().map(|g| g.key.clone()) else {
        return Vec::new();
    };
    f.grouping.open = Some(key);
    f.cursor = 0;
    f.scroll = 0;
    f.recompute_visible();
    list::keep_in_view(state);
    Vec::new()
}

/// Esc: back from a group's findings to the groups, on the same group.
fn close(state: &mut AppState) -> Vec<Effect> {
    let f = &mut state.findings;
    f.grouping.open = None;
    f.cursor = 0;
    f.scroll = 0;
    f.recompute_visible();
    Vec::new()
}

/// Space on a group: marks every finding of it (unmarks them when all are
/// marked). While the list is still loading, its findings that arrive
/// later are marked as they come.
fn toggle_marks(state: &mut AppState) -> Vec<Effect> {
    state.findings.settle();
    let f = &mut state.findings;
    let Some(group) = f.grouping.selected().cloned() else {
        return Vec::new();
    };
    let rows: Vec<usize> = group
        .positions
        .iter()
        .filter_map(|&p| f.slots.get(p).map(|&i| i as usize))
        .filter(|&i| i < f.rows.len())
        .collect();
    let all_marked = rows.iter().all(|&i| f.marks.contains(&f.rows[i]));
    let complete = f.all_loaded();
    for &i in &rows {
        f.marks.set(&f.rows[i], !all_marked);
    }
    let label = crate::sanitize::sanitize(&group.label);
    if all_marked {
        f.grouping.marked_pending.remove(&group.key);
        state.toast(
            format!("unmarked the {} findings of {label}", rows.len()),
            false,
        );
    } else if complete {
        let total = f.marks.count();
        state.toast(
            format!(
                "marked the {} findings of {label} ({total} marked in all)",
                rows.len()
            ),
            false,
        );
    } else {
        f.grouping.marked_pending.insert(group.key.clone());
        state.toast(
            format!(
                "marked the {} loaded findings of {label}; the rest of the list is loading and its findings of this group are marked as they arrive",
                rows.len()
            ),
            false,
        );
    }
    move_cursor(state, 1)
}
