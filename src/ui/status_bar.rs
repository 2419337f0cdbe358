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

/// A piece of the status line's right side. When the line is short, the
/// parts with the lowest `keep` go first: where the session points (base
/// URL, org, project) is never cut for them, so nobody acts on the wrong
/// project because a scan line pushed it off.
struct Part {
    spans: Vec<Span<'static>>,
    /// A shorter form tried before the part is dropped.
    short: Option<Vec<Span<'static>>>,
    keep: u8,
}

impl Part {
    fn width(&self) -> usize {
        self.spans.iter().map(|s| s.content.chars().count()).sum()
    }
}

/// Draws the status line and the key hints.
pub fn render(frame: &mut Frame, status: Rect, footer: Rect, state: &AppState) {
    let theme = &state.theme;
    let mut parts: Vec<Part> = Vec::new();
    if state.in_flight > 0 {
        let frame_no = state.spinner % SPINNER.len();
        parts.push(Part {
            spans: vec![Span::styled(
                format!("{} {} ", SPINNER[frame_no], state.in_flight),
                theme.title(),
            )],
            short: None,
            keep: 2,
        });
    }
    if let Some(b) = state.bulk.as_ref().filter(|b| !b.finished) {
        parts.push(Part {
            spans: vec![Span::styled(
                format!("bulk {}/{} │ ", b.done, b.total),
                theme.title(),
            )],
            short: None,
            keep: 3,
        });
    }
    if let Some(scan) = scan_line(state) {
        let word = scan_status(state).unwrap_or_default();
        parts.push(Part {
            spans: vec![Span::raw(format!("{} │ ", scan_short(scan)))],
            short: Some(vec![Span::raw(format!("scan {word} │ "))]),
            keep: 0,
        });
    }
    if let Some(wait) = state
        .budget
        .pacing_for(std::time::SystemTime::from(state.wall))
    {
        parts.push(Part {
            spans: vec![Span::styled(
                format!("rate limit: waiting {}s │ ", wait.as_secs().max(1)),
                theme.error(),
            )],
            short: None,
            keep: 4,
        });
    }
    if let Some(remaining) = state.budget.remaining {
        let limit = state.budget.limit.map_or("?".into(), |l| l.to_string());
        let style = if remaining < 5 {
            theme.error()
        } else {
            theme.dim()
        };
        parts.push(Part {
            spans: vec![
                Span::styled(format!("budget {remaining}/{limit}"), style),
                Span::raw(" │ "),
            ],
            short: None,
            // Nearly spent, it matters more than the spinner.
            keep: if remaining < 5 { 5 } else { 1 },
        });
    }
    let (dot, word, style) = match state.connection {
        Connection::Connecting => ("○", "connecting", theme.dim()),
        Connection::Online => ("●", "online", theme.fg(theme.good)),
        Connection::Offline => ("✖", "offline", theme.error()),
    };
    let connection = Span::styled(format!("{dot} {word} "), style);
    let width = status.width as usize;
    let connection_width = connection.content.chars().count();
    let left = location(state, width.saturating_sub(connection_width + 1));
    let room = width.saturating_sub(left.chars().count() + connection_width + 1);
    // Drop the least useful parts until the rest fits.
    while parts.iter().map(Part::width).sum::<usize>() > room {
        let Some(least) = parts
            .iter()
            .enumerate()
            .min_by_key(|(_, p)| p.keep)
            .map(|(i, _)| i)
        else {
            break;
        };
        match parts[least].short.take() {
            Some(short) => parts[least].spans = short,
            None => {
                parts.remove(least);
            }
        }
    }
    let mut right: Vec<Span> = parts.into_iter().flat_map(|p| p.spans).collect();
    right.push(connection);
    frame.render_widget(Paragraph::new(Span::styled(left, theme.dim())), status);
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

/// ` host/path · org/project` in at most `room` columns: the base URL is
/// shortened before the org and project are.
fn location(state: &AppState, room: usize) -> String {
    let s = &state.session;
    // Scheme and org are shortened so that base URL, org and project all
    // fit at 80 columns next to the budget and connection.
    let base = s
        .base_url
        .split_once("://")
        .map_or(s.base_url.as_str(), |(_, rest)| rest);
    let project = format!(
        "{}/{}",
        crate::app::update::short_owner(&s.org_id),
        sanitize(&s.project_id),
    );
    let full = format!(" {} · {project}", sanitize(base));
    if full.chars().count() <= room {
        return full;
    }
    let base_room = room.saturating_sub(project.chars().count() + 4);
    if base_room >= 8 {
        format!(" {} · {project}", fit(&sanitize(base), base_room))
    } else {
        fit(&format!(" {project}"), room)
    }
}

/// The scan's live progress, e.g. `scan https://x: running`.
pub fn scan_line(state: &AppState) -> Option<String> {
    let scan = state.scan.as_ref()?;
    let status = scan_status(state)?;
    Some(format!("scan {}: {status}", sanitize(&scan.url)))
}

/// Where the scan stands, e.g. `running`.
fn scan_status(state: &AppState) -> Option<String> {
    let scan = state.scan.as_ref()?;
    let status = match &scan.status {
        ScanStatus::Queued => "queued".to_string(),
        ScanStatus::Running => "running".to_string(),
        ScanStatus::Completed => "completed".to_string(),
        ScanStatus::Failed => "failed".to_string(),
        other => sanitize(other.as_str()).into_owned(),
    };
    let status = if scan.is_followed() || scan.status.is_finished() {
        status
    } else {
        format!("{status}, not followed")
    };
    Some(status)
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
        (Some(Modal::ConfirmApprove { .. }), _) => {
            return "y approve and resolve · any other key cancels".to_string();
        }
        (Some(Modal::ConfirmQuit), _) => {
            return "y stop and quit · any other key cancels".to_string();
        }
        (Some(Modal::Help { .. }), _) => {
            return "↑/↓ scroll · any other key closes".to_string();
        }
        (Some(Modal::ConfirmDismiss { .. }), _) => {
            return "y dismiss · any other key cancels".to_string();
        }
        (Some(Modal::OwnerPrompt { .. }), _) => {
            return "paste a user UUID · enter assign · esc cancel".to_string();
        }
        (Some(Modal::ScanPrompt { .. }), _) => {
            return "type a URL · enter start the scan · esc cancel".to_string();
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
