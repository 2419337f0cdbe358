//! The errors view: the recent errors in full, newest first, each with its
//! time, HTTP status, `request_id` on a line of its own (so that it can be
//! read and quoted to support whatever the width), the message and what to
//! do.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::popup;
use super::theme::Theme;
use crate::app::keymap::Intent;
use crate::app::state::AppState;

/// Draws the errors view over the panes.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme, scroll: u16) {
    let width = area.width.saturating_sub(4).min(110);
    let rect = popup::centered(area, width, area.height.saturating_sub(2));
    let title = format!(
        "Errors · {} · {} closes",
        state.errors.len(),
        state.keymap.key_of(Intent::ViewClose)
    );
    let inner = popup::open(frame, rect, &title, theme);
    let mut lines: Vec<Line> = Vec::new();
    if state.errors.is_empty() {
        lines.push(Line::styled("No errors in this session.", theme.title()));
    }
    for (n, e) in state.errors.iter().rev().enumerate() {
        if n > 0 {
            lines.push(Line::raw(""));
        }
        let at =
            e.at.with_timezone(&state.alerts.utc_offset)
                .format("%H:%M:%S");
        let status = match e.status {
            Some(code) => format!("HTTP {code}"),
            None => "no answer".to_string(),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{at}  "), theme.dim()),
            Span::styled(format!("✖ {status}  "), theme.error()),
            Span::styled(e.short.clone(), theme.title()),
        ]));
        lines.push(match &e.request_id {
            Some(id) => Line::from(vec![
                Span::styled("  request_id ", theme.dim()),
                Span::styled(id.clone(), theme.title()),
            ]),
            None => Line::styled(
                "  request_id none (the server sent none, or did not answer)",
                theme.dim(),
            ),
        });
        lines.push(Line::raw(format!("  {}", e.message)));
        if let Some(hint) = &e.hint {
            lines.push(Line::from(vec![
                Span::styled("  what to do: ", theme.dim()),
                Span::raw(hint.clone()),
            ]));
        }
    }
    let max = lines.len().saturating_sub(1) as u16;
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll.min(max), 0)),
        inner,
    );
}
