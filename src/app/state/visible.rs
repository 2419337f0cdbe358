//! Which rows the findings list shows, and in what order: the `/`
//! text filter and the client-side sort, kept up to date as rows arrive
//! or change.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use super::findings::{FilterMemo, FindingsState, SortKey};
use crate::api::model::FindingRow;
use crate::engine::sla::SlaHours;

/// Characters with a meaning in a filter pattern (negation, anchors,
/// exact match, escape): a text holding one may match rows its extension
/// does not, so it is never narrowed from.
const PATTERN_SYNTAX: &[char] = &['!', '^', '$', '\'', '\\'];

impl FindingsState {
    /// Recomputes which rows are shown and in what order, keeping the
    /// cursor on the same finding when it is still shown. With no text
    /// filter and the server's order, a windowed list shows every position
    /// (placeholders for rows not here); otherwise only loaded rows.
    pub fn recompute_visible(&mut self) {
        self.visible_dirty = false;
        self.filter_runs += 1;
        // Positions do not move here: the selected position identifies it.
        let keep = self.visible.get(self.cursor).copied();
        let text = self.filter_text().to_string();
        let mut visible: Vec<usize> = if text.trim().is_empty() {
            self.filter_memo = None;
            if self.shows_every_position() {
                (0..self.slots.len()).collect()
            } else {
                self.loaded_positions((0..self.rows.len()).collect())
            }
        } else {
            // Typing extends the text: only the rows the shorter text matched
            // (and rows loaded since) can match the longer one.
            let narrowed = self.filter_memo.take().filter(|m| {
                m.generation == self.generation
                    && m.rows <= self.rows.len()
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
                .chain(from..self.rows.len())
                .filter(|&i| matcher.matches(&self.rows[i]))
                .collect();
            self.filter_memo = Some(FilterMemo {
                text,
                generation: self.generation,
                rows: self.rows.len(),
                matches: matches.clone(),
            });
            self.loaded_positions(matches)
        };
        if self.sort_then.is_empty() {
            sort_rows(
                Rows(&self.rows, &self.slots),
                &mut visible,
                self.sort,
                self.sla.as_ref(),
            );
        } else {
            sort_by_keys(
                Rows(&self.rows, &self.slots),
                &mut visible,
                &self.sort_keys(),
                self.sla.as_ref(),
            );
        }
        self.visible = visible;
        self.cursor = keep
            .and_then(|pos| self.visible.iter().position(|&p| p == pos))
            .unwrap_or(self.cursor)
            .min(self.visible.len().saturating_sub(1));
        self.regroup();
    }

    /// The list positions of `rows` (indices into `self.rows`), in server
    /// order.
    fn loaded_positions(&self, rows: Vec<usize>) -> Vec<usize> {
        let mut positions: Vec<usize> = rows
            .into_iter()
            .map(|i| self.positions.get(i).map_or(i, |&p| p as usize))
            .collect();
        if self.window.is_some() {
            // Pages arrive in any order once the list is jumped through.
            positions.sort_unstable();
        }
        positions
    }

    /// Rows `from..` were just appended to a list read from its start (not
    /// windowed, so positions are row indices): filters and sorts only them
    /// and merges them into `visible`, the cursor staying on its finding.
    pub fn append_visible(&mut self, from: usize) {
        if !self.sort_then.is_empty() || self.grouping.by.is_some() {
            // Several keys (the merge below knows one), or groups to build
            // again: sort it all again.
            self.recompute_visible();
            return;
        }
        let text = self.filter_text().to_string();
        let mut new: Vec<usize> = if text.trim().is_empty() {
            (from..self.rows.len()).collect()
        } else {
            let mut matcher = TitleMatcher::new(&text);
            (from..self.rows.len())
                .filter(|&i| matcher.matches(&self.rows[i]))
                .collect()
        };
        let (generation, loaded) = (self.generation, self.rows.len());
        if let Some(memo) = self
            .filter_memo
            .as_mut()
            .filter(|m| m.text == text && m.generation == generation && m.rows == from)
        {
            memo.matches.extend_from_slice(&new);
            memo.rows = loaded;
        }
        sort_rows(
            Rows(&self.rows, &self.slots),
            &mut new,
            self.sort,
            self.sla.as_ref(),
        );
        let rows = &self.rows;
        let sla = self.sla.as_ref();
        let at: Vec<usize> = match self.sort {
            // New rows come after every loaded one in server order.
            SortKey::Priority => vec![self.visible.len(); new.len()],
            SortKey::Severity => insert_points(&self.visible, &new, |i| rows[i].severity().rank()),
            SortKey::Age => insert_points(&self.visible, &new, |i| rows[i].created()),
            SortKey::Status => insert_points(&self.visible, &new, |i| rows[i].status().rank()),
            SortKey::SlaLeft => insert_points(&self.visible, &new, |i| due_key(sla, &rows[i])),
        };
        let shown = !self.visible.is_empty();
        let before_cursor = at.iter().filter(|&&p| p <= self.cursor).count();
        let mut merged = Vec::with_capacity(self.visible.len() + new.len());
        let mut done = 0;
        for (&p, &i) in at.iter().zip(&new) {
            merged.extend_from_slice(&self.visible[done..p]);
            merged.push(i);
            done = p;
        }
        merged.extend_from_slice(&self.visible[done..]);
        self.visible = merged;
        if shown {
            self.cursor += before_cursor;
        }
        self.cursor = self.cursor.min(self.visible.len().saturating_sub(1));
    }
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

/// Loaded rows by list position.
#[derive(Clone, Copy)]
struct Rows<'a>(&'a [FindingRow], &'a [u32]);

impl<'a> Rows<'a> {
    /// The row at a loaded position.
    fn at(self, pos: usize) -> &'a FindingRow {
        &self.0[self.1[pos] as usize]
    }
}

/// Sorts list positions (in server order) of loaded rows by the sort key;
/// equal keys keep server order. Each key is read once: comparing rows in
/// place would read two large rows at random addresses per comparison.
fn sort_rows(rows: Rows<'_>, visible: &mut Vec<usize>, sort: SortKey, sla: Option<&SlaHours>) {
    fn by<K: Ord>(rows: Rows<'_>, visible: &mut Vec<usize>, key: impl Fn(&FindingRow) -> K) {
        let mut keyed: Vec<(K, usize)> = visible.iter().map(|&p| (key(rows.at(p)), p)).collect();
        // Stable: equal keys keep server order (and few distinct keys,
        // like severities, make long runs it sorts fast).
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        visible.clear();
        visible.extend(keyed.into_iter().map(|(_, p)| p));
    }
    match sort {
        SortKey::Priority => {}
        SortKey::Severity => by(rows, visible, |r| r.severity().rank()),
        SortKey::Age => by(rows, visible, FindingRow::created),
        SortKey::Status => by(rows, visible, |r| r.status().rank()),
        SortKey::SlaLeft => by(rows, visible, |r| due_key(sla, r)),
    }
}

/// Sorts list positions of loaded rows by several keys in turn; rows all
/// of them tie keep server order.
fn sort_by_keys(rows: Rows<'_>, visible: &mut [usize], keys: &[SortKey], sla: Option<&SlaHours>) {
    let value = |pos: usize, key: SortKey| -> i64 {
        let row = rows.at(pos);
        match key {
            SortKey::Priority => pos as i64,
            SortKey::Severity => i64::from(row.severity().rank()),
            SortKey::Age => row.created().map_or(i64::MAX, |t| t.timestamp_millis()),
            SortKey::Status => i64::from(row.status().rank()),
            SortKey::SlaLeft => match due_key(sla, row) {
                (_, Some(t)) => t.timestamp_millis(),
                (_, None) => i64::MAX,
            },
        }
    };
    let mut keyed: Vec<(Vec<i64>, usize)> = visible
        .iter()
        .map(|&i| (keys.iter().map(|&k| value(i, k)).collect(), i))
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    for (slot, (_, i)) in visible.iter_mut().zip(keyed) {
        *slot = i;
    }
}

/// Orders by due time, soonest (most overdue) first; findings with no due
/// time (closed, or no rule) last. Without the policy, server order.
fn due_key(
    sla: Option<&SlaHours>,
    row: &FindingRow,
) -> (bool, Option<chrono::DateTime<chrono::Utc>>) {
    let due = sla.and_then(|s| s.row_due(row));
    (due.is_none(), due)
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

    fn matches(&mut self, row: &FindingRow) -> bool {
        self.pattern
            .score(Utf32Str::new(row.title(), &mut self.buf), &mut self.matcher)
            .is_some()
    }
}
