//! The `?` overlay, written from the keymap registry: the keys of the
//! pane in front first, then the rest; typing filters it.

use super::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::popup;
use crate::app::keymap::{COMMANDS, Context, Intent, REGISTRY};
use crate::app::state::{AppState, Pane};

/// The contexts whose keys work in `pane`, most particular first.
pub fn contexts_of(pane: Pane) -> &'static [Context] {
    match pane {
        Pane::Findings => &[
            Context::Findings,
            Context::ListViews,
            Context::Finding,
            Context::Navigation,
            Context::Global,
        ],
        Pane::Detail | Pane::CommandCenter => {
            &[Context::Finding, Context::Navigation, Context::Global]
        }
        Pane::Tasks | Pane::Regressions => &[Context::Tasks, Context::Navigation, Context::Global],
        Pane::Report => &[Context::Global],
    }
}

/// Draws the help overlay from the keymap registry.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    state: &AppState,
    theme: &Theme,
    scroll: u16,
    filter: &str,
) {
    let rect = popup::centered(area, 76, area.height.saturating_sub(2));
    let title = if filter.is_empty() {
        "Keys · type to search · ↑/↓ scroll · esc closes".to_string()
    } else {
        format!("Keys matching “{filter}” · backspace · esc closes")
    };
    let inner = popup::open(frame, rect, &title, theme);
    let wanted = filter.to_lowercase();
    let fits = |keys: &str, text: &str| {
        wanted.is_empty()
            || keys.to_lowercase().contains(&wanted)
            || text.to_lowercase().contains(&wanted)
    };
    let key = |text: String| Span::styled(format!("  {text:<12}"), theme.fg(theme.accent));
    let here = contexts_of(state.pane);
    let order = here
        .iter()
        .copied()
        .chain(Context::ALL.iter().copied().filter(|c| !here.contains(c)));
    let mut lines = Vec::new();
    for (n, context) in order.enumerate() {
        if n == here.len() && wanted.is_empty() {
            lines.push(Line::styled("── elsewhere ──", theme.dim()));
        }
        let mut entries = Vec::new();
        for b in REGISTRY.iter().filter(|b| b.context == context) {
            if b.mutates && state.session.read_only {
                continue;
            }
            let keys = state.keymap.keys_of(b.intent);
            if fits(&keys, b.description) {
                entries.push(Line::from(vec![key(keys), Span::raw(b.description)]));
            }
        }
        if context == Context::Global && fits("ctrl-c", "quit") {
            entries.push(Line::from(vec![
                key("ctrl-c".to_string()),
                Span::raw("quit (asks first while a bulk change runs)"),
            ]));
        }
        if entries.is_empty() {
            continue;
        }
        lines.push(Line::styled(context.title(), theme.title()));
        lines.extend(entries);
        if wanted.is_empty() {
            match context {
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
    }
    let commands: Vec<Line> = COMMANDS
        .iter()
        .filter(|(name, what)| fits(name, what))
        .map(|(name, what)| Line::from(vec![key(format!(":{name}")), Span::raw(*what)]))
        .collect();
    if !commands.is_empty() {
        lines.push(Line::styled(
            format!(
                "Command line ({}; tab completes, ↑/↓ history)",
                state.keymap.key_of(Intent::CommandLine)
            ),
            theme.title(),
        ));
        lines.extend(commands);
    }
    if lines.is_empty() {
        lines.push(Line::styled(
            format!("no key or command matches “{filter}”"),
            theme.dim(),
        ));
    }
    if state.session.read_only {
        lines.push(Line::styled("read-only: changes are hidden", theme.dim()));
    }
    let max = lines.len().saturating_sub(1) as u16;
    frame.render_widget(Paragraph::new(lines).scroll((scroll.min(max), 0)), inner);
}
