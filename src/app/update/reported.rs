//! One log line for every change outcome the TUI tells the user about (a
//! single change's toast, a bulk item's line in the report), with what it
//! set and how it ended: `applied`, `failed` or `unknown`. The line is
//! written where the user is told, so the log holds what the TUI said and
//! can be compared with the server afterwards (the soak test does).

use crate::api::model::{FindingStatus, Severity};
use crate::sanitize::sanitize;

/// What the user was told about one change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Told {
    /// The server holds the change.
    Applied,
    /// The server does not hold it.
    Failed,
    /// Nobody knows: no answer, and the finding could not be read again.
    Unknown,
}

impl Told {
    fn as_str(self) -> &'static str {
        match self {
            Told::Applied => "applied",
            Told::Failed => "failed",
            Told::Unknown => "unknown",
        }
    }
}

/// The fields a change sets (`None`: left alone; `Some(None)`: unassign).
pub struct Fields<'a> {
    pub status: Option<&'a FindingStatus>,
    pub owner: Option<Option<&'a str>>,
    pub severity: Option<&'a Severity>,
}

/// Logs the outcome told for a change of `finding_id`, made `via` a single
/// change (`single`, or `reread` when its outcome came from reading the
/// finding again) or a bulk job (its id).
pub fn log(finding_id: &str, fields: Fields<'_>, told: Told, via: &str) {
    let status = fields.status.map_or("-".to_string(), |s| s.to_string());
    let owner = match fields.owner {
        None => "-".to_string(),
        Some(None) => "none".to_string(),
        Some(Some(id)) => id.to_string(),
    };
    let severity = fields.severity.map_or("-".to_string(), |s| s.to_string());
    tracing::info!(
        finding_id = %sanitize(finding_id),
        status = %sanitize(&status),
        owner = %sanitize(&owner),
        severity = %sanitize(&severity),
        outcome = %told.as_str(),
        via = %sanitize(via),
        "change reported"
    );
}
