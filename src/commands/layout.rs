//! Plain-text layout of the headless commands: tables that fit the terminal,
//! truncation and wrapping by display width. Every cell goes through
//! [`sanitize`], so a hostile server string cannot reach the terminal raw.

use std::io::IsTerminal;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

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

/// Display width of a string.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `max` columns, ending in `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

fn pad(s: &str, to: usize) -> String {
    let w = width(s);
    format!("{s}{}", " ".repeat(to.saturating_sub(w)))
}

/// Lays out `rows` under `columns` within `total` columns of text.
pub fn render_table(columns: &[Column], rows: &[Vec<String>], total: usize) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| sanitize(c).into_owned()).collect())
        .collect();
    let natural: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let cells = rows.iter().filter_map(|r| r.get(i)).map(|s| width(s));
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
        let fits = flex_fits && (fixed + gaps <= total || shown.iter().any(|&i| columns[i].flex));
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
    let line = |cells: Vec<String>| {
        let last = cells.len().saturating_sub(1);
        let mut out: Vec<String> = Vec::with_capacity(cells.len());
        for (pos, cell) in cells.into_iter().enumerate() {
            let cut = truncate(&cell, widths[pos]);
            out.push(if pos == last {
                cut
            } else {
                pad(&cut, widths[pos])
            });
        }
        out.join(GAP).trim_end().to_string()
    };
    let mut text = line(
        shown
            .iter()
            .map(|&i| columns[i].header.to_string())
            .collect(),
    );
    text.push('\n');
    for row in &rows {
        let cells = shown
            .iter()
            .map(|&i| row.get(i).cloned().unwrap_or_default())
            .collect();
        text.push_str(&line(cells));
        text.push('\n');
    }
    text
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
    fn truncation_marks_the_cut() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
        assert_eq!(width(&truncate("日本語テキスト", 5)), 5);
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
