//! Findings: the list (filters, order, offset paging), one finding, and the
//! manual status lifecycle of contract 5.3.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::index::FindingIndex;
use super::{FindingRecord, Project, StoreError, parse_id};
use crate::api::model::{Domain, FindingStatus, Severity};
use crate::api::transitions::{RESOLVED_EXPLANATION, finding_move_allowed, finding_targets};

/// The `owner_id` filter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OwnerFilter {
    Unassigned,
    User(Uuid),
}

/// Filters of `GET /findings`.
#[derive(Clone, Debug, Default)]
pub struct FindingFilter {
    pub severity: Option<Severity>,
    pub status: Option<FindingStatus>,
    pub domain: Option<Domain>,
    pub owner: Option<OwnerFilter>,
    /// Lower-case substring of title or description.
    pub q: Option<String>,
}

impl FindingFilter {
    /// Every filter but `q`, which is matched per distinct text (see
    /// [`FindingIndex`](super::index::FindingIndex)).
    fn matches_fields(&self, f: &FindingRecord) -> bool {
        self.severity.as_ref().is_none_or(|s| *s == f.severity)
            && self.status.as_ref().is_none_or(|s| *s == f.status)
            && self.domain.as_ref().is_none_or(|d| *d == f.domain)
            && self.owner.as_ref().is_none_or(|o| match o {
                OwnerFilter::Unassigned => f.owner_id.is_none(),
                OwnerFilter::User(u) => f.owner_id == Some(*u),
            })
    }

    fn filters_fields(&self) -> bool {
        self.severity.is_some()
            || self.status.is_some()
            || self.domain.is_some()
            || self.owner.is_some()
    }
}

/// What `PATCH /findings/{id}` may change; `None` leaves a field alone.
#[derive(Clone, Debug, Default)]
pub struct FindingChange {
    pub status: Option<FindingStatus>,
    pub owner_id: Option<Option<Uuid>>,
    pub severity: Option<Severity>,
}

/// The allowed targets as the 422 message names them.
pub(crate) fn targets_text(from: &FindingStatus) -> String {
    let targets = finding_targets(from);
    let targets: Vec<&str> = targets.iter().map(|t| t.as_str()).collect();
    if targets.is_empty() {
        "none".into()
    } else {
        targets.join(", ")
    }
}

impl Project {
    /// Adds a finding (seeding or a scan).
    pub fn insert_finding(&mut self, finding: FindingRecord) {
        let index = self.findings.len();
        self.finding_index.insert(finding.id, index);
        self.finding_keys
            .insert((finding.check.clone(), finding.asset_url.clone()), index);
        self.findings.push(finding);
        self.index.push(&self.findings);
    }

    /// Rebuilds the list order and the search texts. The store does it when
    /// a project joins it, after seeding has set every finding.
    pub(crate) fn reindex(&mut self) {
        self.index = FindingIndex::build(&self.findings);
    }

    /// Position of the finding of `(check, asset url)`, for upserts.
    pub(crate) fn finding_by_key(&self, check: &str, url: &str) -> Option<usize> {
        self.finding_keys
            .get(&(check.to_string(), url.to_string()))
            .copied()
    }

    pub(crate) fn finding_position(&self, id: Uuid) -> Option<usize> {
        self.finding_index.get(&id).copied()
    }

    /// One finding by its id as written in a path.
    pub fn finding(&self, id: &str) -> Result<&FindingRecord, StoreError> {
        let uuid = parse_id(id, "finding")?;
        self.finding_position(uuid)
            .map(|i| &self.findings[i])
            .ok_or_else(|| StoreError::NotFound(format!("finding {id} not found")))
    }

    /// A page of the findings matching `filter`, and how many match.
    pub fn list_findings(
        &mut self,
        filter: &FindingFilter,
        offset: usize,
        limit: usize,
    ) -> (Vec<&FindingRecord>, usize) {
        if !self.is_indexed() {
            // Only a project that never joined a store gets here (tests,
            // benches building one by hand).
            self.reindex();
        }
        self.list_indexed(filter, offset, limit)
    }

    /// Whether the list order and the search texts cover every finding, as
    /// [`Self::list_indexed`] needs.
    pub fn is_indexed(&self) -> bool {
        self.index.covers(&self.findings)
    }

    /// [`Self::list_findings`] without changing the project, once it
    /// [`is_indexed`](Self::is_indexed) (a project in a store always is).
    pub fn list_indexed(
        &self,
        filter: &FindingFilter,
        offset: usize,
        limit: usize,
    ) -> (Vec<&FindingRecord>, usize) {
        debug_assert!(self.is_indexed(), "listed before it was indexed");
        let order = self.index.order();
        let findings = &self.findings;
        let hits = filter.q.as_deref().map(|q| self.index.texts_matching(q));
        if !filter.filters_fields() {
            // Counted without reading a record, and only the rows up to the
            // page are looked at: a search costs about what a page does.
            let Some(hits) = hits else {
                let page = order
                    .iter()
                    .skip(offset)
                    .take(limit)
                    .map(|&i| &findings[i as usize])
                    .collect();
                return (page, findings.len());
            };
            let page = order
                .iter()
                .filter(|&&i| hits.contains(self.index.text_of(i)))
                .skip(offset)
                .take(limit)
                .map(|&i| &findings[i as usize])
                .collect();
            return (page, hits.findings());
        }
        let mut total = 0;
        let mut page = Vec::with_capacity(limit.min(100));
        for &i in order {
            // The text lookup needs no record: most rows of a search end here.
            if hits
                .as_ref()
                .is_some_and(|h| !h.contains(self.index.text_of(i)))
            {
                continue;
            }
            let f = &findings[i as usize];
            if filter.matches_fields(f) {
                if total >= offset && page.len() < limit {
                    page.push(f);
                }
                total += 1;
            }
        }
        (page, total)
    }

    /// Applies a PATCH: every field is checked before any is changed.
    pub fn patch_finding(
        &mut self,
        id: &str,
        change: FindingChange,
        now: DateTime<Utc>,
    ) -> Result<&FindingRecord, StoreError> {
        let uuid = parse_id(id, "finding")?;
        let index = self
            .finding_position(uuid)
            .ok_or_else(|| StoreError::NotFound(format!("finding {id} not found")))?;
        let finding = &mut self.findings[index];
        if let Some(to) = &change.status {
            check_finding_move(&finding.status, to)?;
        }
        if let Some(to) = change.status
            && to != finding.status
        {
            finding.set_status(to, now);
        }
        if let Some(owner) = change.owner_id {
            finding.owner_id = owner;
            finding.updated_at = now;
        }
        if let Some(severity) = change.severity {
            finding.severity = severity;
            finding.updated_at = now;
        }
        Ok(&self.findings[index])
    }
}

/// Refuses a manual move the lifecycle does not allow, naming the allowed
/// targets.
pub(crate) fn check_finding_move(
    from: &FindingStatus,
    to: &FindingStatus,
) -> Result<(), StoreError> {
    if *to == FindingStatus::Resolved {
        return Err(StoreError::InvalidTransition(format!(
            "cannot set a finding to resolved by hand (allowed from {from}: {}). {RESOLVED_EXPLANATION}",
            targets_text(from)
        )));
    }
    if finding_move_allowed(from, to) {
        Ok(())
    } else {
        Err(StoreError::InvalidTransition(format!(
            "cannot move a finding from {from} to {to}; allowed: {}",
            targets_text(from)
        )))
    }
}
