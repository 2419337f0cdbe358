//! The loop of a running job: one item at a time, journalled before and
//! after its request, with the stop rules.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use tokio::sync::{mpsc, watch};

use crate::api::model::Finding;
use crate::api::{ApiError, Client};
use crate::journal::{
    Counts, Item, JobLock, JobRecord, JobState, Journal, JournalError, Outcome, Values,
};

use super::control::{Control, Event, PauseCause, StartOptions, WhenSpent};
use super::report::{Progress, Report};

/// A little past a window's reset, so the next request lands in the new one.
const RESET_MARGIN: Duration = Duration::from_millis(30);

/// What an answer means for the rest of the job.
#[derive(Debug, PartialEq)]
enum Then {
    Next,
    /// Every following PATCH would fail the same way: stop, resumable.
    Stop(String),
    /// The budget stayed spent: the item was not applied, pause or stop.
    Spent(String),
}

/// Sorts a PATCH answer into the item's outcome and what follows.
fn classify(result: Result<Finding, ApiError>) -> (Outcome, Then) {
    let e = match result {
        Ok(f) => {
            return (
                Outcome::Updated {
                    updated_at: updated_at(&f),
                },
                Then::Next,
            );
        }
        Err(e) => e,
    };
    if e.code() == Some("invalid_transition") {
        let reason = e
            .server_message()
            .map(str::to_string)
            .unwrap_or_else(|| e.to_string());
        return (Outcome::Skipped { reason }, Then::Next);
    }
    let failed = Outcome::Failed {
        reason: e.to_string(),
        http_status: e.status(),
        request_id: e.request_id().map(str::to_string),
    };
    match &e {
        ApiError::Status(s) if matches!(s.status, 401 | 403) => (
            failed,
            Then::Stop(format!(
                "stopped: {e}. Every following change would be refused the same way; \
                 resume the job once the key is fixed"
            )),
        ),
        ApiError::Status(s) if s.status == 429 => (
            // A 429 applies nothing: the item is simply still to send.
            Outcome::Pending,
            Then::Spent(format!(
                "the team's rate limit stayed spent after waiting for it ({e}); \
                 nothing more was sent"
            )),
        ),
        ApiError::Connect { .. } | ApiError::Timeout { .. } | ApiError::Tls { .. } => (
            // It may have landed: unknown, so a resume sends it again.
            Outcome::InFlight,
            Then::Stop(format!(
                "stopped: {e}. The last change may or may not have been applied; \
                 a resume sends it again with the same value"
            )),
        ),
        _ => (failed, Then::Next),
    }
}

/// How many times a finding is read to settle an unclear answer.
const REREADS: u32 = 3;

/// A PATCH failed in a way that may still have applied it (no complete
/// answer, an unreadable one, a 5xx after the retries): the finding is read
/// again and what the server holds decides. The change holds: updated. It
/// does not: failed (unless the request timed out, when it may still be on
/// its way). No answer to the read either: unknown, and the job stops so
/// that a resume sends it again.
async fn settle(client: &Client, item: &Item, e: ApiError) -> (Outcome, Then) {
    let mut tries = 1;
    let read = loop {
        match client.get_finding(&item.finding_id).await {
            Err(r) if tries < REREADS && r.may_have_applied() => {
                tries += 1;
                tokio::time::sleep(Duration::from_millis(300)).await;
            }
            other => break other,
        }
    };
    let timed_out = matches!(e, ApiError::Timeout { .. });
    match read {
        Ok(f) if item.change.is_satisfied_by(&values_of(&f)) => {
            tracing::info!(finding_id = %item.finding_id, error = %e, "no clear answer, but the change holds");
            (
                Outcome::Updated {
                    updated_at: updated_at(&f),
                },
                Then::Next,
            )
        }
        Ok(_) if !timed_out => (
            Outcome::Failed {
                reason: format!("{e}; read again, the finding does not hold the change"),
                http_status: e.status(),
                request_id: e.request_id().map(str::to_string),
            },
            Then::Next,
        ),
        _ => (
            Outcome::InFlight,
            Then::Stop(format!(
                "stopped: {e}. The last change may or may not have been applied, and the \
                 finding could not be read again to tell; a resume sends it again with the \
                 same value"
            )),
        ),
    }
}

fn values_of(f: &Finding) -> Values {
    Values {
        status: f.status.clone(),
        owner_id: f.owner_id.clone(),
        severity: f.severity.clone(),
    }
}

fn updated_at(f: &Finding) -> Option<String> {
    f.updated_at
        .as_ref()
        .map(|t| t.raw().to_string())
        .filter(|t| !t.is_empty())
}

/// The state of one running job.
pub(super) struct Runner {
    pub client: Client,
    pub journal: Journal,
    pub job: JobRecord,
    pub items: Vec<Item>,
    pub control: watch::Receiver<Control>,
    /// Keeps the control channel open while the job runs, so waiting on it
    /// never sees "closed" because every handle was dropped.
    pub _keep_control: Arc<watch::Sender<Control>>,
    pub events: mpsc::UnboundedSender<Event>,
    pub options: StartOptions,
    pub lock: JobLock,
}

enum Turn {
    Go,
    Cancel,
}

impl Runner {
    pub async fn run(mut self) {
        let (state, message) = self.work().await;
        self.job.state = state;
        self.job.message = message.clone();
        if let Err(e) = self.write_state(state, message).await {
            self.job.message = Some(format!(
                "{}; the job's state could not be written: {e}",
                self.job.message.as_deref().unwrap_or("finished")
            ));
        }
        if state == JobState::Done
            && let Some(original) = self.job.undo_of.clone()
        {
            let j = self.journal.clone();
            let _ = blocking(&self.journal, move || {
                j.set_state(&original, JobState::Undone, None)
            })
            .await;
        }
        let report = Report::new(self.job.clone(), std::mem::take(&mut self.items));
        // Free the job before saying it finished: a caller may resume it.
        drop(self.lock);
        let _ = self.events.send(Event::Finished(Box::new(report)));
    }

    /// Sends every open item; returns the final state and why it stopped.
    async fn work(&mut self) -> (JobState, Option<String>) {
        let started = Instant::now();
        let mut sent = 0u64;
        let mut failures_in_a_row = 0u32;
        let mut next = 0usize;
        self.progress(started, sent, None);
        while let Some(at) = (next..self.items.len()).find(|&i| self.items[i].outcome.is_open()) {
            next = at;
            match self.wait_turn(started, sent).await {
                Turn::Go => {}
                Turn::Cancel => return self.cancel().await,
            }
            if let Err(e) = self.set_outcome(at, Outcome::InFlight).await {
                return journal_stop(e);
            }
            let item = &self.items[at];
            let result = self
                .client
                .patch_finding(&item.finding_id, &item.change.to_patch())
                .await;
            sent += 1;
            let (outcome, then) = match result {
                // A 429 applied nothing new: the item is simply sent again
                // (a no-op if an earlier try had landed).
                Err(e) if e.may_have_applied() && e.status() != Some(429) => {
                    settle(&self.client, item, e).await
                }
                other => classify(other),
            };
            let failed = matches!(outcome, Outcome::Failed { .. });
            if let Err(e) = self.set_outcome(at, outcome).await {
                return journal_stop(e);
            }
            if !matches!(then, Then::Spent(_)) {
                let _ = self.events.send(Event::Item(self.items[at].clone()));
            }
            self.progress(started, sent, None);
            failures_in_a_row = if failed { failures_in_a_row + 1 } else { 0 };
            match then {
                Then::Next if failures_in_a_row >= self.options.max_failures_in_a_row => {
                    return (
                        JobState::Interrupted,
                        Some(format!(
                            "stopped: {failures_in_a_row} changes in a row failed; the service \
                             seems to be failing. Resume the job later"
                        )),
                    );
                }
                Then::Next => next = at + 1,
                Then::Stop(why) => return (JobState::Interrupted, Some(why)),
                Then::Spent(why) => match self.options.when_spent {
                    WhenSpent::Stop => return (JobState::Interrupted, Some(why)),
                    WhenSpent::Pause => {
                        // Held until the user resumes; the item is retried.
                        self.pause_for(PauseCause::BudgetSpent(why)).await;
                    }
                },
            }
        }
        (JobState::Done, None)
    }

    /// Waits while paused or held back by the rate limit; says whether to
    /// send the next item or cancel.
    async fn wait_turn(&mut self, started: Instant, sent: u64) -> Turn {
        let mut paused = false;
        loop {
            let control = *self.control.borrow_and_update();
            match control {
                Control::Cancel => return Turn::Cancel,
                Control::Pause => {
                    if !paused {
                        paused = true;
                        if self.job.state != JobState::Paused {
                            self.pause_for(PauseCause::User).await;
                        }
                    }
                    let _ = self.control.changed().await;
                    continue;
                }
                Control::Run => {}
            }
            if paused || self.job.state == JobState::Paused {
                paused = false;
                self.job.state = JobState::Running;
                self.job.message = None;
                let _ = self.write_state(JobState::Running, None).await;
                let _ = self.events.send(Event::Resumed);
            }
            let now = SystemTime::now();
            let Some(wait) = held_back(&self.client, now) else {
                return Turn::Go;
            };
            // Wait here rather than inside the client, so that a pause or
            // a cancel is seen at once.
            self.progress(started, sent, Some(wait));
            tokio::select! {
                () = tokio::time::sleep(wait + RESET_MARGIN) => {}
                _ = self.control.changed() => {}
            }
        }
    }

    /// Marks the job paused (a user's pause, or a spent budget).
    async fn pause_for(&mut self, cause: PauseCause) {
        self.job.state = JobState::Paused;
        if let PauseCause::BudgetSpent(why) = &cause {
            self.job.message = Some(why.clone());
            // The job now waits for a resume like a user's pause (unless
            // it was cancelled meanwhile).
            self._keep_control.send_if_modified(|c| {
                let changed = *c == Control::Run;
                if changed {
                    *c = Control::Pause;
                }
                changed
            });
        }
        // Recorded before it is said, so whoever hears it reads it back.
        let _ = self
            .write_state(JobState::Paused, self.job.message.clone())
            .await;
        let _ = self.events.send(Event::Paused(cause));
    }

    /// Cancels: items never sent become "not sent"; items sent before a
    /// crash whose answer never came are failures of unknown effect.
    async fn cancel(&mut self) -> (JobState, Option<String>) {
        let id = self.job.id.clone();
        let j = self.journal.clone();
        let result = blocking(&self.journal, move || j.close_open(&id, NOT_SENT, UNKNOWN)).await;
        if let Err(e) = result {
            return journal_stop(e);
        }
        for item in &mut self.items {
            item.outcome = match item.outcome {
                Outcome::Pending => Outcome::NotSent {
                    reason: NOT_SENT.into(),
                },
                Outcome::InFlight => Outcome::Failed {
                    reason: UNKNOWN.into(),
                    http_status: None,
                    request_id: None,
                },
                _ => continue,
            };
        }
        (JobState::Cancelled, None)
    }

    async fn set_outcome(&mut self, at: usize, outcome: Outcome) -> Result<(), JournalError> {
        let id = self.job.id.clone();
        let seq = self.items[at].seq;
        let j = self.journal.clone();
        let written = outcome.clone();
        blocking(&self.journal, move || j.record(&id, seq, &written)).await?;
        self.items[at].outcome = outcome;
        Ok(())
    }

    async fn write_state(
        &self,
        state: JobState,
        message: Option<String>,
    ) -> Result<(), JournalError> {
        let id = self.job.id.clone();
        let j = self.journal.clone();
        blocking(&self.journal, move || {
            j.set_state(&id, state, message.as_deref())
        })
        .await
    }

    fn progress(&self, started: Instant, sent: u64, waiting: Option<Duration>) {
        let counts = Counts::of(self.items.iter().map(|i| &i.outcome));
        let budget = self.client.budget();
        let left = counts.open as u64;
        let floor = budget.eta(left, SystemTime::now());
        let pace = (sent > 0).then(|| started.elapsed().mul_f64(left as f64 / sent as f64));
        let eta = match (pace, floor) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        let _ = self.events.send(Event::Progress(Progress {
            counts,
            eta,
            waiting,
            budget,
        }));
    }
}

const NOT_SENT: &str = "not sent: the job was cancelled first";
const UNKNOWN: &str = "sent before krafter stopped, and its answer never came: \
                       it may or may not have been applied";

/// How long the client would hold the next request back, if at all.
fn held_back(client: &Client, now: SystemTime) -> Option<Duration> {
    let budget = client.budget();
    if let Some(wait) = budget.pacing_for(now) {
        return Some(wait);
    }
    match (budget.remaining, budget.reset_at) {
        (Some(0), Some(reset)) => reset.duration_since(now).ok().filter(|d| !d.is_zero()),
        _ => None,
    }
}

fn journal_stop(e: JournalError) -> (JobState, Option<String>) {
    (
        JobState::Interrupted,
        Some(format!(
            "stopped: {e}. Nothing more was sent, since it could not be recorded first"
        )),
    )
}

/// Runs a journal call off the async threads (each write waits for the disk).
async fn blocking<T: Send + 'static>(
    journal: &Journal,
    call: impl FnOnce() -> Result<T, JournalError> + Send + 'static,
) -> Result<T, JournalError> {
    match tokio::task::spawn_blocking(call).await {
        Ok(result) => result,
        Err(e) => Err(JournalError::Sql {
            path: journal.path().to_path_buf(),
            doing: "written",
            why: format!("the writing task failed: {e}"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::StatusError;

    fn status(code: u16, machine: &str) -> ApiError {
        ApiError::Status(StatusError {
            status: code,
            code: Some(machine.into()),
            message: "why".into(),
            request_id: Some("req-9".into()),
            retry_after: None,
        })
    }

    #[test]
    fn answers_sort_into_outcomes_and_stop_rules() {
        let (o, t) = classify(Err(status(422, "invalid_transition")));
        assert_eq!(
            o,
            Outcome::Skipped {
                reason: "why".into()
            }
        );
        assert_eq!(t, Then::Next);
        let (o, t) = classify(Err(status(401, "unauthorized")));
        assert!(matches!(
            o,
            Outcome::Failed {
                http_status: Some(401),
                ..
            }
        ));
        assert!(matches!(t, Then::Stop(_)));
        let (_, t) = classify(Err(status(403, "forbidden")));
        assert!(matches!(t, Then::Stop(_)));
        let (o, t) = classify(Err(status(429, "rate_limited")));
        assert_eq!(o, Outcome::Pending);
        assert!(matches!(t, Then::Spent(_)));
        let (o, t) = classify(Err(status(500, "internal")));
        assert_eq!(
            o,
            Outcome::Failed {
                reason: status(500, "internal").to_string(),
                http_status: Some(500),
                request_id: Some("req-9".into()),
            }
        );
        assert_eq!(t, Then::Next);
        let (o, t) = classify(Err(ApiError::Connect {
            host: "h".into(),
            detail: "reset".into(),
        }));
        assert_eq!(o, Outcome::InFlight);
        assert!(matches!(t, Then::Stop(_)));
    }
}
