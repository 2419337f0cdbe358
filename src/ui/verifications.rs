//! The verifications overlay: each run of a task's (or a finding's newest
//! task's) fix, newest first, with its result (a symbol and a word) and its
//! checks, before → after; a failed run says what is still wrong.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::popup;
use super::theme::Theme;
use crate::api::model::{Verification, VerificationResult};
use crate::api::remediation::{is_approved, observation};
use crate::app::keymap::Intent;
use crate::app::state::{AppState, Load};
use crate::sanitize::sanitize;

/// Draws the overlay, scrolled.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme, scroll: u16) {
    let Some(view) = &state.remediation.verifications else {
        return;
    };
    let rect = popup::centered(area, 72, area.height.saturating_sub(2));
    let inner = popup::open(frame, rect, "Verifications", theme);
    let mut lines = vec![Line::styled(view.label.clone(), theme.title())];
    if let Some(task) = &view.task {
        lines.push(Line::styled(
            format!(
                "task {} · {}",
                sanitize(&task.id),
                sanitize(task.status.as_str())
            ),
            theme.dim(),
        ));
    }
    lines.push(Line::raw(""));
    match &view.load {
        Load::Loading | Load::NotAsked => lines.push(Line::styled("loading…", theme.dim())),
        Load::Failed(why) => lines.push(Line::styled(why.clone(), theme.error())),
        Load::NotOffered(why) => lines.push(Line::styled(why.clone(), theme.dim())),
        Load::Loaded if view.task.is_none() => lines.push(Line::styled(
            "no task yet, so no verification: T creates its task, V verifies the fix",
            theme.dim(),
        )),
        Load::Loaded if view.rows.is_empty() => lines.push(Line::styled(
            "no verification yet: V verifies the fix",
            theme.dim(),
        )),
        Load::Loaded => {
            for v in &view.rows {
                run(&mut lines, v, theme);
            }
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!(
            "{}/{} scroll · {} runs a new verification · any other key closes",
            state.keymap.key_of(Intent::HelpUp),
            state.keymap.key_of(Intent::HelpDown),
            state.keymap.key_of(Intent::Verify)
        ),
        theme.dim(),
    ));
    let max = lines.len().saturating_sub(1) as u16;
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll.min(max), 0)),
        inner,
    );
}

/// One run: its result and time, then a line per check.
fn run(lines: &mut Vec<Line<'static>>, v: &Verification, theme: &Theme) {
    let (mark, style) = match &v.result {
        VerificationResult::Passed => ("✔ passed", theme.fg(theme.good)),
        VerificationResult::Failed => ("✖ failed", theme.error()),
        VerificationResult::Pending => ("… pending", theme.dim()),
        VerificationResult::Other(raw) => (raw.as_str(), theme.dim()),
    };
    let when = v
        .created_at
        .as_ref()
        .or(v.inserted_at.as_ref())
        .map(|t| sanitize(t.raw()).into_owned())
        .unwrap_or_default();
    let approved = if is_approved(v) { " · approved" } else { "" };
    lines.push(Line::from(vec![
        Span::styled(sanitize(mark).into_owned(), style),
        Span::styled(format!("  {when}{approved}"), theme.dim()),
    ]));
    if let Some(why) = v.extra.get("error").and_then(|e| e.as_str()) {
        lines.push(Line::styled(
            format!("  could not check: {}", sanitize(why)),
            theme.error(),
        ));
    }
    for check in &v.checks {
        let wrong = check.status != "passed";
        let line = format!(
            "  {} {}: {} → {}",
            if wrong { "still wrong:" } else { "ok:" },
            sanitize(&check.key),
            sanitize(&observation(&check.before)),
            sanitize(&observation(&check.after)),
        );
        lines.push(Line::styled(
            line,
            if wrong {
                theme.error()
            } else {
                ratatui::style::Style::default()
            },
        ));
    }
}
