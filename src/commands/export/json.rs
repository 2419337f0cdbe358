//! JSON and NDJSON exports, written page by page.
//!
//! Each finding is laid out again straight from the bytes of the page (no
//! tree of values is built; see `relay`), with every field the server sent
//! in the order it sent them. The JSON export is byte for byte what
//! encoding the whole list at once with `serde_json::to_string_pretty`
//! gives, except that a key sent twice in one object is written twice
//! rather than once with its last value.

use std::cell::OnceCell;
use std::io::{self, Write};

use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use super::sheet::{Sheet, Summary};
use crate::api::model::{Identified, ListRow, lenient};
use crate::api::relay::{Layout, Malformed, ROW_DEPTH, elements, relay};

/// The fields of a finding an export needs besides its text: the id (a
/// pager notices a repeated page by it) and the owner (to filter on it
/// when a server ignores the owner filter).
#[derive(Default, Deserialize)]
struct Key {
    #[serde(default, deserialize_with = "lenient::string")]
    id: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    owner_id: Option<String>,
}

/// One finding encoded for the output: pretty and indented as an element of
/// the JSON array, or compact on one line.
pub struct EncodedFinding<const PRETTY: bool> {
    /// Read from `text` when first asked: the pager needs only the first
    /// id of a page, and the owner only matters under an owner filter.
    key: OnceCell<Key>,
    text: Vec<u8>,
}

/// A finding as an element of the pretty JSON array.
pub type PrettyFinding = EncodedFinding<true>;
/// A finding as one NDJSON line (without its newline).
pub type CompactFinding = EncodedFinding<false>;

impl<const PRETTY: bool> EncodedFinding<PRETTY> {
    /// Checks the finding that starts at `raw[at]` and lays it out, with
    /// room for `room` bytes at first; returns it and where it ends.
    fn read(raw: &[u8], at: usize, room: usize) -> Result<(Self, usize), Malformed> {
        if raw.get(at) != Some(&b'{') {
            return Err(Malformed { at });
        }
        let mut text = Vec::with_capacity(room);
        let layout = if PRETTY {
            text.extend_from_slice(INDENT);
            Layout::Element
        } else {
            Layout::Compact
        };
        let end = relay(raw, at, ROW_DEPTH, layout, &mut text)?;
        let row = EncodedFinding {
            key: OnceCell::new(),
            text,
        };
        Ok((row, end))
    }
}

impl<'de, const PRETTY: bool> Deserialize<'de> for EncodedFinding<PRETTY> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = <&RawValue>::deserialize(d)?.get().as_bytes();
        if raw.first() != Some(&b'{') {
            return Err(D::Error::custom("a finding is not a JSON object"));
        }
        // Laid out, a finding grows by its indentation.
        match Self::read(raw, 0, raw.len() + raw.len() / 2) {
            Ok((row, end)) if end == raw.len() => Ok(row),
            // The parser skipped over something it refuses when it decodes
            // (an escape of half a surrogate pair): decoding names it.
            _ => Err(D::Error::custom(
                match serde_json::from_slice::<serde_json::Value>(raw) {
                    Err(e) => format!("in a finding, {e}"),
                    Ok(_) => "a finding the export cannot lay out".to_string(),
                },
            )),
        }
    }
}

impl<const PRETTY: bool> ListRow for EncodedFinding<PRETTY> {
    /// The whole page in one pass: each finding is checked as it is laid
    /// out, with no pass of serde's before.
    fn read_array(raw: &[u8]) -> Option<(Vec<Self>, usize)> {
        let mut rows = Vec::with_capacity(100);
        // Findings of a page are much alike: each is given the room the one
        // before took, and a little more.
        let mut room = 0;
        let end = elements(raw, 0, |at| {
            let (row, end) = Self::read(raw, at, room)?;
            room = row.text.len() + row.text.len() / 8;
            rows.push(row);
            Ok(end)
        })
        .ok()?;
        Some((rows, end))
    }
}

impl<const PRETTY: bool> Identified for EncodedFinding<PRETTY> {
    fn id(&self) -> &str {
        self.key().id.as_deref().unwrap_or_default()
    }
}

impl<const PRETTY: bool> EncodedFinding<PRETTY> {
    fn key(&self) -> &Key {
        // The text is an object this program encoded; a field of another
        // type than expected reads as absent.
        self.key
            .get_or_init(|| serde_json::from_slice(&self.text).unwrap_or_default())
    }

    /// The finding's `owner_id`, when a string.
    pub fn owner_id(&self) -> Option<&str> {
        self.key().owner_id.as_deref()
    }

    /// The encoded text.
    pub fn text(&self) -> &[u8] {
        &self.text
    }
}

/// The indentation of an element of the top-level array.
const INDENT: &[u8] = b"  ";

/// `[`, the findings separated by commas, `]`: one array, written as the
/// pages arrive.
#[derive(Default)]
pub struct JsonArray {
    started: bool,
}

impl Sheet for JsonArray {
    type Row = PrettyFinding;

    fn owner(row: &PrettyFinding) -> Option<&str> {
        row.owner_id()
    }

    fn page(&mut self, rows: &[PrettyFinding], _last: bool, out: &mut dyn Write) -> io::Result<()> {
        for row in rows {
            out.write_all(if self.started { b",\n" } else { b"[\n" })?;
            self.started = true;
            out.write_all(row.text())?;
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(if self.started { b"\n]\n" } else { b"[]\n" })
    }
}

/// One compact finding a line.
#[derive(Default)]
pub struct JsonLines;

impl Sheet for JsonLines {
    type Row = CompactFinding;

    fn owner(row: &CompactFinding) -> Option<&str> {
        row.owner_id()
    }

    fn page(
        &mut self,
        rows: &[CompactFinding],
        _last: bool,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        for row in rows {
            out.write_all(row.text())?;
            out.write_all(b"\n")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn sent() -> Value {
        json!([
            {"id": "b", "zeta": 1, "alpha": {"nested": [1, 2.5, -3, {"k": null}], "empty": {}},
             "title": "quote \" and line\nbreak and \u{1b} escape", "steps": [], "owner_id": null,
             "big": 18446744073709551615u64, "tiny": 1e-7, "flag": true},
            {"id": "a", "owner_id": "u-1", "priority": {"score": "87", "impact": null}}
        ])
    }

    fn written<S: Sheet>(mut sheet: S, pages: &[&[Value]]) -> String
    where
        S::Row: for<'de> Deserialize<'de>,
    {
        let mut out = Vec::new();
        for page in pages {
            let rows: Vec<S::Row> = page
                .iter()
                .map(|v| serde_json::from_str(&v.to_string()).unwrap())
                .collect();
            sheet.page(&rows, false, &mut out).unwrap();
        }
        sheet.finish(&Summary::default(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_array_written_in_pages_is_the_whole_list_encoded_at_once() {
        let all = sent();
        let rows = all.as_array().unwrap();
        let expected = serde_json::to_string_pretty(&all).unwrap() + "\n";
        assert_eq!(
            written(JsonArray::default(), &[&rows[..1], &rows[1..]]),
            expected
        );
        assert_eq!(written(JsonArray::default(), &[rows, &[]]), expected);
        let none: Vec<Value> = Vec::new();
        assert_eq!(
            written(JsonArray::default(), &[&none]),
            serde_json::to_string_pretty(&none).unwrap() + "\n"
        );
    }

    #[test]
    fn ndjson_is_one_finding_a_line_in_the_server_key_order() {
        let all = sent();
        let rows = all.as_array().unwrap();
        let text = written(JsonLines, &[&rows[..1], &rows[1..]]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        for (line, row) in lines.iter().zip(rows) {
            assert_eq!(*line, serde_json::to_string(row).unwrap());
        }
        assert!(lines[0].starts_with(r#"{"id":"b","zeta":1,"alpha""#));
    }

    #[test]
    fn the_key_fields_are_read_from_the_finding() {
        let row: PrettyFinding =
            serde_json::from_str(r#"{"owner_id": "u-1", "id": "f-9", "x": [1]}"#).unwrap();
        assert_eq!(row.id(), "f-9");
        assert_eq!(JsonArray::owner(&row), Some("u-1"));
        assert!(serde_json::from_str::<CompactFinding>(r#""not an object""#).is_err());
    }

    #[test]
    fn a_finding_serde_skips_but_cannot_decode_is_named() {
        // Half a surrogate pair: skipped by the parser, refused on decoding.
        let e = serde_json::from_str::<Vec<PrettyFinding>>(r#"[{"a":"\ud800"}]"#)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            e.starts_with("in a finding, unexpected end of hex escape"),
            "{e}"
        );
    }
}
