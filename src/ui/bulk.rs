//! The bulk progress overlay: done/total, ETA, and every refusal.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::{fit, popup};
use crate::app::state::AppState;

/// Draws the bulk progress overlay.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let theme = &state.theme;
    let Some(b) = &state.bulk else {
        return;
    };
    let height = (b.failures.len() as u16 + 6).min(area.height.saturating_sub(2));
    let rect = popup::centered(area, 70, height);
    let title = if b.finished {
        "Bulk change finished"
    } else {
        "Bulk change"
    };
    let inner = popup::open(frame, rect, title, theme);
    let width = inner.width as usize;
    let bar_width = width.saturating_sub(12).min(40);
    let filled = (bar_width * b.done)
        .checked_div(b.total)
        .unwrap_or(bar_width)
        .min(bar_width);
    // The pace so far, or what the rate budget allows, whichever is longer.
    let left = (b.total - b.done) as u64;
    let budget_eta = state
        .budget
        .eta(left, std::time::SystemTime::from(state.wall));
    let eta = match b.eta(state.now).max(budget_eta).filter(|_| !b.finished) {
        Some(eta) => format!(" · about {}s left", eta.as_secs()),
        None => String::new(),
    };
    let mut lines = vec![
        Line::raw(fit(
            &format!("{}: {} of {} done{eta}", b.what, b.done, b.total),
            width,
        )),
        Line::raw(format!(
            "{}{} {:>3}%",
            "█".repeat(filled),
            "░".repeat(bar_width - filled),
            (b.done * 100).checked_div(b.total).unwrap_or(100)
        )),
    ];
    if b.failures.is_empty() {
        let text = if b.finished {
            "no refusals"
        } else {
            "no refusals so far"
        };
        lines.push(Line::styled(text, theme.dim()));
    } else {
        lines.push(Line::styled(
            format!("{} refused:", b.failures.len()),
            theme.error(),
        ));
        for (who, why) in &b.failures {
            lines.push(Line::raw(format!("  {who}: {why}")));
        }
    }
    if b.finished {
        lines.push(Line::styled(
            "esc closes; refused findings stay marked",
            theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
