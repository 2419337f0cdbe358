//! Grouping the findings list (`z`): one row per check, or per page, with
//! its count, worst severity and statuses. Groups are made of the rows
//! the list shows (the server filters and `/` applied), in the order of
//! their first finding under the current sort; opening a group shows its
//! findings as a list.

use std::collections::BTreeSet;

use crate::api::model::{FindingRow, FindingStatus, Severity};

/// What the list is grouped by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupBy {
    /// The check that found it (the sandbox's `check` key, or the title
    /// when a server sends no check).
    Check,
    /// The affected page (the finding's first URL).
    Page,
}

impl GroupBy {
    /// The grouping after `current` in the `z` cycle: check, page, none.
    pub fn cycle(current: Option<GroupBy>) -> Option<GroupBy> {
        match current {
            None => Some(GroupBy::Check),
            Some(GroupBy::Check) => Some(GroupBy::Page),
            Some(GroupBy::Page) => None,
        }
    }

    /// The grouping a config or `:group` names (`none`/`off`: none).
    pub fn parse(name: &str) -> Result<Option<GroupBy>, String> {
        match name.trim().to_ascii_lowercase().as_str() {
            "check" => Ok(Some(GroupBy::Check)),
            "page" | "url" => Ok(Some(GroupBy::Page)),
            "" | "none" | "off" => Ok(None),
            other => Err(format!("`{other}` is not check, page or none")),
        }
    }

    /// Its name in the config and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            GroupBy::Check => "check",
            GroupBy::Page => "page",
        }
    }

    /// The key of `row`'s group.
    pub fn key_of(self, row: &FindingRow) -> String {
        match self {
            GroupBy::Check => row.check().unwrap_or(row.title()).to_string(),
            GroupBy::Page => row.primary_url().unwrap_or("(no page)").to_string(),
        }
    }
}

/// One group row.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub key: String,
    /// What the row shows: a member's title (by check) or the page's URL.
    pub label: String,
    /// List positions of its shown findings, in the list's order.
    pub positions: Vec<usize>,
    /// The most severe of its findings.
    pub worst: Severity,
    /// How many of its findings are in each status, lifecycle order.
    pub statuses: Vec<(FindingStatus, usize)>,
}

impl Group {
    /// e.g. `new 30 · triaged 10`.
    pub fn statuses_text(&self) -> String {
        self.statuses
            .iter()
            .map(|(s, n)| format!("{s} {n}"))
            .collect::<Vec<_>>()
            .join(" · ")
    }
}

/// The list's grouping.
#[derive(Clone, Debug, Default)]
pub struct Grouping {
    /// None: the plain list.
    pub by: Option<GroupBy>,
    /// The groups of the rows shown, recomputed with them.
    pub groups: Vec<Group>,
    /// The key of the group opened with enter; its findings are the list.
    pub open: Option<String>,
    /// The selected group row.
    pub cursor: usize,
    /// First group row on screen.
    pub scroll: usize,
    /// Groups marked while some of the list was still loading: findings of
    /// theirs that arrive later are marked as they come.
    pub marked_pending: BTreeSet<String>,
}

impl Grouping {
    /// True when the list shows group rows (grouped, no group open).
    pub fn shows_groups(&self) -> bool {
        self.by.is_some() && self.open.is_none()
    }

    /// The selected group row, when groups are shown.
    pub fn selected(&self) -> Option<&Group> {
        if self.shows_groups() {
            self.groups.get(self.cursor)
        } else {
            None
        }
    }

    /// The group that is open, when it still has findings shown.
    pub fn opened(&self) -> Option<&Group> {
        let key = self.open.as_deref()?;
        self.groups.iter().find(|g| g.key == key)
    }

    /// Drops the groups, the open one and pending marks (a new query).
    pub fn reset(&mut self) {
        self.groups.clear();
        self.open = None;
        self.cursor = 0;
        self.scroll = 0;
        self.marked_pending.clear();
    }
}
