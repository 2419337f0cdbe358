//! The detail of one finding: everything needed to decide what to do.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::regressions::BADGE;
use super::theme::Theme;
use crate::api::model::Finding;
use crate::app::state::AppState;
use crate::app::state::is_list_row;
use crate::engine::present::{FindingView, history_line};
use crate::engine::sla::Sla;
use crate::journal::HistoryEntry;
use crate::sanitize::sanitize;

/// Draws the detail of the open finding, scrolled.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let Some(detail) = &state.detail else {
        return;
    };
    let mut title = vec![Span::styled(" Finding ", theme.title())];
    if detail.loading {
        title.push(Span::styled("· loading… ", theme.dim()));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(Line::from(title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines = match &detail.finding {
        Some(f) => {
            let mut out = lines(f, state, theme);
            history(&mut out, detail.history.as_ref(), state, theme);
            out
        }
        None => vec![Line::styled(
            format!("loading finding {}…", sanitize(&detail.id)),
            theme.dim(),
        )],
    };
    let max = lines.len().saturating_sub(1) as u16;
    let p = Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .scroll((detail.scroll.min(max), 0));
    frame.render_widget(p, inner);
}

fn heading(text: &str, theme: &Theme) -> Line<'static> {
    Line::styled(text.to_string(), theme.title())
}

/// The finding's facts and sections, as [`FindingView`] gives them to
/// `krafter finding` too.
fn lines(f: &Finding, state: &AppState, theme: &Theme) -> Vec<Line<'static>> {
    let v = FindingView::of(f, &state.session.people);
    let mut out = vec![Line::from(vec![
        Span::styled(format!("{} ", v.severity), theme.severity(&f.severity)),
        Span::styled(v.title.clone(), theme.title()),
    ])];
    if let Some(r) = state.remediation.regressions.open_of(&f.id) {
        let scan = r.scan_id.as_deref().map_or("a scan".to_string(), |id| {
            format!("scan {}", crate::engine::people::short_id(id))
        });
        let when = r
            .detected_at
            .as_ref()
            .map(|t| format!(" at {}", sanitize(t.raw())))
            .unwrap_or_default();
        out.push(Line::from(vec![
            Span::styled(format!("{BADGE} "), theme.error()),
            Span::raw(format!(
                "it was resolved, and {scan} found it again{when} (an open regression)"
            )),
        ]));
    }
    for row in &v.facts {
        let mut spans = Vec::new();
        for (i, (label, value)) in row.iter().enumerate() {
            if i > 0 {
                spans.push(Span::raw(" · "));
            }
            spans.push(Span::styled(format!("{label} "), theme.dim()));
            spans.push(Span::raw(value.clone()));
        }
        out.push(Line::from(spans));
    }
    if let Some(hours) = &state.remediation.sla {
        let due = hours.finding_due(f);
        if let Some(at) = due {
            let left = Sla::at(due, state.wall);
            let style = if left.is_breached() {
                theme.error()
            } else {
                theme.dim()
            };
            out.push(Line::from(vec![
                Span::styled("SLA ", theme.dim()),
                Span::styled(left.text(), style),
                Span::styled(
                    format!(
                        " (due {} by the policy)",
                        at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                    ),
                    theme.dim(),
                ),
            ]));
        }
    }
    if let Some(how) = &v.how_to_resolve {
        out.push(Line::styled(
            format!("{how} V verifies the fix of this finding; c changes its status."),
            theme.dim(),
        ));
    }
    let waiting = state.detail.as_ref().is_some_and(|d| d.loading) && is_list_row(f);
    if waiting {
        // The list keeps no description, evidence or fix: they are coming.
        out.push(Line::raw(""));
        out.push(Line::styled(
            "loading the description, evidence and fix…",
            theme.dim(),
        ));
        return out;
    }
    out.push(Line::raw(""));
    out.push(heading("Description", theme));
    for line in v.description.lines() {
        out.push(Line::raw(line.to_string()));
    }
    out.push(Line::raw(""));
    out.push(heading(&v.fix_heading, theme));
    for line in v.fix_summary.lines() {
        out.push(Line::raw(line.to_string()));
    }
    for (i, step) in v.fix_steps.iter().enumerate() {
        out.push(Line::raw(format!("  {}. {step}", i + 1)));
    }
    for (title, items) in [("Affected assets", &v.assets), ("Evidence", &v.evidence)] {
        out.push(Line::raw(""));
        out.push(heading(title, theme));
        if items.is_empty() {
            out.push(Line::styled("  none listed", theme.dim()));
        }
        for item in items {
            out.push(Line::raw(format!("  {item}")));
        }
    }
    out
}

/// The changes made to the finding through krafter on this machine (the
/// journal of bulk jobs), with their reason and comment.
fn history(
    out: &mut Vec<Line<'static>>,
    history: Option<&Result<Vec<HistoryEntry>, String>>,
    state: &AppState,
    theme: &Theme,
) {
    out.push(Line::raw(""));
    out.push(heading("History on this machine", theme));
    let entries = match history {
        None => {
            out.push(Line::styled("  reading…", theme.dim()));
            return;
        }
        Some(Err(why)) => {
            out.push(Line::styled(
                format!("  not available: {}", sanitize(why)),
                theme.dim(),
            ));
            return;
        }
        Some(Ok(entries)) => entries,
    };
    if entries.is_empty() {
        out.push(Line::styled(
            "  no change made through krafter's bulk changes here",
            theme.dim(),
        ));
    }
    for e in entries {
        let line = history_line(e, &state.session.people);
        out.push(Line::raw(format!("  {line}")));
    }
}
