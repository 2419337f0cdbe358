//! The alerts list: what the auto-refresh raised, newest first, each with
//! its time, its kind in words and what happened.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::popup;
use super::theme::Theme;
use crate::app::keymap::Intent;
use crate::app::state::AppState;

/// Draws the alerts list over the panes.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme, scroll: u16) {
    let width = area.width.saturating_sub(4).min(110);
    let rect = popup::centered(area, width, area.height.saturating_sub(2));
    let watch = &state.alerts;
    let title = format!(
        "Alerts · {} · {} closes",
        watch.list.len(),
        state.keymap.key_of(Intent::ViewClose)
    );
    let inner = popup::open(frame, rect, &title, theme);
    let mut lines: Vec<Line> = Vec::new();
    if let Some(line) = watch.outage_line(state.now) {
        lines.push(Line::styled(
            format!("✖ {line}: the list waits for the service"),
            theme.error(),
        ));
    }
    if watch.list.is_empty() {
        let rules = &watch.settings.rules;
        lines.push(Line::styled("No alerts yet.", theme.title()));
        lines.push(Line::raw(format!(
            "Every {}s the auto-refresh raises one when the health score falls by {} points, \
             a critical finding appears, a regression opens or an SLA is breached.",
            state.session.refresh_interval.as_secs(),
            rules.health_drop
        )));
    }
    for alert in watch.list.iter().rev() {
        lines.push(Line::from(vec![
            Span::styled(format!("{}  ", watch.clock(&alert.at)), theme.dim()),
            Span::styled(format!("{:<10} ", alert.label()), theme.error()),
            Span::raw(alert.message.clone()),
        ]));
    }
    let max = lines.len().saturating_sub(1) as u16;
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll.min(max), 0)),
        inner,
    );
}
