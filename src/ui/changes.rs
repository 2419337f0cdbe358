//! The "what changed" view: new, resolved, dismissed and regressed findings
//! of a period, status changes made through krafter, and the risk then and
//! now.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::popup;
use super::theme::Theme;
use crate::api::model::Severity;
use crate::app::keymap::Intent;
use crate::app::state::AppState;
use crate::engine::changes::{ChangeReport, ChangedFinding};
use crate::sanitize::sanitize;

/// Draws the view over the panes.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme, scroll: u16) {
    let width = area.width.saturating_sub(4).min(110);
    let rect = popup::centered(area, width, area.height.saturating_sub(2));
    let Some(view) = &state.changes else {
        return;
    };
    let title = format!(
        "What changed · last {} · {} next period",
        view.period_label(),
        state.keymap.key_of(Intent::ViewPeriod)
    );
    let inner = popup::open(frame, rect, &title, theme);
    let mut lines: Vec<Line> = Vec::new();
    if view.loading {
        lines.push(Line::styled(
            format!(
                "reading the findings, regressions and burn-down of the last {}…",
                view.period_label()
            ),
            theme.dim(),
        ));
    }
    if let Some(error) = &view.error {
        lines.push(Line::styled(
            format!(
                "✖ could not be read: {error}; {} closes, {} opens it again",
                state.keymap.key_of(Intent::ViewClose),
                state.keymap.key_of(Intent::Changes)
            ),
            theme.error(),
        ));
    }
    if let Some(report) = &view.report {
        report_lines(&mut lines, report, theme);
    }
    let max = lines.len().saturating_sub(1) as u16;
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll.min(max), 0)),
        inner,
    );
}

fn number(n: Option<f64>) -> String {
    n.map_or("?".to_string(), |n| format!("{n:.0}"))
}

fn report_lines(lines: &mut Vec<Line<'static>>, report: &ChangeReport, theme: &Theme) {
    let h = &report.health;
    let from = h
        .from
        .as_ref()
        .map_or("?".to_string(), |p| number(p.open_risk_score));
    let score =
        h.to.health_score
            .map_or(String::new(), |s| format!(" · health score {s} now"));
    lines.push(Line::raw(format!(
        "Open risk {from} then → {} now{score}",
        number(h.to.open_risk_score)
    )));
    let sections = [
        ("New", &report.new),
        ("Resolved", &report.resolved),
        ("Dismissed", &report.dismissed),
    ];
    for (name, list) in sections {
        heading(lines, name, list.len(), theme);
        for f in list {
            lines.push(finding_line(f, theme));
        }
    }
    match &report.regressed {
        Some(list) => {
            heading(lines, "Regressed", list.len(), theme);
            for r in list {
                let what = r.title.as_deref().unwrap_or(&r.finding_id);
                lines.push(Line::raw(format!("  ↺ {}", sanitize(what))));
            }
        }
        None => lines.push(Line::styled(
            "Regressions: not offered by this service",
            theme.dim(),
        )),
    }
    match &report.status_changes {
        Some(list) => {
            heading(lines, "Status changes through krafter", list.len(), theme);
            for c in list {
                lines.push(Line::raw(format!(
                    "  {} → {}  {}",
                    sanitize(&c.from),
                    sanitize(&c.to),
                    sanitize(&c.title)
                )));
            }
        }
        None => lines.push(Line::styled(
            "Status changes through krafter: no local journal",
            theme.dim(),
        )),
    }
}

fn heading(lines: &mut Vec<Line<'static>>, name: &str, count: usize, theme: &Theme) {
    lines.push(Line::styled(format!("{name} ({count})"), theme.title()));
}

fn finding_line(f: &ChangedFinding, theme: &Theme) -> Line<'static> {
    let severity = Severity::parse(&f.severity);
    Line::from(vec![
        Span::styled(
            format!("  {} {:<8} ", severity.symbol(), sanitize(&f.severity)),
            theme.severity(&severity),
        ),
        Span::raw(sanitize(&f.title).into_owned()),
    ])
}
