//! The findings marked for a bulk change: rows marked by id, and every
//! finding matching a server filter (loaded or not) marked at once. Marks
//! belong to a project and survive paging, filters and refreshes.

use std::collections::BTreeSet;

use crate::api::model::{FindingQuery, FindingRow};
use crate::engine::bulk::plan::Pick;

/// Every finding of a server filter, marked at once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MarkedFilter {
    pub query: FindingQuery,
    /// The server's `total` for the query when it was marked.
    pub total: u64,
    /// Matching findings unmarked since, by id.
    pub excluded: BTreeSet<String>,
}

/// What is marked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Marks {
    /// Marked by id; never one the filter below already marks.
    ids: BTreeSet<String>,
    filter: Option<MarkedFilter>,
}

impl Marks {
    /// Nothing marked.
    pub fn is_empty(&self) -> bool {
        self.count() == 0
    }

    /// How many findings are marked (a marked filter counts its server
    /// total, minus the ones unmarked since).
    pub fn count(&self) -> u64 {
        let by_filter = self
            .filter
            .as_ref()
            .map_or(0, |m| m.total.saturating_sub(m.excluded.len() as u64));
        self.ids.len() as u64 + by_filter
    }

    /// True when `f` is marked.
    pub fn contains(&self, f: &FindingRow) -> bool {
        let id = f.id();
        self.ids.contains(&*id)
            || self
                .filter
                .as_ref()
                .is_some_and(|m| m.query.matches_row(f) && !m.excluded.contains(&*id))
    }

    /// The marked filter, if any.
    pub fn filter(&self) -> Option<&MarkedFilter> {
        self.filter.as_ref()
    }

    /// The ids marked one by one, when no filter is marked.
    pub fn only_ids(&self) -> Option<Vec<String>> {
        self.filter
            .is_none()
            .then(|| self.ids.iter().cloned().collect())
    }

    /// Marks or unmarks `f`.
    pub fn toggle(&mut self, f: &FindingRow) {
        let marked = self.contains(f);
        self.set(f, !marked);
    }

    /// Marks (`on`) or unmarks `f`.
    pub fn set(&mut self, f: &FindingRow, on: bool) {
        let id = f.id();
        match self.filter.as_mut().filter(|m| m.query.matches_row(f)) {
            Some(m) if on => {
                m.excluded.remove(&*id);
            }
            Some(m) => {
                m.excluded.insert(id.to_string());
            }
            None if on => {
                self.ids.insert(id.to_string());
            }
            None => {
                self.ids.remove(&*id);
            }
        }
    }

    /// Marks every finding of `query`, `total` of them on the server. Ids
    /// marked before stay marked.
    pub fn mark_filter(&mut self, query: FindingQuery, total: u64, loaded: &[FindingRow]) {
        // Ids the filter now covers would be counted twice.
        for f in loaded.iter().filter(|f| query.matches_row(f)) {
            self.ids.remove(&*f.id());
        }
        self.filter = Some(MarkedFilter {
            query,
            total,
            excluded: BTreeSet::new(),
        });
    }

    /// Unmarks one finding by id (it was changed, so it is done with).
    pub fn forget(&mut self, id: &str) {
        self.ids.remove(id);
        if let Some(m) = self.filter.as_mut() {
            m.excluded.insert(id.to_string());
        }
    }

    /// Marks exactly `ids` (what a job left unchanged), nothing else.
    pub fn replace_with_ids(&mut self, ids: impl IntoIterator<Item = String>) {
        self.filter = None;
        self.ids = ids.into_iter().collect();
    }

    /// Unmarks everything.
    pub fn clear(&mut self) {
        *self = Marks::default();
    }

    /// What a bulk job of these marks applies to.
    pub fn pick(&self) -> Pick {
        match &self.filter {
            None => Pick::Ids(self.ids.iter().cloned().collect()),
            Some(m) => Pick::Marked {
                query: m.query.clone(),
                excluded: m.excluded.iter().cloned().collect(),
                extra: self.ids.iter().cloned().collect(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::{Finding, FindingStatus, Interner, Severity};

    fn finding(id: &str, severity: Severity) -> FindingRow {
        let f = Finding {
            id: id.into(),
            severity,
            status: FindingStatus::New,
            ..Finding::default()
        };
        FindingRow::new(f, &mut Interner::default())
    }

    #[test]
    fn a_marked_filter_counts_the_server_total_and_toggles_by_exclusion() {
        let critical = FindingQuery {
            severity: Some(Severity::Critical),
            ..FindingQuery::default()
        };
        let (a, b, low) = (
            finding("a", Severity::Critical),
            finding("b", Severity::Critical),
            finding("c", Severity::Low),
        );
        let mut m = Marks::default();
        m.toggle(&a);
        m.mark_filter(critical.clone(), 40, &[a.clone(), b.clone(), low.clone()]);
        assert_eq!(m.count(), 40, "a is counted once");
        assert!(m.contains(&b));
        m.toggle(&b);
        assert!(!m.contains(&b));
        assert_eq!(m.count(), 39);
        m.toggle(&low);
        assert_eq!(m.count(), 40);
        assert_eq!(
            m.pick(),
            Pick::Marked {
                query: critical,
                excluded: vec!["b".into()],
                extra: vec!["c".into()],
            }
        );
        m.forget("a");
        assert!(!m.contains(&a));
        m.replace_with_ids(["b".to_string()]);
        assert_eq!(m.pick(), Pick::Ids(vec!["b".into()]));
    }
}
