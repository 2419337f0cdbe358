//! The findings list: only the rows on screen are built, borrowing from the
//! state.

use super::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Cell, Paragraph, Row, Scrollbar, ScrollbarOrientation, ScrollbarState, Table,
};

use super::regressions::BADGE;
use super::text::{age, fit};
use crate::api::model::FindingRow;
use crate::app::layout::{self, first_row};
use crate::app::state::{AppState, Column, FindingsState, Pane, SortKey};
use crate::engine::sla::Sla;
use crate::humanize::count as count_of;
use crate::sanitize::sanitize;

/// What the list covers: `40 of 120` when every row is here; over a
/// partly loaded list, the row under the cursor (`row 7 of 100,000 · 200
/// loaded`), or what a sort or a text filter looked at (`filter over 200
/// of 100,000 loaded`) and what the server found for the text.
fn count(f: &FindingsState) -> String {
    let text = f.filter_text().trim();
    let total = f.total.map_or("?".to_string(), count_of);
    let loaded = count_of(f.rows.len() as u64);
    let n = f.visible.len();
    let partial = !f.all_loaded();
    if text.is_empty() {
        if !partial {
            return format!("{n} of {total} ");
        }
        if f.shows_every_position() {
            let row = if n == 0 { 0 } else { f.cursor + 1 };
            return format!("row {} of {total} · {loaded} loaded ", count_of(row as u64));
        }
        if f.sort != SortKey::Priority {
            return format!(
                "{n} shown · sorted by {} over {loaded} of {total} loaded ",
                f.sort.label()
            );
        }
        return format!("{n} of {total} ");
    }
    let word = if n == 1 { "match" } else { "matches" };
    if !partial {
        return format!("{n} {word} of {loaded} loaded · {total} total ");
    }
    let mut out = format!("{n} {word} · filter over {loaded} of {total} loaded ");
    if let Some(found) = f.search.result_for(text) {
        out.push_str(&format!("· {} on the server ", count_of(found.total())));
    } else if f.search.waiting() {
        out.push_str("· asking the server… ");
    }
    out
}

/// Draws the findings list, building only the rows on screen.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let f = &state.findings;
    let grouped = f.grouping.shows_groups();
    let mut title = vec![
        Span::styled(" Findings ", theme.title()),
        Span::raw(if grouped {
            super::groups::count(state)
        } else {
            count(f)
        }),
    ];
    if !f.marks.is_empty() {
        let not_loaded = f.marked_not_loaded();
        let more = if not_loaded > 0 {
            format!(" ({not_loaded} not loaded)")
        } else {
            String::new()
        };
        title.push(Span::styled(
            format!("· {} marked{more} ", f.marks.count()),
            theme.title(),
        ));
    }
    if f.loading {
        title.push(Span::styled("· loading… ", theme.dim()));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(state.pane == Pane::Findings))
        .title(Line::from(title));
    frame.render_widget(block, area);
    let parts = layout::findings(area, f.filter_line_shown());
    if let Some(line) = parts.views {
        views_line(frame, line, state, theme);
    }
    if let Some(line) = parts.filter {
        filter_line(frame, line, state, theme);
    }
    let body = Rect::new(
        parts.header.x,
        parts.header.y,
        parts.header.width,
        parts.rows.height + parts.header.height,
    );
    if grouped {
        super::groups::render(frame, body, state, theme);
        return;
    }
    let wide = area.width >= 100;
    let medium = area.width >= 70;
    let mut widths = vec![
        Constraint::Length(1),
        Constraint::Length(10),
        Constraint::Length(12),
    ];
    let mut header = vec!["", "Severity", "Status"];
    if medium {
        widths.push(Constraint::Length(13));
        header.push("Domain");
    }
    widths.push(Constraint::Length(5));
    header.push("Score");
    if wide {
        widths.extend([
            Constraint::Length(owner_width(state) as u16),
            Constraint::Length(4),
        ]);
        header.extend(["Owner", "Age"]);
    }
    // Once the policy is known, time left before the SLA is breached.
    let sla = wide && state.findings.sla.is_some();
    if sla {
        widths.push(Constraint::Length(13));
        header.push("SLA");
    }
    widths.push(Constraint::Min(5));
    header.push("Title");
    // A view that chose its columns: those, in its order, as many as fit.
    let chosen = chosen_columns(state, area.width);
    if let Some(columns) = &chosen {
        (widths, header) = column_layout(state, columns);
    }
    let head = Row::new(header).style(theme.title());
    let height = parts.rows.height as usize;
    let columns = widths.len();
    let rows = f
        .visible
        .iter()
        .enumerate()
        .skip(first_row(f.cursor, f.scroll, height, f.visible.len()))
        .take(height)
        .map(|(at, &pos)| {
            let row = match (f.row_at(pos), &chosen) {
                (Some(finding), Some(chosen)) => row_of(state, theme, finding, chosen),
                (Some(finding), None) => row(state, theme, finding, medium, wide, sla),
                (None, _) => placeholder(f, pos, columns, theme),
            };
            if at == f.cursor && state.pane == Pane::Findings {
                row.style(theme.selected())
            } else {
                row
            }
        });
    let table = Table::new(rows, widths).header(head).column_spacing(1);
    frame.render_widget(table, body);
    if f.visible.len() > height && height > 1 {
        // Where the screen is in the whole list, on the pane's right edge.
        let mut bar = ScrollbarState::new(f.visible.len())
            .position(f.cursor)
            .viewport_content_length(height);
        let edge = Rect::new(
            area.right().saturating_sub(1),
            parts.rows.y,
            1,
            parts.rows.height,
        );
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight)
                .begin_symbol(None)
                .end_symbol(None)
                .track_symbol(Some("│"))
                .thumb_symbol("█"),
            edge,
            &mut bar,
        );
    }
    if f.visible.is_empty() && !f.loading && parts.rows.height > 0 {
        let text = if f.grouping.open.is_some() {
            "no finding of this group is shown now: esc goes back to the groups"
        } else if f.rows.is_empty() {
            "no findings match: press x to clear the filters, r to refresh"
        } else {
            "no loaded finding matches the text filter: esc clears it"
        };
        frame.render_widget(Paragraph::new(Span::styled(text, theme.dim())), parts.rows);
    }
}

/// A row whose page is still on its way, or failed (moving asks again),
/// or came back short (`r` reloads the list).
fn placeholder<'a>(f: &FindingsState, pos: usize, columns: usize, theme: &Theme) -> Row<'a> {
    let page = f.window.as_ref().map(|w| (w, w.page_of(pos as u64)));
    let text = match page {
        Some((w, page)) if w.in_flight.contains(&page) => "loading…",
        Some((w, page)) if w.failed.contains(&page) => "not loaded: move to try again",
        Some((w, page)) if w.answered.contains(&page) => "not sent: r reloads the list",
        _ => "loading…",
    };
    let mut cells: Vec<Cell> = (1..columns).map(|_| Cell::from("")).collect();
    cells.push(Cell::from(Span::styled(text, theme.dim())));
    Row::new(cells)
}

fn row<'a>(
    state: &'a AppState,
    theme: &Theme,
    f: &'a FindingRow,
    medium: bool,
    wide: bool,
    sla: bool,
) -> Row<'a> {
    let pending = state.is_pending(&f.id());
    let mark = if pending {
        "…"
    } else if state.findings.marks.contains(f) {
        "•"
    } else {
        " "
    };
    let sev = format!(
        "{} {}",
        f.severity().symbol(),
        fit(&sanitize(f.severity().as_str()), 8)
    );
    let mut cells = vec![
        Cell::from(mark).style(theme.title()),
        Cell::from(sev).style(theme.severity(f.severity())),
        Cell::from(fit(&sanitize(f.status().as_str()), 12)).style(theme.status(f.status())),
    ];
    if medium {
        cells.push(Cell::from(fit(&sanitize(f.domain().as_str()), 13)));
    }
    cells.push(Cell::from(format!("{:>5}", f.score())));
    if wide {
        // A note after the name, e.g. "Mei Lin (frontend)", waits for the detail.
        let name = state.session.people.short(f.owner_id());
        let owner = fit(name.split(" (").next().unwrap_or(&name), owner_width(state));
        cells.push(Cell::from(owner).style(theme.dim()));
        cells.push(Cell::from(age(f.created(), state.wall)).style(theme.dim()));
    }
    if let Some(hours) = state.findings.sla.as_ref().filter(|_| sla) {
        let left = Sla::at(hours.row_due(f), state.wall);
        let style = if left.is_breached() {
            theme.error()
        } else {
            theme.dim()
        };
        cells.push(Cell::from(fit(&left.text(), 13)).style(style));
    }
    // Many findings share a title; the page they are on tells them apart.
    let mut title = Vec::new();
    if state.remediation.regressions.open_of(&f.id()).is_some() {
        title.push(Span::styled(format!("{BADGE} "), theme.error()));
    }
    title.push(Span::raw(sanitize(f.title()).into_owned()));
    if let Some(path) = page_path(f) {
        title.push(Span::styled(format!("  {path}"), theme.dim()));
    }
    cells.push(Cell::from(Line::from(title)));
    Row::new(cells)
}

/// The saved views as tabs, each with its digit and count (`?` while not
/// known); the current one highlighted, and marked by a `▸` too.
fn views_line(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let v = &state.views;
    let mut spans = Vec::new();
    let mut used = 0usize;
    let room = area.width as usize;
    for (i, view) in v.views.iter().enumerate() {
        let on = v.current == Some(i);
        let digit = if i < 9 {
            format!("{} ", i + 1)
        } else {
            String::new()
        };
        let label = format!(
            "{}{digit}{} {} ",
            if on { "▸" } else { " " },
            sanitize(&view.spec.name),
            view.count.text()
        );
        let width = label.chars().count();
        if used + width > room {
            spans.push(Span::styled("…", theme.dim()));
            break;
        }
        used += width;
        let style = if on {
            theme.selected().patch(theme.title())
        } else {
            theme.dim()
        };
        spans.push(Span::styled(label, style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn filter_line(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let f = &state.findings;
    let mut spans = Vec::new();
    if let Some(input) = &f.filter_input {
        spans.push(Span::styled("/", theme.title()));
        let room = (area.width as usize).saturating_sub(2);
        let scroll = input.visual_scroll(room);
        spans.push(Span::raw(
            input.value().chars().skip(scroll).collect::<String>(),
        ));
        let x = area.x + 1 + (input.visual_cursor().saturating_sub(scroll)) as u16;
        frame.set_cursor_position((x.min(area.right().saturating_sub(1)), area.y));
    } else {
        let q = &f.query;
        let mut parts = Vec::new();
        if let Some(s) = &q.severity {
            parts.push(format!("severity={}", sanitize(s.as_str())));
        }
        if let Some(s) = &q.status {
            parts.push(format!("status={}", sanitize(s.as_str())));
        } else if f.open_only {
            parts.push("status=open".to_string());
        }
        if let Some(d) = &q.domain {
            parts.push(format!("domain={}", sanitize(d.as_str())));
        }
        if let Some(o) = &q.owner_id {
            let who = if o == "none" {
                "unassigned".to_string()
            } else {
                state.session.people.short(Some(o))
            };
            parts.push(format!("owner={who}"));
        }
        if let Some(q) = &q.q {
            parts.push(format!("text=\"{}\"", sanitize(q)));
        }
        if !f.text_filter.is_empty() {
            parts.push(format!("find=\"{}\"", sanitize(&f.text_filter)));
        }
        if parts.is_empty() {
            parts.push("no filter".to_string());
        }
        parts.push(f.sort_text());
        if let Some(grouping) = super::groups::describe(state) {
            parts.push(grouping);
        }
        let view = format!("view {}: ", sanitize(&state.views.label()));
        let room = (area.width as usize).saturating_sub(view.chars().count());
        spans.push(Span::styled(view, theme.title()));
        spans.push(Span::styled(fit(&parts.join("  "), room), theme.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The path of the page a finding is on (sanitized), unless it is the site's
/// root: many findings share a title, and their pages tell them apart.
pub fn page_path(f: &FindingRow) -> Option<String> {
    Some(sanitize(f.url_path()?).into_owned()).filter(|p| p != "/")
}

/// The path of a URL (sanitized), `/` for the site's root.
pub fn url_path(url: &str) -> Option<String> {
    let path = url
        .split_once("://")
        .map(|(_, rest)| rest.find('/').map_or("/", |i| &rest[i..]))
        .unwrap_or(url);
    Some(sanitize(path).into_owned())
}

/// The owner column: a UUID prefix, or room for names from `[people]`.
fn owner_width(state: &AppState) -> usize {
    if state.session.people.is_empty() {
        8
    } else {
        14
    }
}

/// The columns of a view that chose them: in its order, as many as fit
/// beside a title of 20 columns (a narrow one is kept when a wide one
/// does not fit); `None` for the default set.
fn chosen_columns(state: &AppState, width: u16) -> Option<Vec<Column>> {
    let v = &state.views;
    let wanted = v.views.get(v.current.unwrap_or(v.base))?.columns();
    if wanted.is_empty() {
        return None;
    }
    // Borders, the mark and its gap, the title's least width.
    let mut room = (width as usize).saturating_sub(2 + 2 + 20);
    let mut chosen = Vec::new();
    for column in wanted {
        if column == Column::Sla && state.findings.sla.is_none() {
            continue;
        }
        let needed = column_width(state, column) + 1;
        if needed <= room {
            room -= needed;
            chosen.push(column);
        }
    }
    Some(chosen)
}

fn column_width(state: &AppState, column: Column) -> usize {
    match column {
        Column::Severity => 10,
        Column::Status => 12,
        Column::Domain => 13,
        Column::Score => 5,
        Column::Owner => owner_width(state),
        Column::Age => 4,
        Column::Sla => 13,
        Column::Page => 20,
        Column::Check => 24,
    }
}

/// Widths and header of chosen columns, the mark first and the title last.
fn column_layout(state: &AppState, columns: &[Column]) -> (Vec<Constraint>, Vec<&'static str>) {
    let mut widths = vec![Constraint::Length(1)];
    let mut header = vec![""];
    for &c in columns {
        widths.push(Constraint::Length(column_width(state, c) as u16));
        header.push(match c {
            Column::Severity => "Severity",
            Column::Status => "Status",
            Column::Domain => "Domain",
            Column::Score => "Score",
            Column::Owner => "Owner",
            Column::Age => "Age",
            Column::Sla => "SLA",
            Column::Page => "Page",
            Column::Check => "Check",
        });
    }
    widths.push(Constraint::Min(5));
    header.push("Title");
    (widths, header)
}

/// A row of chosen columns.
fn row_of<'a>(
    state: &'a AppState,
    theme: &Theme,
    f: &'a FindingRow,
    columns: &[Column],
) -> Row<'a> {
    let mark = if state.is_pending(&f.id()) {
        "…"
    } else if state.findings.marks.contains(f) {
        "•"
    } else {
        " "
    };
    let mut cells = vec![Cell::from(mark).style(theme.title())];
    for &c in columns {
        cells.push(match c {
            Column::Severity => Cell::from(format!(
                "{} {}",
                f.severity().symbol(),
                fit(&sanitize(f.severity().as_str()), 8)
            ))
            .style(theme.severity(f.severity())),
            Column::Status => {
                Cell::from(fit(&sanitize(f.status().as_str()), 12)).style(theme.status(f.status()))
            }
            Column::Domain => Cell::from(fit(&sanitize(f.domain().as_str()), 13)),
            Column::Score => Cell::from(format!("{:>5}", f.score())),
            Column::Owner => {
                let name = state.session.people.short(f.owner_id());
                let owner = fit(name.split(" (").next().unwrap_or(&name), owner_width(state));
                Cell::from(owner).style(theme.dim())
            }
            Column::Age => Cell::from(age(f.created(), state.wall)).style(theme.dim()),
            Column::Sla => match state.findings.sla.as_ref() {
                Some(hours) => {
                    let left = Sla::at(hours.row_due(f), state.wall);
                    let style = if left.is_breached() {
                        theme.error()
                    } else {
                        theme.dim()
                    };
                    Cell::from(fit(&left.text(), 13)).style(style)
                }
                None => Cell::from(""),
            },
            Column::Page => Cell::from(fit(
                &f.primary_url().and_then(url_path).unwrap_or_default(),
                20,
            ))
            .style(theme.dim()),
            Column::Check => {
                Cell::from(fit(&sanitize(f.check().unwrap_or("—")), 24)).style(theme.dim())
            }
        });
    }
    let mut title = Vec::new();
    if state.remediation.regressions.open_of(&f.id()).is_some() {
        title.push(Span::styled(format!("{BADGE} "), theme.error()));
    }
    title.push(Span::raw(sanitize(f.title()).into_owned()));
    if let Some(path) = page_path(f).filter(|_| !columns.contains(&Column::Page)) {
        title.push(Span::styled(format!("  {path}"), theme.dim()));
    }
    cells.push(Cell::from(Line::from(title)));
    Row::new(cells)
}
