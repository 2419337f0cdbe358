//! Saved views of the findings list: named server filters with a sort and
//! columns, shown as tabs with their counts, and what the session
//! remembers of them (the last view and the list position per project).

use crate::api::model::FindingQuery;
use crate::config::views::{OwnerSpec, ViewSpec};

use super::findings::SortKey;
use super::groups::GroupBy;

/// A column of the findings list a view may choose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Severity,
    Status,
    Domain,
    Score,
    Owner,
    Age,
    Sla,
    /// The affected page's path.
    Page,
    /// The check that found it (a sandbox field; the title stands in).
    Check,
}

impl Column {
    /// The column of a config name (`crate::config::views::COLUMNS`).
    pub fn parse(name: &str) -> Option<Column> {
        Some(match name {
            "severity" => Column::Severity,
            "status" => Column::Status,
            "domain" => Column::Domain,
            "score" => Column::Score,
            "owner" => Column::Owner,
            "age" => Column::Age,
            "sla" => Column::Sla,
            "page" => Column::Page,
            "check" => Column::Check,
            _ => return None,
        })
    }
}

/// How many findings a view has, as far as the TUI knows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ViewCount {
    /// Not asked yet.
    #[default]
    Unknown,
    /// Asked; the last known count, if any, stays shown meanwhile.
    Asking(Option<u64>),
    Known(u64),
    /// It cannot be counted (e.g. "me" is not set), or the request failed.
    Failed(String),
}

impl ViewCount {
    /// Its text on a tab: the count, or `?` while it is not known.
    pub fn text(&self) -> String {
        match self {
            ViewCount::Known(n) | ViewCount::Asking(Some(n)) => n.to_string(),
            ViewCount::Unknown | ViewCount::Asking(None) => "?".to_string(),
            ViewCount::Failed(_) => "!".to_string(),
        }
    }
}

/// One view as the session uses it.
#[derive(Clone, Debug, PartialEq)]
pub struct View {
    pub spec: ViewSpec,
    pub count: ViewCount,
}

impl View {
    /// The server query of the view; `None` with the reason when it cannot
    /// be asked (an owner of "me" without `me` in the profile).
    pub fn query(&self, me: Option<&str>) -> Result<FindingQuery, String> {
        let s = &self.spec;
        let owner_id = match &s.owner {
            None => None,
            Some(OwnerSpec::Me) => Some(
                me.ok_or("your user id is not known: set `me` in the config profile")?
                    .to_string(),
            ),
            Some(OwnerSpec::Unassigned) => Some("none".to_string()),
            Some(OwnerSpec::Id(id)) => Some(id.clone()),
        };
        Ok(FindingQuery {
            severity: s.severity.clone(),
            status: s.status.clone(),
            domain: s.domain.clone(),
            owner_id,
            q: s.text.clone(),
        })
    }

    /// The sort keys of the view, first one first.
    pub fn sort(&self) -> Vec<SortKey> {
        self.spec
            .sort
            .iter()
            .filter_map(|k| SortKey::parse(k))
            .collect()
    }

    /// True when the view shows open findings only (`status = "open"`).
    pub fn open_only(&self) -> bool {
        self.spec.open_only && self.spec.status.is_none()
    }

    /// The statuses whose counts add up to the view's: the open ones for
    /// `status = "open"`, else none (one count of the query).
    pub fn counted_statuses(&self) -> Vec<crate::api::model::FindingStatus> {
        use crate::api::model::FindingStatus;
        if self.open_only() {
            FindingStatus::KNOWN
                .iter()
                .filter(|s| s.is_unresolved())
                .cloned()
                .collect()
        } else {
            Vec::new()
        }
    }

    /// What the view groups its rows by, if anything.
    pub fn group_by(&self) -> Option<GroupBy> {
        self.spec
            .group_by
            .as_deref()
            .and_then(|g| GroupBy::parse(g).ok().flatten())
    }

    /// The columns of the view; empty for the default set.
    pub fn columns(&self) -> Vec<Column> {
        self.spec
            .columns
            .iter()
            .filter_map(|c| Column::parse(c))
            .collect()
    }
}

/// The views of the session and which one is shown.
#[derive(Clone, Debug, Default)]
pub struct ViewsState {
    pub views: Vec<View>,
    /// The view shown; `None` once the filters or the sort were changed
    /// away from it (the list is then "unsaved").
    pub current: Option<usize>,
    /// The view the list started from, kept while it is changed.
    pub base: usize,
    /// Generation of the counts: answers of an older round are dropped.
    pub generation: u64,
    /// Where the cursor goes once enough rows are loaded (a remembered
    /// position, or `:goto`).
    pub pending_cursor: Option<usize>,
}

impl ViewsState {
    /// The views of `specs`, none counted yet, the first shown.
    pub fn new(specs: Vec<ViewSpec>) -> ViewsState {
        ViewsState {
            views: specs
                .into_iter()
                .map(|spec| View {
                    spec,
                    count: ViewCount::Unknown,
                })
                .collect(),
            current: Some(0),
            ..ViewsState::default()
        }
    }

    /// The index of a view by name (case does not matter; a unique
    /// prefix will do).
    pub fn find(&self, name: &str) -> Option<usize> {
        let name = name.trim();
        let exact = self
            .views
            .iter()
            .position(|v| v.spec.name.eq_ignore_ascii_case(name));
        exact.or_else(|| {
            let lower = name.to_lowercase();
            let mut hits = self
                .views
                .iter()
                .enumerate()
                .filter(|(_, v)| v.spec.name.to_lowercase().starts_with(&lower));
            match (hits.next(), hits.next()) {
                (Some((i, _)), None) => Some(i),
                _ => None,
            }
        })
    }

    /// The name shown for the list: the view's, or `NAME*` once changed.
    pub fn label(&self) -> String {
        match (self.current, self.views.get(self.base)) {
            (Some(i), _) => self
                .views
                .get(i)
                .map_or(String::new(), |v| v.spec.name.clone()),
            (None, Some(base)) => format!("{} (changed)", base.spec.name),
            (None, None) => "unsaved".to_string(),
        }
    }
}

/// What is remembered of a project's list across restarts.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Remembered {
    /// The view's name.
    pub view: String,
    /// The cursor's row.
    pub position: usize,
}
