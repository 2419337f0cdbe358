//! The preview of a bulk change, before anything is sent: how many change,
//! how many are skipped and why, a sample of distinct titles with their
//! counts, what it costs at the current budget; the reason of a dismissal
//! and a comment.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::popup;
use super::text::fit;
use super::theme::Theme;
use crate::app::keymap::Intent;
use crate::app::state::{AppState, BulkPhase};
use crate::journal::Reason;
use crate::sanitize::sanitize;

/// Draws the preview dialog.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let Some(b) = &state.bulk else {
        return;
    };
    let BulkPhase::Preview(step) = &b.phase else {
        return;
    };
    let p = &step.preview;
    let key = |i: Intent| state.keymap.key_of(i);
    let mut lines: Vec<Line> = vec![
        Line::styled(sanitize(&b.what).into_owned(), theme.title()),
        Line::raw(p.cost_text()),
    ];
    if p.unchanged() > 0 {
        lines.push(Line::raw(format!(
            "{} already so: nothing to send",
            p.unchanged()
        )));
    }
    for (why, n) in p.skipped_by_group() {
        lines.push(Line::raw(format!("{n} skipped: {why}")));
    }
    let sample = p.sample();
    if !sample.is_empty() {
        lines.push(Line::styled("for example:", theme.dim()));
        for (title, n) in sample {
            let times = if n > 1 {
                format!(" ×{n}")
            } else {
                String::new()
            };
            lines.push(Line::raw(format!(
                "  “{}”{times}",
                fit(&sanitize(title), 62)
            )));
        }
    }
    if let Some(chosen) = step.reason {
        lines.push(Line::styled(
            format!(
                "why dismiss? ({}/{} choose)",
                key(Intent::ReasonPrev),
                key(Intent::ReasonNext)
            ),
            theme.title(),
        ));
        for (i, reason) in Reason::ALL.iter().enumerate() {
            if i == chosen {
                lines.push(Line::styled(
                    format!("› {}", reason.label()),
                    theme.selected(),
                ));
            } else {
                lines.push(Line::raw(format!("  {}", reason.label())));
            }
        }
    }
    let comment = sanitize(step.comment.value()).into_owned();
    lines.push(Line::from(vec![
        Span::styled("comment (optional, kept on this machine): ", theme.dim()),
        Span::raw(comment),
    ]));
    lines.push(Line::styled(
        format!(
            "{} send · {} cancel (nothing is sent)",
            key(Intent::PreviewRun),
            key(Intent::PreviewCancel)
        ),
        theme.dim(),
    ));
    let height = (lines.len() as u16 + 2).min(area.height.saturating_sub(2));
    let rect = popup::centered(area, 72, height);
    let inner = popup::open(frame, rect, "Preview · nothing sent yet", theme);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
