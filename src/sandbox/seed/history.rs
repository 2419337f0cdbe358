//! The demo's scan history: a scheduled scan every other day for four
//! weeks, the last one after a deploy. Each finding was first seen by a
//! scan, so its creation time is that scan's time.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::rng::Rng;
use crate::api::model::{ScanStatus, ScanTrigger};
use crate::sandbox::store::{Project, ScanRecord};

const SCANS: i64 = 15;

/// Scan times, newest first: an hour ago, then every 48 hours.
pub fn grid(now: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    (0..SCANS)
        .map(|i| now - Duration::hours(1) - Duration::hours(48 * i))
        .collect()
}

/// The first scan at or after `t` (the oldest scan for anything older).
pub fn snap(t: DateTime<Utc>, grid: &[DateTime<Utc>]) -> DateTime<Utc> {
    grid.iter()
        .rev()
        .find(|s| **s >= t)
        .or(grid.first())
        .copied()
        .unwrap_or(t)
}

/// Adds the scans and links findings and regressions to them.
pub fn add_scans(project: &mut Project, base_url: &str, grid: &[DateTime<Utc>], rng: &mut Rng) {
    let scans: Vec<(DateTime<Utc>, uuid::Uuid)> = grid.iter().map(|t| (*t, rng.uuid())).collect();
    let scan_at = |t: DateTime<Utc>| scans.iter().rev().find(|(s, _)| *s >= t).map(|(_, id)| *id);
    let latest_until = |t: DateTime<Utc>| scans.iter().find(|(s, _)| *s <= t).map(|(s, _)| *s);
    for f in &mut project.findings {
        f.scan_id = scan_at(f.created_at);
        let until = f.closed_at.unwrap_or(f.last_seen_at.max(f.created_at));
        f.last_seen_at = latest_until(until.max(f.created_at)).unwrap_or(f.created_at);
    }
    let mut regressions_by_scan: BTreeMap<uuid::Uuid, u64> = BTreeMap::new();
    for r in &mut project.regressions {
        if r.scan_id.is_none() {
            r.scan_id = scan_at(r.detected_at);
        }
        if let Some(id) = r.scan_id {
            *regressions_by_scan.entry(id).or_default() += 1;
        }
    }
    for (i, (t, id)) in scans.iter().enumerate() {
        let mut by_severity: BTreeMap<String, u64> = BTreeMap::new();
        let mut by_domain: BTreeMap<String, u64> = BTreeMap::new();
        let (mut seen, mut new) = (0u64, 0u64);
        for f in project.findings.iter().filter(|f| f.open_at(*t)) {
            seen += 1;
            if f.scan_id == Some(*id) {
                new += 1;
            }
            *by_severity.entry(f.severity.to_string()).or_default() += 1;
            *by_domain.entry(f.domain.to_string()).or_default() += 1;
        }
        let finished = *t + Duration::seconds(20 + rng.below(40) as i64);
        project.scans.push(ScanRecord {
            id: *id,
            url: base_url.to_string(),
            trigger: if i == 0 {
                ScanTrigger::PostDeploy
            } else {
                ScanTrigger::Scheduled
            },
            status: ScanStatus::Completed,
            summary: json!({
                "findings": seen,
                "new": new,
                "regressions": regressions_by_scan.get(id).copied().unwrap_or(0),
                "by_severity": by_severity,
                "by_domain": by_domain,
            }),
            started_at: Some(*t),
            finished_at: Some(finished),
            created_at: *t,
            updated_at: finished,
        });
    }
}
