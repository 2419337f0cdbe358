//! Keeping the saved views in step with the list: which view the list's
//! filters and sort are (after `f`, `o`, `x`, `:sort`, `:filter`), and a
//! cursor position asked for before its row was loaded.

use super::app::AppState;
use super::findings::SortKey;

impl AppState {
    /// The list's filters or sort changed: the view whose they are is
    /// current, or none (the list is then the base view, changed).
    pub fn sync_view(&mut self) {
        let me = self.session.me().map(str::to_string);
        let f = &self.findings;
        let keys = f.sort_keys();
        let matches = |i: usize| {
            let v = &self.views.views[i];
            let mut sort = v.sort();
            if sort.is_empty() {
                sort.push(SortKey::Priority);
            }
            v.query(me.as_deref()).is_ok_and(|q| q == f.query)
                && sort == keys
                && v.group_by() == f.grouping.by
                && v.open_only() == f.open_only
        };
        let current = self
            .views
            .current
            .filter(|&i| matches(i))
            .or_else(|| (0..self.views.views.len()).find(|&i| matches(i)));
        if let Some(i) = current {
            self.views.base = i;
        }
        self.views.current = current;
    }

    /// Moves the cursor toward a position asked for before its row was
    /// loaded (a remembered one, or `:goto`); the list loads on as the
    /// cursor nears the end of what is loaded.
    pub fn follow_pending_cursor(&mut self) {
        let Some(wanted) = self.views.pending_cursor else {
            return;
        };
        let f = &mut self.findings;
        if f.visible.is_empty() {
            if f.exhausted {
                self.views.pending_cursor = None;
            }
            return;
        }
        f.cursor = wanted.min(f.visible.len() - 1);
        if f.cursor == wanted || f.exhausted {
            self.views.pending_cursor = None;
        }
    }
}
