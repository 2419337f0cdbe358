//! The CSV export: a header, then one record per finding, page by page.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, Write};

use super::row::FindingRow;
use super::sheet::Sheet;

/// The CSV header. The last two columns are kept on this machine, not by
/// the service (which has no field for them): the dismissal reason and the
/// comment of the latest change made through krafter, from the journal.
pub const CSV_HEADER: [&str; 18] = [
    "id",
    "title",
    "severity",
    "status",
    "domain",
    "priority_score",
    "impact",
    "effort",
    "risk",
    "confidence",
    "owner_id",
    "url",
    "fix_summary",
    "estimated_minutes",
    "created_at",
    "updated_at",
    "local_reason",
    "local_comment",
];

/// The first characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell a spreadsheet will show as text, and a terminal as inert
/// text: control characters, escape sequences and bidi overrides become
/// visible stand-ins (a CSV is often read with `cat`), and one that would
/// start a formula (`=HYPERLINK(...)` in a hostile title) gets a leading
/// `'`. Only for text from the server; numbers are written as parsed, so a
/// negative score stays a number.
pub fn spreadsheet_text(cell: &str) -> String {
    spreadsheet_cell(cell).into_owned()
}

/// [`spreadsheet_text`], borrowing the cell when it needs no change.
fn spreadsheet_cell(cell: &str) -> Cow<'_, str> {
    let clean = crate::sanitize::sanitize(cell);
    // A tab or a carriage return starts a formula too, before it becomes a
    // space.
    if cell.starts_with(FORMULA_STARTS) || clean.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{clean}"))
    } else {
        clean
    }
}

/// The reason and the comment of each finding's latest change made through
/// krafter, by finding id (from the local journal).
pub type LocalNotes = HashMap<String, (Option<&'static str>, Option<String>)>;

/// The cells of one finding, in [`CSV_HEADER`] order; a cell that needs
/// no change borrows from the row.
fn record<'a>(f: &'a FindingRow, notes: &'a LocalNotes) -> [Cow<'a, str>; 18] {
    let (reason, comment) = notes
        .get(&f.id)
        .map(|(reason, comment)| (*reason, comment.as_deref()))
        .unwrap_or_default();
    let opt = |n: Option<i64>| Cow::Owned(n.map(|n| n.to_string()).unwrap_or_default());
    // Enum columns are text too: an unknown value is written as sent.
    let text = spreadsheet_cell;
    let created = f.created_at.as_ref().or(f.inserted_at.as_ref());
    [
        text(&f.id),
        text(&f.title),
        text(f.severity.as_str()),
        text(f.status.as_str()),
        text(f.domain.as_str()),
        opt(f.priority.score),
        opt(f.priority.impact),
        opt(f.priority.effort),
        opt(f.priority.risk),
        Cow::Owned(f.confidence.map(|c| c.to_string()).unwrap_or_default()),
        text(f.owner_id.as_deref().unwrap_or_default()),
        text(f.primary_url().unwrap_or_default()),
        text(&f.recommended_fix.summary),
        opt(f.recommended_fix.estimated_minutes),
        text(created.map(|t| t.raw()).unwrap_or_default()),
        text(f.updated_at.as_ref().map(|t| t.raw()).unwrap_or_default()),
        Cow::Borrowed(reason.unwrap_or_default()),
        text(comment.unwrap_or_default()),
    ]
}

/// Encodes `records` as CSV lines. Each record is quoted on its own, so
/// pages encoded apart and written one after the other are one valid file.
fn encode<I, R>(records: I) -> io::Result<Vec<u8>>
where
    I: IntoIterator<Item = R>,
    R: IntoIterator,
    R::Item: AsRef<[u8]>,
{
    let mut writer = csv::Writer::from_writer(Vec::new());
    for r in records {
        writer.write_record(r).map_err(io::Error::other)?;
    }
    writer
        .into_inner()
        .map_err(|e| io::Error::other(e.to_string()))
}

/// A cell as the CSV writer takes it.
struct AsBytes<'a>(Cow<'a, str>);

impl AsRef<[u8]> for AsBytes<'_> {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

/// A header row and one line per finding.
#[derive(Default)]
pub struct CsvSheet {
    notes: LocalNotes,
}

impl CsvSheet {
    /// A sheet whose last two columns come from `notes`.
    pub fn with_notes(notes: LocalNotes) -> CsvSheet {
        CsvSheet { notes }
    }
}

impl Sheet for CsvSheet {
    type Row = FindingRow;

    fn owner(row: &FindingRow) -> Option<&str> {
        row.owner_id.as_deref()
    }

    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(&encode([CSV_HEADER])?)
    }

    fn page(&mut self, rows: &[FindingRow], _last: bool, out: &mut dyn Write) -> io::Result<()> {
        let records = rows.iter().map(|r| record(r, &self.notes));
        out.write_all(&encode(records.map(|cells| cells.map(AsBytes)))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::export::tests_support::{sample, written};

    #[test]
    fn csv_has_a_header_and_one_record_per_finding_across_pages() {
        let rows = sample();
        let text = written(CsvSheet::default(), &[&rows[..1], &rows[1..]]);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(
            reader.headers().unwrap().iter().collect::<Vec<_>>(),
            CSV_HEADER.to_vec()
        );
        let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(records.len(), 2);
        assert_eq!(&records[0][5], "88");
        assert_eq!(&records[0][11], "https://example.com");
        assert_eq!(&records[0][12], "Add a CSP, \"strict\"");
        assert_eq!(&records[1][14], "2025-06-15T10:06:00Z");
        assert_eq!(
            text,
            written(CsvSheet::default(), &[&rows]),
            "pages change nothing"
        );
        let empty = written(CsvSheet::default(), &[]);
        assert_eq!(empty.lines().count(), 1, "the header alone: {empty}");
    }

    #[test]
    fn csv_text_cells_cannot_start_a_formula_but_numbers_stay_numbers() {
        let rows: Vec<FindingRow> = serde_json::from_value(serde_json::json!([{
            "id": "@id", "title": "=HYPERLINK(\"https://evil.example\",\"x\")",
            "severity": "+1", "status": "-2", "domain": "\tseo",
            "priority": { "score": -5, "impact": 3 }, "confidence": -0.5,
            "owner_id": "\rowner",
            "affected_assets": [{ "type": "url", "value": "=cmd|' /C calc'!A0" }],
            "recommended_fix": { "summary": "-fix", "estimated_minutes": -10 },
            "created_at": "=now()", "updated_at": "@sum(A1)"
        }, {
            "id": "plain", "title": "a = b + c - d @ e"
        }]))
        .unwrap();
        // A comment kept on this machine is text too; the reason is one of
        // a fixed list of words.
        let notes =
            LocalNotes::from([("@id".to_string(), (Some("other"), Some("=2+2".to_string())))]);
        let text = written(CsvSheet::with_notes(notes), &[&rows]);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        let hostile = &records[0];
        for (i, cell) in hostile.iter().enumerate() {
            let not_text = matches!(i, 5..=9 | 13 | 16);
            if not_text {
                assert!(!cell.starts_with('\''), "column {i}: {cell:?}");
            } else {
                assert!(
                    cell.starts_with('\''),
                    "column {i} not neutralised: {cell:?}"
                );
            }
        }
        assert_eq!(&hostile[1], "'=HYPERLINK(\"https://evil.example\",\"x\")");
        assert_eq!(&hostile[5], "-5");
        assert_eq!(&hostile[9], "-0.5");
        assert_eq!(&hostile[13], "-10");
        assert_eq!(&hostile[16], "other");
        assert_eq!(&hostile[17], "'=2+2");
        assert_eq!(&records[1][0], "plain");
        assert_eq!(&records[1][1], "a = b + c - d @ e");
    }
}
