//! Scans (contract 5.1) and what they change: findings upserted by
//! `(check, asset url)`, resolved findings found again reopened with a
//! regression (contract 5.6).

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use super::paging::{self, CursorPage, PageRequest};
use super::{
    EvidenceRow, FindingRecord, FixRow, Priority, Project, RegressionRecord, ScanRecord,
    StoreError, parse_id,
};
use crate::api::model::{FindingStatus, RegressionStatus, ScanStatus, ScanTrigger};
use crate::sandbox::scanner::{Observation, ScanReport};

/// What the background scan needs.
#[derive(Clone, Debug)]
pub struct ScanJob {
    pub scan_id: Uuid,
    pub url: String,
}

impl Project {
    /// Queues a scan of `url`.
    pub fn create_scan(
        &mut self,
        url: &str,
        trigger: ScanTrigger,
        now: DateTime<Utc>,
    ) -> (&ScanRecord, ScanJob) {
        let id = Uuid::new_v4();
        self.scans.push(ScanRecord {
            id,
            url: url.to_string(),
            trigger,
            status: ScanStatus::Queued,
            summary: json!({}),
            started_at: None,
            finished_at: None,
            created_at: now,
            updated_at: now,
        });
        let job = ScanJob {
            scan_id: id,
            url: url.to_string(),
        };
        (&self.scans[self.scans.len() - 1], job)
    }

    fn scan_mut(&mut self, id: Uuid) -> Option<&mut ScanRecord> {
        self.scans.iter_mut().find(|s| s.id == id)
    }

    /// `queued → running`.
    pub fn mark_scan_running(&mut self, id: Uuid, now: DateTime<Utc>) {
        if let Some(scan) = self.scan_mut(id) {
            scan.status = ScanStatus::Running;
            scan.started_at = Some(now);
            scan.updated_at = now;
        }
    }

    /// `running → completed` with the report applied, or `→ failed`.
    pub fn finish_scan(
        &mut self,
        id: Uuid,
        outcome: Result<ScanReport, String>,
        now: DateTime<Utc>,
    ) {
        let (status, summary) = match outcome {
            Ok(report) => (ScanStatus::Completed, self.apply_report(id, &report, now)),
            Err(why) => (ScanStatus::Failed, json!({ "error": why })),
        };
        if let Some(scan) = self.scan_mut(id) {
            scan.status = status;
            scan.summary = summary;
            scan.finished_at = Some(now);
            scan.updated_at = now;
        }
    }

    fn apply_report(&mut self, scan_id: Uuid, report: &ScanReport, now: DateTime<Utc>) -> Value {
        let mut new = 0;
        let mut regressions = 0;
        let mut by_severity: BTreeMap<String, u64> = ["critical", "high", "medium", "low"]
            .iter()
            .map(|s| (s.to_string(), 0))
            .collect();
        let mut by_domain: BTreeMap<String, u64> =
            ["security", "performance", "accessibility", "seo"]
                .iter()
                .map(|s| (s.to_string(), 0))
                .collect();
        for obs in &report.observations {
            *by_severity.entry(obs.severity.to_string()).or_default() += 1;
            *by_domain.entry(obs.domain.to_string()).or_default() += 1;
            let observed = report
                .checked
                .iter()
                .find(|c| c.check == obs.check)
                .map(|c| c.observed.clone());
            match self.finding_by_key(&obs.check, &obs.asset_url) {
                Some(index) => {
                    let finding = &mut self.findings[index];
                    finding.last_seen_at = now;
                    finding.scan_id = Some(scan_id);
                    finding.evidence = evidence_rows(obs);
                    finding.updated_at = now;
                    if finding.status == FindingStatus::Resolved {
                        finding.set_status(FindingStatus::New, now);
                        finding.observed = observed;
                        let finding_id = finding.id;
                        self.regressions.push(RegressionRecord {
                            id: Uuid::new_v4(),
                            finding_id,
                            scan_id: Some(scan_id),
                            status: RegressionStatus::Open,
                            detected_at: now,
                            closed_at: None,
                        });
                        regressions += 1;
                    }
                }
                None => {
                    self.insert_finding(finding_from(obs, scan_id, observed, now));
                    new += 1;
                }
            }
        }
        json!({
            "findings": report.observations.len(),
            "new": new,
            "regressions": regressions,
            "by_severity": by_severity,
            "by_domain": by_domain,
        })
    }

    /// One scan.
    pub fn scan(&self, id: &str) -> Result<&ScanRecord, StoreError> {
        let uuid = parse_id(id, "scan")?;
        self.scans
            .iter()
            .find(|s| s.id == uuid)
            .ok_or_else(|| StoreError::NotFound(format!("scan {id} not found")))
    }

    /// A page of scans, newest first.
    pub fn list_scans(
        &self,
        request: &PageRequest,
    ) -> Result<CursorPage<'_, ScanRecord>, StoreError> {
        paging::page(
            self.scans.iter().collect(),
            |s| (s.created_at, s.id),
            request,
        )
    }

    /// A page of regressions, newest first.
    pub fn list_regressions(
        &self,
        status: Option<&RegressionStatus>,
        request: &PageRequest,
    ) -> Result<CursorPage<'_, RegressionRecord>, StoreError> {
        let rows = self
            .regressions
            .iter()
            .filter(|r| status.is_none_or(|s| *s == r.status))
            .collect();
        paging::page(rows, |r| (r.detected_at, r.id), request)
    }
}

fn evidence_rows(obs: &Observation) -> Vec<EvidenceRow> {
    obs.evidence
        .iter()
        .map(|e| EvidenceRow {
            kind: e.kind.clone(),
            label: e.label.clone(),
            value: e.value.clone(),
        })
        .collect()
}

fn finding_from(
    obs: &Observation,
    scan_id: Uuid,
    observed: Option<String>,
    now: DateTime<Utc>,
) -> FindingRecord {
    let mut finding = FindingRecord::from_observation(Uuid::new_v4(), obs, observed, now);
    finding.scan_id = Some(scan_id);
    finding
}

impl FindingRecord {
    /// A `new` finding of what a scan observed, first seen `at`.
    pub fn from_observation(
        id: Uuid,
        obs: &Observation,
        observed: Option<String>,
        at: DateTime<Utc>,
    ) -> FindingRecord {
        FindingRecord {
            id,
            check: obs.check.clone(),
            domain: obs.domain.clone(),
            title: obs.title.clone(),
            title_lower: obs.title.to_lowercase(),
            description_lower: Arc::from(obs.description.to_lowercase().as_str()),
            description: Arc::from(obs.description.as_str()),
            severity: obs.severity.clone(),
            status: FindingStatus::New,
            confidence: obs.confidence,
            priority: Priority {
                impact: obs.priority.impact,
                effort: obs.priority.effort,
                risk: obs.priority.risk,
                score: obs.priority.score,
            },
            owner_id: None,
            asset_url: obs.asset_url.clone(),
            evidence: evidence_rows(obs),
            fix: Arc::new(FixRow {
                summary: obs.fix.summary.clone(),
                steps: obs.fix.steps.clone(),
                estimated_minutes: obs.fix.estimated_minutes,
            }),
            observed,
            scan_id: None,
            created_at: at,
            updated_at: at,
            first_seen_at: at,
            last_seen_at: at,
            closed_at: None,
        }
    }
}
