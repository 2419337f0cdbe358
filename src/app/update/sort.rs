//! Sorting by several keys: `o` cycles the first key, the sort menu adds
//! or drops the keys that order rows the first one ties.

use crate::app::effect::Effect;
use crate::app::state::{AppState, Modal, Pane, SortKey};
use crate::config::views::SORT_KEYS;

/// The sort menu's keys, in its order.
pub fn menu_keys() -> Vec<SortKey> {
    SORT_KEYS.iter().filter_map(|k| SortKey::parse(k)).collect()
}

/// Opens the sort menu.
pub fn open_menu(state: &mut AppState) -> Vec<Effect> {
    state.pane = Pane::Findings;
    state.modal = Some(Modal::SortMenu { selected: 1 });
    Vec::new()
}

/// A key was chosen: added as the last secondary key, or dropped when it
/// is one already.
pub fn choose(state: &mut AppState, selected: usize) -> Vec<Effect> {
    let Some(key) = menu_keys().get(selected).copied() else {
        return Vec::new();
    };
    let f = &mut state.findings;
    if key == f.sort {
        state.toast(
            format!(
                "{} is the first key already; {} changes it",
                key.label(),
                state.keymap.key_of(crate::app::keymap::Intent::Sort)
            ),
            false,
        );
        return Vec::new();
    }
    match f.sort_then.iter().position(|k| *k == key) {
        Some(at) => {
            f.sort_then.remove(at);
        }
        None => f.sort_then.push(key),
    }
    f.recompute_visible();
    super::list::keep_in_view(state);
    state.sync_view();
    state.toast(state.findings.sort_text(), false);
    Vec::new()
}
