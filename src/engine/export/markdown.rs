//! Markdown tables of findings, e.g. for a CI job summary: long titles are
//! cut, pipes escaped, and HTML made inert (job summaries render it).

use super::entry::{Entry, cut};
use crate::engine::gate::check_key;
use crate::sanitize::sanitize;

/// Titles longer than this are cut.
pub const TITLE_WIDTH: usize = 80;

/// Makes text safe inside a table cell: sanitized, one line, `|` and `\`
/// escaped, `<` and `>` as entities so no tag is rendered.
pub fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in sanitize(text).chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '`' => out.push('\''),
            c => out.push(c),
        }
    }
    out
}

/// The table's header and separator lines.
pub fn header() -> String {
    "| Severity | Status | Check | Title | URL | Gate |\n|---|---|---|---|---|---|\n".to_string()
}

/// One row.
pub fn row(entry: Entry<'_>) -> String {
    let f = entry.finding;
    format!(
        "| {} {} | {} | `{}` | {} | {} | {} |\n",
        f.severity.symbol(),
        cell(f.severity.as_str()),
        cell(f.status.as_str()),
        cell(&check_key(f)).replace('`', "'"),
        cell(&cut(&f.title, TITLE_WIDTH)),
        f.primary_url().map(cell).unwrap_or_default(),
        entry.verdict.label(),
    )
}

/// A whole table; a line saying there is nothing when `entries` is empty.
pub fn table<'a>(entries: impl IntoIterator<Item = Entry<'a>>) -> String {
    let mut out = header();
    let mut any = false;
    for entry in entries {
        out.push_str(&row(entry));
        any = true;
    }
    if !any {
        return "_No findings._\n".to_string();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::{Finding, Severity};

    #[test]
    fn pipes_are_escaped_and_long_titles_cut() {
        let f = Finding {
            id: "a".into(),
            title: format!("A | B <img src=x> {}", "x".repeat(200)),
            severity: Severity::Critical,
            ..Finding::default()
        };
        let text = table([Entry::open_counts(&f)]);
        let line = text.lines().nth(2).unwrap();
        assert!(line.contains("A \\| B &lt;img src=x&gt;"), "{line}");
        assert!(line.contains('…'));
        let bars = line.replace("\\|", "").matches('|').count();
        assert_eq!(bars, 7, "six cells, whatever the title holds: {line}");
        assert!(line.starts_with("| ‼ critical |"));
    }

    #[test]
    fn nothing_says_so() {
        assert_eq!(table([]), "_No findings._\n");
    }
}
