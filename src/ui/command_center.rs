//! The command center pane: health score, counts, impact, top priorities.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::theme::{Theme, health_band};
use super::{fit, status_bar};
use crate::api::model::CommandCenter;
use crate::app::state::{AppState, Pane};
use crate::sanitize::sanitize;

/// Draws the command center pane.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let theme = &state.theme;
    let cc = &state.command_center;
    let mut title = vec![Span::styled(" Command center ", theme.title())];
    if let Some(at) = cc.updated_at {
        let secs = state.now.saturating_duration_since(at).as_secs();
        title.push(Span::styled(format!("· updated {secs}s ago "), theme.dim()));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(state.pane == Pane::CommandCenter))
        .title(Line::from(title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    match &cc.data {
        None if cc.loading => lines.push(Line::styled("loading the command center…", theme.dim())),
        None => lines.push(Line::styled(
            "no data yet: press r to load the command center",
            theme.dim(),
        )),
        Some(data) => {
            summary(&mut lines, data, theme, width);
            lines.push(Line::raw(""));
            lines.push(Line::styled("Top priorities", theme.title()));
            if data.top_priorities.is_empty() {
                lines.push(Line::styled("  nothing unresolved: well done", theme.dim()));
            }
            for (i, top) in data.top_priorities.iter().take(5).enumerate() {
                let score = top.priority.score.map_or("-".into(), |s| s.to_string());
                let sev = format!(
                    "{} {:<8}",
                    top.severity.symbol(),
                    fit(top.severity.as_str(), 8)
                );
                let title_room = width.saturating_sub(sev.chars().count() + 14);
                let mut line = Line::from(vec![
                    Span::raw(format!(" {}. ", i + 1)),
                    Span::styled(sev, theme.severity(&top.severity)),
                    Span::raw(" "),
                    Span::raw(format!(
                        "{:<title_room$}",
                        fit(&sanitize(&top.title), title_room)
                    )),
                    Span::styled(format!("  {score:>3}"), theme.dim()),
                ]);
                if i == cc.selected && state.pane == Pane::CommandCenter {
                    line = line.style(theme.selected());
                }
                lines.push(line);
            }
        }
    }
    if let Some(scan) = status_bar::scan_line(state) {
        lines.push(Line::raw(""));
        lines.push(Line::from(scan));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn summary(lines: &mut Vec<Line<'static>>, data: &CommandCenter, theme: &Theme, width: usize) {
    let score = data.health_score.unwrap_or(0).clamp(0, 100);
    let band = health_band(score);
    let label = format!(" {score}/100 {band}");
    let bar_width = width.saturating_sub(label.len() + 8).min(40);
    let filled = bar_width * score as usize / 100;
    lines.push(Line::from(vec![
        Span::styled("Health ", theme.title()),
        Span::styled("█".repeat(filled), theme.health(score)),
        Span::styled("░".repeat(bar_width - filled), theme.dim()),
        Span::styled(label, theme.health(score).add_modifier(Modifier::BOLD)),
    ]));
    let count = |n: Option<i64>| n.map_or("-".to_string(), |n| n.to_string());
    lines.push(Line::from(vec![
        Span::raw("Unresolved "),
        Span::styled(count(data.unresolved_findings), theme.title()),
        Span::raw("   Critical "),
        Span::styled(
            count(data.critical_findings),
            theme.severity(&crate::api::model::Severity::Critical),
        ),
    ]));
    let period = format!(
        "Period {} → {}",
        sanitize(data.period.from.as_deref().unwrap_or("?")),
        sanitize(data.period.to.as_deref().unwrap_or("?"))
    );
    lines.push(Line::styled(fit(&period, width), theme.dim()));
    let pct = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.1}%"));
    let impact = &data.expected_impact;
    let text = format!(
        "Fixing the top priorities: web vitals +{} · security risk −{} · regression risk −{}",
        pct(impact.cwv_improvement_pct),
        pct(impact.security_risk_reduction_pct),
        pct(impact.regression_risk_pct)
    );
    lines.push(Line::raw(fit(&text, width)));
}
