//! Dialogs over the panes, and the choices they offer.

use tui_input::Input;

use crate::api::model::{Domain, FindingStatus, Severity, TaskStatus};
use crate::app::keymap::Scope;
use crate::engine::people::People;
use crate::journal::JobRecord;

/// A server-side filter the filter menu edits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterField {
    Severity,
    Status,
    Domain,
    Owner,
}

/// The filter menu's fields, in order.
pub const FILTER_FIELDS: [FilterField; 4] = [
    FilterField::Severity,
    FilterField::Status,
    FilterField::Domain,
    FilterField::Owner,
];

impl FilterField {
    /// Its name in the menu.
    pub fn label(self) -> &'static str {
        match self {
            FilterField::Severity => "severity",
            FilterField::Status => "status",
            FilterField::Domain => "domain",
            FilterField::Owner => "owner",
        }
    }

    /// The values it offers; the first one clears the filter. The owner
    /// field offers `me`, `unassigned`, then the people by name.
    pub fn values(self, people: &People) -> Vec<String> {
        let mut values = vec!["(any)".to_string()];
        match self {
            FilterField::Severity => values.extend(Severity::KNOWN.iter().map(ToString::to_string)),
            FilterField::Status => {
                values.extend(FindingStatus::KNOWN.iter().map(ToString::to_string))
            }
            FilterField::Domain => values.extend(Domain::KNOWN.iter().map(ToString::to_string)),
            FilterField::Owner => {
                values.extend(["me".to_string(), "unassigned".to_string()]);
                values.extend(people.iter().map(|(name, _)| name.to_string()));
            }
        }
        values
    }
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

impl AssignChoice {
    /// The assign menu's choices, in order: me, the people of the config,
    /// a typed UUID, nobody.
    pub fn all(people: &People) -> Vec<AssignChoice> {
        let mut out = vec![AssignChoice::Me];
        out.extend(
            people
                .iter()
                .map(|(name, id)| AssignChoice::Person(name.to_string(), id.to_string())),
        );
        out.extend([AssignChoice::Uuid, AssignChoice::Unassigned]);
        out
    }
}

/// Which findings a change in a menu applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChangeTargets {
    /// One finding: the cursor's, the detail's or a top priority.
    One(String),
    /// Every marked finding (read when the change is applied).
    Marked,
}

/// A dialog over the panes; it takes every key while open.
#[derive(Clone, Debug)]
pub enum Modal {
    Help {
        scroll: u16,
        /// What was typed: only the keys whose description or key holds it.
        filter: String,
    },
    /// Secondary sort keys: choosing one adds it, or drops it.
    SortMenu {
        selected: usize,
    },
    /// The `:` command line.
    CommandLine {
        input: Input,
        /// Which history entry up/down show (0: the newest); `None` while
        /// typing.
        history_at: Option<usize>,
        /// The completions tab offered last, shown under the line.
        completions: Vec<String>,
    },
    ConfirmDismiss {
        targets: ChangeTargets,
    },
    StatusMenu {
        targets: ChangeTargets,
        statuses: Vec<FindingStatus>,
        selected: usize,
    },
    AssignMenu {
        targets: ChangeTargets,
        selected: usize,
    },
    OwnerPrompt {
        targets: ChangeTargets,
        input: Input,
        error: Option<String>,
    },
    SeverityMenu {
        targets: ChangeTargets,
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
    /// The bulk job's overlay: reading, progress, report.
    Bulk,
    /// What a bulk change will do, before anything is sent.
    BulkPreview,
    /// An unfinished bulk job from an earlier run: resume it?
    ConfirmResume {
        job: Box<JobRecord>,
        left: usize,
    },
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
    /// A verification failed: move its task back to `in_progress`?
    ConfirmTaskBack {
        task_id: String,
        finding_id: String,
        /// What is still wrong, `key: before → after` (sanitized on screen).
        still_wrong: Vec<String>,
    },
    /// The tasks pane's status filter.
    TaskFilterMenu {
        selected: usize,
    },
    /// The regressions pane's filter: open, closed, all.
    RegressionFilterMenu {
        selected: usize,
    },
    /// The legal moves of a task.
    TaskStatusMenu {
        task_id: String,
        targets: Vec<TaskStatus>,
        selected: usize,
    },
    /// A new task for a finding: who owns it (then the SLA prompt).
    TaskOwnerMenu {
        finding_id: String,
        selected: usize,
    },
    /// A field of a task typed in.
    TaskPrompt {
        field: TaskField,
        input: Input,
        error: Option<String>,
    },
    /// The verifications of a task or a finding.
    Verifications {
        scroll: u16,
    },
    /// The alerts the auto-refresh raised, newest first.
    Alerts {
        scroll: u16,
    },
    /// The recent errors in full, newest first (`state.errors`).
    Errors {
        scroll: u16,
    },
    /// What changed in a period (`state.changes`).
    Changes {
        scroll: u16,
    },
}

/// What a task prompt sets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TaskField {
    /// The SLA of a task about to be created (empty: the policy's).
    Sla {
        finding_id: String,
        owner: Option<String>,
    },
    /// A task's external ticket key (empty: none).
    Ticket { task_id: String },
    /// A task's pull request URL (empty: none).
    PrUrl { task_id: String },
}

/// The task statuses the tasks filter offers, after "(any)".
pub const TASK_FILTERS: &[TaskStatus] = TaskStatus::KNOWN;

impl Modal {
    /// Which keys are live while this dialog is open.
    pub fn scope(&self) -> Scope {
        match self {
            Modal::Help { .. } => Scope::HelpOverlay,
            Modal::ConfirmDismiss { .. }
            | Modal::ConfirmQuit
            | Modal::ConfirmApprove { .. }
            | Modal::ConfirmResume { .. }
            | Modal::ConfirmTaskBack { .. } => Scope::Confirm,
            Modal::BulkPreview => Scope::BulkPreview,
            Modal::OwnerPrompt { .. }
            | Modal::ScanPrompt { .. }
            | Modal::TaskPrompt { .. }
            | Modal::CommandLine { .. } => Scope::Prompt,
            Modal::Bulk => Scope::BulkOverlay,
            // A list to read: it scrolls like the help, any other key closes.
            Modal::Verifications { .. } => Scope::HelpOverlay,
            Modal::Alerts { .. } | Modal::Changes { .. } | Modal::Errors { .. } => Scope::View,
            Modal::StatusMenu { .. }
            | Modal::AssignMenu { .. }
            | Modal::SeverityMenu { .. }
            | Modal::FilterFields { .. }
            | Modal::FilterValues { .. }
            | Modal::Switcher { .. }
            | Modal::TaskFilterMenu { .. }
            | Modal::RegressionFilterMenu { .. }
            | Modal::TaskStatusMenu { .. }
            | Modal::TaskOwnerMenu { .. }
            | Modal::SortMenu { .. } => Scope::Menu,
        }
    }

    /// True for the views that only show something (the alerts, the
    /// changes): the auto-refresh goes on under them.
    pub fn is_view(&self) -> bool {
        matches!(
            self,
            Modal::Alerts { .. } | Modal::Changes { .. } | Modal::Errors { .. }
        )
    }

    /// The selected row of a menu, for the keys that move it.
    pub fn selected_mut(&mut self) -> Option<&mut usize> {
        match self {
            Modal::StatusMenu { selected, .. }
            | Modal::AssignMenu { selected, .. }
            | Modal::SeverityMenu { selected, .. }
            | Modal::FilterFields { selected }
            | Modal::SortMenu { selected }
            | Modal::FilterValues { selected, .. }
            | Modal::Switcher { selected }
            | Modal::TaskFilterMenu { selected }
            | Modal::RegressionFilterMenu { selected }
            | Modal::TaskStatusMenu { selected, .. }
            | Modal::TaskOwnerMenu { selected, .. } => Some(selected),
            _ => None,
        }
    }
}
