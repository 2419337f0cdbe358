//! The one state of the TUI. Everything on screen is derived from it, by
//! the read-only methods of these types (the renderer calls those, never a
//! reducer).
//!
//! One file per part; this file only gathers them.

mod alerts;
mod app;
mod bulk;
mod changes;
mod compact;
mod findings;
mod groups;
mod marks;
mod modal;
mod progress;
mod regroup;
mod remediation;
mod search;
mod session;
mod sla;
mod view_sync;
mod views;
mod visible;
mod window;

pub use alerts::{AlertsState, MAX_ALERTS};
pub use app::{
    AppState, CommandCenterState, Connection, DetailState, ERRORS_KEPT, FindingRef, INFO_TOAST_TTL,
    LastError, Pane, Toast,
};
pub use bulk::{BulkJob, BulkPhase, PreviewStep};
pub use changes::{ChangesView, DEFAULT_PERIOD, PERIODS};
pub use compact::is_list_row;
pub use findings::{FilterMemo, FindingsState, SortKey};
pub use groups::{Group, GroupBy, Grouping};
pub use marks::{MarkedFilter, Marks};
pub use modal::{
    AssignChoice, ChangeTargets, FILTER_FIELDS, FilterField, Modal, TASK_FILTERS, TaskField,
};
pub use progress::{PendingPatch, PendingSwitch, SCAN_LINE_TTL, ScanProgress, VerifyProgress};
pub use remediation::{
    Load, PendingTaskChange, RegressionFilter, RegressionsState, RemediationState, ReportState,
    TasksState, VerificationsOf, VerificationsView, task_owner_choices,
};
pub use search::{SEARCH_DEBOUNCE, SearchResult, ServerSearch};
pub use session::SessionInfo;
pub use sla::SlaCount;
pub use views::{Column, Remembered, View, ViewCount, ViewsState};
pub use window::{ListWindow, MAX_PAGES_IN_FLIGHT, NOT_LOADED};
