//! The findings list's state: loaded rows, what is shown of them, paging.

use tui_input::Input;

use crate::api::model::{Finding, FindingQuery};
use crate::api::paginate::FindingsPager;
use crate::engine::sla::SlaHours;

use super::marks::Marks;

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
    /// Loaded rows, in server order.
    pub rows: Vec<Finding>,
    /// Indices into `rows` after the text filter and the sort.
    pub visible: Vec<usize>,
    /// `meta.total` of the current query.
    pub total: Option<u64>,
    pub query: FindingQuery,
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
}

/// Rows a text filter matched, in server order.
#[derive(Clone, Debug, Default)]
pub struct FilterMemo {
    pub text: String,
    /// The list generation the rows belong to.
    pub generation: u64,
    /// Rows loaded when it was computed; later rows were not looked at.
    pub rows: usize,
    pub matches: Vec<usize>,
}

impl Default for FindingsState {
    fn default() -> Self {
        FindingsState {
            rows: Vec::new(),
            visible: Vec::new(),
            total: None,
            query: FindingQuery::default(),
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
        }
    }
}

impl FindingsState {
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

    /// How many marked findings are not among the loaded rows.
    pub fn marked_not_loaded(&self) -> u64 {
        let loaded = self.rows.iter().filter(|f| self.marks.contains(f)).count() as u64;
        self.marks.count().saturating_sub(loaded)
    }

    /// The finding under the cursor.
    pub fn selected(&self) -> Option<&Finding> {
        self.visible
            .get(self.cursor)
            .and_then(|&i| self.rows.get(i))
    }
}
