//! Text prompts: a user id to assign, a URL to scan.

use super::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use tui_input::Input;

use super::popup;
use crate::app::state::{AppState, Modal, TaskField};
use crate::sanitize::sanitize;

/// Draws the open text prompt with its cursor.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let (title, hint, input, error) = match &state.modal {
        Some(Modal::OwnerPrompt { input, error, .. }) => (
            "Assign to a user id",
            "paste a UUID · enter assign · esc cancel".to_string(),
            input,
            error,
        ),
        Some(Modal::ScanPrompt { input, error }) => (
            "Scan a URL",
            "a public http(s) URL · enter start · esc cancel".to_string(),
            input,
            error,
        ),
        Some(Modal::TaskPrompt {
            field,
            input,
            error,
        }) => {
            let (title, hint) = task_prompt_text(state, field);
            (title, hint, input, error)
        }
        _ => return,
    };
    let rect = popup::centered(area, 64, 6);
    let inner = popup::open(frame, rect, title, theme);
    if inner.height == 0 || inner.width < 3 {
        return;
    }
    field(frame, Rect::new(inner.x, inner.y, inner.width, 1), input);
    let mut lines = vec![Line::raw("")];
    match error {
        Some(e) => lines.push(Line::styled(sanitize(e).into_owned(), theme.error())),
        None => lines.push(Line::styled(hint, theme.dim())),
    }
    let rest = Rect::new(
        inner.x,
        inner.y + 1,
        inner.width,
        inner.height.saturating_sub(1),
    );
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), rest);
}

/// The title and hint of a task prompt.
fn task_prompt_text(state: &AppState, field: &TaskField) -> (&'static str, String) {
    match field {
        TaskField::Sla { finding_id, .. } => (
            "New task: SLA",
            format!(
                "enter: {} · or type hours (48) or an RFC 3339 time · esc cancel",
                state.task_sla_hint(finding_id)
            ),
        ),
        TaskField::Ticket { .. } => (
            "Task: ticket key",
            "e.g. SEC-142; empty clears it · enter set · esc cancel".to_string(),
        ),
        TaskField::PrUrl { .. } => (
            "Task: pull request URL",
            "an http(s) URL; empty clears it · enter set · esc cancel".to_string(),
        ),
    }
}

fn field(frame: &mut Frame, area: Rect, input: &Input) {
    let room = area.width.saturating_sub(3) as usize;
    let scroll = input.visual_scroll(room);
    let shown: String = sanitize(input.value()).chars().skip(scroll).collect();
    frame.render_widget(Paragraph::new(format!("> {shown}")), area);
    let x = area.x + 2 + input.visual_cursor().saturating_sub(scroll) as u16;
    frame.set_cursor_position((x.min(area.right().saturating_sub(1)), area.y));
}
