//! What the journal holds: jobs, their items, and the values an undo needs.

use serde::{Deserialize, Serialize};

use crate::api::enums::{FindingStatus, Severity};
use crate::api::model::FindingPatch;

/// A job's id: a UUID, as text.
pub type JobId = String;

/// Why a finding is dismissed (or otherwise changed): the API has no field
/// for it, so it lives only in the journal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reason {
    FalsePositive,
    WontFix,
    AcceptedRisk,
    Duplicate,
    Other,
}

impl Reason {
    /// Every reason, in the order a menu shows them.
    pub const ALL: [Reason; 5] = [
        Reason::FalsePositive,
        Reason::WontFix,
        Reason::AcceptedRisk,
        Reason::Duplicate,
        Reason::Other,
    ];

    /// The stored and typed form, e.g. `false_positive`.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::FalsePositive => "false_positive",
            Reason::WontFix => "wont_fix",
            Reason::AcceptedRisk => "accepted_risk",
            Reason::Duplicate => "duplicate",
            Reason::Other => "other",
        }
    }

    /// How a person says it, e.g. `false positive`.
    pub fn label(self) -> &'static str {
        match self {
            Reason::FalsePositive => "false positive",
            Reason::WontFix => "won't fix",
            Reason::AcceptedRisk => "accepted risk",
            Reason::Duplicate => "duplicate",
            Reason::Other => "other",
        }
    }

    /// Parses `false_positive`, `false-positive` or `false positive`, in any case.
    pub fn parse(raw: &str) -> Option<Reason> {
        let wanted = raw.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        let wanted = wanted.replace('\'', "");
        Reason::ALL.into_iter().find(|r| r.as_str() == wanted)
    }

    /// `false_positive, wont_fix, ...` for messages.
    pub fn list() -> String {
        Reason::ALL.map(Reason::as_str).join(", ")
    }
}

/// The three fields a bulk change can set, as they stand on one finding.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Values {
    pub status: FindingStatus,
    pub owner_id: Option<String>,
    pub severity: Severity,
}

/// A finding's values before a job changed it, and the `updated_at` the
/// server showed then.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Before {
    pub values: Values,
    pub updated_at: Option<String>,
}

/// Which fields a job sets, and to what. `owner: Some(None)` unassigns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Change {
    pub status: Option<FindingStatus>,
    pub owner: Option<Option<String>>,
    pub severity: Option<Severity>,
}

impl Change {
    /// True when the change sets nothing.
    pub fn is_empty(&self) -> bool {
        self.status.is_none() && self.owner.is_none() && self.severity.is_none()
    }

    /// The PATCH body that makes this change.
    pub fn to_patch(&self) -> FindingPatch {
        FindingPatch {
            status: self.status.clone(),
            owner_id: self.owner.clone(),
            severity: self.severity.clone(),
        }
    }

    /// The change a PATCH body makes.
    pub fn from_patch(patch: &FindingPatch) -> Change {
        Change {
            status: patch.status.clone(),
            owner: patch.owner_id.clone(),
            severity: patch.severity.clone(),
        }
    }

    /// True when `values` already hold everything this change sets.
    pub fn is_satisfied_by(&self, values: &Values) -> bool {
        self.status.as_ref().is_none_or(|s| *s == values.status)
            && self.owner.as_ref().is_none_or(|o| *o == values.owner_id)
            && self.severity.as_ref().is_none_or(|s| *s == values.severity)
    }

    /// `values` with this change applied.
    pub fn applied_to(&self, values: &Values) -> Values {
        Values {
            status: self.status.clone().unwrap_or(values.status.clone()),
            owner_id: self.owner.clone().unwrap_or(values.owner_id.clone()),
            severity: self.severity.clone().unwrap_or(values.severity.clone()),
        }
    }

    /// The change that puts back, from `before`, the fields this one sets.
    pub fn reverse(&self, before: &Values) -> Change {
        Change {
            status: self.status.as_ref().map(|_| before.status.clone()),
            owner: self.owner.as_ref().map(|_| before.owner_id.clone()),
            severity: self.severity.as_ref().map(|_| before.severity.clone()),
        }
    }

    /// `status → dismissed, owner → none`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(s) = &self.status {
            parts.push(format!("status → {s}"));
        }
        if let Some(o) = &self.owner {
            parts.push(format!("owner → {}", o.as_deref().unwrap_or("none")));
        }
        if let Some(s) = &self.severity {
            parts.push(format!("severity → {s}"));
        }
        if parts.is_empty() {
            "nothing".into()
        } else {
            parts.join(", ")
        }
    }
}

/// What a job applies to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Selection {
    /// Findings named by id (arguments, stdin, marks).
    Ids { count: usize },
    /// Every finding matching server filters, as `(name, value)` pairs of
    /// the list's query (`severity`, `status`, `domain`, `owner_id`, `q`).
    Filter { filters: Vec<(String, String)> },
    /// The findings an earlier job changed.
    UndoOf { job: JobId },
}

impl Selection {
    /// `12 ids`, `where status=new severity=low`, `undo of 1a2b…`.
    pub fn describe(&self) -> String {
        match self {
            Selection::Ids { count: 1 } => "1 id".into(),
            Selection::Ids { count } => format!("{count} ids"),
            Selection::Filter { filters } if filters.is_empty() => "every finding".into(),
            Selection::Filter { filters } => {
                let f: Vec<String> = filters.iter().map(|(k, v)| format!("{k}={v}")).collect();
                format!("where {}", f.join(" "))
            }
            Selection::UndoOf { job } => format!("undo of {job}"),
        }
    }
}

/// Where a job talks to: the same finding id means the same finding only
/// within one org and project.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Scope {
    pub base_url: String,
    pub org_id: String,
    pub project_id: String,
}

/// Where a job stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// A process is working on it (or was, when it died: see
    /// [`super::Journal::jobs`], which reports those as interrupted).
    Running,
    /// Held by the user or by a spent rate budget; the process is alive.
    Paused,
    /// Stopped with work left (a crash, a stop rule): resumable.
    Interrupted,
    /// Stopped by the user; items not sent stay not sent.
    Cancelled,
    /// Every item has a final outcome.
    Done,
    /// An undo job ran over it.
    Undone,
}

impl JobState {
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Running => "running",
            JobState::Paused => "paused",
            JobState::Interrupted => "interrupted",
            JobState::Cancelled => "cancelled",
            JobState::Done => "done",
            JobState::Undone => "undone",
        }
    }

    pub fn parse(raw: &str) -> Option<JobState> {
        [
            JobState::Running,
            JobState::Paused,
            JobState::Interrupted,
            JobState::Cancelled,
            JobState::Done,
            JobState::Undone,
        ]
        .into_iter()
        .find(|s| s.as_str() == raw)
    }

    /// True while items may still be sent (by this process or a resume).
    pub fn is_unfinished(self) -> bool {
        matches!(
            self,
            JobState::Running | JobState::Paused | JobState::Interrupted
        )
    }
}

/// What happened to one item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Outcome {
    /// Not sent yet.
    Pending,
    /// Sent, answer not recorded: after a crash the outcome is unknown, so
    /// a resume sends the same body again (a no-op if it had landed).
    InFlight,
    /// The server applied it; its `updated_at` after our change.
    Updated { updated_at: Option<String> },
    /// Already held the target values: nothing to send.
    Unchanged,
    /// Not applied, and sending would not help (an illegal move, a finding
    /// someone else changed since).
    Skipped { reason: String },
    /// Sent and failed.
    Failed {
        reason: String,
        http_status: Option<u16>,
        request_id: Option<String>,
    },
    /// Never sent: the job was cancelled or stopped first.
    NotSent { reason: String },
}

impl Outcome {
    /// The stored name of the variant.
    pub fn kind(&self) -> &'static str {
        match self {
            Outcome::Pending => "pending",
            Outcome::InFlight => "in_flight",
            Outcome::Updated { .. } => "updated",
            Outcome::Unchanged => "unchanged",
            Outcome::Skipped { .. } => "skipped",
            Outcome::Failed { .. } => "failed",
            Outcome::NotSent { .. } => "not_sent",
        }
    }

    /// True when the item still has to be sent.
    pub fn is_open(&self) -> bool {
        matches!(self, Outcome::Pending | Outcome::InFlight)
    }
}

/// A job as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobRecord {
    pub id: JobId,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub profile: String,
    pub scope: Scope,
    pub selection: Selection,
    pub change: Change,
    pub reason: Option<Reason>,
    pub comment: Option<String>,
    /// The job this one undoes.
    pub undo_of: Option<JobId>,
    pub state: JobState,
    /// Why the job stopped, when a stop rule stopped it.
    pub message: Option<String>,
}

/// A job to record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewJob {
    pub profile: String,
    pub scope: Scope,
    pub selection: Selection,
    pub change: Change,
    pub reason: Option<Reason>,
    pub comment: Option<String>,
    pub undo_of: Option<JobId>,
}

/// One finding of a job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// Position in the job, from 0: items are sent in this order.
    pub seq: u32,
    pub finding_id: String,
    pub title: String,
    /// Unknown for a finding that could not be read (not found).
    pub before: Option<Before>,
    /// Exactly what is sent for this item (an undo item has its own).
    pub change: Change,
    pub outcome: Outcome,
}

/// How many items of a job ended each way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub total: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub skipped: usize,
    pub failed: usize,
    pub not_sent: usize,
    /// Pending or in flight.
    pub open: usize,
}

impl Counts {
    /// Counts the outcomes of `items`.
    pub fn of<'a>(outcomes: impl IntoIterator<Item = &'a Outcome>) -> Counts {
        let mut c = Counts::default();
        for o in outcomes {
            c.total += 1;
            match o {
                Outcome::Pending | Outcome::InFlight => c.open += 1,
                Outcome::Updated { .. } => c.updated += 1,
                Outcome::Unchanged => c.unchanged += 1,
                Outcome::Skipped { .. } => c.skipped += 1,
                Outcome::Failed { .. } => c.failed += 1,
                Outcome::NotSent { .. } => c.not_sent += 1,
            }
        }
        c
    }

    /// Items with a final outcome.
    pub fn finished(&self) -> usize {
        self.total - self.open
    }
}

/// A job with its item counts, as `krafter jobs` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobSummary {
    pub job: JobRecord,
    pub counts: Counts,
}

/// One change of one finding, from the journal: the local activity history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    /// When the server applied it (RFC 3339).
    pub at: String,
    pub profile: String,
    pub job_id: JobId,
    pub from: Values,
    pub to: Values,
    pub reason: Option<&'static str>,
    pub comment: Option<String>,
    /// The job this one undid, for undo jobs.
    pub undo_of: Option<JobId>,
}
