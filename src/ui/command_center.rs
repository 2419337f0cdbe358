//! The command center pane: health score, counts, impact, top priorities.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::findings::url_path;
use super::status_bar;
use super::text::fit;
use super::theme::{Theme, health_band};
use crate::api::model::CommandCenter;
use crate::app::state::{AppState, Load, Pane};
use crate::engine::sla::OVERDUE_SYMBOL;
use crate::sanitize::sanitize;

/// The pane's frame, with how old its data is.
fn block(state: &AppState, theme: &Theme) -> Block<'static> {
    let cc = &state.command_center;
    let mut title = vec![Span::styled(" Command center ", theme.title())];
    if let Some(at) = cc.updated_at {
        let secs = state.now.saturating_duration_since(at).as_secs();
        if state.alerts.is_stale() {
            // The last good data stays, said to be old: refreshes fail.
            title.push(Span::styled(
                format!("· stale: updated {secs}s ago "),
                theme.error(),
            ));
        } else {
            title.push(Span::styled(format!("· updated {secs}s ago "), theme.dim()));
        }
    }
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(state.pane == Pane::CommandCenter))
        .title(Line::from(title))
}

/// What to show while there is no data.
fn placeholder(state: &AppState, theme: &Theme) -> Line<'static> {
    let text = if state.command_center.loading {
        "loading the command center…"
    } else {
        "no data yet: press r to load the command center"
    };
    Line::styled(text, theme.dim())
}

/// Draws the command center pane (small terminals: a tab of its own).
pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let block = block(state, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    match &state.command_center.data {
        None => lines.push(placeholder(state, theme)),
        Some(data) => {
            summary(&mut lines, data, theme, width);
            if let Some(line) = remediation_line(state, theme, width) {
                lines.insert(2, line);
            }
            lines.push(Line::raw(""));
            lines.push(Line::styled("Top priorities", theme.title()));
            priorities(&mut lines, state, theme, data, width);
        }
    }
    if let Some(scan) = status_bar::scan_line(state) {
        lines.push(Line::raw(""));
        lines.push(Line::from(scan));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// Draws the command center as a band above the findings (roomy
/// terminals): the summary on the left, the top priorities on the right.
pub fn render_band(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let block = block(state, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(data) = &state.command_center.data else {
        frame.render_widget(Paragraph::new(placeholder(state, theme)), inner);
        return;
    };
    let left_width = (inner.width / 2).min(52);
    let left = Rect::new(inner.x, inner.y, left_width, inner.height);
    let right = Rect::new(
        inner.x + left_width + 2,
        inner.y,
        inner.width.saturating_sub(left_width + 2),
        inner.height,
    );
    let mut lines = Vec::new();
    summary(&mut lines, data, theme, left.width as usize);
    if let Some(line) = remediation_line(state, theme, left.width as usize) {
        // The band has five lines: the period gives way.
        if let Some(period) = lines.get_mut(2) {
            *period = line;
        }
    }
    frame.render_widget(Paragraph::new(lines), left);
    let mut lines = Vec::new();
    priorities(&mut lines, state, theme, data, right.width as usize);
    frame.render_widget(Paragraph::new(lines), right);
}

/// The top five priorities, one line each, with the page when the finding
/// is loaded (several priorities are often the same check on other pages).
fn priorities(
    lines: &mut Vec<Line<'static>>,
    state: &AppState,
    theme: &Theme,
    data: &CommandCenter,
    width: usize,
) {
    let cc = &state.command_center;
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
        let room = width.saturating_sub(sev.chars().count() + 10);
        let path = state
            .finding(&top.id)
            .and_then(|f| f.primary_url())
            .and_then(url_path)
            .map(|p| format!("  {p}"))
            .unwrap_or_default();
        let title = sanitize(&top.title).into_owned();
        let title_room = room.saturating_sub(path.chars().count().min(room / 2));
        let title = fit(&title, title_room);
        let path = fit(&path, room.saturating_sub(title.chars().count()));
        let pad = room.saturating_sub(title.chars().count() + path.chars().count());
        let mut line = Line::from(vec![
            Span::raw(format!("{}. ", i + 1)),
            Span::styled(sev, theme.severity(&top.severity)),
            Span::raw(" "),
            Span::raw(title),
            Span::styled(path, theme.dim()),
            Span::raw(" ".repeat(pad)),
            Span::styled(format!("  {score:>3}"), theme.dim()),
        ]);
        if i == cc.selected && state.pane == Pane::CommandCenter {
            line = line.style(theme.selected());
        }
        lines.push(line);
    }
}

/// `Regressions 1 open · ⚠ 3 past SLA (in 40 loaded)`: what the remediation
/// loop adds to the counts, once anything of it is known.
fn remediation_line(state: &AppState, theme: &Theme, width: usize) -> Option<Line<'static>> {
    let r = &state.remediation.regressions;
    let mut spans: Vec<Span<'static>> = Vec::new();
    match (r.open_count(), &r.open_load) {
        (Some(n), _) => {
            // The badge's symbol with the word, so it reads without colour.
            let style = if n > 0 { theme.error() } else { theme.title() };
            spans.push(Span::styled(format!("↺ Regressions {n} open"), style));
        }
        (None, Load::NotOffered(_)) => {
            spans.push(Span::styled("Regressions: not offered here", theme.dim()));
        }
        _ => {}
    }
    if let Some(count) = state.sla_breaches() {
        if !spans.is_empty() {
            spans.push(Span::raw(" · "));
        }
        let style = if count.breached > 0 {
            theme.error()
        } else {
            theme.title()
        };
        spans.push(Span::styled(
            format!("{OVERDUE_SYMBOL} {} past SLA", count.breached),
            style,
        ));
        if !count.complete {
            spans.push(Span::styled(
                format!(" (in {} loaded)", count.of),
                theme.dim(),
            ));
        }
    }
    if spans.is_empty() {
        return None;
    }
    let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
    if text.chars().count() > width {
        return Some(Line::styled(fit(&text, width), theme.dim()));
    }
    Some(Line::from(spans))
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
    let (cwv, security, regression) = (
        pct(impact.cwv_improvement_pct),
        pct(impact.security_risk_reduction_pct),
        pct(impact.regression_risk_pct),
    );
    let text = format!(
        "Fixing the top priorities: web vitals +{cwv} · security risk −{security} · regression risk −{regression}"
    );
    if text.chars().count() <= width {
        lines.push(Line::raw(text));
    } else {
        // Narrow (the band): the same numbers on two lines.
        lines.push(Line::styled("Fixing the top priorities:", theme.dim()));
        let short = format!("vitals +{cwv} · security −{security} · regression −{regression}");
        lines.push(Line::raw(fit(&short, width)));
    }
}
