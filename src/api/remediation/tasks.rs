//! A finding's task: the newest one in the list, or a new one titled after
//! the finding.

use crate::api::client::Client;
use crate::api::enums::{Severity, TaskPriority};
use crate::api::error::ApiError;
use crate::api::model::{Finding, NewTask, Task};
use crate::api::paginate::CursorPager;

type ApiResult<T> = std::result::Result<T, ApiError>;

/// Rows asked for per page when walking tasks.
const PAGE: u32 = 100;

/// Walks the task list (newest first; the service has no finding filter)
/// and stops at the first task of `finding_id`. For one lookup (a headless
/// command); the TUI keeps a per-session index instead (`TaskIndex` in the
/// engine layer).
pub async fn newest_task_of(client: &Client, finding_id: &str) -> ApiResult<Option<Task>> {
    let mut pager = CursorPager::new();
    while !pager.is_done() {
        let page = client.list_tasks(None, pager.cursor(), Some(PAGE)).await?;
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
pub fn newest_of(tasks: Vec<Task>, finding_id: &str) -> Option<Task> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
