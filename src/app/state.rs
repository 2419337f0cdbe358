//! The one state of the TUI. Everything on screen is derived from it.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use tui_input::Input;

pub use super::bulk::BulkProgress;
pub use super::findings::{FilterMemo, FindingsState, SortKey};
use super::keymap::Keymap;
use super::switch::SwitchTarget;
use crate::api::model::{CommandCenter, Finding, FindingStatus, Scan, ScanStatus, Severity};
use crate::api::ratelimit::BudgetSnapshot;

/// Which pane has the focus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    CommandCenter,
    Findings,
    Detail,
}

/// Where the connection to the service stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Connection {
    /// Nothing answered yet.
    Connecting,
    Online,
    /// The last request could not reach the service.
    Offline,
}

/// What the status bar shows about the session.
#[derive(Clone, Debug, Default)]
pub struct SessionInfo {
    pub base_url: String,
    pub org_id: String,
    pub project_id: String,
    pub profile: String,
    pub me: Option<String>,
    pub read_only: bool,
    pub refresh_interval: Duration,
    pub page_size: u32,
    pub default_scan_url: Option<String>,
    /// People by name, `(name, uuid)`, for the owner column and the assign
    /// menu.
    pub people: Vec<(String, String)>,
}

impl SessionInfo {
    /// How an owner is shown: a name from `[people]`, else the first block
    /// of the UUID.
    pub fn owner_name(&self, id: &str) -> String {
        match self
            .people
            .iter()
            .find(|(_, uuid)| uuid.eq_ignore_ascii_case(id))
        {
            Some((name, _)) => crate::sanitize::sanitize(name).into_owned(),
            None => crate::app::update::short_owner(id),
        }
    }
}

/// The command center pane.
#[derive(Clone, Debug, Default)]
pub struct CommandCenterState {
    pub data: Option<CommandCenter>,
    pub loading: bool,
    pub generation: u64,
    pub updated_at: Option<Instant>,
    /// Selected row of the top priorities.
    pub selected: usize,
}

/// The detail pane of one finding.
#[derive(Clone, Debug, Default)]
pub struct DetailState {
    pub id: String,
    pub finding: Option<Finding>,
    pub loading: bool,
    pub generation: u64,
    pub scroll: u16,
}

/// A server-side filter the filter menu edits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterField {
    Severity,
    Status,
    Domain,
    Owner,
}

/// Choices of the assign menu.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AssignChoice {
    Me,
    /// Someone of `[people]`: name and UUID.
    Person(String, String),
    Uuid,
    Unassigned,
}

/// A dialog over the panes; it takes every key while open.
#[derive(Clone, Debug)]
pub enum Modal {
    Help {
        scroll: u16,
    },
    ConfirmDismiss {
        ids: Vec<String>,
    },
    StatusMenu {
        ids: Vec<String>,
        targets: Vec<FindingStatus>,
        selected: usize,
    },
    AssignMenu {
        ids: Vec<String>,
        selected: usize,
    },
    OwnerPrompt {
        ids: Vec<String>,
        input: Input,
        error: Option<String>,
    },
    SeverityMenu {
        ids: Vec<String>,
        selected: usize,
    },
    FilterFields {
        selected: usize,
    },
    FilterValues {
        field: FilterField,
        selected: usize,
    },
    ScanPrompt {
        input: Input,
        error: Option<String>,
    },
    Bulk,
    /// The profile/project switcher.
    Switcher {
        selected: usize,
    },
    /// Quit asked for while a bulk job runs.
    ConfirmQuit,
    /// A verification passed: approve it, resolving the finding?
    ConfirmApprove {
        verification_id: String,
        finding_id: String,
    },
}

/// How long an info toast stays.
pub const INFO_TOAST_TTL: Duration = Duration::from_secs(4);

/// A message in the corner. Errors stay until dismissed.
#[derive(Clone, Debug, PartialEq)]
pub struct Toast {
    pub text: String,
    pub error: bool,
    pub created: Instant,
}

/// The last error, for the status bar.
#[derive(Clone, Debug, PartialEq)]
pub struct LastError {
    pub message: String,
    pub request_id: Option<String>,
}

/// How long a finished scan's line stays in the status bar.
pub const SCAN_LINE_TTL: Duration = Duration::from_secs(10);

/// A scan started from the TUI.
#[derive(Clone, Debug)]
pub struct ScanProgress {
    pub url: String,
    pub id: Option<String>,
    pub status: ScanStatus,
    pub poll_delay: Duration,
    pub last: Option<Scan>,
    /// When it was asked for, for the polling deadline.
    pub started: Instant,
    /// When it finished (or polling stopped); its line goes after
    /// [`SCAN_LINE_TTL`].
    pub finished_at: Option<Instant>,
}

impl ScanProgress {
    /// A scan of `url` just asked for.
    pub fn new(url: impl Into<String>, now: Instant) -> Self {
        ScanProgress {
            url: url.into(),
            id: None,
            status: ScanStatus::Queued,
            poll_delay: Duration::from_secs(1),
            last: None,
            started: now,
            finished_at: None,
        }
    }

    /// True while its status is still followed.
    pub fn is_followed(&self) -> bool {
        self.finished_at.is_none() && !self.status.is_finished()
    }
}

/// A verification of a finding's fix started from the TUI.
#[derive(Clone, Debug)]
pub struct VerifyProgress {
    pub finding_id: String,
    /// Known once the service accepted the run.
    pub id: Option<String>,
    pub poll_delay: Duration,
    pub started: Instant,
    /// `y` was pressed: the approval is on its way.
    pub approving: bool,
}

impl VerifyProgress {
    /// A verification of `finding_id` just asked for.
    pub fn new(finding_id: impl Into<String>, now: Instant) -> Self {
        VerifyProgress {
            finding_id: finding_id.into(),
            id: None,
            poll_delay: Duration::from_secs(1),
            started: now,
            approving: false,
        }
    }
}

/// A change sent but not yet confirmed: the row as it was, to revert to.
#[derive(Clone, Debug)]
pub struct PendingPatch {
    pub finding_id: String,
    pub before: Option<Finding>,
    pub what: String,
}

/// A switch chosen in the switcher whose client is still being built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingSwitch {
    pub target: SwitchTarget,
    /// Tags the answer, so that only the switch asked for last lands.
    pub generation: u64,
}

/// The whole state of the TUI.
#[derive(Clone, Debug)]
pub struct AppState {
    pub session: SessionInfo,
    pub pane: Pane,
    pub command_center: CommandCenterState,
    pub findings: FindingsState,
    pub detail: Option<DetailState>,
    pub modal: Option<Modal>,
    pub toasts: Vec<Toast>,
    pub connection: Connection,
    pub budget: BudgetSnapshot,
    pub last_error: Option<LastError>,
    pub scan: Option<ScanProgress>,
    /// The verification started with `V`, while it runs or awaits approval.
    pub verify: Option<VerifyProgress>,
    pub bulk: Option<BulkProgress>,
    pub pending: HashMap<u64, PendingPatch>,
    /// Requests the worker is running, for the spinner.
    pub in_flight: usize,
    pub spinner: usize,
    pub next_request: u64,
    pub keymap: Keymap,
    pub theme: crate::ui::theme::Theme,
    /// Terminal size (columns, rows), for paging and mouse clicks.
    pub size: (u16, u16),
    /// Pane to go back to when the detail closes.
    pub detail_return: Pane,
    /// Monotonic time of the last tick, for ages of toasts and refreshes.
    pub now: Instant,
    /// Wall time of the last tick, for ages of findings.
    pub wall: DateTime<Utc>,
    pub quit: bool,
    /// What the switcher offers (profiles, or the demo's projects).
    pub targets: Vec<SwitchTarget>,
    /// The switch being opened: changes wait until it lands, since they
    /// would go to the old project.
    pub switching: Option<PendingSwitch>,
    /// Quit once the cancelled bulk job has answered.
    pub quit_after_bulk: bool,
    /// Printed after the terminal is restored (what a bulk job left undone).
    pub exit_report: Option<String>,
}

impl AppState {
    /// A fresh state for a session.
    pub fn new(session: SessionInfo, keymap: Keymap, now: Instant, wall: DateTime<Utc>) -> Self {
        AppState {
            session,
            pane: Pane::CommandCenter,
            command_center: CommandCenterState::default(),
            findings: FindingsState::default(),
            detail: None,
            modal: None,
            toasts: Vec::new(),
            connection: Connection::Connecting,
            budget: BudgetSnapshot::default(),
            last_error: None,
            scan: None,
            verify: None,
            bulk: None,
            pending: HashMap::new(),
            in_flight: 0,
            spinner: 0,
            next_request: 1,
            keymap,
            theme: crate::ui::theme::Theme::default(),
            size: (80, 24),
            detail_return: Pane::Findings,
            now,
            wall,
            quit: false,
            targets: Vec::new(),
            switching: None,
            quit_after_bulk: false,
            exit_report: None,
        }
    }

    /// A new request id.
    pub fn request_id(&mut self) -> u64 {
        let id = self.next_request;
        self.next_request += 1;
        id
    }

    /// Finds a loaded finding by id, in the list or the detail.
    pub fn finding(&self, id: &str) -> Option<&Finding> {
        self.findings.rows.iter().find(|f| f.id == id).or_else(|| {
            self.detail
                .as_ref()?
                .finding
                .as_ref()
                .filter(|f| f.id == id)
        })
    }

    /// Adds an info toast (fades) or an error toast (stays).
    pub fn toast(&mut self, text: impl Into<String>, error: bool) {
        self.toasts.push(Toast {
            text: text.into(),
            error,
            created: self.now,
        });
        // Keep the corner readable.
        if self.toasts.len() > 4 {
            self.toasts.remove(0);
        }
    }
}

/// Severities offered by menus, most severe first.
pub fn severity_choices() -> &'static [Severity] {
    Severity::KNOWN
}
