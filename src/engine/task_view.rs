//! One task as the TUI's tasks pane and `krafter tasks` show it: the same
//! columns by the same rules (owner names, SLA as time left, the finding's
//! title). Each surface only lays them out. Every string here is sanitized.

use chrono::{DateTime, Utc};

use super::people::People;
use super::sla::{Sla, task_due};
use crate::api::model::Task;
use crate::sanitize::sanitize;

/// The columns of one task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskView {
    pub id: String,
    /// The finding's title when known, else the task's own.
    pub title: String,
    pub status: String,
    pub priority: String,
    /// `-`, `me`, a name from `[people]`, or a UUID's first block.
    pub owner: String,
    /// `5h left`, `⚠ overdue 3h`, or `-` (done, or no due time).
    pub sla: String,
    pub overdue: bool,
    /// The external ticket key, or `-`.
    pub ticket: String,
    /// The pull request URL, or `-`.
    pub pr: String,
}

impl TaskView {
    /// The view of `task` at `now`; `finding_title` when the finding is known.
    pub fn of(
        task: &Task,
        finding_title: Option<&str>,
        people: &People,
        now: DateTime<Utc>,
    ) -> TaskView {
        let s = |text: &str| sanitize(text).into_owned();
        let or_dash = |v: &Option<String>| {
            v.as_deref()
                .filter(|t| !t.trim().is_empty())
                .map_or("-".to_string(), s)
        };
        let sla = Sla::at(task_due(task), now);
        TaskView {
            id: s(&task.id),
            title: s(finding_title
                .filter(|t| !t.is_empty())
                .unwrap_or(&task.title)),
            status: s(task.status.as_str()),
            priority: s(task.priority.as_str()),
            owner: people.short(task.owner_id.as_deref()),
            sla: sla.text(),
            overdue: sla.is_breached(),
            ticket: or_dash(&task.external_ticket_key),
            pr: or_dash(&task.pr_url),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn columns_follow_the_shared_rules() {
        let task: Task = serde_json::from_value(serde_json::json!({
            "id": "t-1", "finding_id": "f-1", "title": "Fix\u{1b}[2J CSP", "status": "in_progress",
            "priority": "high", "owner_id": "22222222-2222-2222-2222-222222222222",
            "sla_due_at": "2025-06-15T09:00:00Z", "external_ticket_key": "SEC-12", "pr_url": null
        }))
        .unwrap();
        let people = People::new(
            Vec::new(),
            Some("22222222-2222-2222-2222-222222222222".into()),
        );
        let now = Utc.with_ymd_and_hms(2025, 6, 15, 12, 0, 0).unwrap();
        let v = TaskView::of(&task, None, &people, now);
        assert!(!v.title.contains('\u{1b}'));
        assert_eq!(v.owner, "me");
        assert_eq!(v.sla, "⚠ overdue 3h");
        assert!(v.overdue);
        assert_eq!((v.ticket.as_str(), v.pr.as_str()), ("SEC-12", "-"));
        let titled = TaskView::of(&task, Some("Missing CSP"), &people, now);
        assert_eq!(titled.title, "Missing CSP");
        let mut done = task.clone();
        done.status = crate::api::enums::TaskStatus::Done;
        assert_eq!(TaskView::of(&done, None, &people, now).sla, "-");
    }
}
