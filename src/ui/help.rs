//! The `?` overlay, written from the keymap registry.

use super::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::popup;
use crate::app::keymap::{Context, Intent, REGISTRY};
use crate::app::state::AppState;

/// Draws the help overlay from the keymap registry.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme, scroll: u16) {
    let rect = popup::centered(area, 64, area.height.saturating_sub(2));
    let title = format!(
        "Keys · {}/{} scroll · esc closes",
        state.keymap.key_of(Intent::HelpUp),
        state.keymap.key_of(Intent::HelpDown)
    );
    let inner = popup::open(frame, rect, &title, theme);
    let key = |text: String| Span::styled(format!("  {text:<12}"), theme.fg(theme.accent));
    let mut lines = Vec::new();
    for context in Context::ALL {
        lines.push(Line::styled(context.title(), theme.title()));
        for b in REGISTRY.iter().filter(|b| b.context == context) {
            if b.mutates && state.session.read_only {
                continue;
            }
            lines.push(Line::from(vec![
                key(state.keymap.keys_of(b.intent)),
                Span::raw(b.description),
            ]));
        }
        match context {
            Context::Global => lines.push(Line::from(vec![
                key("ctrl-c".to_string()),
                Span::raw("quit (asks first while a bulk change runs)"),
            ])),
            Context::Finding => lines.push(Line::styled(
                "  With marked findings, changes apply to all of them.",
                theme.dim(),
            )),
            Context::Menu => lines.push(Line::styled(
                "  esc always closes a dialog, whatever the bindings.",
                theme.dim(),
            )),
            _ => {}
        }
    }
    if state.session.read_only {
        lines.push(Line::styled("read-only: changes are hidden", theme.dim()));
    }
    let max = lines.len().saturating_sub(1) as u16;
    frame.render_widget(Paragraph::new(lines).scroll((scroll.min(max), 0)), inner);
}
