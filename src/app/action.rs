//! Everything that can change the state: user input and API results alike.

use std::time::Instant;

use chrono::{DateTime, Utc};
use crossterm::event::{KeyEvent, MouseEvent};

use crate::api::ApiError;
use crate::api::Page;
use crate::api::model::{
    CommandCenter, Finding, Policy, Regression, ReportSummary, Scan, Task, Verification,
};
use crate::api::ratelimit::BudgetSnapshot;
use crate::api::remediation::{Approval, ApprovalError};
use crate::app::switch::{SessionChange, SwitchTarget};
use crate::engine::bulk::{Event, Preview};
use crate::engine::changes::ChangeReport;
use crate::engine::watch::Fetched;
use crate::journal::{HistoryEntry, JobId, JobRecord};

/// One input to [`super::update::update`].
#[derive(Clone, Debug)]
pub enum Action {
    /// A key press (releases never get here).
    Key(KeyEvent),
    Mouse(MouseEvent),
    /// The terminal has a new size (columns, rows).
    Resize(u16, u16),
    /// Time passed: spinner frames, toast fading, "updated Ns ago".
    Tick {
        now: Instant,
        wall: DateTime<Utc>,
    },
    /// The auto-refresh interval elapsed.
    RefreshDue,
    /// SIGTERM, SIGINT, SIGHUP or another outside request to stop.
    Terminate,
    /// A request of the worker finished; carries the budget it reported.
    Budget(BudgetSnapshot),
    CommandCenterLoaded {
        generation: u64,
        result: Result<CommandCenter, ApiError>,
    },
    /// The auto-refresh's answer: the command center and what the alerts
    /// are computed from.
    Refreshed {
        generation: u64,
        result: Result<Fetched, ApiError>,
    },
    /// The "what changed" view's report.
    ChangesLoaded {
        generation: u64,
        result: Result<ChangeReport, String>,
    },
    FindingsPage {
        generation: u64,
        offset: u64,
        result: Result<Page<Finding>, ApiError>,
    },
    /// The server's answer to a `/` text.
    SearchAnswered {
        seq: u64,
        query: crate::api::model::FindingQuery,
        result: Result<Page<Finding>, ApiError>,
    },
    FindingLoaded {
        generation: u64,
        result: Result<Finding, ApiError>,
    },
    Patched {
        request: u64,
        result: Result<Finding, ApiError>,
    },
    /// The finding read again after its change's answer was lost.
    Rechecked {
        request: u64,
        result: Result<Finding, ApiError>,
    },
    ScanStarted {
        result: Result<Scan, ApiError>,
    },
    /// The backoff wait of a scan poll ended and its request went out.
    PollSent,
    ScanPolled {
        result: Result<Scan, ApiError>,
    },
    VerificationStarted {
        finding_id: String,
        result: Result<Verification, ApiError>,
    },
    VerificationPolled {
        result: Result<Verification, ApiError>,
    },
    /// The approval was applied, or not, or its outcome is unknown (a
    /// failed answer is checked by reading the verification back).
    VerificationApproved {
        result: Result<Approval, ApprovalError>,
    },
    /// A bulk change's findings are being read.
    BulkRead {
        request: u64,
        read: u64,
        total: Option<u64>,
    },
    /// The bulk change is read and previewed (or could not be).
    BulkPlanned {
        request: u64,
        result: Result<Box<Preview>, String>,
    },
    /// The job is recorded and running (or could not start).
    BulkStarted {
        request: u64,
        result: Result<JobId, String>,
    },
    /// The running job says something: progress, an item, a pause, its end.
    BulkEvent {
        job: JobId,
        event: Box<Event>,
    },
    /// The journal holds (or not) an unfinished job of this project, with
    /// how many of its findings are left.
    UnfinishedFound {
        result: Result<Option<(Box<JobRecord>, usize)>, String>,
    },
    /// A finding's local history arrived.
    HistoryLoaded {
        generation: u64,
        result: Result<Vec<HistoryEntry>, String>,
    },
    TasksPage {
        generation: u64,
        result: Result<Page<Task>, ApiError>,
    },
    TaskCreated {
        request: u64,
        result: Result<Task, ApiError>,
    },
    TaskPatched {
        request: u64,
        result: Result<Task, ApiError>,
    },
    /// A task's verifications (for a finding: its newest task's, `None`
    /// when it has no task).
    VerificationsLoaded {
        generation: u64,
        result: Result<(Option<Task>, Vec<Verification>), ApiError>,
    },
    RegressionsLoaded {
        generation: u64,
        result: Result<Vec<Regression>, ApiError>,
    },
    ReportLoaded {
        generation: u64,
        result: Result<ReportSummary, ApiError>,
    },
    /// Findings fetched for their titles.
    TitlesLoaded {
        findings: Vec<Finding>,
    },
    /// The open regressions, read along with the command center (no
    /// request of its own to wait for: not counted in flight).
    OpenRegressions {
        result: Result<Vec<Regression>, ApiError>,
    },
    /// The policy, read along with the first command center of a session
    /// (not counted in flight).
    PolicyLoaded {
        result: Result<Policy, ApiError>,
    },
    /// A saved view's count (the server's `total`).
    ViewCounted {
        generation: u64,
        index: usize,
        result: Result<u64, ApiError>,
    },
    /// A view was saved into the config file (its path), or why not.
    ViewSaved {
        view: crate::config::views::ViewSpec,
        result: Result<String, String>,
    },
    /// A link could not be opened in the browser.
    OpenFailed {
        url: String,
        why: String,
    },
    /// The switcher's target is open (or could not be).
    Switched {
        /// The generation of the `Effect::Switch` this answers.
        generation: u64,
        target: SwitchTarget,
        result: Result<SessionChange, String>,
    },
}
