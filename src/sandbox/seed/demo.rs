//! Scans a project's demo pages (written from their defects, see
//! [`super::defects`]) with the scanner's own rules, files what it finds as
//! findings, and gives them a plausible history: triage, owners, tasks,
//! verifications, a regression. A finding whose fix was shipped (ready to
//! verify, resolved) leaves its page without the defect, so the demo site
//! serves exactly what the findings say. Deterministic for a given project
//! id (times are relative to now).

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;
use uuid::Uuid;

use super::rng::Rng;
use super::{defects, history, observe};
use crate::api::model::{
    FindingStatus, RegressionStatus, Severity, TaskPriority, TaskStatus, VerificationResult,
};
use crate::sandbox::demo_site::SitePage;
use crate::sandbox::demo_site::render::Defects;
use crate::sandbox::store::{
    CheckRow, FindingRecord, Project, RegressionRecord, TaskRecord, VerificationRecord,
};

const STATUSES: [FindingStatus; 6] = [
    FindingStatus::New,
    FindingStatus::Triaged,
    FindingStatus::InProgress,
    FindingStatus::ReadyVerify,
    FindingStatus::Resolved,
    FindingStatus::Dismissed,
];
/// Default weights of the statuses, in [`STATUSES`] order.
pub const STATUS_WEIGHTS: [u32; 6] = [34, 20, 12, 8, 16, 10];

fn page_url(base: &str, page: &str) -> String {
    format!("{}{}", base.trim_end_matches('/'), page)
}

/// The URL of a page as a scan files it (`Url`'s normal form).
fn normal(url: &str) -> String {
    url::Url::parse(url).map_or_else(|_| url.to_string(), |u| u.to_string())
}

/// What a check sees on a page once its defect is fixed: the `after` of a
/// verification that passed.
fn fixed_observation(url: &str, check: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed.host_str()?;
    let report = observe::scan_rendered(url, host, parsed.path(), &Defects::new());
    observe::observed(&report, check)
}

/// Scans `pages` of `base`, files the findings with their history, and
/// returns the pages with the defects that remain (to serve them).
pub fn expand(
    project: &mut Project,
    base: &str,
    pages: &[String],
    weights: [u32; 6],
    users: &[Uuid],
    now: DateTime<Utc>,
) -> Vec<SitePage> {
    let mut rng = Rng::from_label(&project.id);
    let scans = history::grid(now);
    let host = url::Url::parse(base)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    let mut served = Vec::new();
    for page in pages {
        let planned = defects::plan(&mut rng, page == "/");
        let url = normal(&page_url(base, page));
        let report = observe::scan_rendered(&url, &host, page, &planned);
        let mut remaining = planned.clone();
        for obs in report
            .observations
            .iter()
            .filter(|o| planned.contains(&o.check))
        {
            let age = Duration::minutes(60 + rng.below(29 * 24 * 60) as i64);
            let first_seen = history::snap(now - age, &scans);
            let observed = observe::observed(&report, &obs.check);
            let finding = FindingRecord::from_observation(rng.uuid(), obs, observed, first_seen);
            let status = add_with_history(project, finding, weights, &mut rng, users, now);
            if matches!(status, FindingStatus::ReadyVerify | FindingStatus::Resolved) {
                remaining.remove(&obs.check);
            }
        }
        served.push(SitePage {
            host: host.clone(),
            path: page.clone(),
            defects: remaining,
        });
    }
    add_regression(project, &mut rng, users, &scans, now);
    history::add_scans(project, base, &scans, &mut rng);
    served
}

fn pick_user(rng: &mut Rng, users: &[Uuid]) -> Option<Uuid> {
    users.get(rng.below(users.len() as u64) as usize).copied()
}

fn task_priority(severity: &Severity) -> TaskPriority {
    match severity {
        Severity::Critical => TaskPriority::Critical,
        Severity::High => TaskPriority::High,
        Severity::Low => TaskPriority::Low,
        _ => TaskPriority::Medium,
    }
}

fn sla_hours(severity: &Severity) -> i64 {
    match severity {
        Severity::Critical => 24,
        Severity::High => 72,
        Severity::Medium => 168,
        _ => 336,
    }
}

/// Files `finding` with a status drawn by `weights` and the tasks and
/// verifications that status implies; returns the status.
fn add_with_history(
    project: &mut Project,
    mut finding: FindingRecord,
    weights: [u32; 6],
    rng: &mut Rng,
    users: &[Uuid],
    now: DateTime<Utc>,
) -> FindingStatus {
    let status = STATUSES[rng.weighted(&weights)].clone();
    let life = (now - finding.created_at).num_minutes().max(2);
    let moved_at = finding.created_at + Duration::minutes(1 + rng.below(life as u64 - 1) as i64);
    let assigned = status != FindingStatus::New || rng.unit() < 0.15;
    if assigned {
        finding.owner_id = pick_user(rng, users);
    }
    if status != FindingStatus::New {
        finding.set_status(status.clone(), moved_at);
    }
    let task_status = match status {
        FindingStatus::InProgress => Some(TaskStatus::InProgress),
        FindingStatus::ReadyVerify => Some(TaskStatus::ReadyVerify),
        FindingStatus::Resolved => Some(TaskStatus::Done),
        FindingStatus::Triaged if rng.unit() < 0.4 => Some(if rng.unit() < 0.25 {
            TaskStatus::Blocked
        } else {
            TaskStatus::Backlog
        }),
        _ => None,
    };
    if let Some(task_status) = task_status {
        let task = new_task(project, &finding, task_status, rng, moved_at);
        match status {
            FindingStatus::Resolved => add_verification(
                project,
                &finding,
                task.id,
                true,
                pick_user(rng, users),
                moved_at,
            ),
            FindingStatus::ReadyVerify if rng.unit() < 0.5 => {
                add_verification(project, &finding, task.id, false, None, moved_at)
            }
            _ => {}
        }
        project.tasks.push(task);
    }
    project.insert_finding(finding);
    status
}

fn new_task(
    project: &Project,
    finding: &FindingRecord,
    status: TaskStatus,
    rng: &mut Rng,
    at: DateTime<Utc>,
) -> TaskRecord {
    let created = finding.created_at + (at - finding.created_at) / 2;
    let number = 100 + project.tasks.len() as u64 * 3 + rng.below(3);
    let with_ticket = rng.unit() < 0.6;
    TaskRecord {
        id: rng.uuid(),
        finding_id: finding.id,
        title: format!("Fix: {}", finding.title),
        status,
        priority: task_priority(&finding.severity),
        owner_id: finding.owner_id,
        sla_due_at: Some(created + Duration::hours(sla_hours(&finding.severity))),
        external_ticket_key: with_ticket.then(|| format!("SEC-{number}")),
        pr_url: (with_ticket && rng.unit() < 0.5).then(|| {
            format!(
                "https://github.com/northwind/storefront/pull/{}",
                2000 + number
            )
        }),
        created_at: created,
        updated_at: at,
    }
}

fn add_verification(
    project: &mut Project,
    finding: &FindingRecord,
    task_id: Uuid,
    passed: bool,
    approver: Option<Uuid>,
    at: DateTime<Utc>,
) {
    let before = finding
        .observed
        .clone()
        .map(Value::String)
        .unwrap_or(Value::Null);
    // A pass saw the page as it is once fixed; a failure saw it unchanged.
    let after = if passed {
        fixed_observation(&finding.asset_url, &finding.check)
            .map(Value::String)
            .unwrap_or(Value::Null)
    } else {
        before.clone()
    };
    let id = Rng::from_label(&format!("{task_id}/verification")).uuid();
    project.verifications.push(VerificationRecord {
        id,
        task_id,
        result: if passed {
            VerificationResult::Passed
        } else {
            VerificationResult::Failed
        },
        checks: vec![CheckRow {
            key: finding.check.clone(),
            before,
            after,
            status: if passed { "passed" } else { "failed" }.into(),
        }],
        verified_by_id: approver,
        verified_at: approver.map(|_| at),
        error: None,
        created_at: at - Duration::minutes(5),
        updated_at: at,
    });
}

/// One finding that was fixed, verified and approved, then came back: it is
/// `new` again with an open regression.
fn add_regression(
    project: &mut Project,
    rng: &mut Rng,
    users: &[Uuid],
    scans: &[DateTime<Utc>],
    now: DateTime<Utc>,
) {
    let Some(index) = project
        .findings
        .iter()
        .position(|f| f.status == FindingStatus::New && f.domain.as_str() == "security")
    else {
        return;
    };
    let fixed_at = now - Duration::days(3);
    let detected_at = history::snap(now - Duration::days(1), scans);
    let mut finding = project.findings[index].clone();
    if finding.created_at > fixed_at {
        finding.created_at = history::snap(fixed_at - Duration::days(3), scans);
        finding.first_seen_at = finding.created_at;
    }
    let task = new_task(project, &finding, TaskStatus::Done, rng, fixed_at);
    add_verification(
        project,
        &finding,
        task.id,
        true,
        pick_user(rng, users),
        fixed_at,
    );
    project.regressions.push(RegressionRecord {
        id: rng.uuid(),
        finding_id: finding.id,
        scan_id: None,
        status: RegressionStatus::Open,
        detected_at,
        closed_at: None,
    });
    project.tasks.push(task);
    finding.last_seen_at = detected_at;
    finding.updated_at = detected_at;
    project.findings[index] = finding;
}
