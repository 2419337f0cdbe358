//! The CSV export: a header, then one record per finding, page by page.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, Write};

use super::row::{FromView, RowView, read_as_views};
use super::sheet::Sheet;
use crate::api::model::Identified;

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

/// One finding's CSV record, encoded on the task that fetched its page:
/// every column but the two kept on this machine, which are added as the
/// record is written (they come from the journal, by id).
#[derive(Clone, Debug)]
pub struct CsvRecord {
    id: String,
    owner_id: Option<String>,
    /// The cells of the columns before `local_reason`, each followed by a
    /// comma.
    text: String,
}

impl FromView for CsvRecord {
    fn from_view(f: &RowView<'_>) -> Self {
        // About 300 bytes for a finding of the sandbox's.
        let mut cells = Cells(String::with_capacity(512));
        // Enum columns are text too: an unknown value is written as sent.
        cells.text(&f.id);
        cells.text(&f.title);
        cells.text(&f.severity);
        cells.text(&f.status);
        cells.text(&f.domain);
        cells.int(f.score);
        cells.int(f.impact);
        cells.int(f.effort);
        cells.int(f.risk);
        cells.float(f.confidence);
        cells.text(f.owner_id.as_deref().unwrap_or_default());
        cells.text(f.url.as_deref().unwrap_or_default());
        cells.text(&f.fix_summary);
        cells.int(f.estimated_minutes);
        let created = f.created_at.as_deref().or(f.inserted_at.as_deref());
        cells.text(created.unwrap_or_default());
        cells.text(f.updated_at.as_deref().unwrap_or_default());
        CsvRecord {
            id: f.id.to_string(),
            owner_id: f.owner_id.as_deref().map(str::to_string),
            text: cells.0,
        }
    }
}

/// Cells of a record, each followed by a comma.
struct Cells(String);

impl Cells {
    /// Text from the server, made inert ([`spreadsheet_text`]).
    fn text(&mut self, cell: &str) {
        // Most cells are printable ASCII that starts no formula and needs
        // no quotes: copied after one look at each byte.
        let plain = |b: &u8| (b' '..=b'~').contains(b) && *b != b',' && *b != b'"';
        if cell.as_bytes().iter().all(plain) && !cell.starts_with(FORMULA_STARTS) {
            self.0.push_str(cell);
        } else {
            push_cell(&mut self.0, &spreadsheet_cell(cell));
        }
        self.0.push(',');
    }

    /// An integer as parsed (a negative one stays a number); empty when
    /// absent.
    fn int(&mut self, n: Option<i64>) {
        if let Some(n) = n {
            self.0.push_str(itoa::Buffer::new().format(n));
        }
        self.0.push(',');
    }

    /// A float as Rust writes it (the shortest text that reads back the
    /// same); empty when absent.
    fn float(&mut self, n: Option<f64>) {
        if let Some(n) = n {
            // Writing to memory does not fail.
            let _ = std::fmt::Write::write_fmt(&mut self.0, format_args!("{n}"));
        }
        self.0.push(',');
    }
}

read_as_views!(CsvRecord);

impl Identified for CsvRecord {
    fn id(&self) -> &str {
        &self.id
    }
}

/// Appends `cell` as a CSV field: quoted, with its quotes doubled, when it
/// holds a comma, a quote or a line break (as the `csv` crate writes it).
fn push_cell(out: &mut String, cell: &str) {
    if !cell.contains([',', '"', '\r', '\n']) {
        out.push_str(cell);
        return;
    }
    out.push('"');
    for part in cell.split_inclusive('"') {
        out.push_str(part);
        if part.ends_with('"') {
            out.push('"');
        }
    }
    out.push('"');
}

/// Appends `cells` as one CSV line.
fn push_record(out: &mut String, cells: impl IntoIterator<Item = impl AsRef<str>>) {
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_cell(out, cell.as_ref());
    }
    out.push('\n');
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
    type Row = CsvRecord;

    fn owner(row: &CsvRecord) -> Option<&str> {
        row.owner_id.as_deref()
    }

    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let mut header = String::new();
        push_record(&mut header, CSV_HEADER);
        out.write_all(header.as_bytes())
    }

    fn page(&mut self, rows: &[CsvRecord], _last: bool, out: &mut dyn Write) -> io::Result<()> {
        let mut notes = String::new();
        for r in rows {
            out.write_all(r.text.as_bytes())?;
            match self.notes.get(&r.id) {
                None => out.write_all(b",\n")?,
                Some((reason, comment)) => {
                    notes.clear();
                    push_cell(&mut notes, reason.unwrap_or_default());
                    notes.push(',');
                    let comment = spreadsheet_cell(comment.as_deref().unwrap_or_default());
                    push_cell(&mut notes, &comment);
                    notes.push('\n');
                    out.write_all(notes.as_bytes())?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::export::FindingRow;
    use crate::commands::export::tests_support::{sample, written};

    fn records(rows: &[FindingRow]) -> Vec<CsvRecord> {
        rows.iter()
            .map(|r| CsvRecord::from_view(&r.view()))
            .collect()
    }

    #[test]
    fn csv_has_a_header_and_one_record_per_finding_across_pages() {
        let rows = records(&sample());
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
        let rows: Vec<CsvRecord> = serde_json::from_value(serde_json::json!([{
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

    mod cells {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

            /// A record of cells written one by one is what the csv crate
            /// writes for it.
            #[test]
            fn cells_are_quoted_as_the_csv_crate_quotes_them(
                record in prop::collection::vec("[a-z ,\"\\r\\n'=\\t\\\\é]{0,6}", 2..19)
            ) {
                let mut ours = String::new();
                push_record(&mut ours, &record);
                let mut writer = csv::Writer::from_writer(Vec::new());
                writer.write_record(&record).unwrap();
                prop_assert_eq!(ours, String::from_utf8(writer.into_inner().unwrap()).unwrap());
            }

            /// A text cell is what the formula guard and the quoting make
            /// of it, whichever way it is written.
            #[test]
            fn a_text_cell_is_the_guarded_text_quoted(cell in "[a-z =+@\\-,\"\\t\\r\\n\\x1b'é]{0,6}") {
                let mut cells = Cells(String::new());
                cells.text(&cell);
                let mut expected = String::new();
                push_cell(&mut expected, &spreadsheet_text(&cell));
                expected.push(',');
                prop_assert_eq!(cells.0, expected);
            }
        }
    }
}
