//! The report pane: open findings, the verification pass rate, the
//! regression rate, and the 7-day risk burn-down as a bar chart with its
//! dates under the bars and a scale beside them.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph, Wrap};

use super::text::fit;
use super::theme::Theme;
use crate::api::model::ReportSummary;
use crate::app::state::{AppState, Load, Pane};
use crate::sanitize::sanitize;

/// Columns of the scale left of the chart.
const SCALE: u16 = 7;

/// Draws the report pane.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let report = &state.remediation.report;
    let mut title = vec![Span::styled(" Report ", theme.title())];
    if report.load.is_loading() {
        title.push(Span::styled("· loading… ", theme.dim()));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(state.pane == Pane::Report))
        .title(Line::from(title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 {
        return;
    }
    let line =
        |text: String, style| Paragraph::new(Line::styled(text, style)).wrap(Wrap { trim: true });
    let data = match (&report.load, &report.data) {
        (Load::NotOffered(why), _) => {
            frame.render_widget(line(why.clone(), theme.dim()), inner);
            return;
        }
        (Load::Failed(why), None) => {
            frame.render_widget(line(why.clone(), theme.error()), inner);
            return;
        }
        (_, None) => {
            frame.render_widget(line("loading the report…".into(), theme.dim()), inner);
            return;
        }
        (_, Some(data)) => data,
    };
    let width = inner.width as usize;
    let mut top = vec![figures(data, theme, width)];
    if let Load::Failed(why) = &report.load {
        top.push(Line::styled(fit(why, width), theme.error()));
    }
    top.push(Line::styled(
        fit(
            "Risk burn-down, last 7 days: open risk score (sum of the open findings' priority scores)",
            width,
        ),
        theme.dim(),
    ));
    let head = top.len() as u16;
    frame.render_widget(
        Paragraph::new(top),
        Rect::new(inner.x, inner.y, inner.width, head.min(inner.height)),
    );
    let chart = Rect::new(
        inner.x,
        inner.y + head.min(inner.height),
        inner.width,
        inner.height.saturating_sub(head),
    );
    burn_down(frame, chart, data, theme);
}

/// `Open findings 25 · Verification pass rate 75% · Regression rate 4%`.
fn figures(data: &ReportSummary, theme: &Theme, width: usize) -> Line<'static> {
    let pct = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{:.0}%", v * 100.0));
    let open = data
        .open_findings
        .map_or("-".to_string(), |n| n.to_string());
    let parts = [
        ("Open findings ", open),
        (
            " · Verification pass rate ",
            pct(data.verification_pass_rate),
        ),
        (" · Regression rate ", pct(data.regression_rate)),
    ];
    let mut spans = Vec::new();
    let mut used = 0;
    for (label, value) in parts {
        used += label.chars().count() + value.chars().count();
        if used > width && !spans.is_empty() {
            break;
        }
        spans.push(Span::raw(label));
        spans.push(Span::styled(value, theme.title()));
    }
    Line::from(spans)
}

/// The burn-down as bars, oldest day first, with a scale (the highest
/// value and zero) to their left.
fn burn_down(frame: &mut Frame, area: Rect, data: &ReportSummary, theme: &Theme) {
    if area.height < 3 || area.width <= SCALE + 7 {
        return;
    }
    let points = &data.risk_burn_down;
    if points.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled(
                "the service sent no burn-down points",
                theme.dim(),
            )),
            area,
        );
        return;
    }
    let values: Vec<u64> = points
        .iter()
        .map(|p| p.open_risk_score.unwrap_or(0.0).max(0.0).round() as u64)
        .collect();
    let max = values.iter().copied().max().unwrap_or(0).max(1);
    let room = area.width - SCALE;
    let count = points.len() as u16;
    let bar_width = (room.saturating_sub(count) / count).clamp(1, 12);
    let bars: Vec<Bar> = points
        .iter()
        .zip(&values)
        .map(|(p, v)| {
            let date = p
                .date
                .as_deref()
                .map(day_label)
                .unwrap_or_else(|| "?".into());
            Bar::default()
                .value(*v)
                .label(Line::from(date))
                .text_value(v.to_string())
                .style(theme.fg(theme.accent))
                .value_style(theme.selected())
        })
        .collect();
    let chart = BarChart::default()
        .data(BarGroup::default().bars(&bars))
        .bar_width(bar_width)
        .bar_gap(1)
        .max(max)
        .label_style(theme.dim());
    frame.render_widget(chart, Rect::new(area.x + SCALE, area.y, room, area.height));
    // The scale: the top of the bars is `max`, their foot (above the date
    // line) is zero.
    let mut scale = |y: u16, text: String| {
        frame.render_widget(
            Paragraph::new(Span::styled(format!("{text:>5} ┤"), theme.dim())),
            Rect::new(area.x, y, SCALE, 1),
        );
    };
    scale(area.y, max.to_string());
    scale(area.bottom().saturating_sub(2), "0".to_string());
}

/// `2025-06-15` → `06-15`; anything else as sent, cut short.
fn day_label(date: &str) -> String {
    let date = sanitize(date);
    match date.split('-').collect::<Vec<_>>().as_slice() {
        [_, month, day] if month.len() == 2 && day.len() == 2 => format!("{month}-{day}"),
        _ => fit(&date, 5),
    }
}
