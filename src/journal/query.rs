//! Reading jobs, items and a finding's history back.

use rusqlite::{Row, params};

use super::error::JournalError;
use super::handle::Journal;
use super::model::*;
use crate::api::enums::{FindingStatus, Severity};

pub(super) const JOB_COLUMNS: &str = "id, created_at, profile, base_url, org_id, project_id, selection, \
     change_status, change_owner_set, change_owner, change_severity, reason, comment, undo_of, \
     state, message";

pub(super) const ITEM_COLUMNS: &str = "seq, finding_id, title, has_before, before_status, before_owner, \
     before_severity, before_updated_at, to_status, to_owner_set, to_owner, to_severity, outcome, \
     detail, http_status, request_id, after_updated_at";

fn job_of(row: &Row<'_>) -> rusqlite::Result<JobRecord> {
    job_at(row, 0)
}

pub(super) fn job_at(row: &Row<'_>, o: usize) -> rusqlite::Result<JobRecord> {
    let selection: String = row.get(o + 6)?;
    let selection = serde_json::from_str(&selection).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(o + 6, rusqlite::types::Type::Text, Box::new(e))
    })?;
    let state: String = row.get(o + 14)?;
    Ok(JobRecord {
        id: row.get(o)?,
        created_at: row.get(o + 1)?,
        profile: row.get(o + 2)?,
        scope: Scope {
            base_url: row.get(o + 3)?,
            org_id: row.get(o + 4)?,
            project_id: row.get(o + 5)?,
        },
        selection,
        change: change_of(row, o + 7)?,
        reason: row
            .get::<_, Option<String>>(o + 11)?
            .and_then(|r| Reason::parse(&r)),
        comment: row.get(o + 12)?,
        undo_of: row.get(o + 13)?,
        // A state this version does not know reads as interrupted: nothing
        // is lost, and a resume will look at the items themselves.
        state: JobState::parse(&state).unwrap_or(JobState::Interrupted),
        message: row.get(o + 15)?,
    })
}

/// A change from four columns starting at `at`: status, owner set, owner,
/// severity.
fn change_of(row: &Row<'_>, at: usize) -> rusqlite::Result<Change> {
    let owner_set: bool = row.get(at + 1)?;
    Ok(Change {
        status: row
            .get::<_, Option<String>>(at)?
            .map(|s| FindingStatus::parse(&s)),
        owner: if owner_set {
            Some(row.get(at + 2)?)
        } else {
            None
        },
        severity: row
            .get::<_, Option<String>>(at + 3)?
            .map(|s| Severity::parse(&s)),
    })
}

fn item_of(row: &Row<'_>) -> rusqlite::Result<Item> {
    item_at(row, 0)
}

pub(super) fn item_at(row: &Row<'_>, o: usize) -> rusqlite::Result<Item> {
    let has_before: bool = row.get(o + 3)?;
    let before = if has_before {
        Some(Before {
            values: Values {
                status: FindingStatus::parse(&row.get::<_, String>(o + 4)?),
                owner_id: row.get(o + 5)?,
                severity: Severity::parse(&row.get::<_, String>(o + 6)?),
            },
            updated_at: row.get(o + 7)?,
        })
    } else {
        None
    };
    let kind: String = row.get(o + 12)?;
    let detail: Option<String> = row.get(o + 13)?;
    let detail = detail.unwrap_or_default();
    let outcome = match kind.as_str() {
        "pending" => Outcome::Pending,
        "updated" => Outcome::Updated {
            updated_at: row.get(o + 16)?,
        },
        "unchanged" => Outcome::Unchanged,
        "skipped" => Outcome::Skipped { reason: detail },
        "failed" => Outcome::Failed {
            reason: detail,
            http_status: row.get(o + 14)?,
            request_id: row.get(o + 15)?,
        },
        "not_sent" => Outcome::NotSent { reason: detail },
        // In flight, or a kind this version does not know: the outcome is
        // unknown, so the item is sent again with the same body.
        _ => Outcome::InFlight,
    };
    Ok(Item {
        seq: row.get(o)?,
        finding_id: row.get(o + 1)?,
        title: row.get(o + 2)?,
        before,
        change: change_of(row, o + 8)?,
        outcome,
    })
}

impl Journal {
    /// The job with this id, or the only one whose id starts with it. Its
    /// state says `interrupted` when it was running in a process that died.
    pub fn find_job(&self, id_or_prefix: &str) -> Result<JobRecord, JournalError> {
        let wanted = id_or_prefix.trim().to_ascii_lowercase();
        if wanted.is_empty() {
            return Err(JournalError::NoSuchJob(id_or_prefix.to_string()));
        }
        let err = self.sql_error("read (jobs)");
        let found: Vec<JobRecord> = {
            let conn = self.conn();
            let mut stmt = conn
                .prepare(&format!(
                    "SELECT {JOB_COLUMNS} FROM jobs WHERE substr(id, 1, length(?1)) = ?1 LIMIT 2"
                ))
                .map_err(&err)?;
            stmt.query_map([&wanted], job_of)
                .and_then(Iterator::collect)
                .map_err(&err)?
        };
        match found.len() {
            0 => Err(JournalError::NoSuchJob(id_or_prefix.to_string())),
            1 => Ok(found
                .into_iter()
                .map(|j| self.effective(j))
                .next()
                .ok_or_else(|| JournalError::NoSuchJob(id_or_prefix.to_string()))?),
            _ => Err(JournalError::Ambiguous(id_or_prefix.to_string())),
        }
    }

    /// A job's items, in order.
    pub fn items(&self, job: &str) -> Result<Vec<Item>, JournalError> {
        let err = self.sql_error("read (items)");
        let conn = self.conn();
        let mut stmt = conn
            .prepare(&format!(
                "SELECT {ITEM_COLUMNS} FROM items WHERE job_id = ?1 ORDER BY seq"
            ))
            .map_err(&err)?;
        stmt.query_map([job], item_of)
            .and_then(Iterator::collect)
            .map_err(&err)
    }

    /// Every job, newest first, with its counts. Running jobs whose process
    /// died show as interrupted.
    pub fn jobs(&self) -> Result<Vec<JobSummary>, JournalError> {
        let err = self.sql_error("read (jobs)");
        let rows: Vec<(JobRecord, Vec<(String, i64)>)> = {
            let conn = self.conn();
            let mut stmt = conn
                .prepare(&format!(
                    "SELECT {JOB_COLUMNS} FROM jobs ORDER BY created_at DESC, rowid DESC"
                ))
                .map_err(&err)?;
            let jobs: Vec<JobRecord> = stmt
                .query_map([], job_of)
                .and_then(Iterator::collect)
                .map_err(&err)?;
            let mut counts = conn
                .prepare("SELECT outcome, count(*) FROM items WHERE job_id = ?1 GROUP BY outcome")
                .map_err(&err)?;
            let mut rows = Vec::with_capacity(jobs.len());
            for job in jobs {
                let c: Vec<(String, i64)> = counts
                    .query_map([&job.id], |r| Ok((r.get(0)?, r.get(1)?)))
                    .and_then(Iterator::collect)
                    .map_err(&err)?;
                rows.push((job, c));
            }
            rows
        };
        Ok(rows
            .into_iter()
            .map(|(job, by_kind)| JobSummary {
                job: self.effective(job),
                counts: counts_of(&by_kind),
            })
            .collect())
    }

    /// The newest job that still has work and no live process, in `scope`
    /// when given.
    pub fn newest_unfinished(
        &self,
        scope: Option<&Scope>,
    ) -> Result<Option<JobRecord>, JournalError> {
        Ok(self
            .jobs()?
            .into_iter()
            .map(|s| s.job)
            .filter(|j| j.state == JobState::Interrupted)
            .find(|j| scope.is_none_or(|s| *s == j.scope)))
    }

    /// One finding's local history, oldest first: every change a job of this
    /// journal applied to it in this org and project.
    pub fn history(
        &self,
        org_id: &str,
        project_id: &str,
        finding_id: &str,
    ) -> Result<Vec<HistoryEntry>, JournalError> {
        let err = self.sql_error("read (history)");
        let conn = self.conn();
        let mut stmt = conn
            .prepare(&format!(
                "SELECT i.finished_at, {JOB_COLUMNS}, {} FROM items i JOIN jobs j ON j.id = i.job_id \
                 WHERE i.finding_id = ?1 AND j.org_id = ?2 AND j.project_id = ?3 \
                 AND i.outcome = 'updated' AND i.has_before = 1 \
                 ORDER BY i.finished_at, i.rowid",
                ITEM_COLUMNS
                    .split(", ")
                    .map(|c| format!("i.{}", c.trim()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .map_err(&err)?;
        let job_width = JOB_COLUMNS.split(',').count();
        stmt.query_map(params![finding_id, org_id, project_id], |row| {
            history_at(row, job_width).map(|(entry, _)| entry)
        })
        .and_then(Iterator::collect)
        .map_err(&err)
    }

    /// `job` with a running state corrected to interrupted when no live
    /// process holds its lock.
    fn effective(&self, mut job: JobRecord) -> JobRecord {
        if matches!(job.state, JobState::Running | JobState::Paused) && !self.is_held(&job.id) {
            job.state = JobState::Interrupted;
        }
        job
    }
}
fn counts_of(by_kind: &[(String, i64)]) -> Counts {
    let mut c = Counts::default();
    for (kind, n) in by_kind {
        let n = usize::try_from(*n).unwrap_or(0);
        c.total += n;
        match kind.as_str() {
            "updated" => c.updated += n,
            "unchanged" => c.unchanged += n,
            "skipped" => c.skipped += n,
            "failed" => c.failed += n,
            "not_sent" => c.not_sent += n,
            _ => c.open += n,
        }
    }
    c
}

/// A history row (`finished_at`, the job's columns, the item's columns)
/// as an entry, with the item it came from (its `before` moved into the
/// entry).
pub(super) fn history_at(
    row: &Row<'_>,
    job_width: usize,
) -> rusqlite::Result<(HistoryEntry, Item)> {
    let at: String = row.get(0)?;
    let job = job_at(row, 1)?;
    let mut item = item_at(row, 1 + job_width)?;
    let from = item.before.take().map(|b| b.values).unwrap_or_default();
    let to = item.change.applied_to(&from);
    let entry = HistoryEntry {
        at,
        profile: job.profile,
        job_id: job.id,
        from,
        to,
        reason: job.reason.map(Reason::as_str),
        comment: job.comment,
        undo_of: job.undo_of,
    };
    Ok((entry, item))
}
