//! Keys and the mouse: the keymap turns a key into an intent in the scope
//! that is live (the panes, or the open dialog), and the intent goes to
//! the feature that owns it.

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::Rect;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::{
    act, alerts, bulk, change, changes, command_center, command_line, detail, errors, groups, list,
    panes, regressions, scan, session, sort, task_change, tasks, verifications, verify, views,
};
use crate::api::model::FindingStatus;
use crate::app::effect::Effect;
use crate::app::keymap::{Intent, Scope, binding};
use crate::app::layout;
use crate::app::state::{AppState, Modal, Pane};

/// Handles one key press.
pub fn on_key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
        return session::request_quit(state, false);
    }
    if matches!(state.modal, Some(Modal::CommandLine { .. })) {
        return command_line::key(state, key);
    }
    if matches!(state.modal, Some(Modal::Help { .. })) {
        return help_key(state, key);
    }
    if state.modal.is_some() {
        return on_dialog_key(state, key);
    }
    if state.findings.filter_input.is_some() {
        return list::text_filter_key(state, key);
    }
    // The list with the focus reads its own keys first (the digits pick
    // a view there; elsewhere they pick a pane).
    if state.pane == Pane::Findings
        && let Some(intent) = state.keymap.intent(Scope::ListViews, &key)
    {
        return on_intent(state, intent);
    }
    match state.keymap.intent(Scope::Panes, &key) {
        Some(intent) => on_intent(state, intent),
        None => Vec::new(),
    }
}

/// Runs one intent of the panes.
pub fn on_intent(state: &mut AppState, intent: Intent) -> Vec<Effect> {
    let mutates = binding(intent).is_some_and(|b| b.mutates);
    if mutates && state.session.read_only {
        state.toast(
            "read-only mode: changes are refused; restart without --read-only (or read_only in the profile) to make them",
            true,
        );
        return Vec::new();
    }
    if mutates && session::refused_while_switching(state) {
        return Vec::new();
    }
    if let Some(effects) = panes::on_intent(state, intent) {
        return effects;
    }
    if let Some(effects) = groups::on_intent(state, intent) {
        return effects;
    }
    match intent {
        Intent::Quit => session::request_quit(state, false),
        Intent::Switch => session::open_switcher(state),
        Intent::Help => {
            state.modal = Some(Modal::Help {
                scroll: 0,
                filter: String::new(),
            });
            Vec::new()
        }
        Intent::NextPane => panes::next(state),
        Intent::PrevPane => panes::previous(state),
        Intent::CommandLine => command_line::open(state, ""),
        Intent::SaveView => command_line::open(state, "save-view "),
        Intent::SortMenu => sort::open_menu(state),
        Intent::CopyId => act::copy_id(state),
        Intent::CopyUrl => act::copy_url(state),
        Intent::OpenBrowser => act::open_browser(state),
        Intent::View1
        | Intent::View2
        | Intent::View3
        | Intent::View4
        | Intent::View5
        | Intent::View6
        | Intent::View7
        | Intent::View8
        | Intent::View9 => match intent.view_slot() {
            Some(slot) if slot < state.views.views.len() => views::switch(state, slot),
            _ => {
                state.toast(
                    format!(
                        "there are {} views; add more with [[views]] in the config or :save-view",
                        state.views.views.len()
                    ),
                    false,
                );
                Vec::new()
            }
        },
        Intent::PaneCommandCenter => panes::show(state, Pane::CommandCenter),
        Intent::PaneFindings => panes::show(state, Pane::Findings),
        Intent::PaneTasks => panes::show(state, Pane::Tasks),
        Intent::PaneRegressions => panes::show(state, Pane::Regressions),
        Intent::PaneReport => panes::show(state, Pane::Report),
        Intent::CreateTask => task_change::open_create(state),
        Intent::Verifications => verifications::open(state),
        Intent::TaskTicket | Intent::TaskPr if state.pane != Pane::Tasks => {
            let key = state.keymap.key_of(Intent::PaneTasks);
            state.toast(
                format!("that key changes a task: go to the tasks pane ({key}) first"),
                false,
            );
            Vec::new()
        }
        Intent::TaskTicket => task_change::open_ticket(state),
        Intent::TaskPr => task_change::open_pr(state),
        Intent::Refresh => command_center::refresh_all(state),
        Intent::Scan => scan::open_prompt(state),
        Intent::Up => step(state, -1),
        Intent::Down => step(state, 1),
        Intent::PageUp => step(state, -(page_height(state) as isize)),
        Intent::PageDown => step(state, page_height(state) as isize),
        Intent::Top => step(state, isize::MIN / 2),
        Intent::Bottom => step(state, isize::MAX / 2),
        Intent::Open => open(state),
        Intent::Back => back(state),
        Intent::TextFilter => list::open_text_filter(state),
        Intent::FilterMenu => list::open_filter_menu(state),
        Intent::ClearFilters => list::clear_filters(state),
        Intent::Sort => list::next_sort(state),
        Intent::Group => groups::cycle(state),
        Intent::Expand => open(state),
        Intent::Collapse => back(state),
        Intent::Mark => list::toggle_mark(state),
        Intent::MarkRange => list::mark_range(state),
        Intent::MarkAllLoaded => list::mark_loaded(state),
        Intent::MarkFilter => list::mark_filter(state),
        Intent::InvertMarks => list::invert_marks(state),
        Intent::ClearMarks => list::clear_marks(state),
        Intent::Triage => change::set_status(state, FindingStatus::Triaged),
        Intent::Start => change::set_status(state, FindingStatus::InProgress),
        Intent::ReadyVerify => change::set_status(state, FindingStatus::ReadyVerify),
        Intent::Reopen => change::set_status(state, FindingStatus::New),
        Intent::Dismiss => change::ask_dismiss(state),
        Intent::Assign => change::open_assign(state),
        Intent::Severity => change::open_severity(state),
        Intent::StatusMenu => change::open_status_menu(state),
        Intent::Verify => verify::start(state),
        Intent::Alerts => alerts::open_list(state),
        Intent::Changes => changes::open(state),
        Intent::Errors => errors::open_view(state),
        // Dialog intents mean nothing on the panes.
        Intent::MenuUp
        | Intent::MenuDown
        | Intent::MenuChoose
        | Intent::MenuCancel
        | Intent::ConfirmYes
        | Intent::PromptSubmit
        | Intent::PromptCancel
        | Intent::BulkStop
        | Intent::BulkPause
        | Intent::BulkRetry
        | Intent::BulkUndo
        | Intent::OverlayClose
        | Intent::PreviewRun
        | Intent::PreviewCancel
        | Intent::ReasonPrev
        | Intent::ReasonNext
        | Intent::HelpUp
        | Intent::HelpDown
        | Intent::ViewUp
        | Intent::ViewDown
        | Intent::ViewPeriod
        | Intent::ViewClose => Vec::new(),
    }
}

/// Moves within the focused pane.
fn step(state: &mut AppState, delta: isize) -> Vec<Effect> {
    match state.pane {
        Pane::CommandCenter => command_center::select(state, delta),
        Pane::Findings => list::move_cursor(state, delta),
        Pane::Detail => detail::scroll(state, delta),
        Pane::Tasks => tasks::move_cursor(state, delta),
        Pane::Regressions => regressions::move_cursor(state, delta),
        Pane::Report => Vec::new(),
    }
}

/// Rows a page key moves in the focused pane.
fn page_height(state: &AppState) -> usize {
    match state.pane {
        Pane::Tasks | Pane::Regressions => tasks::page_height(state),
        _ => list::page_height(state),
    }
}

/// Enter: the detail of the selected finding or top priority, or the
/// finding of the selected task or regression.
fn open(state: &mut AppState) -> Vec<Effect> {
    let id = match state.pane {
        Pane::CommandCenter => state.selected_top_priority(),
        Pane::Findings => state.findings.selected().map(|f| f.id().to_string()),
        Pane::Detail | Pane::Report => None,
        Pane::Tasks => return tasks::open_finding(state),
        Pane::Regressions => return regressions::open_finding(state),
    };
    match id {
        Some(id) => detail::open(state, id),
        None => Vec::new(),
    }
}

/// Esc: dismisses error toasts first, then closes the detail or clears the
/// text filter. Info toasts fade by themselves and do not take the key.
fn back(state: &mut AppState) -> Vec<Effect> {
    if state.toasts.iter().any(|t| t.error) {
        state.toasts.retain(|t| !t.error);
        return Vec::new();
    }
    match state.pane {
        Pane::Detail => detail::close(state),
        Pane::Findings if !state.findings.text_filter.is_empty() => list::clear_text_filter(state),
        _ => Vec::new(),
    }
}

/// A key while a dialog is open. Its scope's keys come from the keymap;
/// esc always closes, so that no rebinding can lock the user in.
fn on_dialog_key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let Some(mut modal) = state.modal.take() else {
        return Vec::new();
    };
    let scope = modal.scope();
    let intent = state.keymap.intent(scope, &key);
    let esc = key.code == KeyCode::Esc;
    match scope {
        Scope::Menu => {
            let count = state.menu_len(&modal);
            match intent {
                Some(Intent::MenuChoose) => return choose(state, modal),
                Some(Intent::MenuCancel) => return Vec::new(),
                _ if esc => return Vec::new(),
                Some(Intent::MenuUp) => {
                    if let Some(selected) = modal.selected_mut() {
                        *selected = selected.saturating_sub(1);
                    }
                }
                Some(Intent::MenuDown) => {
                    if let Some(selected) = modal.selected_mut() {
                        *selected = (*selected + 1).min(count.saturating_sub(1));
                    }
                }
                _ => {}
            }
            state.modal = Some(modal);
            Vec::new()
        }
        Scope::Confirm => confirm(state, modal, intent == Some(Intent::ConfirmYes)),
        Scope::Prompt => match intent {
            Some(Intent::PromptSubmit) => submit(state, modal),
            Some(Intent::PromptCancel) => Vec::new(),
            _ if esc => Vec::new(),
            _ => {
                type_into(&mut modal, key);
                state.modal = Some(modal);
                Vec::new()
            }
        },
        Scope::BulkOverlay => {
            state.modal = Some(modal);
            let mutates = intent.and_then(binding).is_some_and(|b| b.mutates);
            if mutates && state.session.read_only {
                state.toast("read-only mode: changes are refused", true);
                return Vec::new();
            }
            match intent {
                Some(Intent::BulkStop) => bulk::cancel(state),
                Some(Intent::BulkPause) => bulk::toggle_pause(state),
                Some(Intent::BulkRetry) => bulk::retry(state),
                Some(Intent::BulkUndo) => bulk::undo(state),
                Some(Intent::OverlayClose) => bulk::close_overlay(state),
                _ if esc => bulk::close_overlay(state),
                _ => Vec::new(),
            }
        }
        Scope::BulkPreview => {
            state.modal = Some(modal);
            match intent {
                Some(Intent::PreviewRun) => bulk::run(state),
                Some(Intent::PreviewCancel) => bulk::cancel_preview(state),
                _ if esc => bulk::cancel_preview(state),
                Some(Intent::ReasonPrev) => bulk::move_reason(state, -1),
                Some(Intent::ReasonNext) => bulk::move_reason(state, 1),
                _ => bulk::type_comment(state, key),
            }
        }
        Scope::HelpOverlay => {
            if let Modal::Verifications { scroll } = &mut modal {
                match intent {
                    Some(Intent::HelpDown) => *scroll = scroll.saturating_add(1),
                    Some(Intent::HelpUp) => *scroll = scroll.saturating_sub(1),
                    // Any other key closes the help.
                    _ => return Vec::new(),
                }
            }
            state.modal = Some(modal);
            Vec::new()
        }
        Scope::View => view_key(state, modal, intent, esc),
        Scope::Panes | Scope::ListViews => Vec::new(),
    }
}

/// A key in the help: arrows scroll, typing filters it, backspace takes
/// a character back, esc (or the help key on an empty filter) closes.
fn help_key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let Some(Modal::Help {
        mut scroll,
        mut filter,
    }) = state.modal.take()
    else {
        return Vec::new();
    };
    let intent = state.keymap.intent(Scope::HelpOverlay, &key);
    let typed = match key.code {
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => Some(c),
        _ => None,
    };
    match (key.code, typed) {
        (KeyCode::Esc, _) => return Vec::new(),
        (_, Some(c))
            if filter.is_empty()
                && state.keymap.intent(Scope::Panes, &key) == Some(Intent::Help)
                && c != ' ' =>
        {
            return Vec::new();
        }
        (_, Some(c)) => {
            filter.push(c);
            scroll = 0;
        }
        (KeyCode::Backspace, _) => {
            filter.pop();
            scroll = 0;
        }
        _ => match intent {
            Some(Intent::HelpDown) => scroll = scroll.saturating_add(1),
            Some(Intent::HelpUp) => scroll = scroll.saturating_sub(1),
            _ if matches!(key.code, KeyCode::PageDown) => scroll = scroll.saturating_add(10),
            _ if matches!(key.code, KeyCode::PageUp) => scroll = scroll.saturating_sub(10),
            _ => return Vec::new(),
        },
    }
    state.modal = Some(Modal::Help { scroll, filter });
    Vec::new()
}

/// A key in the alerts, changes or errors view: scroll, the next period (changes),
/// close.
fn view_key(
    state: &mut AppState,
    mut modal: Modal,
    intent: Option<Intent>,
    esc: bool,
) -> Vec<Effect> {
    let (Modal::Alerts { scroll } | Modal::Changes { scroll } | Modal::Errors { scroll }) =
        &mut modal
    else {
        return Vec::new();
    };
    match intent {
        Some(Intent::ViewClose) => return Vec::new(),
        _ if esc => return Vec::new(),
        Some(Intent::ViewDown) => *scroll = scroll.saturating_add(1),
        Some(Intent::ViewUp) => *scroll = scroll.saturating_sub(1),
        Some(Intent::ViewPeriod) if matches!(modal, Modal::Changes { .. }) => {
            state.modal = Some(modal);
            return changes::next_period(state);
        }
        _ => {}
    }
    state.modal = Some(modal);
    Vec::new()
}

/// The choice taken in a menu goes to the menu's feature.
fn choose(state: &mut AppState, modal: Modal) -> Vec<Effect> {
    match modal {
        Modal::StatusMenu {
            targets,
            statuses,
            selected,
        } => change::choose_status(state, targets, statuses.get(selected).cloned()),
        Modal::AssignMenu { targets, selected } => {
            change::choose_assignee(state, targets, selected)
        }
        Modal::SeverityMenu { targets, selected } => {
            change::choose_severity(state, targets, selected)
        }
        Modal::FilterFields { selected } => list::choose_filter_field(state, selected),
        Modal::SortMenu { selected } => sort::choose(state, selected),
        Modal::FilterValues { field, selected } => {
            list::choose_filter_value(state, field, selected)
        }
        Modal::Switcher { selected } => session::choose(state, selected),
        Modal::TaskFilterMenu { selected } => tasks::choose_filter(state, selected),
        Modal::RegressionFilterMenu { selected } => regressions::choose_filter(state, selected),
        Modal::TaskStatusMenu {
            task_id,
            targets,
            selected,
        } => task_change::choose_status(state, task_id, targets.get(selected).cloned()),
        Modal::TaskOwnerMenu {
            finding_id,
            selected,
        } => task_change::choose_owner(state, finding_id, selected),
        _ => Vec::new(),
    }
}

/// The answer to a confirmation goes to its feature.
fn confirm(state: &mut AppState, modal: Modal, yes: bool) -> Vec<Effect> {
    match modal {
        Modal::ConfirmDismiss { targets } => change::confirm_dismiss(state, targets, yes),
        Modal::ConfirmResume { job, .. } => bulk::confirm_resume(state, *job, yes),
        Modal::ConfirmQuit => session::confirm_quit(state, yes),
        Modal::ConfirmApprove {
            verification_id,
            finding_id,
        } => verify::confirm(state, verification_id, &finding_id, yes),
        Modal::ConfirmTaskBack { task_id, .. } => task_change::confirm_back(state, task_id, yes),
        _ => Vec::new(),
    }
}

/// What was typed in a prompt goes to its feature.
fn submit(state: &mut AppState, modal: Modal) -> Vec<Effect> {
    match modal {
        Modal::OwnerPrompt { targets, input, .. } => change::submit_owner(state, targets, input),
        Modal::ScanPrompt { input, .. } => scan::submit(state, input),
        Modal::TaskPrompt { field, input, .. } => task_change::submit(state, field, input),
        _ => Vec::new(),
    }
}

/// A key typed into a prompt's field; the owner prompt's complaint goes
/// once the field is emptied.
fn type_into(modal: &mut Modal, key: KeyEvent) {
    let handle = |input: &mut Input| {
        input.handle_event(&Event::Key(key));
    };
    match modal {
        Modal::OwnerPrompt { input, error, .. } => {
            handle(input);
            if input.value().is_empty() {
                *error = None;
            }
        }
        Modal::ScanPrompt { input, .. } => handle(input),
        Modal::TaskPrompt { input, error, .. } => {
            handle(input);
            *error = None;
        }
        _ => {}
    }
}

/// Wheel scrolls; a click on a row selects it.
pub fn on_mouse(state: &mut AppState, mouse: MouseEvent) -> Vec<Effect> {
    if state.modal.is_some() {
        return Vec::new();
    }
    match mouse.kind {
        MouseEventKind::ScrollDown => step(state, 3),
        MouseEventKind::ScrollUp => step(state, -3),
        MouseEventKind::Down(MouseButton::Left) => click(state, mouse),
        _ => Vec::new(),
    }
}

fn click(state: &mut AppState, mouse: MouseEvent) -> Vec<Effect> {
    let screen = layout::screen(Rect::new(0, 0, state.size.0, state.size.1));
    if mouse.row == screen.tabs.y {
        return match layout::tab_at(screen.tabs.width, mouse.column) {
            Some(pane) => panes::show(state, pane),
            None => Vec::new(),
        };
    }
    let panes = layout::panes(screen.main);
    let inside =
        |r: Rect| mouse.row >= r.y && mouse.row < r.y + r.height && mouse.column < r.x + r.width;
    if panes.band.is_some_and(inside) {
        state.pane = Pane::CommandCenter;
        return Vec::new();
    }
    if panes.band.is_some() && state.pane == Pane::CommandCenter {
        state.pane = Pane::Findings;
    }
    if state.pane != Pane::Findings {
        return Vec::new();
    }
    let rows = layout::findings(panes.lower, state.findings.filter_line_shown()).rows;
    if mouse.row < rows.y || mouse.row >= rows.y + rows.height {
        return Vec::new();
    }
    // The row clicked is counted from the first row the screen shows.
    let f = &state.findings;
    let first = layout::first_row(f.cursor, f.scroll, rows.height as usize, f.visible.len());
    let index = first + (mouse.row - rows.y) as usize;
    if index < state.findings.visible.len() {
        let delta = index as isize - state.findings.cursor as isize;
        return list::move_cursor(state, delta);
    }
    Vec::new()
}
