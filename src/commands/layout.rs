//! Plain-text layout of the headless commands: tables that fit the terminal,
//! truncation and wrapping by display width. Every cell goes through
//! [`sanitize`], so a hostile server string cannot reach the terminal raw.

use std::borrow::Cow;
use std::io::IsTerminal;

use crate::sanitize::sanitize;

/// The width used when neither `COLUMNS` nor the terminal gives one.
pub const FALLBACK_WIDTH: usize = 100;
/// Narrower widths are ignored: no table is readable in them.
const MIN_WIDTH: usize = 20;
const GAP: &str = "  ";

/// The width to lay tables out in: a valid `COLUMNS` first (so a script or
/// pager can ask for a width), then the terminal's when stdout is one, then
/// [`FALLBACK_WIDTH`].
pub fn output_width() -> usize {
    let terminal = if std::io::stdout().is_terminal() {
        crossterm::terminal::size().ok().map(|(w, _)| w)
    } else {
        None
    };
    width_from(std::env::var("COLUMNS").ok().as_deref(), terminal)
}

/// [`output_width`] of a `COLUMNS` value and a terminal width.
pub fn width_from(columns: Option<&str>, terminal: Option<u16>) -> usize {
    let usable = |w: usize| (w >= MIN_WIDTH).then_some(w);
    columns
        .and_then(|c| c.trim().parse::<usize>().ok())
        .and_then(usable)
        .or_else(|| terminal.map(usize::from).and_then(usable))
        .unwrap_or(FALLBACK_WIDTH)
}

/// A table column.
#[derive(Clone, Debug)]
pub struct Column {
    pub header: &'static str,
    /// At most this wide (wider cells are truncated with `…`).
    pub max: usize,
    /// The one column that takes the width left over (e.g. a title).
    pub flex: bool,
    /// The narrowest the flex column may get before other columns are dropped.
    pub min: usize,
    /// Columns with a drop rank are hidden, highest rank first, when the
    /// table would not fit otherwise.
    pub drop_rank: Option<u8>,
}

impl Column {
    /// A fixed column at most `max` wide, never dropped.
    pub fn fixed(header: &'static str, max: usize) -> Self {
        Column {
            header,
            max,
            flex: false,
            min: 0,
            drop_rank: None,
        }
    }

    /// The column that takes the rest of the width.
    pub fn flex(header: &'static str, min: usize) -> Self {
        Column {
            header,
            max: usize::MAX,
            flex: true,
            min,
            drop_rank: None,
        }
    }

    /// Makes the column droppable; higher ranks go first.
    pub fn droppable(mut self, rank: u8) -> Self {
        self.drop_rank = Some(rank);
        self
    }
}

pub use crate::sanitize::{truncate, width};

/// Lays out `rows` under `columns` within `total` columns of text.
pub fn render_table(columns: &[Column], rows: &[Vec<String>], total: usize) -> String {
    let layout = TableLayout::fit(columns, rows, total);
    let mut text = layout.header();
    for row in rows {
        text.push_str(&layout.line(row));
    }
    text
}

/// Which columns a table shows and how wide each is, decided once: a table
/// written page by page keeps the layout of its first page, so its columns
/// line up however many pages follow.
#[derive(Clone, Debug)]
pub struct TableLayout {
    /// Positions in the columns given to [`TableLayout::fit`].
    shown: Vec<usize>,
    widths: Vec<usize>,
    headers: Vec<&'static str>,
}

impl TableLayout {
    /// The layout that fits `sample` (rows of cells, one per column) into
    /// `total` columns of text.
    pub fn fit<S: AsRef<str>>(columns: &[Column], sample: &[Vec<S>], total: usize) -> Self {
        let natural: Vec<usize> = columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let cells = sample
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|s| width(&sanitize(s.as_ref())));
                cells.chain([width(c.header)]).max().unwrap_or(0).min(c.max)
            })
            .collect();
        let mut shown: Vec<usize> = (0..columns.len()).collect();
        let widths = loop {
            let fixed: usize = shown
                .iter()
                .filter(|&&i| !columns[i].flex)
                .map(|&i| natural[i])
                .sum();
            let gaps = GAP.len() * shown.len().saturating_sub(1);
            let left = total.saturating_sub(fixed + gaps);
            let flex_fits = shown
                .iter()
                .filter(|&&i| columns[i].flex)
                .all(|&i| left >= columns[i].min.min(natural[i]));
            let fits =
                flex_fits && (fixed + gaps <= total || shown.iter().any(|&i| columns[i].flex));
            let victim = shown
                .iter()
                .enumerate()
                .filter_map(|(pos, &i)| columns[i].drop_rank.map(|r| (r, pos)))
                .max();
            match victim {
                Some((_, pos)) if !fits => {
                    shown.remove(pos);
                }
                _ => {
                    break shown
                        .iter()
                        .map(|&i| {
                            if columns[i].flex {
                                natural[i].min(left.max(columns[i].min))
                            } else {
                                natural[i]
                            }
                        })
                        .collect::<Vec<_>>();
                }
            }
        };
        let headers = shown.iter().map(|&i| columns[i].header).collect();
        TableLayout {
            shown,
            widths,
            headers,
        }
    }

    /// The header line, ending in a newline.
    pub fn header(&self) -> String {
        let mut out = String::new();
        self.write_cells(self.headers.iter().map(|h| Cow::Borrowed(*h)), &mut out);
        out
    }

    /// One row (a cell per column given to [`TableLayout::fit`]) as a line
    /// ending in a newline; a cell wider than its column is cut with `…`.
    pub fn line<S: AsRef<str>>(&self, row: &[S]) -> String {
        let mut out = String::new();
        self.write_line(row, &mut out);
        out
    }

    /// [`Self::line`], appended to `out`.
    pub fn write_line<S: AsRef<str>>(&self, row: &[S], out: &mut String) {
        self.write_cells(
            self.shown
                .iter()
                .map(|&i| sanitize(row.get(i).map(AsRef::as_ref).unwrap_or_default())),
            out,
        );
    }

    fn write_cells<'a>(&self, cells: impl Iterator<Item = Cow<'a, str>>, out: &mut String) {
        let start = out.len();
        let last = self.widths.len().saturating_sub(1);
        for (pos, cell) in cells.enumerate() {
            if pos > 0 {
                out.push_str(GAP);
            }
            let column = self.widths[pos];
            let cell_width = width(&cell);
            // Most cells fit: written as they are, without a copy.
            let used = if cell_width <= column {
                out.push_str(&cell);
                cell_width
            } else {
                let cut = truncate(&cell, column);
                out.push_str(&cut);
                width(&cut)
            };
            if pos != last {
                pad(out, column.saturating_sub(used));
            }
        }
        let kept = start + out[start..].trim_end().len();
        out.truncate(kept);
        out.push('\n');
    }
}

/// Appends `n` spaces.
fn pad(out: &mut String, n: usize) {
    const SPACES: &str = "                                ";
    let mut left = n;
    while left > 0 {
        let chunk = left.min(SPACES.len());
        out.push_str(&SPACES[..chunk]);
        left -= chunk;
    }
}

/// Wraps sanitised text into lines of at most `max` columns, indented by
/// `indent` spaces.
pub fn wrap(text: &str, max: usize, indent: usize) -> Vec<String> {
    let room = max.saturating_sub(indent).max(10);
    let prefix = " ".repeat(indent);
    let mut lines = Vec::new();
    for paragraph in crate::sanitize::sanitize_multiline(text).lines() {
        let mut current = String::new();
        for word in paragraph.split_whitespace() {
            let word = truncate(word, room);
            if !current.is_empty() && width(&current) + 1 + width(&word) > room {
                lines.push(format!("{prefix}{current}"));
                current.clear();
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(&word);
        }
        lines.push(format!("{prefix}{current}").trim_end().to_string());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_wins_when_valid_then_the_terminal_then_the_fallback() {
        assert_eq!(width_from(Some("60"), Some(200)), 60);
        assert_eq!(width_from(Some("60"), None), 60);
        assert_eq!(width_from(Some("wide"), Some(120)), 120);
        assert_eq!(width_from(Some("5"), Some(120)), 120);
        assert_eq!(width_from(Some(""), None), FALLBACK_WIDTH);
        assert_eq!(width_from(None, Some(10)), FALLBACK_WIDTH);
        assert_eq!(width_from(None, None), FALLBACK_WIDTH);
    }

    fn cols() -> Vec<Column> {
        vec![
            Column::fixed("ID", 36),
            Column::fixed("DOMAIN", 13).droppable(2),
            Column::fixed("SCORE", 5).droppable(1),
            Column::flex("TITLE", 12),
        ]
    }

    fn row(title: &str) -> Vec<String> {
        vec![
            "f-1".into(),
            "accessibility".into(),
            "88".into(),
            title.into(),
        ]
    }

    #[test]
    fn every_line_fits_the_width() {
        let rows = vec![
            row(&"very long title ".repeat(20)),
            row("短い日本語のタイトルがここにあります"),
        ];
        for total in [40, 60, 100] {
            let out = render_table(&cols(), &rows, total);
            for l in out.lines() {
                assert!(width(l) <= total, "{total}: {l:?} is {} wide", width(l));
            }
        }
    }

    #[test]
    fn narrow_terminals_drop_columns_by_rank() {
        let out = render_table(&cols(), &[row("Missing CSP header")], 34);
        let header = out.lines().next().unwrap();
        assert!(!header.contains("DOMAIN"), "{header}");
        assert!(
            header.contains("SCORE") && header.contains("TITLE"),
            "{header}"
        );
        let wide = render_table(&cols(), &[row("Missing CSP header")], 100);
        assert!(wide.lines().next().unwrap().contains("DOMAIN"));
    }

    #[test]
    fn escape_codes_in_cells_are_neutralised() {
        let out = render_table(&cols(), &[row("evil\x1b[2J\x1b]0;owned\x07title")], 100);
        assert!(!out.contains('\x1b') && !out.contains('\x07'), "{out:?}");
        assert!(out.contains("evil"));
    }

    #[test]
    fn a_layout_fitted_to_a_first_page_keeps_later_rows_in_line() {
        let layout = TableLayout::fit(&cols(), &[row("Short")], 60);
        let header = layout.header();
        let title_at = header.find("TITLE").unwrap();
        let later = layout.line(&[
            "f-2",
            "seo",
            "7",
            "A much longer title that arrives on a later page",
        ]);
        assert_eq!(&later[title_at..title_at + 1], "A", "{header}{later}");
        assert!(width(later.trim_end()) <= 60, "{later}");
        // The same layout whole or line by line.
        let rows = vec![row("Short")];
        assert_eq!(
            render_table(&cols(), &rows, 60),
            format!("{header}{}", layout.line(&rows[0]))
        );
    }

    #[test]
    fn truncation_marks_the_cut() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
        assert_eq!(width(&truncate("日本語テキスト", 5)), 5);
    }

    #[test]
    fn a_cut_is_never_wider_than_its_column() {
        // Characters whose string is wider (or narrower) than their sum:
        // emoji presentation selectors, joiners, combining marks.
        for cell in [
            "☺\u{FE0F}".repeat(10),
            "👩\u{200D}💻".repeat(10),
            "e\u{301}".repeat(20),
            "\u{200B}".repeat(50) + "abc",
        ] {
            for max in 1..12 {
                let cut = truncate(&cell, max);
                assert!(width(&cut) <= max, "{cell:?} at {max}: {cut:?}");
            }
        }
        // And the table keeps its columns.
        let out = render_table(&cols(), &[row(&"☺\u{FE0F}".repeat(30)), row("x")], 60);
        let lines: Vec<&str> = out.lines().collect();
        let title_at = lines[0].find("TITLE").unwrap();
        for line in &lines[1..] {
            let at = line
                .char_indices()
                .map(|(i, _)| i)
                .find(|&i| width(&line[..i]) == title_at);
            assert!(
                at.is_some_and(|i| line[..i].ends_with("  ")),
                "the title at column {title_at}:\n{out}"
            );
            assert!(width(line) <= 60, "{out}");
        }
    }

    #[test]
    fn wrap_respects_width_and_indent() {
        let lines = wrap("one two three four five six seven", 14, 2);
        assert!(
            lines.iter().all(|l| width(l) <= 14 && l.starts_with("  ")),
            "{lines:?}"
        );
        assert_eq!(lines.join(" ").split_whitespace().count(), 7);
    }
}
