//! Remediation tasks (contract 5.4): creation with an SLA from the policy,
//! the task lifecycle, and its mirror onto the finding.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::paging::{self, CursorPage, PageRequest};
use super::{Project, StoreError, TaskRecord, parse_id};
use crate::api::model::{FindingStatus, TaskPriority, TaskStatus};
use crate::api::transitions::{finding_move_allowed, task_move_allowed, task_targets};

/// Body of `POST /tasks`, already typed.
#[derive(Clone, Debug)]
pub struct NewTask {
    pub finding_id: Uuid,
    pub title: String,
    pub priority: TaskPriority,
    pub owner_id: Option<Uuid>,
    pub sla_due_at: Option<DateTime<Utc>>,
}

/// What `PATCH /tasks/{id}` may change; `None` leaves a field alone.
#[derive(Clone, Debug, Default)]
pub struct TaskChange {
    pub status: Option<TaskStatus>,
    pub owner_id: Option<Option<Uuid>>,
    pub priority: Option<TaskPriority>,
    pub sla_due_at: Option<Option<DateTime<Utc>>>,
    pub external_ticket_key: Option<Option<String>>,
    pub pr_url: Option<Option<String>>,
}

impl Project {
    /// Creates a task in `backlog`; without `sla_due_at` it is due
    /// `sla_hours[severity]` after now, per the current policy.
    pub fn create_task(
        &mut self,
        new: NewTask,
        now: DateTime<Utc>,
    ) -> Result<&TaskRecord, StoreError> {
        let index = self.finding_position(new.finding_id).ok_or_else(|| {
            StoreError::InvalidParams(format!(
                "finding_id {} is not a finding of this project",
                new.finding_id
            ))
        })?;
        let severity = self.findings[index].severity.clone();
        let sla_due_at = match new.sla_due_at {
            Some(due) => Some(due),
            None => self
                .policy_current(now)
                .sla_hours(&severity)
                .map(|h| now + Duration::hours(h)),
        };
        self.tasks.push(TaskRecord {
            id: Uuid::new_v4(),
            finding_id: new.finding_id,
            title: new.title,
            status: TaskStatus::Backlog,
            priority: new.priority,
            owner_id: new.owner_id,
            sla_due_at,
            external_ticket_key: None,
            pr_url: None,
            created_at: now,
            updated_at: now,
        });
        Ok(&self.tasks[self.tasks.len() - 1])
    }

    pub(crate) fn task_position(&self, id: &str) -> Result<usize, StoreError> {
        let uuid = parse_id(id, "task")?;
        self.tasks
            .iter()
            .position(|t| t.id == uuid)
            .ok_or_else(|| StoreError::NotFound(format!("task {id} not found")))
    }

    /// One task.
    pub fn task(&self, id: &str) -> Result<&TaskRecord, StoreError> {
        Ok(&self.tasks[self.task_position(id)?])
    }

    /// A page of tasks, newest first.
    pub fn list_tasks(
        &self,
        status: Option<&TaskStatus>,
        request: &PageRequest,
    ) -> Result<CursorPage<'_, TaskRecord>, StoreError> {
        let rows = self
            .tasks
            .iter()
            .filter(|t| status.is_none_or(|s| *s == t.status))
            .collect();
        paging::page(rows, |t| (t.created_at, t.id), request)
    }

    /// Applies a PATCH. A move to `in_progress` or `ready_verify` moves the
    /// finding to the same status when the finding's lifecycle allows it.
    pub fn patch_task(
        &mut self,
        id: &str,
        change: TaskChange,
        now: DateTime<Utc>,
    ) -> Result<&TaskRecord, StoreError> {
        let index = self.task_position(id)?;
        let task = &self.tasks[index];
        if let Some(to) = &change.status {
            if *to == TaskStatus::Done {
                return Err(StoreError::InvalidTransition(format!(
                    "a task becomes done only when a verification of its fix is approved; allowed from {}: {}",
                    task.status,
                    targets_text(&task.status)
                )));
            }
            if !task_move_allowed(&task.status, to) {
                return Err(StoreError::InvalidTransition(format!(
                    "cannot move a task from {} to {to}; allowed: {}",
                    task.status,
                    targets_text(&task.status)
                )));
            }
        }
        let finding_id = task.finding_id;
        let task = &mut self.tasks[index];
        let mut mirror = None;
        if let Some(to) = change.status
            && to != task.status
        {
            mirror = match to {
                TaskStatus::InProgress => Some(FindingStatus::InProgress),
                TaskStatus::ReadyVerify => Some(FindingStatus::ReadyVerify),
                _ => None,
            };
            task.status = to;
        }
        if let Some(v) = change.owner_id {
            task.owner_id = v;
        }
        if let Some(v) = change.priority {
            task.priority = v;
        }
        if let Some(v) = change.sla_due_at {
            task.sla_due_at = v;
        }
        if let Some(v) = change.external_ticket_key {
            task.external_ticket_key = v;
        }
        if let Some(v) = change.pr_url {
            task.pr_url = v;
        }
        task.updated_at = now;
        if let (Some(target), Some(fi)) = (mirror, self.finding_position(finding_id)) {
            let finding = &mut self.findings[fi];
            if finding.status != target && finding_move_allowed(&finding.status, &target) {
                finding.set_status(target, now);
            }
        }
        Ok(&self.tasks[index])
    }
}

fn targets_text(from: &TaskStatus) -> String {
    let targets = task_targets(from);
    let targets: Vec<&str> = targets.iter().map(|t| t.as_str()).collect();
    if targets.is_empty() {
        "none".into()
    } else {
        targets.join(", ")
    }
}
