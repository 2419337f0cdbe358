//! The table export: columns laid out once, from the first page and the
//! width of the output, then one line per finding as pages arrive.

use std::borrow::Cow;
use std::io::{self, Write};

use crate::api::model::{Domain, FindingStatus, Severity};
use crate::commands::layout::{Column, TableLayout, width};
use crate::engine::people::People;

use super::row::{FromView, RowView, read_as_views};
use super::sheet::{Sheet, Summary};
use crate::api::model::Identified;

fn columns() -> [Column; 7] {
    [
        Column::fixed("ID", 36).droppable(0),
        Column::fixed("SEVERITY", 11),
        Column::fixed("STATUS", 12),
        Column::fixed("DOMAIN", 13).droppable(3),
        Column::fixed("SCORE", 5).droppable(1),
        Column::fixed("OWNER", 16).droppable(2),
        Column::flex("TITLE", 30),
    ]
}

fn severity_cell(s: &Severity) -> String {
    format!("{} {}", s.symbol(), s)
}

/// What a table line shows of a finding.
#[derive(Clone, Debug)]
pub struct TableRow {
    id: String,
    title: String,
    severity: Severity,
    status: FindingStatus,
    domain: Domain,
    score: Option<i64>,
    owner_id: Option<String>,
}

impl FromView for TableRow {
    fn from_view(f: &RowView<'_>) -> Self {
        TableRow {
            id: f.id.to_string(),
            title: f.title.to_string(),
            severity: Severity::parse(&f.severity),
            status: FindingStatus::parse(&f.status),
            domain: Domain::parse(&f.domain),
            score: f.score,
            owner_id: f.owner_id.as_deref().map(str::to_string),
        }
    }
}

read_as_views!(TableRow);

impl Identified for TableRow {
    fn id(&self) -> &str {
        &self.id
    }
}

/// The table of findings, written page by page.
pub struct TableSheet {
    people: People,
    width: usize,
    /// Every finding was asked for: the footer counts what was written.
    all: bool,
    layout: Option<TableLayout>,
    /// The severity cell of each severity the contract names.
    severities: Vec<(Severity, String)>,
}

impl TableSheet {
    /// A table `width` columns wide; owners shown as `me` or by name.
    pub fn new(people: &People, width: usize, all: bool) -> Self {
        TableSheet {
            people: people.clone(),
            width,
            all,
            layout: None,
            severities: Severity::KNOWN
                .iter()
                .map(|s| (s.clone(), severity_cell(s)))
                .collect(),
        }
    }

    fn cells<'a>(&'a self, f: &'a TableRow) -> Vec<Cow<'a, str>> {
        let severity = match self.severities.iter().find(|(s, _)| *s == f.severity) {
            Some((_, cell)) => Cow::Borrowed(cell.as_str()),
            None => Cow::Owned(severity_cell(&f.severity)),
        };
        vec![
            Cow::Borrowed(&f.id),
            severity,
            Cow::Borrowed(f.status.as_str()),
            Cow::Borrowed(f.domain.as_str()),
            Cow::Owned(f.score.map(|s| s.to_string()).unwrap_or_default()),
            Cow::Owned(self.people.short(f.owner_id.as_deref())),
            Cow::Borrowed(&f.title),
        ]
    }

    /// The widest cell each column can hold for the values the contract
    /// names, so that pages after the first are not cut where the first
    /// page happened to hold only short values.
    fn widest_cells(&self) -> Vec<String> {
        let widest = |cells: Vec<String>| {
            cells
                .into_iter()
                .max_by_key(|c| width(c))
                .unwrap_or_default()
        };
        let owners = self
            .people
            .iter()
            .map(|(name, _)| crate::sanitize::sanitize(name).into_owned())
            .chain(["me".to_string(), "00000000".to_string()])
            .collect();
        vec![
            "00000000-0000-0000-0000-000000000000".into(),
            widest(Severity::KNOWN.iter().map(severity_cell).collect()),
            widest(FindingStatus::KNOWN.iter().map(|s| s.to_string()).collect()),
            widest(Domain::KNOWN.iter().map(|d| d.to_string()).collect()),
            "100".into(),
            widest(owners),
            String::new(),
        ]
    }

    /// Fits the layout to `first` when there is none yet; true when it
    /// was fitted now (its header is still to be written).
    fn fit(&mut self, first: &[TableRow], more: bool) -> bool {
        if self.layout.is_some() {
            return false;
        }
        let mut sample: Vec<Vec<Cow<str>>> = first.iter().map(|f| self.cells(f)).collect();
        if more {
            sample.push(self.widest_cells().into_iter().map(Cow::Owned).collect());
        }
        let layout = TableLayout::fit(&columns(), &sample, self.width);
        self.layout = Some(layout);
        true
    }

    /// Writes the header when the layout was fitted now, then a line for
    /// each of `rows`.
    fn write(&self, rows: &[TableRow], fresh: bool, out: &mut dyn Write) -> io::Result<()> {
        let Some(layout) = &self.layout else {
            return Ok(());
        };
        let mut text = if fresh {
            layout.header()
        } else {
            String::new()
        };
        for f in rows {
            layout.write_line(&self.cells(f), &mut text);
        }
        out.write_all(text.as_bytes())
    }
}

impl Sheet for TableSheet {
    type Row = TableRow;

    fn owner(row: &TableRow) -> Option<&str> {
        row.owner_id.as_deref()
    }

    fn page(&mut self, rows: &[TableRow], last: bool, out: &mut dyn Write) -> io::Result<()> {
        let fresh = self.fit(rows, !last);
        self.write(rows, fresh, out)
    }

    fn finish(&mut self, summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
        let fresh = self.fit(&[], false);
        self.write(&[], fresh, out)?;
        let total = if self.all || summary.other_owners > 0 {
            Some(summary.written)
        } else {
            summary.total
        };
        out.write_all(footer(summary.written as usize, total).as_bytes())
    }
}

/// `showing 50 of 230 findings` when there are more.
pub fn footer(shown: usize, total: Option<u64>) -> String {
    match total {
        Some(t) if t > shown as u64 => {
            format!("{shown} of {t} findings; use --limit N or --all for more\n")
        }
        _ => format!("{shown} finding{}\n", if shown == 1 { "" } else { "s" }),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn footer_points_at_more() {
        assert_eq!(
            footer(50, Some(230)),
            "50 of 230 findings; use --limit N or --all for more\n"
        );
        assert_eq!(footer(1, Some(1)), "1 finding\n");
    }

    use super::*;
    use crate::commands::export::FindingRow;
    use crate::commands::export::tests_support::{sample, written};
    use crate::commands::layout;

    fn table(width: usize, pages: &[&[FindingRow]]) -> String {
        let me = People::new(
            Vec::new(),
            Some("22222222-2222-2222-2222-222222222222".into()),
        );
        let pages: Vec<Vec<TableRow>> = pages
            .iter()
            .map(|p| p.iter().map(|r| TableRow::from_view(&r.view())).collect())
            .collect();
        let pages: Vec<&[TableRow]> = pages.iter().map(Vec::as_slice).collect();
        written(TableSheet::new(&me, width, true), &pages)
    }

    #[test]
    fn table_is_safe_and_fits() {
        let rows = sample();
        let text = table(100, &[&rows]);
        assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text:?}");
        assert!(text.lines().all(|l| layout::width(l) <= 100));
        assert!(text.contains("? catastro"), "{text}");
        // The owner column needs room; wide terminals show it, `me` by name.
        assert!(!text.lines().next().unwrap().contains("OWNER"), "{text}");
        let wide = table(140, &[&rows]);
        let header = wide.lines().next().unwrap();
        assert!(
            header.contains("OWNER") && header.contains("DOMAIN"),
            "{wide}"
        );
        assert!(wide.lines().nth(2).unwrap().contains("  me  "), "{wide}");
        let narrow = table(60, &[&rows]);
        assert!(narrow.lines().all(|l| layout::width(l) <= 60), "{narrow}");
        assert!(narrow.contains("Missing Content"), "{narrow}");
        assert!(text.ends_with("2 findings\n"), "{text}");
    }

    #[test]
    fn later_pages_keep_the_columns_of_the_first() {
        let rows = sample();
        // The first page alone holds a short status; the second, the
        // longest a finding can have.
        let mut later = rows[0].clone();
        later.status = FindingStatus::ReadyVerify;
        later.domain = Domain::Accessibility;
        let text = table(140, &[&rows, std::slice::from_ref(&later)]);
        let lines: Vec<&str> = text.lines().collect();
        let title_at = lines[0].find("TITLE").unwrap();
        for line in &lines[1..lines.len() - 1] {
            let before: String = line.chars().take(title_at).collect();
            assert!(before.ends_with("  "), "misaligned: {line}");
        }
        assert!(text.contains("ready_verify"), "{text}");
        assert!(text.contains("accessibility"), "{text}");
    }

    #[test]
    fn an_empty_list_is_a_header_and_a_count() {
        let text = table(100, &[&[]]);
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(
            text.starts_with("ID") || text.starts_with("SEVERITY"),
            "{text}"
        );
        assert!(text.ends_with("0 findings\n"), "{text}");
        assert_eq!(table(100, &[]), text);
    }
}
