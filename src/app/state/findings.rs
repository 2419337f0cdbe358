//! The findings list's state: loaded rows, what is shown of them, paging.

use tui_input::Input;

use crate::api::model::{Finding, FindingQuery, FindingRow, Interner};
use crate::api::paginate::FindingsPager;
use crate::engine::sla::SlaHours;

use super::groups::Grouping;
use super::marks::Marks;
use super::search::ServerSearch;
use super::window::{ListWindow, NOT_LOADED};

/// Client-side sort of the loaded rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortKey {
    /// The server's order.
    #[default]
    Priority,
    Severity,
    /// Oldest first.
    Age,
    Status,
    /// Least SLA time left first (overdue first); only offered once the
    /// policy's SLA hours are known.
    SlaLeft,
}

impl SortKey {
    /// The next sort in the cycle.
    pub fn next(self) -> SortKey {
        match self {
            SortKey::Priority => SortKey::Severity,
            SortKey::Severity => SortKey::Age,
            SortKey::Age => SortKey::Status,
            SortKey::Status | SortKey::SlaLeft => SortKey::Priority,
        }
    }

    /// The next sort in the cycle, time left included when `sla_known`.
    pub fn next_with(self, sla_known: bool) -> SortKey {
        match self {
            SortKey::Status if sla_known => SortKey::SlaLeft,
            other => other.next(),
        }
    }

    /// The key of a config or `:sort` name (`crate::config::views::SORT_KEYS`).
    pub fn parse(name: &str) -> Option<SortKey> {
        Some(match name.trim().to_ascii_lowercase().as_str() {
            "priority" => SortKey::Priority,
            "severity" => SortKey::Severity,
            "age" => SortKey::Age,
            "status" => SortKey::Status,
            "sla" | "time left" => SortKey::SlaLeft,
            _ => return None,
        })
    }

    /// Its name in the config and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            SortKey::SlaLeft => "sla",
            other => other.label(),
        }
    }

    /// Which way it orders, as an arrow: ↓ from the most (priority score,
    /// severity), ↑ from the least (oldest first, the lifecycle's start,
    /// the least time left).
    pub fn arrow(self) -> &'static str {
        match self {
            SortKey::Priority | SortKey::Severity => "↓",
            SortKey::Age | SortKey::Status | SortKey::SlaLeft => "↑",
        }
    }

    /// Its name on screen.
    pub fn label(self) -> &'static str {
        match self {
            SortKey::Priority => "priority",
            SortKey::Severity => "severity",
            SortKey::Age => "age",
            SortKey::Status => "status",
            SortKey::SlaLeft => "time left",
        }
    }
}

/// The findings list pane.
#[derive(Clone, Debug)]
pub struct FindingsState {
    /// Loaded rows, in the order they arrived (server order unless the
    /// list was jumped through): each finding's compact row.
    pub rows: Vec<FindingRow>,
    /// The strings rows share (titles, checks, pages, owners).
    pub strings: Interner,
    /// Each list position's row in `rows` ([`NOT_LOADED`] while its page is
    /// not here): the server's offset once the list is windowed, else the
    /// row's index.
    pub slots: Vec<u32>,
    /// Each row's list position (the reverse of `slots`).
    pub positions: Vec<u32>,
    /// Set once the first page told the total and the list pages by
    /// offset: the list is then a window over the server's pages.
    pub window: Option<ListWindow>,
    /// List positions after the text filter and the sort; with neither,
    /// every position of a windowed list (placeholders included).
    pub visible: Vec<usize>,
    /// `visible` waits for a recompute (see [`Self::settle`]): typing
    /// filters once per frame, not once per key.
    pub visible_dirty: bool,
    /// How many times the text filter and the sort ran (to hold the
    /// once-a-frame promise in tests).
    pub filter_runs: u64,
    /// The `/` text asked of the server while not every row is loaded.
    pub search: ServerSearch,
    /// `meta.total` of the current query.
    pub total: Option<u64>,
    pub query: FindingQuery,
    /// Only open findings (not resolved or dismissed): a view's `status =
    /// "open"`. The service filters one status at a time, so the list
    /// drops closed rows as they arrive and reads the whole list.
    pub open_only: bool,
    pub generation: u64,
    pub loading: bool,
    /// Every row of the query is loaded (the pager is done).
    pub exhausted: bool,
    /// Where the next page starts; it stops on a repeated page, an empty
    /// page, the total, or a cursor that ends.
    pub pager: FindingsPager,
    /// Rows of other owners the server sent despite the owner filter (a
    /// sandbox-only parameter, contract 5.3), dropped here.
    pub owner_ignored: u64,
    /// Position in `visible`.
    pub cursor: usize,
    /// First visible row on screen; kept by the renderer's height.
    pub scroll: usize,
    pub text_filter: String,
    /// The `/` prompt, while it is being typed in.
    pub filter_input: Option<Input>,
    pub sort: SortKey,
    /// Further sort keys, for rows the first one ties (a view's or `:sort`'s).
    pub sort_then: Vec<SortKey>,
    /// Marked findings (by id, or a whole server filter); they survive
    /// paging, filters and refreshes.
    pub marks: Marks,
    /// Where the last mark was set: `m` marks from there to the cursor.
    pub mark_anchor: Option<usize>,
    /// The last text filter's matches, to narrow from as the text grows.
    pub filter_memo: Option<FilterMemo>,
    /// The policy's SLA hours, once known: the SLA column and its sort.
    pub sla: Option<SlaHours>,
    /// Rows grouped by check or page (`z`).
    pub grouping: Grouping,
}

/// Rows a text filter matched, in server order.
#[derive(Clone, Debug, Default)]
pub struct FilterMemo {
    pub text: String,
    /// The list generation the rows belong to.
    pub generation: u64,
    /// Rows loaded when it was computed; later rows were not looked at.
    pub rows: usize,
    /// Indices into `rows` (arrival order).
    pub matches: Vec<usize>,
}

impl Default for FindingsState {
    fn default() -> Self {
        FindingsState {
            rows: Vec::new(),
            strings: Interner::default(),
            slots: Vec::new(),
            positions: Vec::new(),
            window: None,
            visible: Vec::new(),
            visible_dirty: false,
            filter_runs: 0,
            search: ServerSearch::default(),
            total: None,
            query: FindingQuery::default(),
            open_only: false,
            generation: 0,
            loading: false,
            exhausted: false,
            pager: FindingsPager::new(FindingQuery::default(), 50),
            owner_ignored: 0,
            filter_memo: None,
            cursor: 0,
            scroll: 0,
            text_filter: String::new(),
            filter_input: None,
            sort: SortKey::default(),
            sort_then: Vec::new(),
            marks: Marks::default(),
            mark_anchor: None,
            sla: None,
            grouping: Grouping::default(),
        }
    }
}

impl FindingsState {
    /// True when the list keeps open findings only: a view's `status =
    /// "open"`, while no single status is asked of the server.
    pub fn shows_open_only(&self) -> bool {
        self.open_only && self.query.status.is_none()
    }

    /// True when the pane shows its filter line. It always does: the
    /// view, its filters and its sort are always shown as text.
    pub fn filter_line_shown(&self) -> bool {
        true
    }

    /// Every sort key, first one first.
    pub fn sort_keys(&self) -> Vec<SortKey> {
        std::iter::once(self.sort)
            .chain(self.sort_then.iter().copied())
            .collect()
    }

    /// The sort as text, e.g. `sort: severity ↓, age ↑`.
    pub fn sort_text(&self) -> String {
        let keys: Vec<String> = self
            .sort_keys()
            .iter()
            .map(|k| format!("{} {}", k.label(), k.arrow()))
            .collect();
        format!("sort: {}", keys.join(", "))
    }

    /// The text filter as typed, or as kept.
    pub fn filter_text(&self) -> &str {
        self.filter_input
            .as_ref()
            .map_or(self.text_filter.as_str(), |i| i.value())
    }

    /// The row at list position `pos`, when its page is loaded.
    pub fn row_at(&self, pos: usize) -> Option<&FindingRow> {
        match *self.slots.get(pos)? {
            NOT_LOADED => None,
            i => self.rows.get(i as usize),
        }
    }

    /// True when every row of the query is here: the walk ended, or a
    /// window holds as many rows as the total.
    pub fn all_loaded(&self) -> bool {
        self.exhausted
            || (self.window.is_some() && self.total.is_some_and(|t| self.rows.len() as u64 >= t))
    }

    /// True when the list shows the server's order with nothing filtered
    /// out and not grouped: a windowed list then shows a placeholder for
    /// each row not here.
    pub fn shows_every_position(&self) -> bool {
        self.window.is_some()
            && self.sort == SortKey::Priority
            && self.grouping.by.is_none()
            && self.filter_text().trim().is_empty()
    }

    /// Recomputes what is shown if typing or a page made it stale; the
    /// runtime calls it before each frame and before any other input.
    pub fn settle(&mut self) {
        if self.visible_dirty {
            self.recompute_visible();
        }
    }

    /// The whole list at once, in server order (a test or a bench that
    /// needs no server): every row loaded, nothing windowed.
    pub fn set_all(&mut self, rows: Vec<Finding>) {
        self.keep_first(0);
        for row in rows {
            self.store(self.rows.len(), row);
        }
        self.total = Some(self.rows.len() as u64);
        self.exhausted = true;
        self.recompute_visible();
    }

    /// Keeps the first `n` rows of a list read from its start (no window),
    /// as if the later pages had not come yet.
    pub fn keep_first(&mut self, n: usize) {
        self.window = None;
        self.rows.truncate(n);
        if n == 0 {
            self.strings.clear();
        }
        self.slots.truncate(n);
        self.positions.truncate(n);
        self.filter_memo = None;
        self.exhausted = false;
    }

    /// Removes every row (a new query, a reload).
    pub fn clear_rows(&mut self) {
        self.rows.clear();
        self.strings.clear();
    }

    /// Stores the list's compact row of `row` at list position `pos` (a
    /// row already there is replaced by the fresher copy).
    pub fn store(&mut self, pos: usize, row: Finding) {
        let row = FindingRow::new(row, &mut self.strings);
        if self.slots.len() <= pos {
            self.slots.resize(pos + 1, NOT_LOADED);
        }
        match self.slots[pos] {
            NOT_LOADED => {
                self.slots[pos] = self.rows.len() as u32;
                self.positions.push(pos as u32);
                self.rows.push(row);
                self.mark_if_group_pending(self.rows.len() - 1);
            }
            i => {
                // The filter's remembered matches were scored on the old copy.
                self.filter_memo = None;
                self.rows[i as usize] = row;
            }
        }
    }

    /// How many marked findings are not among the loaded rows.
    pub fn marked_not_loaded(&self) -> u64 {
        let loaded = self.rows.iter().filter(|f| self.marks.contains(f)).count() as u64;
        self.marks.count().saturating_sub(loaded)
    }

    /// The row under the cursor (none while group rows are shown).
    pub fn selected(&self) -> Option<&FindingRow> {
        if self.grouping.shows_groups() {
            return None;
        }
        self.visible
            .get(self.cursor)
            .and_then(|&pos| self.row_at(pos))
    }
}
