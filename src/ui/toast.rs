//! Toasts in the top-right corner of the pane: errors stay until esc,
//! information fades.

use super::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::app::state::AppState;

/// Draws the toasts, newest first.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let width = area.width.saturating_sub(2).min(60);
    if width < 10 {
        return;
    }
    let mut y = area.y + 1;
    for toast in state.toasts.iter().rev() {
        let text = if toast.error {
            format!("✖ {} · esc to dismiss", toast.text)
        } else {
            format!("✓ {}", toast.text)
        };
        let inner_width = width.saturating_sub(2).max(1) as usize;
        let lines = text.chars().count().div_ceil(inner_width).clamp(1, 4) as u16;
        let height = lines + 2;
        if y + height > area.bottom() {
            break;
        }
        let rect = Rect::new(area.right() - width - 1, y, width, height);
        let style = if toast.error {
            theme.error()
        } else {
            theme.fg(theme.good)
        };
        frame.render_widget(Clear, rect);
        let p = Paragraph::new(Line::raw(text))
            .wrap(Wrap { trim: true })
            .block(Block::default().borders(Borders::ALL).border_style(style));
        frame.render_widget(p, rect);
        y += height;
    }
}
