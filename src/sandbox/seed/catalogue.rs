//! Check templates for `--generate`: one finding of each check of the
//! scanner's catalogue, as a scan of a demo page with just that defect
//! reports it, ready to stamp onto any URL.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::observe;
use crate::api::model::{Domain, FindingStatus, Severity};
use crate::sandbox::demo_site::render::Defects;
use crate::sandbox::scanner::CATALOGUE;
use crate::sandbox::store::{EvidenceRow, FindingRecord, FixRow, Priority};

/// One check, ready to stamp onto URLs. Texts are shared between the
/// findings of one check, which keeps 100,000 findings small.
pub struct Template {
    pub check: String,
    pub domain: Domain,
    pub severity: Severity,
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

/// A template for every check of the catalogue, from real scans of demo
/// pages that fail only that check.
pub fn load() -> Result<Vec<Template>, String> {
    let url = "http://shop.northwind.test/";
    CATALOGUE
        .iter()
        .map(|spec| {
            let defects: Defects = [spec.key.to_string()].into_iter().collect();
            let report = observe::scan_rendered(url, "shop.northwind.test", "/", &defects);
            let obs = report
                .observations
                .iter()
                .find(|o| o.check == spec.key)
                .ok_or_else(|| format!("a demo page with the defect {} passes it", spec.key))?;
            let observed = observe::observed(&report, spec.key);
            Ok(Template {
                check: obs.check.clone(),
                domain: obs.domain.clone(),
                severity: obs.severity.clone(),
                title: obs.title.clone(),
                title_lower: obs.title.to_lowercase(),
                description: Arc::from(obs.description.as_str()),
                description_lower: Arc::from(obs.description.to_lowercase().as_str()),
                evidence: obs
                    .evidence
                    .iter()
                    .map(|e| EvidenceRow {
                        kind: e.kind.clone(),
                        label: e.label.clone(),
                        value: e.value.clone(),
                    })
                    .collect(),
                observed: observed.unwrap_or_default(),
                fix: Arc::new(FixRow {
                    summary: obs.fix.summary.clone(),
                    steps: obs.fix.steps.clone(),
                    estimated_minutes: obs.fix.estimated_minutes,
                }),
                priority: Priority {
                    impact: obs.priority.impact,
                    effort: obs.priority.effort,
                    risk: obs.priority.risk,
                    score: obs.priority.score,
                },
                confidence: obs.confidence,
            })
        })
        .collect()
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
    use crate::sandbox::scanner::{CHECK_KEYS, spec};

    #[test]
    fn templates_are_the_scanners_own_findings() {
        let templates = load().unwrap();
        let keys: Vec<&str> = templates.iter().map(|t| t.check.as_str()).collect();
        assert_eq!(keys, CHECK_KEYS.to_vec());
        for t in &templates {
            let spec = spec(&t.check).unwrap();
            assert_eq!(t.title, spec.title);
            assert_eq!(t.fix.steps.len(), spec.steps.len());
        }
    }
}
