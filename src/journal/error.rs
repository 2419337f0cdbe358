//! What can go wrong with the journal.

use std::path::PathBuf;

use rusqlite::ErrorCode;

use super::model::JobId;

/// Everything that can go wrong with the journal.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// The file could not be opened or read, and could not be set aside.
    #[error(
        "the journal at {path} could not be opened ({why}); move it away or fix its permissions, then try again"
    )]
    Unreadable { path: PathBuf, why: String },
    /// Written by a newer krafter: left alone rather than set aside.
    #[error(
        "the journal at {path} was written by a newer krafter (schema {found}, this one knows {known}); update krafter"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    /// A query or write failed.
    #[error("the journal at {path} could not be {doing}: {why}")]
    Sql {
        path: PathBuf,
        doing: &'static str,
        why: String,
    },
    /// No job with that id (or id prefix).
    #[error("no job `{0}` in the journal; `krafter jobs` lists them")]
    NoSuchJob(String),
    /// A prefix that more than one job id starts with.
    #[error("`{0}` names more than one job; give more of the id")]
    Ambiguous(String),
    /// Another process is running the job.
    #[error("job {0} is running in another krafter process; wait for it or stop that process")]
    Busy(JobId),
}

/// Why an existing file is not usable as it is.
pub(super) enum Problem {
    /// Not a journal, or damaged: set it aside.
    Damaged(String),
    /// Fine, but not ours to touch.
    TooNew(i64),
    /// Could not even look (permissions): report, do not move.
    Unreadable(String),
    /// Another connection holds a lock for now (another krafter opening
    /// the same new journal): try again shortly.
    Busy(String),
}

impl Problem {
    /// What was wrong, in words.
    pub(super) fn why(self) -> String {
        match self {
            Problem::Damaged(w) | Problem::Unreadable(w) => w,
            Problem::Busy(w) => format!("it is locked by another process: {w}"),
            Problem::TooNew(v) => format!("schema {v}"),
        }
    }
}

/// Classifies an error met while opening or checking a file.
pub(super) fn problem_of(e: &rusqlite::Error) -> Problem {
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Problem::Busy(e.to_string()),
        Some(ErrorCode::PermissionDenied | ErrorCode::ReadOnly) => {
            Problem::Unreadable(e.to_string())
        }
        _ => Problem::Damaged(e.to_string()),
    }
}
