//! Model values of the remediation loop for the TUI tests: tasks,
//! regressions, a report, the policy, and answering their loads.

use chrono::Duration as Span;
use krafter::api::model::*;
use krafter::api::{ApiError, Page, StatusError};
use krafter::app::action::Action;
use krafter::app::effect::Effect;
use krafter::app::state::AppState;
use krafter::app::update::update;

use super::{ME, OTHER, wall};

const STATUSES: [TaskStatus; 5] = [
    TaskStatus::Backlog,
    TaskStatus::InProgress,
    TaskStatus::ReadyVerify,
    TaskStatus::Blocked,
    TaskStatus::Done,
];

/// Task `i`, of finding `f-00i`; its SLA runs out `i*9 - 20` hours from now
/// (the first ones are overdue).
pub fn task(i: usize) -> Task {
    Task {
        id: format!("t-{i:03}"),
        finding_id: format!("f-{i:03}"),
        title: format!("Fix finding {i}"),
        status: STATUSES[i % STATUSES.len()].clone(),
        priority: [
            TaskPriority::Critical,
            TaskPriority::High,
            TaskPriority::Medium,
        ][i % 3]
            .clone(),
        owner_id: match i % 3 {
            0 => Some(ME.into()),
            1 => Some(OTHER.into()),
            _ => None,
        },
        sla_due_at: Some(Timestamp::from_datetime(
            wall() + Span::hours(i as i64 * 9 - 20),
        )),
        external_ticket_key: i.is_multiple_of(2).then(|| format!("SEC-{}", 100 + i)),
        pr_url: i
            .is_multiple_of(4)
            .then(|| format!("https://git.example/shop/pull/{}", 40 + i)),
        created_at: Some(Timestamp::from_datetime(wall() - Span::days(i as i64 + 1))),
        ..Task::default()
    }
}

pub fn tasks(range: std::ops::Range<usize>) -> Vec<Task> {
    range.map(task).collect()
}

pub fn task_page(items: Vec<Task>, next: Option<&str>, total: u64) -> Page<Task> {
    Page {
        items,
        total: Some(total),
        next_cursor: next.map(str::to_string),
        request_id: Some("req-t".into()),
    }
}

/// An open regression of finding `f-00i`, found by a scan 2h ago.
pub fn regression(i: usize, open: bool) -> Regression {
    Regression {
        id: format!("r-{i:03}"),
        finding_id: format!("f-{i:03}"),
        scan_id: Some(format!("5c1f0a2e-{i:04}-4000-8000-000000000000")),
        status: if open {
            RegressionStatus::Open
        } else {
            RegressionStatus::Closed
        },
        detected_at: Some(Timestamp::from_datetime(wall() - Span::hours(2 + i as i64))),
        closed_at: (!open).then(|| Timestamp::from_datetime(wall() - Span::hours(1))),
        ..Regression::default()
    }
}

pub fn report() -> ReportSummary {
    let scores = [412.0, 398.0, 380.0, 366.0, 301.0, 288.0, 240.0];
    ReportSummary {
        risk_burn_down: scores
            .iter()
            .enumerate()
            .map(|(i, s)| BurnDownPoint {
                date: Some(format!("2025-06-{:02}", 9 + i)),
                open_risk_score: Some(*s),
                ..BurnDownPoint::default()
            })
            .collect(),
        verification_pass_rate: Some(0.75),
        regression_rate: Some(0.04),
        open_findings: Some(12),
        ..ReportSummary::default()
    }
}

pub fn policy() -> Policy {
    serde_json::from_value(serde_json::json!({
        "name": "default",
        "config": {"sla_hours": {"critical": 24, "high": 72, "medium": 168, "low": 336}}
    }))
    .expect("a policy")
}

/// A 404 as a service without the route answers it.
pub fn not_found() -> ApiError {
    ApiError::Status(StatusError {
        status: 404,
        code: Some("not_found".into()),
        message: "Not Found".into(),
        request_id: Some("req-404".into()),
        retry_after: None,
    })
}

/// Gives the state what the command center's parts bring: the policy and
/// the open regressions.
pub fn remediation_known(s: &mut AppState, open: Vec<Regression>) {
    update(
        s,
        Action::PolicyLoaded {
            result: Ok(policy()),
        },
    );
    update(s, Action::OpenRegressions { result: Ok(open) });
}

/// Answers the effects of a key or a load with `answer`, returning the
/// effects the answers asked for.
pub fn answer(
    s: &mut AppState,
    effects: Vec<Effect>,
    mut answer: impl FnMut(&Effect) -> Option<Action>,
) -> Vec<Effect> {
    let mut next = Vec::new();
    for e in effects {
        if let Some(action) = answer(&e) {
            next.extend(update(s, action));
        }
    }
    next
}
