//! Building the groups of the findings list from the rows it shows, and
//! marking the findings of a group marked while they were still loading.

use std::collections::HashMap;

use crate::api::model::FindingStatus;

use super::findings::FindingsState;
use super::groups::{Group, GroupBy};

impl FindingsState {
    /// Rebuilds the groups from `visible` (loaded rows only) and, when a
    /// group is open, narrows `visible` to its findings. Called at the end
    /// of every recompute of `visible`.
    pub(super) fn regroup(&mut self) {
        let Some(by) = self.grouping.by else {
            self.grouping.groups.clear();
            return;
        };
        let selected = self.grouping.selected().map(|g| g.key.clone());
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut groups: Vec<Group> = Vec::new();
        let mut counts: Vec<HashMap<u8, (FindingStatus, usize)>> = Vec::new();
        for &pos in &self.visible {
            let Some(row) = self.row_at(pos) else {
                continue;
            };
            let key = by.key_of(row);
            let i = *index.entry(key.clone()).or_insert_with(|| {
                groups.push(Group {
                    label: match by {
                        GroupBy::Check => row.title().to_string(),
                        GroupBy::Page => key.clone(),
                    },
                    key,
                    positions: Vec::new(),
                    worst: row.severity().clone(),
                    statuses: Vec::new(),
                });
                counts.push(HashMap::new());
                groups.len() - 1
            });
            let g = &mut groups[i];
            g.positions.push(pos);
            if row.severity().rank() < g.worst.rank() {
                g.worst = row.severity().clone();
            }
            counts[i]
                .entry(row.status().rank())
                .or_insert_with(|| (row.status().clone(), 0))
                .1 += 1;
        }
        for (g, c) in groups.iter_mut().zip(counts) {
            let mut statuses: Vec<(u8, (FindingStatus, usize))> = c.into_iter().collect();
            statuses.sort_by_key(|(rank, (s, _))| (*rank, s.to_string()));
            g.statuses = statuses.into_iter().map(|(_, s)| s).collect();
        }
        self.grouping.groups = groups;
        let g = &mut self.grouping;
        if let Some(key) = selected
            && let Some(i) = g.groups.iter().position(|x| x.key == key)
        {
            g.cursor = i;
        }
        g.cursor = g.cursor.min(g.groups.len().saturating_sub(1));
        g.scroll = g.scroll.min(g.cursor);
        if let Some(open) = g.open.as_deref() {
            let keep = self.visible.get(self.cursor).copied();
            self.visible = g
                .groups
                .iter()
                .find(|x| x.key == open)
                .map(|x| x.positions.clone())
                .unwrap_or_default();
            self.cursor = keep
                .and_then(|pos| self.visible.iter().position(|&p| p == pos))
                .unwrap_or(self.cursor)
                .min(self.visible.len().saturating_sub(1));
        }
    }

    /// Marks `row` when it belongs to a group marked while it was loading.
    pub(super) fn mark_if_group_pending(&mut self, row_index: usize) {
        let Some(by) = self.grouping.by else {
            return;
        };
        if self.grouping.marked_pending.is_empty() {
            return;
        }
        let row = &self.rows[row_index];
        if self.grouping.marked_pending.contains(&by.key_of(row)) {
            self.marks.set(row, true);
        }
    }
}
