//! Writing jobs and items. Each public method is one transaction: it
//! happened whole or not at all.

use rusqlite::params;

use super::error::JournalError;
use super::handle::{Journal, now};
use super::model::*;
use super::query::ITEM_COLUMNS;

/// The columns an outcome writes: kind, detail, http status, request id,
/// updated_at after.
type OutcomeColumns<'a> = (
    &'static str,
    Option<&'a str>,
    Option<u16>,
    Option<&'a str>,
    Option<&'a str>,
);

fn outcome_columns(outcome: &Outcome) -> OutcomeColumns<'_> {
    match outcome {
        Outcome::Pending | Outcome::InFlight | Outcome::Unchanged => {
            (outcome.kind(), None, None, None, None)
        }
        Outcome::Updated { updated_at } => {
            (outcome.kind(), None, None, None, updated_at.as_deref())
        }
        Outcome::Skipped { reason } | Outcome::NotSent { reason } => {
            (outcome.kind(), Some(reason), None, None, None)
        }
        Outcome::Failed {
            reason,
            http_status,
            request_id,
        } => (
            outcome.kind(),
            Some(reason),
            *http_status,
            request_id.as_deref(),
            None,
        ),
    }
}

impl Journal {
    /// Records a new job and all its items in one transaction, before
    /// anything is sent. Items are numbered in the order given.
    pub fn create_job(&self, job: &NewJob, items: &[NewItem]) -> Result<JobId, JournalError> {
        let id = uuid::Uuid::new_v4().to_string();
        let err = self.sql_error("written (new job)");
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(&err)?;
        let selection = serde_json::to_string(&job.selection).map_err(|e| JournalError::Sql {
            path: self.path.clone(),
            doing: "written (new job)",
            why: e.to_string(),
        })?;
        let at = now();
        tx.execute(
            "INSERT INTO jobs (id, created_at, updated_at, profile, base_url, org_id, project_id, \
             selection, change_status, change_owner_set, change_owner, change_severity, reason, \
             comment, undo_of, state, message) \
             VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, NULL)",
            params![
                id,
                at,
                job.profile,
                job.scope.base_url,
                job.scope.org_id,
                job.scope.project_id,
                selection,
                job.change.status.as_ref().map(|s| s.as_str()),
                job.change.owner.is_some(),
                job.change.owner.clone().flatten(),
                job.change.severity.as_ref().map(|s| s.as_str()),
                job.reason.map(Reason::as_str),
                job.comment,
                job.undo_of,
                JobState::Running.as_str(),
            ],
        )
        .map_err(&err)?;
        {
            let mut insert = tx
                .prepare(&format!(
                    "INSERT INTO items (job_id, {ITEM_COLUMNS}, finished_at) VALUES \
                     (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, \
                     ?17, ?18, ?19)"
                ))
                .map_err(&err)?;
            for (seq, item) in items.iter().enumerate() {
                let b = item.before.as_ref();
                let (kind, detail, http, request, after) = outcome_columns(&item.outcome);
                let finished = (!item.outcome.is_open()).then_some(at.as_str());
                insert
                    .execute(params![
                        id,
                        seq as i64,
                        item.finding_id,
                        item.title,
                        b.is_some(),
                        b.map(|b| b.values.status.as_str()),
                        b.and_then(|b| b.values.owner_id.as_deref()),
                        b.map(|b| b.values.severity.as_str()),
                        b.and_then(|b| b.updated_at.as_deref()),
                        item.change.status.as_ref().map(|s| s.as_str()),
                        item.change.owner.is_some(),
                        item.change.owner.clone().flatten(),
                        item.change.severity.as_ref().map(|s| s.as_str()),
                        kind,
                        detail,
                        http,
                        request,
                        after,
                        finished,
                    ])
                    .map_err(&err)?;
            }
        }
        tx.commit().map_err(&err)?;
        Ok(id)
    }

    /// Records an item's outcome (including `InFlight`, written just before
    /// its request is sent).
    pub fn record(&self, job: &str, seq: u32, outcome: &Outcome) -> Result<(), JournalError> {
        let err = self.sql_error("written (item outcome)");
        let (kind, detail, http, request, after) = outcome_columns(outcome);
        let at = now();
        let finished = (!outcome.is_open()).then_some(at.as_str());
        let conn = self.conn();
        let changed = conn
            .execute(
                "UPDATE items SET outcome = ?3, detail = ?4, http_status = ?5, request_id = ?6, \
                 after_updated_at = ?7, finished_at = ?8 WHERE job_id = ?1 AND seq = ?2",
                params![job, seq, kind, detail, http, request, after, finished],
            )
            .map_err(&err)?;
        if changed == 0 {
            return Err(JournalError::NoSuchJob(format!("{job} item {seq}")));
        }
        Ok(())
    }

    /// Closes every open item of a cancelled job in one transaction: pending
    /// ones become not sent with `not_sent`, in-flight ones (sent before a
    /// crash, answer unknown) failures with `unknown`.
    pub fn close_open(&self, job: &str, not_sent: &str, unknown: &str) -> Result<(), JournalError> {
        let err = self.sql_error("written (cancelled items)");
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(&err)?;
        let at = now();
        tx.execute(
            "UPDATE items SET outcome = 'not_sent', detail = ?2, finished_at = ?3 \
             WHERE job_id = ?1 AND outcome = 'pending'",
            params![job, not_sent, at],
        )
        .map_err(&err)?;
        tx.execute(
            "UPDATE items SET outcome = 'failed', detail = ?2, finished_at = ?3 \
             WHERE job_id = ?1 AND outcome = 'in_flight'",
            params![job, unknown, at],
        )
        .map_err(&err)?;
        tx.commit().map_err(&err)
    }

    /// Records the job's state, and why when a stop rule set it.
    pub fn set_state(
        &self,
        job: &str,
        state: JobState,
        message: Option<&str>,
    ) -> Result<(), JournalError> {
        let err = self.sql_error("written (job state)");
        let conn = self.conn();
        let changed = conn
            .execute(
                "UPDATE jobs SET state = ?2, message = ?3, updated_at = ?4 WHERE id = ?1",
                params![job, state.as_str(), message, now()],
            )
            .map_err(&err)?;
        if changed == 0 {
            return Err(JournalError::NoSuchJob(job.to_string()));
        }
        Ok(())
    }
}

/// A new item: everything but the number, which follows the order given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewItem {
    pub finding_id: String,
    pub title: String,
    pub before: Option<Before>,
    pub change: Change,
    /// `Pending`, or a final outcome decided before sending (a skip).
    pub outcome: Outcome,
}
