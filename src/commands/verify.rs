//! `krafter verify FINDING_ID [--approve]`: re-check a finding's fix
//! through its task and, when the check passes, approve it so the finding
//! becomes `resolved` (contract 5.3 to 5.5).

use std::time::{Duration, Instant};

use color_eyre::eyre::{Result, WrapErr, eyre};
type ApiResult<T> = std::result::Result<T, ApiError>;
use serde_json::Value;

use crate::api::enums::{FindingStatus, Severity, TaskPriority, VerificationResult};
use crate::api::model::{Finding, NewTask, Task, Verification};
use crate::api::{ApiError, Client, CursorPager};
use crate::cli::{GlobalArgs, HealthFormat, VerifyArgs, exit};
use crate::sanitize::sanitize;

use super::Session;
use super::progress::{ProgressLine, human_duration};
use super::scan::poll_delay;

/// Tasks asked for per page while looking for the finding's task.
const TASK_PAGE: u32 = 100;

/// Runs the command.
pub async fn run(global: &GlobalArgs, args: &VerifyArgs) -> Result<i32> {
    let resolved = super::resolve(global)?;
    super::ensure_writable(&resolved, "verify a fix")?;
    let session = Session::connect(resolved)?;
    let client = &session.client;
    let id = args.id.trim();

    let finding = client
        .get_finding(id)
        .await
        .wrap_err_with(|| format!("could not read finding {}", sanitize(id)))?;
    if finding.status == FindingStatus::Resolved {
        eprintln!(
            "krafter: finding {} is already resolved; nothing to verify",
            sanitize(&finding.id)
        );
        return Ok(exit::OK);
    }
    let task = task_for(client, &finding).await?;
    let started = client
        .run_verification(&task.id)
        .await
        .wrap_err_with(|| format!("could not start a verification of task {}", task.id))?;
    let verification = follow(client, started, Duration::from_secs(args.timeout)).await?;

    if verification.result != VerificationResult::Passed {
        super::emit(&render(&verification, &finding.id, false, args.format)?)?;
        eprintln!(
            "krafter: verification {} {}: {}",
            sanitize(&verification.id),
            sanitize(verification.result.as_str()),
            sanitize(&failure_reason(
                &verification,
                &format!("run krafter verify {} again", finding.id)
            ))
        );
        return Ok(exit::ERROR);
    }
    if !args.approve {
        super::emit(&render(&verification, &finding.id, false, args.format)?)?;
        return Ok(exit::OK);
    }
    let approved = client
        .approve_verification(&verification.id)
        .await
        .wrap_err_with(|| {
            format!(
                "verification {} passed but could not be approved; approve it again with krafter verify {} --approve",
                verification.id, finding.id
            )
        })?;
    super::emit(&render(&approved, &finding.id, true, args.format)?)?;
    Ok(exit::OK)
}

/// The finding's newest task, or a new one titled after the finding.
async fn task_for(client: &Client, finding: &Finding) -> Result<Task> {
    let newest = newest_task_of(client, &finding.id)
        .await
        .wrap_err("could not list the tasks")?;
    if let Some(task) = newest {
        eprintln!(
            "krafter: verifying finding {} through its task {} ({})",
            sanitize(&finding.id),
            sanitize(&task.id),
            sanitize(task.status.as_str())
        );
        return Ok(task);
    }
    let task = client
        .create_task(&new_task_for(finding))
        .await
        .wrap_err_with(|| format!("could not create a task for finding {}", finding.id))?;
    eprintln!(
        "krafter: created task {} for finding {}",
        sanitize(&task.id),
        sanitize(&finding.id)
    );
    Ok(task)
}

/// Walks the task list (newest first; the service has no finding filter)
/// and stops at the first task of `finding_id`. Shared with the TUI.
pub async fn newest_task_of(client: &Client, finding_id: &str) -> ApiResult<Option<Task>> {
    let mut pager = CursorPager::new();
    while !pager.is_done() {
        let page = client
            .list_tasks(None, pager.cursor(), Some(TASK_PAGE))
            .await?;
        pager.record(&page);
        if let Some(task) = newest_of(page.items, finding_id) {
            return Ok(Some(task));
        }
    }
    Ok(None)
}

/// A new task for `finding`, titled after it, its priority from its severity.
pub fn new_task_for(finding: &Finding) -> NewTask {
    NewTask {
        finding_id: finding.id.clone(),
        title: finding.title.clone(),
        priority: Some(priority_of(&finding.severity)),
        ..NewTask::default()
    }
}

/// The newest task of `finding_id` in one page: the first one, as pages
/// come newest first, unless creation times say otherwise.
fn newest_of(tasks: Vec<Task>, finding_id: &str) -> Option<Task> {
    let mut mine = tasks.into_iter().filter(|t| t.finding_id == finding_id);
    let first = mine.next()?;
    Some(mine.fold(first, |best, t| {
        let newer = match (created(&t), created(&best)) {
            (Some(a), Some(b)) => a > b,
            _ => false,
        };
        if newer { t } else { best }
    }))
}

fn created(task: &Task) -> Option<chrono::DateTime<chrono::Utc>> {
    task.created_at
        .as_ref()
        .or(task.inserted_at.as_ref())
        .and_then(|t| t.get())
}

/// The task priority matching a finding's severity.
pub fn priority_of(severity: &Severity) -> TaskPriority {
    match severity {
        Severity::Critical => TaskPriority::Critical,
        Severity::High => TaskPriority::High,
        Severity::Low => TaskPriority::Low,
        Severity::Medium | Severity::Other(_) => TaskPriority::Medium,
    }
}

/// Polls until the verification is no longer pending, backing off like
/// `scan --wait`, with a progress line on stderr.
async fn follow(client: &Client, mut v: Verification, timeout: Duration) -> Result<Verification> {
    let mut progress = ProgressLine::new("verify");
    let deadline = Instant::now() + timeout;
    let mut attempt = 0;
    while v.result == VerificationResult::Pending {
        progress.show(&format!(
            "verification {} {} ({})",
            sanitize(&v.id),
            sanitize(v.result.as_str()),
            human_duration(progress.elapsed())
        ));
        let delay = poll_delay(attempt);
        if Instant::now() + delay > deadline {
            progress.finish();
            return Err(eyre!(
                "verification {} is still pending after {}s; it goes on on the server: run krafter verify again with a longer --timeout",
                v.id,
                timeout.as_secs()
            ));
        }
        tokio::time::sleep(delay).await;
        attempt += 1;
        v = read_verification(client, &v.id)
            .await
            .wrap_err_with(|| format!("could not read verification {}", v.id))?;
    }
    progress.finish();
    Ok(v)
}

/// `GET /verifications/{id}`, or, where the service lacks that route (a
/// 404), the verification list searched for the id; the 404 stands when
/// the list does not have it either. Shared with the TUI.
pub async fn read_verification(client: &Client, id: &str) -> ApiResult<Verification> {
    let missing = match client.get_verification(id).await {
        Ok(v) => return Ok(v),
        Err(e) if e.is_not_found() => e,
        Err(e) => return Err(e),
    };
    let mut pager = CursorPager::new();
    while !pager.is_done() {
        let page = client
            .list_verifications(pager.cursor(), Some(TASK_PAGE))
            .await?;
        pager.record(&page);
        if let Some(v) = page.items.into_iter().find(|v| v.id == id) {
            return Ok(v);
        }
    }
    Err(missing)
}

/// Why a verification did not pass, as a person should read it.
/// `again` says how to run it again (a command, or a key in the TUI).
pub fn failure_reason(v: &Verification, again: &str) -> String {
    if let Some(why) = v.extra.get("error").and_then(Value::as_str) {
        return format!("{why}; check that the site is reachable, then {again}");
    }
    let failing: Vec<&str> = v
        .checks
        .iter()
        .filter(|c| c.status != "passed")
        .map(|c| c.key.as_str())
        .collect();
    if failing.is_empty() {
        return "the service gave no reason".into();
    }
    format!(
        "still failing: {}; ship the fix, then {again}",
        failing.join(", ")
    )
}

/// The verification as JSON (as the service sent it), or its checks as text.
pub fn render(
    v: &Verification,
    finding_id: &str,
    approved: bool,
    format: HealthFormat,
) -> Result<String> {
    if format == HealthFormat::Json {
        return Ok(serde_json::to_string_pretty(v)? + "\n");
    }
    let mut out = format!(
        "verification {} {}\nfinding {}, task {}\n",
        sanitize(&v.id),
        sanitize(v.result.as_str()),
        sanitize(finding_id),
        sanitize(&v.task_id)
    );
    for check in &v.checks {
        out.push_str(&format!(
            "check {}: {}\n  before: {}\n  after:  {}\n",
            sanitize(&check.key),
            sanitize(&check.status),
            observation(&check.before),
            observation(&check.after)
        ));
    }
    if approved {
        out.push_str(&format!(
            "approved: finding {} is now resolved\n",
            sanitize(finding_id)
        ));
    } else if v.result == VerificationResult::Passed {
        out.push_str("not approved yet: run again with --approve to resolve the finding\n");
    }
    Ok(out)
}

/// A check's observation on one line: text as is, nothing as `(none)`.
fn observation(value: &Value) -> String {
    match value {
        Value::Null => "(none)".into(),
        Value::String(s) if s.is_empty() => "(empty)".into(),
        Value::String(s) => sanitize(s).into_owned(),
        other => sanitize(&other.to_string()).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verification(result: &str) -> Verification {
        serde_json::from_value(serde_json::json!({
            "id": "v1", "task_id": "t1", "result": result,
            "checks": [{"key": "security.csp_missing", "before": "", "after": null, "status": "failed"}]
        }))
        .unwrap()
    }

    #[test]
    fn failed_check_shows_before_after_and_what_to_do() {
        let v = verification("failed");
        let text = render(&v, "f1", false, HealthFormat::Table).unwrap();
        assert!(text.starts_with("verification v1 failed\nfinding f1, task t1\n"));
        assert!(
            text.contains(
                "check security.csp_missing: failed\n  before: (empty)\n  after:  (none)\n"
            )
        );
        assert!(!text.contains("resolved"));
        assert!(failure_reason(&v, "run krafter verify f1 again").contains(
            "still failing: security.csp_missing; ship the fix, then run krafter verify f1 again"
        ));
    }

    #[test]
    fn approval_says_the_finding_is_resolved() {
        let v = verification("passed");
        let text = render(&v, "f1", true, HealthFormat::Table).unwrap();
        assert!(
            text.ends_with("approved: finding f1 is now resolved\n"),
            "{text}"
        );
        let text = render(&v, "f1", false, HealthFormat::Table).unwrap();
        assert!(text.contains("--approve"), "{text}");
    }

    #[test]
    fn scan_errors_are_the_reason_given() {
        let mut v = verification("failed");
        v.extra.insert("error".into(), "connection refused".into());
        assert!(
            failure_reason(&v, "run krafter verify f1 again")
                .starts_with("connection refused; check that the site")
        );
    }

    #[test]
    fn task_priority_follows_severity() {
        assert_eq!(priority_of(&Severity::Critical), TaskPriority::Critical);
        assert_eq!(priority_of(&Severity::Low), TaskPriority::Low);
        assert_eq!(
            priority_of(&Severity::Other("x".into())),
            TaskPriority::Medium
        );
    }

    #[test]
    fn the_newest_task_of_the_finding_is_picked() {
        let tasks: Vec<Task> = serde_json::from_value(serde_json::json!([
            {"id": "a", "finding_id": "other", "title": "x", "status": "backlog", "priority": "low", "created_at": "2026-01-03T00:00:00Z"},
            {"id": "b", "finding_id": "f1", "title": "x", "status": "backlog", "priority": "low", "created_at": "2026-01-01T00:00:00Z"},
            {"id": "c", "finding_id": "f1", "title": "x", "status": "done", "priority": "low", "created_at": "2026-01-02T00:00:00Z"}
        ]))
        .unwrap();
        assert_eq!(
            newest_of(tasks.clone(), "f1").map(|t| t.id),
            Some("c".into())
        );
        assert!(newest_of(tasks, "none").is_none());
    }
}
