//! The state of the whole TUI, and what is derived from it.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::alerts::AlertsState;
use super::bulk::BulkJob;
use super::changes::ChangesView;
use super::findings::FindingsState;
use super::marks::Marks;
use super::modal::{AssignChoice, ChangeTargets, Modal};
use super::progress::{PendingPatch, PendingSwitch, ScanProgress, VerifyProgress};
use super::remediation::{RemediationState, task_owner_choices};
use super::session::SessionInfo;
use super::views::{Remembered, ViewsState};
use crate::api::model::{
    CommandCenter, Finding, FindingPatch, FindingRow, FindingStatus, IdKey, Severity,
};
use crate::api::ratelimit::BudgetSnapshot;
use crate::api::transitions::finding_move_refusal;
use crate::app::keymap::Keymap;
use crate::app::switch::{SessionChange, SwitchTarget};
use crate::config::{KeyOverride, UiSettings};
use crate::journal::HistoryEntry;
use crate::sanitize::sanitize;

/// A finding the TUI holds: a list row, or the whole finding the detail
/// fetched.
#[derive(Clone, Copy, Debug)]
pub enum FindingRef<'a> {
    Row(&'a FindingRow),
    Whole(&'a Finding),
}

impl<'a> FindingRef<'a> {
    pub fn title(self) -> &'a str {
        match self {
            FindingRef::Row(r) => r.title(),
            FindingRef::Whole(f) => &f.title,
        }
    }

    pub fn status(self) -> &'a FindingStatus {
        match self {
            FindingRef::Row(r) => r.status(),
            FindingRef::Whole(f) => &f.status,
        }
    }

    pub fn severity(self) -> &'a Severity {
        match self {
            FindingRef::Row(r) => r.severity(),
            FindingRef::Whole(f) => &f.severity,
        }
    }

    /// The first affected URL, if any.
    pub fn primary_url(self) -> Option<&'a str> {
        match self {
            FindingRef::Row(r) => r.primary_url(),
            FindingRef::Whole(f) => f.primary_url(),
        }
    }

    pub fn id(self) -> String {
        match self {
            FindingRef::Row(r) => r.id().to_string(),
            FindingRef::Whole(f) => f.id.clone(),
        }
    }

    /// The finding, as far as it is known (a row's has no description,
    /// evidence or fix).
    pub fn whole(self) -> Finding {
        match self {
            FindingRef::Row(r) => r.to_finding(),
            FindingRef::Whole(f) => f.clone(),
        }
    }
}

/// Which pane has the focus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pane {
    CommandCenter,
    Findings,
    Detail,
    Tasks,
    Regressions,
    Report,
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
    /// Its local history (changes made through krafter on this machine),
    /// once read from the journal; an error says why it could not be.
    pub history: Option<Result<Vec<HistoryEntry>, String>>,
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

/// How many recent errors the errors view keeps.
pub const ERRORS_KEPT: usize = 20;

/// An error as the user may need to quote it: the status bar shows the
/// newest, the errors view (`e`) each in full.
#[derive(Clone, Debug, PartialEq)]
pub struct LastError {
    /// Wall time it happened.
    pub at: DateTime<Utc>,
    /// The HTTP status, when the server answered.
    pub status: Option<u16>,
    /// A short text: the server's words when it sent some.
    pub short: String,
    /// The full text, without the advice.
    pub message: String,
    /// The server's request id, when it sent one.
    pub request_id: Option<String>,
    /// What to do about it.
    pub hint: Option<String>,
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
    /// The recent errors, oldest first, at most [`ERRORS_KEPT`]; kept
    /// across switches so that they can still be quoted.
    pub errors: Vec<LastError>,
    pub scan: Option<ScanProgress>,
    /// The verification started with `V`, while it runs or awaits approval.
    pub verify: Option<VerifyProgress>,
    /// The bulk change being read, previewed, run or reported.
    pub bulk: Option<BulkJob>,
    /// The marks of the other projects of the session, by project.
    pub saved_marks: HashMap<String, Marks>,
    /// Tasks, regressions, the report, the SLA policy, verifications.
    pub remediation: RemediationState,
    pub pending: HashMap<u64, PendingPatch>,
    /// Requests the worker is running, for the spinner.
    pub in_flight: usize,
    pub spinner: usize,
    pub next_request: u64,
    pub keymap: Keymap,
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
    /// The auto-refresh's alerts, outage and schedule.
    pub alerts: AlertsState,
    /// The "what changed" view, once opened.
    pub changes: Option<ChangesView>,
    /// The saved views of the findings list, with their counts.
    pub views: ViewsState,
    /// The last view and list position of each project, by
    /// [`AppState::remember_key`] (kept across restarts by the runtime).
    pub remembered: HashMap<String, Remembered>,
    /// The command line's history, oldest first.
    pub command_history: Vec<String>,
}

impl AppState {
    /// The state a session opens with. Problems found on the way (config
    /// warnings, refused key overrides) become error toasts, so they are
    /// seen and stay until read.
    pub fn open(change: SessionChange, ui: &UiSettings, keys: &[KeyOverride]) -> AppState {
        let session = SessionInfo {
            base_url: change.base_url,
            org_id: change.org_id,
            project_id: change.project_id,
            profile: change.profile,
            people: change.people,
            read_only: change.read_only,
            refresh_interval: ui.refresh_interval,
            page_size: ui.page_size,
            default_scan_url: ui.default_scan_url.clone(),
            allow_private_targets: change.allow_private_targets,
            web_url: change.web_url,
            over_ssh: false,
            config_file: None,
            state_dir: None,
        };
        let mut state = AppState::for_session(session, keys, change.warnings);
        state.alerts = AlertsState::new(ui.alerts.clone());
        state.views = ViewsState::new(if change.views.is_empty() {
            ui.views.clone()
        } else {
            change.views
        });
        state
    }

    /// The state of `session` with the keymap of `keys`; `warnings` and the
    /// keymap's own become error toasts.
    pub fn for_session(
        session: SessionInfo,
        keys: &[KeyOverride],
        warnings: Vec<String>,
    ) -> AppState {
        let (keymap, key_warnings) = Keymap::new(keys);
        let mut state = AppState::new(session, keymap, Instant::now(), Utc::now());
        for warning in warnings.into_iter().chain(key_warnings) {
            state.toast(warning, true);
        }
        state
    }

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
            errors: Vec::new(),
            scan: None,
            verify: None,
            bulk: None,
            saved_marks: HashMap::new(),
            remediation: RemediationState::default(),
            pending: HashMap::new(),
            in_flight: 0,
            spinner: 0,
            next_request: 1,
            keymap,
            size: (80, 24),
            detail_return: Pane::Findings,
            now,
            wall,
            quit: false,
            targets: Vec::new(),
            switching: None,
            quit_after_bulk: false,
            exit_report: None,
            alerts: AlertsState::new(crate::config::AlertSettings::default()),
            changes: None,
            views: ViewsState::new(crate::config::views::builtin()),
            remembered: HashMap::new(),
            command_history: Vec::new(),
        }
    }

    /// A new request id.
    pub fn request_id(&mut self) -> u64 {
        let id = self.next_request;
        self.next_request += 1;
        id
    }

    /// Finds a loaded finding by id, in the list (its row) or the detail.
    pub fn finding(&self, id: &str) -> Option<FindingRef<'_>> {
        self.list_row(id).map(FindingRef::Row).or_else(|| {
            self.detail
                .as_ref()?
                .finding
                .as_ref()
                .filter(|f| f.id == id)
                .map(FindingRef::Whole)
        })
    }

    /// The list's row of a finding, when loaded.
    pub fn list_row(&self, id: &str) -> Option<&FindingRow> {
        let key = IdKey::new(id);
        self.findings.rows.iter().find(|r| r.has_id(&key))
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

    /// True while a bulk job is recorded and may still send.
    pub fn bulk_running(&self) -> bool {
        self.bulk.as_ref().is_some_and(BulkJob::is_sending)
    }

    /// True when a switch of this generation is the one awaited: the
    /// runtime installs its client only then.
    pub fn awaits_switch(&self, generation: u64) -> bool {
        self.switching
            .as_ref()
            .is_some_and(|p| p.generation == generation)
    }

    /// The assign menu's choices.
    pub fn assign_choices(&self) -> Vec<AssignChoice> {
        AssignChoice::all(&self.session.people)
    }

    /// How many choices the menu `modal` offers (0 for other dialogs).
    pub fn menu_len(&self, modal: &Modal) -> usize {
        match modal {
            Modal::StatusMenu { statuses, .. } => statuses.len(),
            Modal::AssignMenu { .. } => self.assign_choices().len(),
            Modal::Switcher { .. } => self.targets.len(),
            Modal::SeverityMenu { .. } => crate::api::model::Severity::KNOWN.len(),
            Modal::FilterFields { .. } => super::modal::FILTER_FIELDS.len(),
            Modal::SortMenu { .. } => crate::config::views::SORT_KEYS.len(),
            Modal::FilterValues { field, .. } => field.values(&self.session.people).len(),
            Modal::TaskFilterMenu { .. } => super::modal::TASK_FILTERS.len() + 1,
            Modal::RegressionFilterMenu { .. } => super::remediation::RegressionFilter::ALL.len(),
            Modal::TaskStatusMenu { targets, .. } => targets.len(),
            Modal::TaskOwnerMenu { .. } => task_owner_choices(&self.session.people).len(),
            _ => 0,
        }
    }

    /// What a change applies to: the marked findings when the list has
    /// the focus and marks, else the one under the cursor (or shown in the
    /// detail, or selected in the command center).
    pub fn change_targets(&self) -> Option<ChangeTargets> {
        match self.pane {
            Pane::Findings if !self.findings.marks.is_empty() => Some(ChangeTargets::Marked),
            Pane::Findings => self
                .findings
                .selected()
                .map(|f| ChangeTargets::One(f.id().to_string())),
            Pane::Detail => self
                .detail
                .as_ref()
                .map(|d| ChangeTargets::One(d.id.clone())),
            Pane::CommandCenter => self.selected_top_priority().map(ChangeTargets::One),
            // The tasks pane changes tasks, not findings; a regression
            // names its finding.
            Pane::Tasks | Pane::Report => None,
            Pane::Regressions => self
                .remediation
                .regressions
                .selected()
                .map(|r| ChangeTargets::One(r.finding_id.clone())),
        }
    }

    /// How many findings `targets` are.
    pub fn target_count(&self, targets: &ChangeTargets) -> u64 {
        match targets {
            ChangeTargets::One(_) => 1,
            ChangeTargets::Marked => self.findings.marks.count(),
        }
    }

    /// The key that keeps a project's marks apart from another's.
    pub fn project_key(&self) -> String {
        let s = &self.session;
        format!("{} {} {}", s.base_url, s.org_id, s.project_id)
    }

    /// The key under which a project's last view and position are
    /// remembered: the profile and the project.
    pub fn remember_key(&self) -> String {
        format!("{} {}", self.session.profile, self.project_key())
    }

    /// The finding the list or the detail shows (for copying, opening).
    pub fn focused_finding(&self) -> Option<FindingRef<'_>> {
        match self.pane {
            Pane::Detail => self
                .detail
                .as_ref()?
                .finding
                .as_ref()
                .map(FindingRef::Whole),
            Pane::Findings => self.findings.selected().map(FindingRef::Row),
            _ => None,
        }
    }

    /// The id of the top priority selected in the command center.
    pub fn selected_top_priority(&self) -> Option<String> {
        let cc = &self.command_center;
        let top = cc.data.as_ref()?.top_priorities.get(cc.selected)?;
        Some(top.id.clone())
    }

    /// The status of a finding as far as the TUI knows it.
    pub fn status_of(&self, id: &str) -> Option<FindingStatus> {
        self.finding(id).map(|f| f.status().clone()).or_else(|| {
            let top = self.command_center.data.as_ref()?.top_priorities.iter();
            top.clone().find(|t| t.id == id).map(|t| t.status.clone())
        })
    }

    /// A short name for a finding in messages: its title in quotes, or
    /// its id.
    pub fn label(&self, id: &str) -> String {
        match self.finding(id) {
            Some(f) if !f.title().is_empty() => format!("“{}”", sanitize(f.title())),
            _ => match self.title_of(id) {
                Some(title) => format!("“{title}”"),
                None => sanitize(id).into_owned(),
            },
        }
    }

    /// A finding's title (sanitized) from wherever the TUI has it: the list,
    /// the detail, the top priorities, or the titles fetched for other panes.
    pub fn title_of(&self, id: &str) -> Option<String> {
        let title = self
            .finding(id)
            .map(|f| f.title())
            .or_else(|| {
                let top = self.command_center.data.as_ref()?.top_priorities.iter();
                top.clone().find(|t| t.id == id).map(|t| t.title.as_str())
            })
            .or_else(|| self.remediation.titles.get(id).map(String::as_str))
            .filter(|t| !t.is_empty())?;
        Some(sanitize(title).into_owned())
    }

    /// Why a change is refused before sending, if it is: a status move the
    /// lifecycle does not allow from the finding's status.
    pub fn refusal(&self, id: &str, patch: &FindingPatch) -> Option<String> {
        let to = patch.status.as_ref()?;
        finding_move_refusal(&self.status_of(id)?, to)
    }

    /// True when a change to this finding is still unanswered.
    pub fn is_pending(&self, id: &str) -> bool {
        self.pending.values().any(|p| p.finding_id == id)
    }

    /// True when `target` is what the session is on now.
    pub fn is_active(&self, target: &SwitchTarget) -> bool {
        self.session.is_on(target)
    }

    /// Changes a finding wherever it is shown: list row, detail, top
    /// priorities; the list's order follows.
    pub fn change_finding(&mut self, id: &str, change: impl Fn(&mut Finding)) {
        let mut retitled = false;
        let key = IdKey::new(id);
        let list = &mut self.findings;
        for row in list.rows.iter_mut().filter(|f| f.has_id(&key)) {
            // The row is rebuilt from its finding, changed.
            let mut f = row.to_finding();
            change(&mut f);
            let changed = FindingRow::new(f, &mut list.strings);
            retitled |= changed.title() != row.title();
            *row = changed;
        }
        if retitled {
            // The filter's remembered matches were scored on the old title.
            self.findings.filter_memo = None;
        }
        if let Some(f) = self
            .detail
            .as_mut()
            .and_then(|d| d.finding.as_mut())
            .filter(|f| f.id == id)
        {
            change(f);
        }
        if let Some(cc) = self.command_center.data.as_mut() {
            for top in cc.top_priorities.iter_mut().filter(|t| t.id == id) {
                let mut f = Finding {
                    status: top.status.clone(),
                    severity: top.severity.clone(),
                    ..Finding::default()
                };
                change(&mut f);
                top.status = f.status;
                top.severity = f.severity;
            }
        }
        self.findings.recompute_visible();
    }

    /// Puts a finding back as it was, or as the server sent it (the list
    /// keeps its compact row of it; the detail the whole finding).
    pub fn replace_finding(&mut self, id: &str, finding: &Finding) {
        self.change_finding(id, |f| *f = finding.clone());
    }
}
