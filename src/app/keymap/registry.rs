//! Every intent the TUI knows, where it applies and its default keys.

/// Something the user can ask for with one key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Intent {
    Quit,
    Help,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Back,
    NextPane,
    Refresh,
    TextFilter,
    FilterMenu,
    ClearFilters,
    Sort,
    Group,
    Expand,
    Collapse,
    Mark,
    MarkRange,
    MarkAllLoaded,
    MarkFilter,
    InvertMarks,
    ClearMarks,
    Triage,
    Dismiss,
    Assign,
    StatusMenu,
    Start,
    ReadyVerify,
    Reopen,
    Severity,
    Scan,
    Switch,
    Verify,
    Alerts,
    Changes,
    Errors,
    // Panes and the remediation loop.
    PaneCommandCenter,
    PaneFindings,
    PaneTasks,
    PaneRegressions,
    PaneReport,
    CreateTask,
    Verifications,
    TaskTicket,
    TaskPr,
    // Dialogs.
    MenuUp,
    MenuDown,
    MenuChoose,
    MenuCancel,
    ConfirmYes,
    PromptSubmit,
    PromptCancel,
    BulkStop,
    BulkPause,
    BulkRetry,
    BulkUndo,
    OverlayClose,
    PreviewRun,
    PreviewCancel,
    ReasonPrev,
    ReasonNext,
    HelpUp,
    HelpDown,
    ViewUp,
    ViewDown,
    ViewPeriod,
    ViewClose,
    // Saved views, the command line, acting from the list.
    View1,
    View2,
    View3,
    View4,
    View5,
    View6,
    View7,
    View8,
    View9,
    PrevPane,
    CommandLine,
    SaveView,
    SortMenu,
    CopyId,
    CopyUrl,
    OpenBrowser,
}

impl Intent {
    /// The saved view a digit intent switches to (0-based).
    pub fn view_slot(self) -> Option<usize> {
        Some(match self {
            Intent::View1 => 0,
            Intent::View2 => 1,
            Intent::View3 => 2,
            Intent::View4 => 3,
            Intent::View5 => 4,
            Intent::View6 => 5,
            Intent::View7 => 6,
            Intent::View8 => 7,
            Intent::View9 => 8,
            _ => return None,
        })
    }
}

/// Where an intent applies; shown as a heading in the help overlay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    Global,
    Navigation,
    Findings,
    /// Keys the findings list reads before the panes' (the digits).
    ListViews,
    Finding,
    Tasks,
    Menu,
    Confirm,
    Prompt,
    BulkPreview,
    BulkOverlay,
    HelpOverlay,
    View,
}

/// Keys that are live at the same time: a key means one intent per scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    /// The panes: every context but the dialogs.
    Panes,
    /// The findings list with the focus: looked up before `Panes`.
    ListViews,
    Menu,
    Confirm,
    Prompt,
    BulkPreview,
    BulkOverlay,
    HelpOverlay,
    View,
}

impl Context {
    /// Every context, in the order the help overlay lists them.
    pub const ALL: [Context; 13] = [
        Context::Global,
        Context::Navigation,
        Context::Findings,
        Context::ListViews,
        Context::Finding,
        Context::Tasks,
        Context::Menu,
        Context::Confirm,
        Context::Prompt,
        Context::BulkPreview,
        Context::BulkOverlay,
        Context::HelpOverlay,
        Context::View,
    ];

    /// The heading of this context in the help overlay.
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Navigation => "Moving around",
            Context::Findings => "Findings list",
            Context::ListViews => {
                "Findings list with the focus (digits pick a view here; elsewhere 1-5 pick a pane)"
            }
            Context::Finding => "Selected or marked findings",
            Context::Tasks => "Tasks and regressions panes (f, c and V act on tasks there)",
            Context::Menu => "In a menu",
            Context::Confirm => "In a confirmation (any other key cancels)",
            Context::Prompt => "In a text prompt",
            Context::BulkPreview => "In a bulk change's preview (other keys type the comment)",
            Context::BulkOverlay => "In the bulk change overlay",
            Context::HelpOverlay => "In this help or a list overlay (any other key closes)",
            Context::View => "In the alerts, changes and errors views",
        }
    }

    /// The keys this context's intents share.
    pub fn scope(self) -> Scope {
        match self {
            Context::Global
            | Context::Navigation
            | Context::Findings
            | Context::Finding
            | Context::Tasks => Scope::Panes,
            Context::ListViews => Scope::ListViews,
            Context::Menu => Scope::Menu,
            Context::Confirm => Scope::Confirm,
            Context::Prompt => Scope::Prompt,
            Context::BulkPreview => Scope::BulkPreview,
            Context::BulkOverlay => Scope::BulkOverlay,
            Context::HelpOverlay => Scope::HelpOverlay,
            Context::View => Scope::View,
        }
    }
}

/// One entry of the registry.
#[derive(Clone, Copy, Debug)]
pub struct Binding {
    pub intent: Intent,
    /// The id used in the config file's `[keys]` table.
    pub id: &'static str,
    pub context: Context,
    pub defaults: &'static [&'static str],
    pub description: &'static str,
    /// One or two words for the footer, so that it fits at 80 columns.
    pub hint: &'static str,
    /// Changes data on the server: hidden and refused in read-only mode.
    pub mutates: bool,
}

/// An entry that reads nothing on the server.
const fn look(
    intent: Intent,
    id: &'static str,
    context: Context,
    defaults: &'static [&'static str],
    description: &'static str,
    hint: &'static str,
) -> Binding {
    Binding {
        intent,
        id,
        context,
        defaults,
        description,
        hint,
        mutates: false,
    }
}

/// An entry that changes data on the server.
const fn change(
    intent: Intent,
    id: &'static str,
    defaults: &'static [&'static str],
    description: &'static str,
    hint: &'static str,
) -> Binding {
    Binding {
        intent,
        id,
        context: Context::Finding,
        defaults,
        description,
        hint,
        mutates: true,
    }
}

/// Every intent of the TUI, with its default keys. One line per entry, as
/// a table reads best.
#[rustfmt::skip]
pub const REGISTRY: &[Binding] = {
    use Context::*;
    use Intent as I;
    &[
        look(I::Quit, "quit", Global, &["q"], "quit", "quit"),
        look(I::Help, "help", Global, &["?"], "show or hide this help", "help"),
        look(I::NextPane, "next_pane", Global, &["tab"], "switch pane", "pane"),
        look(I::Refresh, "refresh", Global, &["r"], "refresh", "refresh"),
        Binding { mutates: true, ..look(I::Scan, "scan", Global, &["s"], "start a scan", "scan") },
        look(I::Switch, "switch", Global, &["P"], "switch profile or project", "switch"),
        look(I::Alerts, "alerts", Global, &["!"], "the alerts the auto-refresh raised", "alerts"),
        look(I::Changes, "changes", Global, &["C"], "what changed lately: new, fixed, regressed", "changes"),
        look(I::PrevPane, "prev_pane", Global, &["backtab"], "switch to the previous pane", "pane back"),
        look(I::CommandLine, "command_line", Global, &[":"], "command line: view, project, profile, sort, filter, goto, open, mark-filter, help", "command"),
        look(I::Errors, "errors", Global, &["e"], "the recent errors in full: HTTP status, request_id, what to do", "errors"),
        look(I::Up, "up", Navigation, &["k", "up"], "move up", "move"),
        look(I::Down, "down", Navigation, &["j", "down"], "move down", "move"),
        look(I::PageUp, "page_up", Navigation, &["pageup"], "page up", "page up"),
        look(I::PageDown, "page_down", Navigation, &["pagedown"], "page down", "page down"),
        look(I::Top, "top", Navigation, &["g", "home"], "go to the first finding", "top"),
        look(I::Bottom, "bottom", Navigation, &["G", "end"], "go to the last finding (its page loads)", "bottom"),
        look(I::Open, "open", Navigation, &["enter"], "open detail", "open"),
        look(I::Back, "back", Navigation, &["esc"], "back", "back"),
        look(I::TextFilter, "text_filter", Findings, &["/"], "filter loaded rows; searches the server too", "find"),
        look(I::FilterMenu, "filter_menu", Findings, &["f"], "server filters", "filter"),
        look(I::ClearFilters, "clear_filters", Findings, &["x"], "clear all filters", "clear"),
        look(I::Sort, "sort", Findings, &["o"], "change sort order", "sort"),
        look(I::Group, "group", Findings, &["z"], "group rows by check, then by page, then not at all", "group"),
        look(I::Expand, "expand", Findings, &["right"], "open the group (or the detail)", "open"),
        look(I::Collapse, "collapse", Findings, &["left"], "back from a group to the groups", "back"),
        look(I::Mark, "mark", Findings, &["space"], "mark or unmark for a bulk change", "mark"),
        look(I::MarkRange, "mark_range", Findings, &["m"], "mark from the last mark to here", "mark range"),
        look(I::MarkAllLoaded, "mark_loaded", Findings, &["ctrl-a"], "mark every loaded row", "mark loaded"),
        look(I::MarkFilter, "mark_filter", Findings, &["M"], "mark every finding of the server filter, loaded or not", "mark all"),
        look(I::InvertMarks, "invert_marks", Findings, &["I"], "invert the marks of the loaded rows", "invert"),
        look(I::ClearMarks, "clear_marks", Findings, &["U"], "unmark everything", "unmark"),
        change(I::Triage, "triage", &["t"], "triage", "triage"),
        change(I::Dismiss, "dismiss", &["d"], "dismiss (asks to confirm)", "dismiss"),
        change(I::Assign, "assign", &["a"], "assign owner", "assign"),
        change(I::StatusMenu, "status_menu", &["c"], "change status", "status"),
        change(I::Start, "start", &["p"], "start work (in_progress)", "start work"),
        change(I::ReadyVerify, "ready_verify", &["v"], "ready to verify", "ready to verify"),
        change(I::Reopen, "reopen", &["n"], "reopen (new)", "reopen"),
        change(I::Verify, "verify", &["V"], "verify the fix (selected finding); y approves a pass", "verify"),
        change(I::Severity, "severity", &["S"], "override severity", "severity"),
        change(I::CreateTask, "create_task", &["N"], "create a task for the selected finding (owner, then SLA)", "new task"),
        look(I::CopyId, "copy_id", Navigation, &["y"], "copy the finding's id (OSC 52: works over SSH and in tmux)", "copy id"),
        look(I::CopyUrl, "copy_url", Navigation, &["Y"], "copy the finding's affected URL", "copy URL"),
        look(I::OpenBrowser, "open_browser", Navigation, &["O"], "open the finding (web_url) or its URL in the browser; over SSH, copy the link", "browser"),
        look(I::SortMenu, "sort_menu", Findings, &["ctrl-o"], "then sort by: add or drop a secondary sort key", "sort by"),
        look(I::SaveView, "save_view", Findings, &["W"], "save the list's filters and sort as a view in the config file", "save view"),
        look(I::View1, "view_1", ListViews, &["1"], "show saved view 1 (the tabs above the list)", "view"),
        look(I::View2, "view_2", ListViews, &["2"], "show saved view 2", "view"),
        look(I::View3, "view_3", ListViews, &["3"], "show saved view 3", "view"),
        look(I::View4, "view_4", ListViews, &["4"], "show saved view 4", "view"),
        look(I::View5, "view_5", ListViews, &["5"], "show saved view 5", "view"),
        look(I::View6, "view_6", ListViews, &["6"], "show saved view 6", "view"),
        look(I::View7, "view_7", ListViews, &["7"], "show saved view 7", "view"),
        look(I::View8, "view_8", ListViews, &["8"], "show saved view 8", "view"),
        look(I::View9, "view_9", ListViews, &["9"], "show saved view 9", "view"),
        look(I::Verifications, "verifications", Navigation, &["i"], "verifications of the selected task or finding: checks before → after", "checks"),
        look(I::PaneCommandCenter, "pane_command_center", Global, &["1"], "show the command center (in the list: tab/shift-tab)", "center"),
        look(I::PaneFindings, "pane_findings", Global, &["2"], "show the findings", "findings"),
        look(I::PaneTasks, "pane_tasks", Global, &["3"], "show the tasks", "tasks"),
        look(I::PaneRegressions, "pane_regressions", Global, &["4"], "show the regressions", "regressions"),
        look(I::PaneReport, "pane_report", Global, &["5"], "show the report (risk burn-down)", "report"),
        Binding { context: Tasks, ..change(I::TaskTicket, "task_ticket", &["K"], "set the selected task's ticket key", "ticket") },
        Binding { context: Tasks, ..change(I::TaskPr, "task_pr", &["L"], "set the selected task's PR URL (its link)", "PR URL") },
        look(I::MenuUp, "menu_up", Menu, &["up", "k"], "previous choice", "choose"),
        look(I::MenuDown, "menu_down", Menu, &["down", "j"], "next choice", "choose"),
        look(I::MenuChoose, "menu_choose", Menu, &["enter"], "take the choice", "confirm"),
        look(I::MenuCancel, "menu_cancel", Menu, &["esc", "q"], "close the menu", "cancel"),
        look(I::ConfirmYes, "confirm_yes", Confirm, &["y"], "yes (in either case)", "yes"),
        look(I::PromptSubmit, "prompt_submit", Prompt, &["enter"], "send what was typed", "send"),
        look(I::PromptCancel, "prompt_cancel", Prompt, &["esc"], "close without sending", "cancel"),
        look(I::BulkStop, "bulk_stop", BulkOverlay, &["c"], "cancel: stop sending the rest", "cancel"),
        look(I::BulkPause, "bulk_pause", BulkOverlay, &["p"], "pause or resume sending", "pause"),
        Binding { mutates: true, ..look(I::BulkRetry, "bulk_retry", BulkOverlay, &["r"], "retry the failed ones (previewed first)", "retry failed") },
        Binding { mutates: true, ..look(I::BulkUndo, "bulk_undo", BulkOverlay, &["u"], "undo the job (previewed first)", "undo") },
        look(I::PreviewRun, "preview_run", BulkPreview, &["enter"], "send the change", "send"),
        look(I::PreviewCancel, "preview_cancel", BulkPreview, &["esc"], "send nothing", "cancel"),
        look(I::ReasonPrev, "reason_up", BulkPreview, &["up"], "previous reason", "reason"),
        look(I::ReasonNext, "reason_down", BulkPreview, &["down"], "next reason", "reason"),
        look(I::OverlayClose, "overlay_close", BulkOverlay, &["esc", "enter", "q"], "hide (a running change keeps going)", "hide"),
        look(I::HelpUp, "help_up", HelpOverlay, &["up", "k"], "scroll up", "scroll"),
        look(I::HelpDown, "help_down", HelpOverlay, &["down", "j"], "scroll down", "scroll"),
        look(I::ViewUp, "view_up", View, &["up", "k"], "scroll up", "scroll"),
        look(I::ViewDown, "view_down", View, &["down", "j"], "scroll down", "scroll"),
        look(I::ViewPeriod, "view_period", View, &["p"], "changes: the next period (1 h, 8 h, 24 h, 7 days)", "period"),
        look(I::ViewClose, "view_close", View, &["esc", "q"], "close the view", "close"),
    ]
};

/// The registry entry of an intent.
pub fn binding(intent: Intent) -> Option<&'static Binding> {
    REGISTRY.iter().find(|b| b.intent == intent)
}

/// The registry entry with this `[keys]` id.
pub fn binding_by_id(id: &str) -> Option<&'static Binding> {
    REGISTRY.iter().find(|b| b.id == id)
}
