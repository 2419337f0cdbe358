//! `krafter task create FINDING_ID` and `krafter task set TASK_ID`: the
//! headless twins of the TUI's `T` (a finding's task) and of moving a task,
//! setting its owner, ticket key and PR URL.

use chrono::{DateTime, Utc};
use color_eyre::eyre::{Result, WrapErr};

use crate::api::enums::TaskStatus;
use crate::api::model::{AsSent, NewTask, Task, TaskPatch};
use crate::api::remediation::priority_of;
use crate::api::transitions::DONE_EXPLANATION;
use crate::cli::{
    GlobalArgs, RecordFormat, TaskCommand, TaskCreateArgs, TaskSetArgs, UsageError, exit,
};
use crate::engine::people::People;
use crate::engine::task_view::TaskView;
use crate::sanitize::sanitize;

use super::filters::{self, OwnerFilter};
use super::session::Session;

/// Runs `task create` or `task set`.
pub async fn run(global: &GlobalArgs, command: &TaskCommand) -> Result<i32> {
    match command {
        TaskCommand::Create(args) => create(global, args).await,
        TaskCommand::Set(args) => set(global, args).await,
    }
}

async fn create(global: &GlobalArgs, args: &TaskCreateArgs) -> Result<i32> {
    let resolved = super::session::resolve(global)?;
    let priority = args
        .priority
        .as_deref()
        .map(filters::task_priority)
        .transpose()?;
    let owner = args
        .owner
        .as_deref()
        .map(|o| filters::owner(o, resolved.people.me(), false))
        .transpose()?
        .and_then(|o| match o {
            OwnerFilter::User(id) => Some(id),
            OwnerFilter::Nobody => None,
        });
    let sla_due_at = args.sla_due.as_deref().map(due_time).transpose()?;
    super::session::ensure_writable(&resolved, "create a task")?;
    let session = Session::connect(resolved)?;
    let client = &session.client;
    let id = args.finding_id.trim();
    let finding = client
        .get_finding(id)
        .await
        .wrap_err_with(|| format!("could not read finding {}", sanitize(id)))?;
    let task = NewTask {
        finding_id: finding.id.clone(),
        title: args.title.clone().unwrap_or_else(|| finding.title.clone()),
        priority: Some(priority.unwrap_or_else(|| priority_of(&finding.severity))),
        owner_id: owner,
        sla_due_at: sla_due_at.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
    };
    let created: AsSent<Task> = client
        .create_task_as(&task)
        .await
        .wrap_err_with(|| format!("could not create a task for finding {}", sanitize(id)))?;
    super::output::emit(&render(&created, &session.resolved.people, args.format)?)?;
    Ok(exit::OK)
}

async fn set(global: &GlobalArgs, args: &TaskSetArgs) -> Result<i32> {
    let resolved = super::session::resolve(global)?;
    let patch = patch_of(args, resolved.people.me())?;
    super::session::ensure_writable(&resolved, "change a task")?;
    let session = Session::connect(resolved)?;
    let id = args.task_id.trim();
    let task: AsSent<Task> = session
        .client
        .patch_task_as(id, &patch)
        .await
        .wrap_err_with(|| format!("could not change task {}", sanitize(id)))?;
    super::output::emit(&render(&task, &session.resolved.people, args.format)?)?;
    Ok(exit::OK)
}

/// The PATCH the flags ask for; a usage error for values that cannot be
/// right (an unknown or `done` status, a bad owner, nothing to change).
pub fn patch_of(args: &TaskSetArgs, me: Option<&str>) -> Result<TaskPatch, UsageError> {
    let status = args
        .status
        .as_deref()
        .map(filters::task_status)
        .transpose()?;
    if status == Some(TaskStatus::Done) {
        return Err(UsageError(format!(
            "a task is never set to done by hand. {DONE_EXPLANATION} (krafter verify FINDING_ID --approve)"
        )));
    }
    let owner_id = args
        .owner
        .as_deref()
        .map(|o| filters::owner(o, me, true))
        .transpose()?
        .map(|o| match o {
            OwnerFilter::User(id) => Some(id),
            OwnerFilter::Nobody => None,
        });
    let text = |v: &Option<String>| {
        v.as_ref()
            .map(|v| Some(v.trim().to_string()).filter(|v| !v.is_empty()))
    };
    let pr_url = text(&args.pr_url);
    if let Some(Some(url)) = &pr_url {
        let web = url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
        if !web {
            return Err(UsageError(format!(
                "--pr-url `{url}` is not an http(s) URL; paste the pull request's address"
            )));
        }
    }
    let patch = TaskPatch {
        status,
        owner_id,
        external_ticket_key: text(&args.ticket),
        pr_url,
        ..TaskPatch::default()
    };
    if patch == TaskPatch::default() {
        return Err(UsageError(
            "nothing to change: give --status, --owner, --ticket or --pr-url".into(),
        ));
    }
    Ok(patch)
}

/// `--sla-due`: an RFC 3339 time.
fn due_time(raw: &str) -> Result<DateTime<Utc>, UsageError> {
    DateTime::parse_from_rfc3339(raw.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            UsageError(format!(
                "--sla-due `{raw}` is not an RFC 3339 time; write e.g. 2025-06-20T17:00:00Z"
            ))
        })
}

/// The task as JSON (as the service sent it), or its columns as text.
pub fn render(task: &AsSent<Task>, people: &People, format: RecordFormat) -> Result<String> {
    if format == RecordFormat::Json {
        return Ok(serde_json::to_string_pretty(task)? + "\n");
    }
    let t = &task.typed;
    let v = TaskView::of(t, None, people, Utc::now());
    let due = t
        .sla_due_at
        .as_ref()
        .map(|d| sanitize(d.raw()).into_owned())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| "-".into());
    Ok(format!(
        "task {}  {}\nfinding  {}\nstatus   {}    priority {}    owner {}\nSLA      {} (due {})\nticket   {}    PR {}\n",
        v.id,
        v.title,
        sanitize(&t.finding_id),
        v.status,
        v.priority,
        v.owner,
        v.sla,
        due,
        v.ticket,
        v.pr
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> TaskSetArgs {
        TaskSetArgs {
            task_id: "t".into(),
            status: None,
            owner: None,
            ticket: None,
            pr_url: None,
            format: RecordFormat::Table,
        }
    }

    #[test]
    fn set_sends_only_what_was_given() {
        let mut a = args();
        a.status = Some("in_progress".into());
        a.owner = Some("none".into());
        a.ticket = Some("".into());
        let p = patch_of(&a, None).unwrap();
        assert_eq!(
            serde_json::to_value(&p).unwrap(),
            serde_json::json!({"status": "in_progress", "owner_id": null, "external_ticket_key": null})
        );
    }

    #[test]
    fn set_refuses_done_unknown_values_and_nothing() {
        let mut a = args();
        a.status = Some("done".into());
        assert!(patch_of(&a, None).unwrap_err().0.contains("approved"));
        a.status = Some("finished".into());
        assert!(
            patch_of(&a, None)
                .unwrap_err()
                .0
                .contains("backlog, in_progress")
        );
        assert!(
            patch_of(&args(), None)
                .unwrap_err()
                .0
                .contains("nothing to change")
        );
        let mut a = args();
        a.pr_url = Some("javascript:alert(1)".into());
        assert!(patch_of(&a, None).unwrap_err().0.contains("http(s)"));
        let mut a = args();
        a.owner = Some("me".into());
        assert!(patch_of(&a, None).unwrap_err().0.contains("me = "));
    }
}
