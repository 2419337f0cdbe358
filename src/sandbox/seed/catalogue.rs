//! The catalogue of check templates (`assets/checks.json`): what each check
//! finds, written once and stamped onto the pages of a project.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use uuid::Uuid;

use crate::api::model::{Domain, FindingStatus, Severity};
use crate::sandbox::store::{EvidenceRow, FindingRecord, FixRow, Priority};

/// The catalogue shipped with krafter.
pub const CATALOGUE_JSON: &str = include_str!("../../../assets/checks.json");

#[derive(Deserialize)]
struct RawEvidence {
    #[serde(rename = "type")]
    kind: String,
    label: String,
    value: String,
}

#[derive(Deserialize)]
struct RawFix {
    summary: String,
    steps: Vec<String>,
    estimated_minutes: u32,
}

#[derive(Deserialize)]
struct RawPriority {
    impact: u8,
    effort: u8,
    risk: u8,
    score: u8,
}

#[derive(Deserialize)]
struct RawTemplate {
    check: String,
    domain: Domain,
    severity: Severity,
    scope: String,
    rate: f64,
    title: String,
    description: String,
    evidence: Vec<RawEvidence>,
    observed: String,
    fix: RawFix,
    priority: RawPriority,
    confidence: f64,
}

/// One check, ready to stamp onto URLs. Texts are shared between the
/// findings of one check, which keeps 100,000 findings small.
pub struct Template {
    pub check: String,
    pub domain: Domain,
    pub severity: Severity,
    /// Checked once per site (on its home page) rather than per page.
    pub site_wide: bool,
    /// Share of pages that have the problem in the demo.
    pub rate: f64,
    pub title: String,
    title_lower: String,
    description: Arc<str>,
    description_lower: Arc<str>,
    evidence: Vec<EvidenceRow>,
    observed: String,
    fix: Arc<FixRow>,
    priority: Priority,
    confidence: f64,
}

/// Parses the shipped catalogue.
pub fn load() -> Result<Vec<Template>, String> {
    let raw: Vec<RawTemplate> = serde_json::from_str(CATALOGUE_JSON)
        .map_err(|e| format!("the check catalogue is not valid: {e}"))?;
    Ok(raw
        .into_iter()
        .map(|t| Template {
            site_wide: t.scope == "site",
            rate: t.rate,
            title_lower: t.title.to_lowercase(),
            description_lower: Arc::from(t.description.to_lowercase().as_str()),
            description: Arc::from(t.description.as_str()),
            evidence: t
                .evidence
                .into_iter()
                .map(|e| EvidenceRow {
                    kind: e.kind,
                    label: e.label,
                    value: e.value,
                })
                .collect(),
            observed: t.observed,
            fix: Arc::new(FixRow {
                summary: t.fix.summary,
                steps: t.fix.steps,
                estimated_minutes: t.fix.estimated_minutes,
            }),
            priority: Priority {
                impact: t.priority.impact,
                effort: t.priority.effort,
                risk: t.priority.risk,
                score: t.priority.score,
            },
            confidence: t.confidence,
            check: t.check,
            domain: t.domain,
            severity: t.severity,
            title: t.title,
        })
        .collect())
}

impl Template {
    /// A finding of this check on `url`, open since `created_at`.
    pub fn stamp(&self, id: Uuid, url: &str, created_at: DateTime<Utc>) -> FindingRecord {
        FindingRecord {
            id,
            check: self.check.clone(),
            domain: self.domain.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            title_lower: self.title_lower.clone(),
            description_lower: self.description_lower.clone(),
            severity: self.severity.clone(),
            status: FindingStatus::New,
            confidence: self.confidence,
            priority: self.priority,
            owner_id: None,
            asset_url: url.to_string(),
            evidence: self.evidence.clone(),
            fix: self.fix.clone(),
            observed: Some(self.observed.clone()),
            scan_id: None,
            created_at,
            updated_at: created_at,
            first_seen_at: created_at,
            last_seen_at: created_at,
            closed_at: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::scanner::CHECK_KEYS;

    #[test]
    fn the_catalogue_covers_exactly_the_scanners_checks() {
        let templates = load().unwrap();
        let mut keys: Vec<&str> = templates.iter().map(|t| t.check.as_str()).collect();
        let mut expected: Vec<&str> = CHECK_KEYS.to_vec();
        keys.sort_unstable();
        expected.sort_unstable();
        assert_eq!(keys, expected);
        for t in &templates {
            assert!(
                !t.domain.is_other() && !t.severity.is_other(),
                "{}",
                t.check
            );
            assert!(t.check.starts_with(t.domain.as_str()), "{}", t.check);
            assert!(!t.fix.steps.is_empty() && t.fix.estimated_minutes > 0);
        }
    }
}
