//! The `?` overlay, written from the keymap registry.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::popup;
use crate::app::keymap::{Context, REGISTRY};
use crate::app::state::AppState;

/// Draws the help overlay from the keymap registry.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState, scroll: u16) {
    let theme = &state.theme;
    let rect = popup::centered(area, 64, area.height.saturating_sub(2));
    let inner = popup::open(frame, rect, "Keys · j/k scroll · esc closes", theme);
    let mut lines = Vec::new();
    for context in [
        Context::Global,
        Context::Navigation,
        Context::Findings,
        Context::Finding,
    ] {
        lines.push(Line::styled(context.title(), theme.title()));
        for b in REGISTRY.iter().filter(|b| b.context == context) {
            if b.mutates && state.session.read_only {
                continue;
            }
            lines.push(Line::from(vec![
                Span::styled(
                    format!("  {:<12}", state.keymap.keys_of(b.command)),
                    theme.fg(theme.accent),
                ),
                Span::raw(b.description),
            ]));
        }
        if context == Context::Global {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<12}", "ctrl-c"), theme.fg(theme.accent)),
                Span::raw("quit (asks first while a bulk change runs)"),
            ]));
        }
    }
    if state.session.read_only {
        lines.push(Line::styled("read-only: changes are hidden", theme.dim()));
    }
    lines.push(Line::styled(
        "With marked findings, changes apply to all of them.",
        theme.dim(),
    ));
    lines.push(Line::styled("In dialogs (fixed keys)", theme.title()));
    for (keys, what) in [
        ("↑/↓ j/k", "choose"),
        ("enter", "confirm"),
        ("esc q", "cancel, or hide the bulk overlay"),
        ("y", "yes, in a confirmation"),
        ("c", "bulk overlay: stop sending the rest"),
    ] {
        lines.push(Line::from(vec![
            Span::styled(format!("  {keys:<12}"), theme.fg(theme.accent)),
            Span::raw(what),
        ]));
    }
    let max = lines.len().saturating_sub(1) as u16;
    frame.render_widget(Paragraph::new(lines).scroll((scroll.min(max), 0)), inner);
}
