//! Keys and mouse: the keymap turns a key into a command; commands change
//! the state of the focused pane.

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::Rect;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::{change, list, modal, results, session};
use crate::api::model::FindingStatus;
use crate::app::effect::Effect;
use crate::app::keymap::{Command, binding};
use crate::app::state::{AppState, DetailState, Modal, Pane};
use crate::ui::layout;

/// Handles one key press.
pub fn on_key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
        return session::request_quit(state, false);
    }
    if state.modal.is_some() {
        return modal::on_key(state, key);
    }
    if state.findings.filter_input.is_some() {
        return text_filter_key(state, key);
    }
    match state.keymap.command(&key) {
        Some(command) => on_command(state, command),
        None => Vec::new(),
    }
}

/// Typing in the `/` prompt: the filter applies at every keystroke.
fn text_filter_key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let f = &mut state.findings;
    match key.code {
        KeyCode::Esc => {
            f.filter_input = None;
            f.text_filter.clear();
        }
        KeyCode::Enter => {
            if let Some(input) = f.filter_input.take() {
                f.text_filter = input.value().to_string();
            }
        }
        KeyCode::Up | KeyCode::Down => {
            let delta = if key.code == KeyCode::Up { -1 } else { 1 };
            return list::move_cursor(state, delta, state.size);
        }
        _ => {
            if let Some(input) = f.filter_input.as_mut() {
                input.handle_event(&Event::Key(key));
            }
        }
    }
    list::recompute_visible(&mut state.findings);
    list::keep_in_view(state, state.size);
    list::prefetch(state)
}

/// Runs one command of the keymap.
pub fn on_command(state: &mut AppState, command: Command) -> Vec<Effect> {
    if state.session.read_only && binding(command).is_some_and(|b| b.mutates) {
        state.toast(
            "read-only mode: changes are refused; restart without --read-only (or read_only in the profile) to make them",
            true,
        );
        return Vec::new();
    }
    if binding(command).is_some_and(|b| b.mutates) && session::refused_while_switching(state) {
        return Vec::new();
    }
    let size = state.size;
    match command {
        Command::Quit => session::request_quit(state, false),
        Command::Switch => session::open_switcher(state),
        Command::Help => {
            state.modal = Some(Modal::Help { scroll: 0 });
            Vec::new()
        }
        Command::NextPane => {
            state.pane = match state.pane {
                Pane::CommandCenter => Pane::Findings,
                Pane::Findings | Pane::Detail => Pane::CommandCenter,
            };
            Vec::new()
        }
        Command::Refresh => results::refresh_all(state),
        Command::Scan => {
            let url = state.session.default_scan_url.clone().unwrap_or_default();
            state.modal = Some(Modal::ScanPrompt {
                input: Input::new(url),
                error: None,
            });
            Vec::new()
        }
        Command::Up => step(state, -1),
        Command::Down => step(state, 1),
        Command::PageUp => step(state, -(list::page_height(state, size) as isize)),
        Command::PageDown => step(state, list::page_height(state, size) as isize),
        Command::Top => step(state, isize::MIN / 2),
        Command::Bottom => step(state, isize::MAX / 2),
        Command::Open => open(state),
        Command::Back => back(state),
        Command::TextFilter => {
            state.pane = Pane::Findings;
            let f = &mut state.findings;
            f.filter_input = Some(Input::new(f.text_filter.clone()));
            Vec::new()
        }
        Command::FilterMenu => {
            state.pane = Pane::Findings;
            state.modal = Some(Modal::FilterFields { selected: 0 });
            Vec::new()
        }
        Command::ClearFilters => {
            state.findings.text_filter.clear();
            state.findings.query = Default::default();
            list::reload(state)
        }
        Command::Sort => {
            state.findings.sort = state.findings.sort.next();
            list::recompute_visible(&mut state.findings);
            list::keep_in_view(state, size);
            Vec::new()
        }
        Command::Mark => {
            if state.pane != Pane::Findings {
                return Vec::new();
            }
            if let Some(id) = state.findings.selected().map(|f| f.id.clone())
                && !state.findings.marks.remove(&id)
            {
                state.findings.marks.insert(id);
            }
            list::move_cursor(state, 1, size)
        }
        Command::Triage => change::set_status(state, FindingStatus::Triaged),
        Command::Start => change::set_status(state, FindingStatus::InProgress),
        Command::ReadyVerify => change::set_status(state, FindingStatus::ReadyVerify),
        Command::Reopen => change::set_status(state, FindingStatus::New),
        Command::Dismiss => change::open_menu(state, |ids| Modal::ConfirmDismiss { ids }),
        Command::Assign => change::open_menu(state, |ids| Modal::AssignMenu { ids, selected: 0 }),
        Command::Severity => {
            change::open_menu(state, |ids| Modal::SeverityMenu { ids, selected: 0 })
        }
        Command::StatusMenu => change::open_status_menu(state),
        Command::Verify => super::verify::start(state),
    }
}

/// Moves within the focused pane.
fn step(state: &mut AppState, delta: isize) -> Vec<Effect> {
    match state.pane {
        Pane::CommandCenter => {
            let cc = &mut state.command_center;
            let count = cc
                .data
                .as_ref()
                .map_or(0, |d| d.top_priorities.len().min(5));
            let last = count.saturating_sub(1) as isize;
            cc.selected = (cc.selected as isize).saturating_add(delta).clamp(0, last) as usize;
            Vec::new()
        }
        Pane::Findings => list::move_cursor(state, delta, state.size),
        Pane::Detail => {
            if let Some(d) = state.detail.as_mut() {
                let next = (d.scroll as isize).saturating_add(delta);
                d.scroll = next.clamp(0, u16::MAX as isize) as u16;
            }
            Vec::new()
        }
    }
}

/// Opens the detail of the selected finding.
fn open(state: &mut AppState) -> Vec<Effect> {
    let id = match state.pane {
        Pane::CommandCenter => state.command_center.data.as_ref().and_then(|d| {
            d.top_priorities
                .get(state.command_center.selected)
                .map(|t| t.id.clone())
        }),
        Pane::Findings => state.findings.selected().map(|f| f.id.clone()),
        Pane::Detail => None,
    };
    match id {
        Some(id) => open_detail(state, id),
        None => Vec::new(),
    }
}

/// Shows a finding at once from what is loaded and fetches it fresh.
pub fn open_detail(state: &mut AppState, id: String) -> Vec<Effect> {
    // Unique across sessions: a late answer for a detail opened before a
    // switch must not match the one opened after it.
    let generation = state.request_id();
    state.detail_return = match state.pane {
        Pane::Detail => state.detail_return,
        other => other,
    };
    state.detail = Some(DetailState {
        finding: state.finding(&id).cloned(),
        id: id.clone(),
        loading: true,
        generation,
        scroll: 0,
    });
    state.pane = Pane::Detail;
    vec![Effect::LoadFinding { generation, id }]
}

/// Esc: dismisses error toasts first, then closes the detail or clears the
/// text filter. Info toasts fade by themselves and do not take the key.
fn back(state: &mut AppState) -> Vec<Effect> {
    if state.toasts.iter().any(|t| t.error) {
        state.toasts.retain(|t| !t.error);
        return Vec::new();
    }
    match state.pane {
        Pane::Detail => {
            state.pane = state.detail_return;
            state.detail = None;
        }
        Pane::Findings if !state.findings.text_filter.is_empty() => {
            state.findings.text_filter.clear();
            list::recompute_visible(&mut state.findings);
        }
        _ => {}
    }
    Vec::new()
}

/// Wheel scrolls; a click on a row selects it.
pub fn on_mouse(state: &mut AppState, mouse: MouseEvent) -> Vec<Effect> {
    if state.modal.is_some() {
        return Vec::new();
    }
    match mouse.kind {
        MouseEventKind::ScrollDown => step(state, 3),
        MouseEventKind::ScrollUp => step(state, -3),
        MouseEventKind::Down(MouseButton::Left) => {
            let screen = layout::screen(Rect::new(0, 0, state.size.0, state.size.1));
            if mouse.row == screen.tabs.y {
                state.pane = if mouse.column < screen.tabs.width / 2 {
                    Pane::CommandCenter
                } else {
                    Pane::Findings
                };
                return Vec::new();
            }
            let panes = layout::panes(screen.main);
            let inside = |r: Rect| {
                mouse.row >= r.y && mouse.row < r.y + r.height && mouse.column < r.x + r.width
            };
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
            let shown = list::filter_line_shown(&state.findings);
            let rows = layout::findings(panes.lower, shown).rows;
            if mouse.row < rows.y || mouse.row >= rows.y + rows.height {
                return Vec::new();
            }
            let index = state.findings.scroll + (mouse.row - rows.y) as usize;
            if index < state.findings.visible.len() {
                let delta = index as isize - state.findings.cursor as isize;
                return list::move_cursor(state, delta, state.size);
            }
            Vec::new()
        }
        _ => Vec::new(),
    }
}
