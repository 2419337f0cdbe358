//! The bulk progress overlay: done/total, ETA, and every refusal.

use super::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::popup;
use super::text::fit;
use crate::app::state::AppState;
use crate::engine::duration::eta_text;
use crate::sanitize::sanitize;

/// Draws the bulk progress overlay.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let Some(b) = &state.bulk else {
        return;
    };
    let height = (b.failures.len() as u16 + b.not_sent.len().min(8) as u16 + 8)
        .min(area.height.saturating_sub(2));
    let rect = popup::centered(area, 70, height);
    let title = match (b.finished, b.cancelling) {
        (true, true) => "Bulk change stopped",
        (true, false) => "Bulk change finished",
        (false, true) => "Bulk change stopping",
        (false, false) => "Bulk change",
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
    let eta = match b.eta(state.now, budget_eta) {
        Some(eta) => format!(" · {}", eta_text(Some(eta))),
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
    if b.finished || b.cancelling {
        lines.push(Line::raw(format!(
            "{} applied · {} refused · {} not sent",
            b.applied(),
            b.failures.len(),
            b.not_sent.len()
        )));
    }
    if !b.not_sent.is_empty() {
        lines.push(Line::styled(
            format!("{} not sent (stopped), unchanged:", b.not_sent.len()),
            theme.error(),
        ));
        for id in b.not_sent.iter().take(7) {
            let name = match state.finding(id) {
                Some(f) => format!("“{}”", sanitize(&f.title)),
                None => sanitize(id).into_owned(),
            };
            lines.push(Line::raw(format!("  {name}")));
        }
        if b.not_sent.len() > 7 {
            lines.push(Line::raw(format!("  … and {} more", b.not_sent.len() - 7)));
        }
    }
    if b.finished {
        lines.push(Line::styled(
            "esc closes; findings not changed stay marked",
            theme.dim(),
        ));
    } else if b.cancelling {
        lines.push(Line::styled(
            "stopping: waiting for the change in flight to answer",
            theme.dim(),
        ));
    } else {
        lines.push(Line::styled(
            "c stops sending the rest · esc hides this",
            theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
