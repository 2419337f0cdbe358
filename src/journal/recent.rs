//! What changed lately through krafter: every change a job applied in one
//! project since a time, for `krafter changes` and the TUI's changes view.

use rusqlite::params;

use super::error::JournalError;
use super::handle::Journal;
use super::model::HistoryEntry;
use super::query::{ITEM_COLUMNS, JOB_COLUMNS, history_at};

/// One applied change of one finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecentChange {
    pub finding_id: String,
    /// The finding's title when the job read it.
    pub title: String,
    pub entry: HistoryEntry,
}

impl Journal {
    /// Every change applied in `org_id`/`project_id` at or after `since`
    /// (RFC 3339, UTC), oldest first.
    pub fn changes_since(
        &self,
        org_id: &str,
        project_id: &str,
        since: chrono::DateTime<chrono::Utc>,
    ) -> Result<Vec<RecentChange>, JournalError> {
        let err = self.sql_error("read (recent changes)");
        // The journal writes times as RFC 3339 UTC with milliseconds, so
        // comparing the text compares the instants.
        let since = since.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let item_columns = ITEM_COLUMNS
            .split(", ")
            .map(|c| format!("i.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        let conn = self.conn();
        let mut stmt = conn
            .prepare(&format!(
                "SELECT i.finished_at, {JOB_COLUMNS}, {item_columns} FROM items i \
                 JOIN jobs j ON j.id = i.job_id \
                 WHERE j.org_id = ?1 AND j.project_id = ?2 AND i.finished_at >= ?3 \
                 AND i.outcome = 'updated' AND i.has_before = 1 \
                 ORDER BY i.finished_at, i.rowid"
            ))
            .map_err(&err)?;
        let job_width = JOB_COLUMNS.split(',').count();
        stmt.query_map(params![org_id, project_id, since], |row| {
            let (entry, item) = history_at(row, job_width)?;
            Ok(RecentChange {
                finding_id: item.finding_id,
                title: item.title,
                entry,
            })
        })
        .and_then(Iterator::collect)
        .map_err(&err)
    }
}
