//! The worker's side of the remediation loop: tasks, verifications,
//! regressions, the report, titles, and what the command center counts
//! (the open regressions, and the SLA policy once a session). Each effect
//! becomes one answer.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::Mutex;

use crate::api::Client;
use crate::api::client::SandboxRoute;
use crate::api::model::{RegressionStatus, Verification};
use crate::api::paginate::fetch_all_regressions;
use crate::api::remediation::verifications_of_task;
use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::state::VerificationsOf;
use crate::engine::task_index::TaskIndex;

/// Rows asked for per page of tasks and regressions.
const PAGE: u32 = 100;
/// Findings fetched for their titles, at most, per answer.
const TITLES: usize = 20;

/// What one session (one client) keeps across effects.
#[derive(Clone, Debug, Default)]
pub struct SessionCache {
    /// A finding's newest task without walking every task each time.
    pub tasks: Arc<Mutex<TaskIndex>>,
    /// The SLA policy was asked for (it changes rarely: once a session).
    pub policy_asked: Arc<AtomicBool>,
}

/// The open regressions and, the first time, the policy: what the command
/// center counts besides its own route. Sent before its answer, so the
/// counts are in when the command center is.
pub async fn command_center_parts(client: &Client, cache: &SessionCache) -> Vec<Action> {
    let ask_policy = !cache.policy_asked.swap(true, Ordering::SeqCst);
    // A service without regressions said so once (the update keeps the
    // explanation): it is not asked again every refresh.
    let ask_open = !client.lacks(SandboxRoute::Regressions);
    let open = async {
        if !ask_open {
            return None;
        }
        let open = fetch_all_regressions(client, Some(&RegressionStatus::Open), PAGE, |_| {}).await;
        if open.as_ref().is_err_and(|e| e.is_not_offered()) {
            client.note_lacking(SandboxRoute::Regressions);
        }
        Some(open)
    };
    let policy = async {
        if ask_policy {
            Some(client.get_policy().await)
        } else {
            None
        }
    };
    let (open, policy) = tokio::join!(open, policy);
    let mut actions: Vec<Action> = open
        .map(|result| Action::OpenRegressions { result })
        .into_iter()
        .collect();
    if let Some(result) = policy {
        if result.is_err() {
            // Asked again with the next refresh.
            cache.policy_asked.store(false, Ordering::SeqCst);
        }
        actions.push(Action::PolicyLoaded { result });
    }
    actions
}

/// Runs a remediation effect; `None` for an effect that is not one.
pub async fn execute(client: &Client, cache: &SessionCache, effect: Effect) -> Option<Action> {
    let c = client;
    Some(match effect {
        Effect::LoadTasks {
            generation,
            status,
            cursor,
        } => {
            let result = c
                .list_tasks(status.as_ref(), cursor.as_deref(), Some(PAGE))
                .await;
            Action::TasksPage { generation, result }
        }
        Effect::CreateTask { request, task } => {
            let result = c.create_task(&task).await;
            if let Ok(created) = &result {
                cache.tasks.lock().await.record(created);
            }
            Action::TaskCreated { request, result }
        }
        Effect::PatchTask { request, id, patch } => {
            let result = c.patch_task(&id, &patch).await;
            Action::TaskPatched { request, result }
        }
        Effect::LoadVerifications { generation, of } => {
            let result = verifications(c, cache, of).await;
            Action::VerificationsLoaded { generation, result }
        }
        Effect::LoadRegressions { generation, status } => {
            let result = fetch_all_regressions(c, status.as_ref(), PAGE, |_| {}).await;
            Action::RegressionsLoaded { generation, result }
        }
        Effect::LoadReport { generation } => {
            let result = c.report_summary().await;
            Action::ReportLoaded { generation, result }
        }
        Effect::LoadTitles { ids } => {
            let mut findings = Vec::new();
            // A title is a nicety: one that cannot be read is left out.
            for id in ids.iter().take(TITLES) {
                if let Ok(f) = c.get_finding(id).await {
                    findings.push(f);
                }
            }
            Action::TitlesLoaded { findings }
        }
        _ => return None,
    })
}

/// A task's verifications; for a finding, its newest task's.
async fn verifications(
    client: &Client,
    cache: &SessionCache,
    of: VerificationsOf,
) -> Result<(Option<crate::api::model::Task>, Vec<Verification>), crate::api::ApiError> {
    let (task, id, since) = match of {
        VerificationsOf::Task { id, created } => (None, id, created),
        VerificationsOf::Finding(finding_id) => {
            let newest = cache
                .tasks
                .lock()
                .await
                .newest_task_of(client, &finding_id)
                .await?;
            match newest {
                Some(task) => {
                    let (id, since) = (task.id.clone(), task.created());
                    (Some(task), id, since)
                }
                None => return Ok((None, Vec::new())),
            }
        }
    };
    let rows = verifications_of_task(client, &id, since).await?;
    Ok((task, rows.into_iter().map(|v| v.typed).collect()))
}
