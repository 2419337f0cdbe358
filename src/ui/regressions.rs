//! The regressions pane: resolved findings that a scan found again — the
//! finding, the scan, when — open ones by default, closed ones on demand.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Wrap};

use super::text::{age, fit};
use super::theme::Theme;
use crate::api::model::{Regression, RegressionStatus};
use crate::app::layout::first_row;
use crate::app::state::{AppState, Load, Pane};
use crate::engine::people::short_id;
use crate::sanitize::sanitize;

/// The badge of an open regression, a symbol and a word.
pub const BADGE: &str = "↺ regressed";

/// Draws the regressions pane.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let r = &state.remediation.regressions;
    let mut title = vec![Span::styled(" Regressions ", theme.title())];
    if !r.load.is_not_offered() {
        title.push(Span::raw(format!("{} {} ", r.rows.len(), r.filter.label())));
    }
    if r.load.is_loading() {
        title.push(Span::styled("· loading… ", theme.dim()));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(state.pane == Pane::Regressions))
        .title(Line::from(title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 {
        return;
    }
    let line =
        |text: String, style| Paragraph::new(Line::styled(text, style)).wrap(Wrap { trim: true });
    match (&r.load, r.rows.is_empty()) {
        (Load::NotOffered(why), _) => {
            frame.render_widget(line(why.clone(), theme.dim()), inner);
            return;
        }
        (Load::Failed(why), true) => {
            frame.render_widget(line(why.clone(), theme.error()), inner);
            return;
        }
        (Load::Loading | Load::NotAsked, true) => {
            frame.render_widget(line("loading regressions…".into(), theme.dim()), inner);
            return;
        }
        (_, true) => {
            let text = match r.filter.status() {
                Some(RegressionStatus::Open) => {
                    "no open regressions: nothing fixed has come back (f shows closed ones)"
                }
                _ => "no regressions to show (f changes which are listed)",
            };
            frame.render_widget(line(text.into(), theme.dim()), inner);
            return;
        }
        _ => {}
    }
    let body = Rect::new(
        inner.x,
        inner.y,
        inner.width,
        inner.height.saturating_sub(1),
    );
    let widths = [
        Constraint::Length(11),
        Constraint::Min(16),
        Constraint::Length(9),
        Constraint::Length(9),
        Constraint::Length(7),
    ];
    let header = Row::new(["Status", "Finding", "Scan", "Detected", "Closed"]).style(theme.title());
    let height = body.height.saturating_sub(1) as usize;
    let rows = r
        .rows
        .iter()
        .enumerate()
        .skip(first_row(r.cursor, r.scroll, height, r.rows.len()))
        .take(height)
        .map(|(i, reg)| {
            let row = row(state, theme, reg);
            if i == r.cursor && state.pane == Pane::Regressions {
                row.style(theme.selected())
            } else {
                row
            }
        });
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        body,
    );
    if let Load::Failed(why) = &r.load {
        let note = Rect::new(inner.x, inner.bottom().saturating_sub(1), inner.width, 1);
        frame.render_widget(
            Paragraph::new(Line::styled(fit(why, inner.width as usize), theme.error())),
            note,
        );
    }
}

fn row<'a>(state: &'a AppState, theme: &Theme, r: &'a Regression) -> Row<'a> {
    let (status, style) = match &r.status {
        RegressionStatus::Open => (BADGE.to_string(), theme.error()),
        RegressionStatus::Closed => ("✓ closed".to_string(), theme.fg(theme.good)),
        other => (sanitize(other.as_str()).into_owned(), theme.dim()),
    };
    let finding = state
        .title_of(&r.finding_id)
        .unwrap_or_else(|| format!("finding {}", short_id(&r.finding_id)));
    let when = |t: &Option<crate::api::model::Timestamp>| {
        let at = t.as_ref().and_then(|t| t.get());
        if at.is_some() {
            format!("{} ago", age(at, state.wall))
        } else {
            "-".to_string()
        }
    };
    Row::new(vec![
        Cell::from(status).style(style),
        Cell::from(finding),
        Cell::from(r.scan_id.as_deref().map_or("-".to_string(), short_id)).style(theme.dim()),
        Cell::from(when(&r.detected_at)),
        Cell::from(when(&r.closed_at)).style(theme.dim()),
    ])
}
