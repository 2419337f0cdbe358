//! The tasks pane: the project's tasks with their finding, status,
//! priority, owner, SLA as time left, ticket and PR. Only the rows on
//! screen are built; each row is a [`TaskView`], as `krafter tasks` shows it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Wrap};

use super::text::fit;
use super::theme::Theme;
use crate::api::model::TaskStatus;
use crate::app::layout::first_row;
use crate::app::state::{AppState, Load, Pane};
use crate::engine::task_view::TaskView;
use crate::sanitize::sanitize;

/// Draws the tasks pane.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let t = &state.remediation.tasks;
    let total = t.total.map_or("?".to_string(), |n| n.to_string());
    let mut title = vec![
        Span::styled(" Tasks ", theme.title()),
        Span::raw(format!("{} of {total} ", t.rows.len())),
    ];
    if let Some(status) = &t.status {
        title.push(Span::styled(
            format!("· status {} ", sanitize(status.as_str())),
            theme.title(),
        ));
    }
    if t.load.is_loading() {
        title.push(Span::styled("· loading… ", theme.dim()));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(state.pane == Pane::Tasks))
        .title(Line::from(title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 {
        return;
    }
    if let Load::NotOffered(why) = &t.load {
        let p = Paragraph::new(Line::styled(why.clone(), theme.dim())).wrap(Wrap { trim: true });
        frame.render_widget(p, inner);
        return;
    }
    let body = Rect::new(
        inner.x,
        inner.y,
        inner.width,
        inner.height.saturating_sub(1),
    );
    let note = Rect::new(inner.x, inner.bottom().saturating_sub(1), inner.width, 1);
    if t.rows.is_empty() {
        let (text, style) = match &t.load {
            Load::Failed(why) => (why.clone(), theme.error()),
            Load::Loading | Load::NotAsked => ("loading tasks…".to_string(), theme.dim()),
            _ => (empty_text(state), theme.dim()),
        };
        let p = Paragraph::new(Line::styled(text, style)).wrap(Wrap { trim: true });
        frame.render_widget(p, body);
    } else {
        table(frame, body, state, theme);
    }
    frame.render_widget(Paragraph::new(note_line(state, theme, inner.width)), note);
}

fn empty_text(state: &AppState) -> String {
    let key = state.keymap.key_of(crate::app::keymap::Intent::CreateTask);
    match &state.remediation.tasks.status {
        Some(s) => format!(
            "no task is {}: press f for another status",
            sanitize(s.as_str())
        ),
        None => format!("no tasks yet: press {key} on a finding to create its task"),
    }
}

/// The line under the table: a failure, what is not offered, or paging.
fn note_line(state: &AppState, theme: &Theme, width: u16) -> Line<'static> {
    let t = &state.remediation.tasks;
    let width = width as usize;
    if let (Load::Failed(why), false) = (&t.load, t.rows.is_empty()) {
        return Line::styled(fit(why, width), theme.error());
    }
    if let Some(why) = &t.changes_not_offered {
        return Line::styled(fit(why, width), theme.dim());
    }
    if !t.rows.is_empty() && !t.pager.is_done() {
        return Line::styled("more tasks load as the cursor nears the end", theme.dim());
    }
    Line::raw("")
}

fn table(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let t = &state.remediation.tasks;
    let wide = area.width >= 100;
    let mut widths = vec![
        Constraint::Min(16),
        Constraint::Length(12),
        Constraint::Length(8),
    ];
    let mut header = vec!["Finding", "Status", "Priority"];
    if wide {
        widths.push(Constraint::Length(14));
        header.push("Owner");
    }
    widths.push(Constraint::Length(13));
    header.push("SLA");
    widths.push(Constraint::Length(10));
    header.push("Ticket");
    if wide {
        widths.push(Constraint::Length(28));
        header.push("PR");
    }
    let height = area.height.saturating_sub(1) as usize;
    let rows = t
        .rows
        .iter()
        .enumerate()
        .skip(first_row(t.cursor, t.scroll, height, t.rows.len()))
        .take(height)
        .map(|(i, task)| {
            let title = state.title_of(&task.finding_id);
            let v = TaskView::of(task, title.as_deref(), &state.session.people, state.wall);
            let pending = state.remediation.is_pending(&task.id);
            let mut finding = v.title.clone();
            if pending {
                finding = format!("… {finding}");
            }
            let mut cells = vec![
                Cell::from(finding),
                Cell::from(fit(&v.status, 12)).style(status_style(&task.status, theme)),
                Cell::from(fit(&v.priority, 8)),
            ];
            if wide {
                let owner = v.owner.split(" (").next().unwrap_or(&v.owner).to_string();
                cells.push(Cell::from(fit(&owner, 14)).style(theme.dim()));
            }
            let sla_style = if v.overdue {
                theme.error()
            } else {
                theme.dim()
            };
            cells.push(Cell::from(fit(&v.sla, 13)).style(sla_style));
            cells.push(Cell::from(fit(&v.ticket, 10)));
            if wide {
                cells.push(Cell::from(fit(&v.pr, 28)).style(theme.dim()));
            }
            let row = Row::new(cells);
            if i == t.cursor && state.pane == Pane::Tasks {
                row.style(theme.selected())
            } else {
                row
            }
        });
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.title()))
        .column_spacing(1);
    frame.render_widget(table, area);
}

fn status_style(status: &TaskStatus, theme: &Theme) -> ratatui::style::Style {
    match status {
        TaskStatus::Done => theme.fg(theme.good),
        TaskStatus::Blocked => theme.fg(theme.warn),
        TaskStatus::ReadyVerify => theme.fg(theme.accent),
        _ => ratatui::style::Style::default(),
    }
}
