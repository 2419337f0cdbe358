//! The remediation loop's state: tasks, regressions, the report, the SLA
//! policy, and the verifications overlay. Each view knows how its data
//! stands ([`Load`]), so a feature the service lacks is said once, in place
//! of the view, instead of failing on every refresh.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::modal::AssignChoice;
use crate::api::model::{Regression, RegressionStatus, ReportSummary, Task, Verification};
use crate::api::paginate::CursorPager;
use crate::engine::people::People;
use crate::engine::sla::SlaHours;

/// How a view's data stands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Load {
    /// Never asked for this session.
    #[default]
    NotAsked,
    /// A request is out (rows already loaded stay shown).
    Loading,
    Loaded,
    /// The last request failed: why, shown in place until the next try.
    Failed(String),
    /// The service answered 404: it does not offer this feature. Said in
    /// place of the view and not asked again this session.
    NotOffered(String),
}

impl Load {
    /// True while a request is out.
    pub fn is_loading(&self) -> bool {
        matches!(self, Load::Loading)
    }

    /// True when the feature was found missing.
    pub fn is_not_offered(&self) -> bool {
        matches!(self, Load::NotOffered(_))
    }

    /// True once asked for and worth asking again on a refresh.
    pub fn refreshable(&self) -> bool {
        !matches!(self, Load::NotAsked | Load::NotOffered(_) | Load::Loading)
    }
}

/// The tasks pane: the project's tasks, newest first, by cursor.
#[derive(Clone, Debug, Default)]
pub struct TasksState {
    pub rows: Vec<Task>,
    /// The status filter (`None`: every status).
    pub status: Option<crate::api::model::TaskStatus>,
    pub pager: CursorPager,
    /// `meta.total` of the current filter.
    pub total: Option<u64>,
    pub generation: u64,
    pub load: Load,
    /// The next page starts the list over (a refresh keeps the old rows
    /// on screen until then).
    pub restart: bool,
    pub cursor: usize,
    pub scroll: usize,
    /// `PATCH /tasks/{id}` answered 404: moving tasks and setting their
    /// ticket and PR are not offered; why, said once.
    pub changes_not_offered: Option<String>,
}

impl TasksState {
    /// The task under the cursor.
    pub fn selected(&self) -> Option<&Task> {
        self.rows.get(self.cursor)
    }

    /// The newest loaded task of a finding that is not done yet.
    pub fn open_task_of(&self, finding_id: &str) -> Option<&Task> {
        self.rows
            .iter()
            .find(|t| t.finding_id == finding_id && t.status != crate::api::model::TaskStatus::Done)
    }

    /// A loaded task by id.
    pub fn task(&self, id: &str) -> Option<&Task> {
        self.rows.iter().find(|t| t.id == id)
    }

    /// True when every page of the filter is loaded.
    pub fn exhausted(&self) -> bool {
        self.pager.is_done()
    }
}

/// Which regressions the regressions pane lists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RegressionFilter {
    #[default]
    Open,
    Closed,
    All,
}

impl RegressionFilter {
    /// Every choice, in the filter menu's order.
    pub const ALL: [RegressionFilter; 3] = [
        RegressionFilter::Open,
        RegressionFilter::Closed,
        RegressionFilter::All,
    ];

    /// Its name on screen.
    pub fn label(self) -> &'static str {
        match self {
            RegressionFilter::Open => "open",
            RegressionFilter::Closed => "closed",
            RegressionFilter::All => "open and closed",
        }
    }

    /// The `status` parameter it asks for.
    pub fn status(self) -> Option<RegressionStatus> {
        match self {
            RegressionFilter::Open => Some(RegressionStatus::Open),
            RegressionFilter::Closed => Some(RegressionStatus::Closed),
            RegressionFilter::All => None,
        }
    }
}

/// Regressions: the open ones (badges and the command center's count,
/// loaded with the command center) and the pane's list.
#[derive(Clone, Debug, Default)]
pub struct RegressionsState {
    /// Open regressions; `None` until known.
    pub open: Option<Vec<Regression>>,
    /// How the open list stands (a 404 turns badges and counts off).
    pub open_load: Load,
    pub rows: Vec<Regression>,
    pub filter: RegressionFilter,
    pub generation: u64,
    pub load: Load,
    pub cursor: usize,
    pub scroll: usize,
}

impl RegressionsState {
    /// The open regression of a finding, for its badge.
    pub fn open_of(&self, finding_id: &str) -> Option<&Regression> {
        self.open
            .as_ref()?
            .iter()
            .find(|r| r.finding_id == finding_id)
    }

    /// How many regressions are open, when known.
    pub fn open_count(&self) -> Option<usize> {
        self.open.as_ref().map(Vec::len)
    }

    /// The regression under the cursor.
    pub fn selected(&self) -> Option<&Regression> {
        self.rows.get(self.cursor)
    }
}

/// The report pane.
#[derive(Clone, Debug, Default)]
pub struct ReportState {
    pub data: Option<ReportSummary>,
    pub generation: u64,
    pub load: Load,
}

/// What the verifications overlay lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VerificationsOf {
    /// A task, with its creation time (its verifications are all newer).
    Task {
        id: String,
        created: Option<DateTime<Utc>>,
    },
    /// A finding, through its newest task.
    Finding(String),
}

/// The verifications overlay: a task's or a finding's runs, with checks.
#[derive(Clone, Debug)]
pub struct VerificationsView {
    pub of: VerificationsOf,
    /// What the title names, e.g. the finding's title (sanitized).
    pub label: String,
    /// The task they belong to, once known.
    pub task: Option<Task>,
    pub rows: Vec<Verification>,
    pub generation: u64,
    pub load: Load,
}

/// A change of a task sent and not yet answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingTaskChange {
    /// The task changed, or the finding whose task is being created.
    pub subject: String,
    /// e.g. "move to in_progress", "set the ticket key".
    pub what: String,
}

/// Everything of the remediation loop.
#[derive(Clone, Debug, Default)]
pub struct RemediationState {
    pub tasks: TasksState,
    pub regressions: RegressionsState,
    pub report: ReportState,
    /// The policy's SLA hours, once the policy is loaded.
    pub sla: Option<SlaHours>,
    /// Why the policy could not be read, when it could not.
    pub policy_error: Option<String>,
    pub verifications: Option<VerificationsView>,
    /// Titles of findings that are not in the list, by id (regressions
    /// name findings that may not be loaded).
    pub titles: HashMap<String, String>,
    /// Task changes in flight, by request id.
    pub pending: HashMap<u64, PendingTaskChange>,
}

impl RemediationState {
    /// The state for another project: everything cleared, generations kept
    /// growing so that late answers for the old project are dropped.
    pub fn for_new_session(&self) -> RemediationState {
        let mut fresh = RemediationState::default();
        fresh.tasks.generation = self.tasks.generation + 1;
        fresh.regressions.generation = self.regressions.generation + 1;
        fresh.report.generation = self.report.generation + 1;
        fresh
    }

    /// True while a change of this task (or a creation for this finding)
    /// is unanswered.
    pub fn is_pending(&self, subject: &str) -> bool {
        self.pending.values().any(|p| p.subject == subject)
    }
}

/// The owners a new task can get: me, the people of the config, nobody.
pub fn task_owner_choices(people: &People) -> Vec<AssignChoice> {
    AssignChoice::all(people)
        .into_iter()
        .filter(|c| *c != AssignChoice::Uuid)
        .collect()
}
