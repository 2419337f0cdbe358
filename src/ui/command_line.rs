//! The `:` command line, at the bottom of the screen above the status
//! line, with the completions tab offered.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::theme::Theme;
use crate::app::keymap::COMMANDS;
use crate::app::state::{AppState, Modal};
use crate::sanitize::sanitize;

/// Draws the command line over the bottom of `main`.
pub fn render(frame: &mut Frame, main: Rect, state: &AppState, theme: &Theme) {
    let Some(Modal::CommandLine {
        input, completions, ..
    }) = &state.modal
    else {
        return;
    };
    if main.height < 4 {
        return;
    }
    let rect = Rect::new(main.x, main.bottom() - 4, main.width, 4);
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(Span::styled(" Command ", theme.title()));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let width = inner.width.saturating_sub(2) as usize;
    let scroll = input.visual_scroll(width);
    let line = Line::from(vec![
        Span::styled(":", theme.title()),
        Span::raw(sanitize(input.value()).into_owned()),
    ]);
    frame.render_widget(
        Paragraph::new(line).scroll((0, scroll as u16)),
        Rect::new(inner.x, inner.y, inner.width, 1),
    );
    let cursor = (input.visual_cursor().max(scroll) - scroll) as u16 + 1;
    frame.set_cursor_position(Position::new(inner.x + cursor.min(inner.width), inner.y));
    let below = if completions.is_empty() {
        let names: Vec<&str> = COMMANDS.iter().map(|(c, _)| *c).collect();
        Span::styled(
            format!("{} · tab completes", names.join(" · ")),
            theme.dim(),
        )
    } else {
        Span::styled(
            sanitize(&completions.join("  ")).into_owned(),
            theme.title(),
        )
    };
    frame.render_widget(
        Paragraph::new(Line::from(below)),
        Rect::new(inner.x, inner.y + 1, inner.width, 1),
    );
}
