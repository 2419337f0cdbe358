//! The worker: runs every effect, each in its own task, and sends the
//! answers back as actions (an opened switch goes to the runtime first, to
//! install its client).

use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;

use super::bulk::{self, Jobs, JournalSlot};
use super::remediation::{self, SessionCache};
use super::switcher::{SwitchDone, Switcher};
use crate::api::model::{Finding, ScanRequest, ScanTrigger, Verification};
use crate::api::paginate::{FindingsPosition, fetch_findings_page};
use crate::api::remediation::{approve, new_task_for, read_verification};
use crate::api::{ApiError, Client};
use crate::app::action::Action;
use crate::app::effect::Effect;

/// The local journal when one exists, opened off the async threads; a
/// report without it says so.
async fn open_journal() -> Option<crate::journal::Journal> {
    let dir = crate::config::paths::data_dir()?;
    let path = crate::journal::default_path(&dir);
    let opened = tokio::task::spawn_blocking(move || crate::journal::Journal::open_existing(&path))
        .await
        .ok()?;
    match opened {
        Ok(found) => found.map(|o| o.journal),
        Err(e) => {
            tracing::warn!(error = %e, "the journal could not be opened for the changes view");
            None
        }
    }
}

/// Runs effects against one client.
#[derive(Clone, Debug)]
pub struct Worker {
    client: Client,
    actions: UnboundedSender<Action>,
    switcher: Switcher,
    switches: UnboundedSender<SwitchDone>,
    /// The local journal of bulk jobs (or why it could not be opened).
    journal: Arc<JournalSlot>,
    /// Running bulk jobs; shared by every clone.
    jobs: Jobs,
    /// What this client's session keeps (task index, policy asked).
    session: SessionCache,
}

impl Worker {
    /// A worker sending its answers to `actions`, and opened switches to
    /// `switches`.
    pub fn new(
        client: Client,
        actions: UnboundedSender<Action>,
        switcher: Switcher,
        switches: UnboundedSender<SwitchDone>,
        journal: JournalSlot,
    ) -> Self {
        Worker {
            client,
            actions,
            switcher,
            switches,
            journal: Arc::new(journal),
            jobs: Jobs::default(),
            session: SessionCache::default(),
        }
    }

    /// The same worker talking to another client (after a switch). Tasks
    /// already running keep their client; their answers are stale and the
    /// update drops them.
    pub fn with_client(&self, client: Client) -> Worker {
        Worker {
            client,
            // Another service or project: nothing known carries over.
            session: SessionCache::default(),
            ..self.clone()
        }
    }

    /// Starts running an effect in the background.
    pub fn run(&self, effect: Effect) {
        let worker = self.clone();
        tokio::spawn(async move { worker.execute(effect).await });
    }

    fn send(&self, action: Action) {
        // The loop is gone when the TUI quits: nothing is waiting any more.
        let _ = self.actions.send(action);
    }

    async fn execute(&self, effect: Effect) {
        let c = &self.client;
        match effect {
            Effect::LoadCommandCenter { generation } => {
                let (result, parts) = tokio::join!(
                    c.command_center(),
                    remediation::command_center_parts(c, &self.session)
                );
                for part in parts {
                    self.send(part);
                }
                self.send(Action::CommandCenterLoaded { generation, result });
            }
            Effect::Refresh { generation, ask } => {
                let result = crate::engine::watch::fetch(c, ask, chrono::Utc::now()).await;
                self.send(Action::Refreshed { generation, result });
            }
            Effect::LoadChanges { generation, since } => {
                let journal = open_journal().await;
                let result = crate::engine::changes::collect(c, since, chrono::Utc::now(), journal)
                    .await
                    .map_err(|e| e.to_string());
                self.send(Action::ChangesLoaded { generation, result });
            }
            // The runtime rings and notifies itself, between two frames.
            Effect::Notify { .. } => {}
            Effect::LoadFindings {
                generation,
                query,
                offset,
                limit,
                cursor,
            } => {
                let position = match cursor {
                    Some(cursor) => FindingsPosition::Cursor(cursor),
                    None => FindingsPosition::Offset(offset),
                };
                let result = fetch_findings_page(c, &query, &position, limit).await;
                self.send(Action::FindingsPage {
                    generation,
                    offset,
                    result,
                });
            }
            Effect::SearchFindings { seq, query, limit } => {
                let result =
                    fetch_findings_page(c, &query, &FindingsPosition::Offset(0), limit).await;
                self.send(Action::SearchAnswered { seq, query, result });
            }
            Effect::CountView {
                generation,
                index,
                query,
                statuses,
            } => {
                let count = |query: crate::api::model::FindingQuery| async move {
                    fetch_findings_page(c, &query, &FindingsPosition::Offset(0), 1)
                        .await
                        .map(|page| page.total.unwrap_or(page.items.len() as u64))
                };
                let result = if statuses.is_empty() {
                    count(query).await
                } else {
                    let mut sum = Ok(0u64);
                    for status in statuses {
                        let one = count(crate::api::model::FindingQuery {
                            status: Some(status),
                            ..query.clone()
                        })
                        .await;
                        sum = match (sum, one) {
                            (Ok(a), Ok(b)) => Ok(a + b),
                            (Err(e), _) | (_, Err(e)) => Err(e),
                        };
                        if sum.is_err() {
                            break;
                        }
                    }
                    sum
                };
                self.send(Action::ViewCounted {
                    generation,
                    index,
                    result,
                });
            }
            Effect::OpenUrl { url } => {
                let opened = tokio::task::spawn_blocking({
                    let url = url.clone();
                    move || open::that_detached(&url)
                })
                .await;
                let why = match opened {
                    Ok(Ok(())) => None,
                    Ok(Err(e)) => Some(e.to_string()),
                    Err(e) => Some(e.to_string()),
                };
                if let Some(why) = why {
                    self.send(Action::OpenFailed { url, why });
                }
            }
            Effect::SaveView {
                path,
                profile,
                view,
            } => {
                let result = tokio::task::spawn_blocking({
                    let view = view.clone();
                    move || super::persist::save_view(&path, &profile, &view)
                })
                .await
                .unwrap_or_else(|e| Err(e.to_string()));
                self.send(Action::ViewSaved { view, result });
            }
            // The runtime runs these itself.
            Effect::Copy { .. } | Effect::SaveHistory { .. } | Effect::Remember { .. } => {}
            Effect::LoadFinding { generation, id } => {
                let result = c.get_finding(&id).await;
                self.send(Action::FindingLoaded { generation, result });
            }
            Effect::Patch { request, id, patch } => {
                let result = c.patch_finding(&id, &patch).await;
                self.send(Action::Patched { request, result });
            }
            Effect::Recheck { request, id } => {
                let result = recheck(c, &id).await;
                self.send(Action::Rechecked { request, result });
            }
            Effect::StartScan { url } => {
                let request = ScanRequest {
                    url,
                    trigger: ScanTrigger::Manual,
                };
                let result = c.run_scan(&request).await;
                self.send(Action::ScanStarted { result });
            }
            Effect::PollScan { id, after } => {
                tokio::time::sleep(after).await;
                self.send(Action::PollSent);
                let result = c.get_scan(&id).await;
                self.send(Action::ScanPolled { result });
            }
            Effect::StartVerification { finding_id } => {
                let result = self.start_verification(&finding_id).await;
                self.send(Action::VerificationStarted { finding_id, result });
            }
            Effect::VerifyTask {
                finding_id,
                task_id,
            } => {
                let result = c.run_verification(&task_id).await;
                self.send(Action::VerificationStarted { finding_id, result });
            }
            Effect::PollVerification { id, after } => {
                tokio::time::sleep(after).await;
                self.send(Action::PollSent);
                let result = read_verification(c, &id).await;
                self.send(Action::VerificationPolled { result });
            }
            Effect::ApproveVerification { id } => {
                let result = approve(c, &id).await;
                self.send(Action::VerificationApproved { result });
            }
            Effect::LoadTasks { .. }
            | Effect::CreateTask { .. }
            | Effect::PatchTask { .. }
            | Effect::LoadVerifications { .. }
            | Effect::LoadRegressions { .. }
            | Effect::LoadReport { .. }
            | Effect::LoadTitles { .. } => {
                if let Some(answer) = remediation::execute(c, &self.session, effect).await {
                    self.send(answer);
                }
            }
            Effect::PlanBulk {
                request,
                pick,
                change,
            } => {
                let result = bulk::plan_change(c, &self.actions, request, &pick, &change).await;
                self.send(Action::BulkPlanned { request, result });
            }
            Effect::PlanUndo { request, job } => {
                let result = bulk::plan_undo(c, &self.journal, &self.actions, request, &job).await;
                self.send(Action::BulkPlanned { request, result });
            }
            Effect::RunBulk {
                request,
                record,
                preview,
            } => {
                let result = bulk::run(
                    c.clone(),
                    &self.journal,
                    &self.jobs,
                    &self.actions,
                    &record,
                    &preview,
                );
                self.send(Action::BulkStarted { request, result });
            }
            Effect::ResumeBulk { request, job } => {
                let result =
                    bulk::resume(c.clone(), &self.journal, &self.jobs, &self.actions, &job);
                self.send(Action::BulkStarted { request, result });
            }
            Effect::ControlBulk { job, control } => self.jobs.control(&job, control),
            Effect::FindUnfinished => {
                let result = bulk::unfinished(c, &self.journal);
                self.send(Action::UnfinishedFound { result });
            }
            Effect::LoadHistory {
                generation,
                finding_id,
            } => {
                let result = bulk::history(c, &self.journal, &finding_id);
                self.send(Action::HistoryLoaded { generation, result });
            }
            // Built off the async threads: an `api_key_command` may take
            // seconds. The runtime installs the client if the switch is
            // still the one awaited, then hands the answer to the update.
            Effect::Switch { generation, target } => {
                let switcher = self.switcher.clone();
                let asked = target.clone();
                let result = tokio::task::spawn_blocking(move || switcher.switch(&asked))
                    .await
                    .unwrap_or_else(|e| Err(format!("the switch stopped: {e}")));
                // Nobody waits any more when the TUI quit meanwhile.
                let _ = self.switches.send((generation, target, result));
            }
        }
    }

    /// The finding's newest task (or a new one), then a verification of
    /// it. The session's task index finds the task: after the first look,
    /// one short page of tasks created since, not a walk of every task.
    async fn start_verification(&self, finding_id: &str) -> Result<Verification, ApiError> {
        let c = &self.client;
        let mut index = self.session.tasks.lock().await;
        let task = match index.newest_task_of(c, finding_id).await? {
            Some(task) => task,
            None => {
                let finding = c.get_finding(finding_id).await?;
                let task = c.create_task(&new_task_for(&finding)).await?;
                index.record(&task);
                task
            }
        };
        drop(index);
        c.run_verification(&task.id).await
    }
}

/// Reads a finding whose change may or may not have landed: a few tries
/// (the client retries a 5xx or a dropped connection itself; a cut-off
/// answer is tried again here), since only an answer tells the user the
/// truth.
async fn recheck(c: &Client, id: &str) -> Result<Finding, ApiError> {
    const TRIES: u32 = 3;
    let mut tries = 1;
    loop {
        match c.get_finding(id).await {
            Err(e) if tries < TRIES && e.may_have_applied() => {
                tries += 1;
                tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            }
            other => return other,
        }
    }
}
