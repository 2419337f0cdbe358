//! The status line (where, connection, budget, activity) and the key hints.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::fit;
use crate::api::model::ScanStatus;
use crate::app::keymap::{Command, binding};
use crate::app::state::{AppState, Connection, Modal, Pane};
use crate::sanitize::sanitize;

const SPINNER: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];

/// Draws the status line and the key hints.
pub fn render(frame: &mut Frame, status: Rect, footer: Rect, state: &AppState) {
    let theme = &state.theme;
    let s = &state.session;
    let mut right: Vec<Span> = Vec::new();
    if state.in_flight > 0 {
        let frame_no = state.spinner % SPINNER.len();
        right.push(Span::styled(
            format!("{} {} ", SPINNER[frame_no], state.in_flight),
            theme.title(),
        ));
    }
    if let Some(b) = state.bulk.as_ref().filter(|b| !b.finished) {
        right.push(Span::styled(
            format!("bulk {}/{} │ ", b.done, b.total),
            theme.title(),
        ));
    }
    if let Some(scan) = scan_line(state) {
        right.push(Span::raw(format!("{} │ ", scan_short(scan))));
    }
    if let Some(wait) = state
        .budget
        .pacing_for(std::time::SystemTime::from(state.wall))
    {
        right.push(Span::styled(
            format!("rate limit: waiting {}s │ ", wait.as_secs().max(1)),
            theme.error(),
        ));
    }
    if let Some(remaining) = state.budget.remaining {
        let limit = state.budget.limit.map_or("?".into(), |l| l.to_string());
        let style = if remaining < 5 {
            theme.error()
        } else {
            theme.dim()
        };
        right.push(Span::styled(format!("budget {remaining}/{limit}"), style));
        right.push(Span::raw(" │ "));
    }
    let (dot, word, style) = match state.connection {
        Connection::Connecting => ("○", "connecting", theme.dim()),
        Connection::Online => ("●", "online", theme.fg(theme.good)),
        Connection::Offline => ("✖", "offline", theme.error()),
    };
    right.push(Span::styled(format!("{dot} {word} "), style));
    let right_width: usize = right.iter().map(|s| s.content.chars().count()).sum();
    // Scheme and org are shortened so that base URL, org and project all
    // fit at 80 columns next to the budget and connection.
    let base = s
        .base_url
        .split_once("://")
        .map_or(s.base_url.as_str(), |(_, rest)| rest);
    let left = format!(
        " {} · {}/{}",
        sanitize(base),
        crate::app::update::short_owner(&s.org_id),
        sanitize(&s.project_id),
    );
    let room = (status.width as usize).saturating_sub(right_width + 1);
    frame.render_widget(
        Paragraph::new(Span::styled(fit(&left, room), theme.dim())),
        status,
    );
    frame.render_widget(
        Paragraph::new(Line::from(right)).alignment(Alignment::Right),
        status,
    );
    frame.render_widget(
        Paragraph::new(Span::styled(
            fit(&hints(state), footer.width as usize),
            theme.dim(),
        )),
        footer,
    );
}

/// The scan's live progress, e.g. `scan https://x: running`.
pub fn scan_line(state: &AppState) -> Option<String> {
    let scan = state.scan.as_ref()?;
    let status = match &scan.status {
        ScanStatus::Queued => "queued".to_string(),
        ScanStatus::Running => "running".to_string(),
        ScanStatus::Completed => "completed".to_string(),
        ScanStatus::Failed => "failed".to_string(),
        other => sanitize(other.as_str()).into_owned(),
    };
    Some(format!("scan {}: {status}", sanitize(&scan.url)))
}

fn scan_short(line: String) -> String {
    fit(&line, 40)
}

/// Key hints for the focused pane, from the keymap.
fn hints(state: &AppState) -> String {
    let mut commands: Vec<Command> = match (&state.modal, state.pane) {
        (Some(Modal::Bulk), _) => {
            return if crate::app::update::bulk_running(state) {
                "c stop sending the rest · esc hide (it keeps running)".to_string()
            } else {
                "esc close".to_string()
            };
        }
        (Some(Modal::ConfirmQuit), _) => {
            return "y stop and quit · any other key cancels".to_string();
        }
        (Some(_), _) => return "↑/↓ choose · enter confirm · esc cancel".to_string(),
        (None, Pane::CommandCenter) => vec![
            Command::Open,
            Command::NextPane,
            Command::Refresh,
            Command::Scan,
            Command::Switch,
        ],
        (None, Pane::Findings) => vec![
            Command::Open,
            Command::TextFilter,
            Command::FilterMenu,
            Command::Mark,
            Command::Triage,
            Command::Dismiss,
            Command::Assign,
            Command::StatusMenu,
            Command::Sort,
        ],
        (None, Pane::Detail) => vec![
            Command::Back,
            Command::Down,
            Command::Triage,
            Command::Assign,
            Command::StatusMenu,
        ],
    };
    if state.findings.filter_input.is_some() {
        return "type to filter · enter keep · esc clear".to_string();
    }
    commands.extend([Command::Help, Command::Quit]);
    commands
        .into_iter()
        .filter_map(|c| {
            let b = binding(c)?;
            if b.mutates && state.session.read_only {
                return None;
            }
            Some(format!(
                "{} {}",
                state.keymap.keys_of(c),
                hint_word(c, b.description)
            ))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// One or two words per command, so the footer fits at 80 columns.
fn hint_word(command: Command, description: &'static str) -> &'static str {
    match command {
        Command::Down | Command::Up => "move",
        Command::Open => "open",
        Command::Back => "back",
        Command::NextPane => "pane",
        Command::Scan => "scan",
        Command::TextFilter => "find",
        Command::FilterMenu => "filter",
        Command::Mark => "mark",
        Command::Assign => "assign",
        Command::StatusMenu => "status",
        Command::Help => "help",
        Command::Switch => "switch",
        _ => description.split(" (").next().unwrap_or(description),
    }
}
