//! The findings list grouped (`z`): one row per check or page, with how
//! many findings it has, the worst severity and the statuses; only the
//! rows on screen are built.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::text::fit;
use super::theme::Theme;
use crate::app::layout::first_row;
use crate::app::state::{AppState, Group, GroupBy, Pane};
use crate::humanize::count as count_of;
use crate::sanitize::sanitize;

/// The pane title's count: `14 groups · 240 findings`, and what the
/// groups cover while the list is still loading.
pub fn count(state: &AppState) -> String {
    let f = &state.findings;
    let g = &f.grouping;
    let findings: usize = g.groups.iter().map(|x| x.positions.len()).sum();
    let groups = g.groups.len();
    let mut out = format!(
        "{} group{} · {} finding{} ",
        count_of(groups as u64),
        if groups == 1 { "" } else { "s" },
        count_of(findings as u64),
        if findings == 1 { "" } else { "s" }
    );
    if !f.all_loaded() {
        let total = f.total.map_or("?".to_string(), count_of);
        out.push_str(&format!(
            "· over {} of {total} loaded ",
            count_of(f.rows.len() as u64)
        ));
    }
    out
}

/// What the filter line says of the grouping: `grouped by check`, or the
/// open group.
pub fn describe(state: &AppState) -> Option<String> {
    let g = &state.findings.grouping;
    let by = g.by?;
    Some(match (&g.open, g.opened()) {
        (Some(_), Some(group)) => format!(
            "group of {} (esc: all groups): {}",
            group.positions.len(),
            label(group, by)
        ),
        (Some(key), None) => format!("group of none now (esc: all groups): {}", sanitize(key)),
        (None, _) => format!("grouped by {}", by.name()),
    })
}

/// Draws the group rows in `area` (header line first).
pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let f = &state.findings;
    let g = &f.grouping;
    let by = g.by.unwrap_or(GroupBy::Check);
    let medium = area.width >= 70;
    // The statuses column is as wide as its longest text, within a limit.
    let room = if area.width >= 100 { 40 } else { 22 };
    let statuses = g
        .groups
        .iter()
        .map(|x| unicode_width::UnicodeWidthStr::width(x.statuses_text().as_str()))
        .max()
        .unwrap_or(0)
        .clamp(8, room);
    let mut widths = vec![
        Constraint::Length(1),
        Constraint::Length(10),
        Constraint::Length(8),
    ];
    let mut header = vec!["", "Worst", "Findings"];
    if medium {
        widths.push(Constraint::Length(statuses as u16));
        header.push("Statuses");
    }
    widths.push(Constraint::Min(5));
    header.push(match by {
        GroupBy::Check => "Check",
        GroupBy::Page => "Page",
    });
    let height = area.height.saturating_sub(1) as usize;
    let first = first_row(g.cursor, g.scroll, height, g.groups.len());
    let rows = g
        .groups
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .map(|(at, group)| {
            let row = group_row(state, theme, group, by, medium.then_some(statuses));
            if at == g.cursor && state.pane == Pane::Findings {
                row.style(theme.selected())
            } else {
                row
            }
        });
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.title()))
        .column_spacing(1);
    frame.render_widget(table, area);
    if g.groups.is_empty() && area.height > 1 {
        let text = if f.loading {
            "loading…"
        } else {
            "no findings to group: press x to clear the filters, z to stop grouping"
        };
        let below = Rect::new(area.x, area.y + 1, area.width, area.height - 1);
        frame.render_widget(Paragraph::new(Span::styled(text, theme.dim())), below);
    }
}

fn group_row<'a>(
    state: &AppState,
    theme: &Theme,
    group: &'a Group,
    by: GroupBy,
    statuses: Option<usize>,
) -> Row<'a> {
    let f = &state.findings;
    let marked = group
        .positions
        .iter()
        .filter(|&&p| f.row_at(p).is_some_and(|r| f.marks.contains(r)))
        .count();
    let mark = if marked == 0 {
        " "
    } else if marked == group.positions.len() {
        "•"
    } else {
        "◦"
    };
    let sev = format!(
        "{} {}",
        group.worst.symbol(),
        fit(&sanitize(group.worst.as_str()), 8)
    );
    let mut cells = vec![
        Cell::from(mark).style(theme.title()),
        Cell::from(sev).style(theme.severity(&group.worst)),
        Cell::from(format!("{:>8}", count_of(group.positions.len() as u64))),
    ];
    if let Some(width) = statuses {
        cells.push(Cell::from(fit(&sanitize(&group.statuses_text()), width)).style(theme.dim()));
    }
    cells.push(Cell::from(label(group, by)));
    Row::new(cells)
}

/// A group's name on screen: the check's title, or the page without its
/// scheme.
fn label(group: &Group, by: GroupBy) -> String {
    let text = match by {
        GroupBy::Check => group.label.as_str(),
        GroupBy::Page => group
            .label
            .split_once("://")
            .map_or(group.label.as_str(), |(_, rest)| rest),
    };
    sanitize(text).into_owned()
}
