//! The change report and how it is computed from what was fetched.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::Serialize;

use crate::api::model::{CommandCenter, Finding, FindingStatus, Regression, ReportSummary};
use crate::engine::gate::check_key;
use crate::journal::RecentChange;

/// A finding in the report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChangedFinding {
    pub id: String,
    pub title: String,
    pub severity: String,
    pub status: String,
    pub domain: String,
    pub check: String,
    pub url: Option<String>,
    /// When it was first seen (new) or last changed (resolved, dismissed).
    pub at: Option<String>,
}

impl ChangedFinding {
    fn of(f: &Finding, at: Option<DateTime<Utc>>) -> ChangedFinding {
        ChangedFinding {
            id: f.id.clone(),
            title: f.title.clone(),
            severity: f.severity.to_string(),
            status: f.status.to_string(),
            domain: f.domain.to_string(),
            check: check_key(f),
            url: f.primary_url().map(str::to_string),
            at: at.map(rfc3339),
        }
    }
}

/// A regression opened in the period.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Regressed {
    pub regression_id: String,
    pub finding_id: String,
    pub title: Option<String>,
    pub status: String,
    pub detected_at: Option<String>,
}

/// A status change made through krafter (a bulk job of the journal).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StatusChange {
    pub at: String,
    pub finding_id: String,
    pub title: String,
    pub from: String,
    pub to: String,
    pub job_id: String,
    pub reason: Option<&'static str>,
}

/// A point of the risk burn-down (the sum of the priority scores of open
/// findings), with the health score when it is known (now).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct HealthPoint {
    pub date: Option<String>,
    pub open_risk_score: Option<f64>,
    pub health_score: Option<i64>,
}

/// The risk at the start of the period against now.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct HealthChange {
    /// The burn-down point of the day the period starts; `None` when the
    /// burn-down does not reach back that far (it covers 7 days).
    pub from: Option<HealthPoint>,
    pub to: HealthPoint,
}

/// Everything that changed in a period.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ChangeReport {
    pub since: String,
    pub until: String,
    pub new: Vec<ChangedFinding>,
    pub resolved: Vec<ChangedFinding>,
    pub dismissed: Vec<ChangedFinding>,
    /// `None` when the service offers no regressions (a \[sandbox\] route).
    pub regressed: Option<Vec<Regressed>>,
    /// `None` when there is no local journal.
    pub status_changes: Option<Vec<StatusChange>>,
    pub health: HealthChange,
    /// What could not be looked at, and why.
    pub notes: Vec<String>,
}

/// What the report is computed from.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    pub findings: Vec<Finding>,
    pub regressions: Option<Vec<Regression>>,
    pub summary: Option<ReportSummary>,
    pub command_center: Option<CommandCenter>,
    pub journal: Option<Vec<RecentChange>>,
    pub notes: Vec<String>,
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// When a finding was first seen: the sandbox's `first_seen_at`, else its
/// creation.
fn first_seen(f: &Finding) -> Option<DateTime<Utc>> {
    f.extra
        .get("first_seen_at")
        .and_then(|v| v.as_str())
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))
        .or_else(|| f.created())
}

impl ChangeReport {
    /// Computes the report of `since..now` from what was fetched.
    pub fn compute(since: DateTime<Utc>, now: DateTime<Utc>, inputs: Inputs) -> ChangeReport {
        let updated = |f: &Finding| f.updated_at.as_ref().and_then(|t| t.get());
        let mut report = ChangeReport {
            since: rfc3339(since),
            until: rfc3339(now),
            notes: inputs.notes,
            ..ChangeReport::default()
        };
        for f in &inputs.findings {
            if let Some(seen) = first_seen(f).filter(|t| *t >= since) {
                report.new.push(ChangedFinding::of(f, Some(seen)));
            }
            let changed = updated(f).filter(|t| *t >= since);
            match (&f.status, changed) {
                (FindingStatus::Resolved, Some(at)) => {
                    report.resolved.push(ChangedFinding::of(f, Some(at)))
                }
                (FindingStatus::Dismissed, Some(at)) => {
                    report.dismissed.push(ChangedFinding::of(f, Some(at)))
                }
                _ => {}
            }
        }
        for list in [&mut report.new, &mut report.resolved, &mut report.dismissed] {
            list.sort_by(|a, b| a.at.cmp(&b.at).then(a.id.cmp(&b.id)));
        }
        let title_of = |id: &str| {
            inputs
                .findings
                .iter()
                .find(|f| f.id == id)
                .map(|f| f.title.clone())
        };
        report.regressed = inputs.regressions.map(|regressions| {
            let mut opened: Vec<Regressed> = regressions
                .iter()
                .filter(|r| r.detected_at.as_ref().and_then(|t| t.get()) >= Some(since))
                .map(|r| Regressed {
                    regression_id: r.id.clone(),
                    finding_id: r.finding_id.clone(),
                    title: title_of(&r.finding_id),
                    status: r.status.to_string(),
                    detected_at: r.detected_at.as_ref().map(|t| t.raw().to_string()),
                })
                .collect();
            opened.sort_by(|a, b| a.detected_at.cmp(&b.detected_at));
            opened
        });
        report.status_changes = inputs.journal.map(|changes| {
            changes
                .into_iter()
                .filter(|c| c.entry.from.status != c.entry.to.status)
                .map(|c| StatusChange {
                    at: c.entry.at,
                    finding_id: c.finding_id,
                    title: c.title,
                    from: c.entry.from.status.to_string(),
                    to: c.entry.to.status.to_string(),
                    job_id: c.entry.job_id,
                    reason: c.entry.reason,
                })
                .collect()
        });
        report.health = health(
            since,
            inputs.summary.as_ref(),
            inputs.command_center.as_ref(),
        );
        if report.health.from.is_none() && inputs.summary.is_some() {
            report.notes.push(
                "the burn-down covers the last 7 days only: no risk figure for the start".into(),
            );
        }
        report
    }
}

/// The burn-down point of the day `since` falls on, and the latest one with
/// the health score now.
fn health(
    since: DateTime<Utc>,
    summary: Option<&ReportSummary>,
    center: Option<&CommandCenter>,
) -> HealthChange {
    let points = summary
        .map(|s| s.risk_burn_down.as_slice())
        .unwrap_or_default();
    let day = since.date_naive();
    let date_of = |p: &crate::api::model::BurnDownPoint| {
        p.date.as_deref().and_then(|d| d.parse::<NaiveDate>().ok())
    };
    let from = points
        .iter()
        .find(|p| date_of(p) == Some(day))
        .map(|p| HealthPoint {
            date: p.date.clone(),
            open_risk_score: p.open_risk_score,
            health_score: None,
        });
    let last = points.iter().max_by_key(|p| date_of(p));
    HealthChange {
        from,
        to: HealthPoint {
            date: last.and_then(|p| p.date.clone()),
            open_risk_score: last.and_then(|p| p.open_risk_score),
            health_score: center.and_then(|c| c.health_score),
        },
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
