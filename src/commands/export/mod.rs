//! `krafter findings` as a stream: each page is written as it arrives, in
//! any format, while the next pages are already requested, so memory holds
//! a few pages however long the list is.
//!
//! A reader that goes away (`| head -1`) ends the command at once and
//! quietly, as Unix tools do: the requests in flight are cancelled and no
//! other is sent. An error part way leaves what was written and exits 1;
//! a JSON array is then left open, so no parser takes it for the whole list.

mod csv;
mod documents;
mod json;
mod reader;
mod row;
mod sheet;
mod table;

use std::io::{self, BufWriter, Write};

use color_eyre::eyre::{Result, WrapErr};

use crate::api::Client;
use crate::api::model::FindingQuery;
use crate::api::paginate::{FindingsStream, MAX_AHEAD, Progress};

use super::progress::ProgressLine;

pub use self::csv::{CSV_HEADER, CsvSheet, LocalNotes, spreadsheet_text};
pub use self::documents::{JunitSheet, MarkdownSheet, SarifSheet};
pub use self::json::{CompactFinding, JsonArray, JsonLines, PrettyFinding};
pub use self::row::FindingRow;
pub use self::sheet::{Sheet, Summary};
pub use self::table::TableSheet;

/// The largest page the service sends.
pub const MAX_PAGE: u32 = 100;

/// Output buffered between flushes; each page is flushed whole.
const OUT_BUFFER: usize = 256 * 1024;

/// How an export ended other than by finishing.
#[derive(Debug)]
pub enum Stop {
    Api(crate::api::ApiError),
    Write(io::Error),
}

/// Writes the findings of `query` (at most `limit`) to `out` as `sheet`
/// lays them out, calling `on_page` after each page. Ends early, as when
/// a write finds the reader gone, once `reader_gone` resolves.
pub async fn write_findings<S: Sheet>(
    client: &Client,
    query: &FindingQuery,
    limit: Option<u64>,
    sheet: &mut S,
    out: &mut dyn Write,
    reader_gone: impl std::future::Future<Output = ()>,
    mut on_page: impl FnMut(Progress),
) -> Result<Summary, Stop> {
    let mut summary = Summary::default();
    let gone = |summary: Summary| Summary {
        reader_gone: true,
        ..summary
    };
    match sheet.start(out).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(gone(summary)),
        other => other.map_err(Stop::Write)?,
    }
    let mut stream =
        FindingsStream::<S::Row>::new(client, query.clone(), MAX_PAGE, limit, MAX_AHEAD);
    let mut reader_gone = std::pin::pin!(reader_gone);
    loop {
        let page = tokio::select! {
            page = stream.next_page() => page.map_err(Stop::Api)?,
            () = &mut reader_gone => return Ok(gone(summary)),
        };
        let Some(page) = page else {
            break;
        };
        let mut rows = page.items;
        if let Some(wanted) = query.owner_id.as_deref() {
            let before = rows.len();
            rows.retain(|r| owner_matches(S::owner(r), wanted));
            summary.other_owners += (before - rows.len()) as u64;
        }
        let so_far = stream.progress();
        summary.written += rows.len() as u64;
        summary.total = so_far.total;
        match sheet
            .page(&rows, stream.is_done(), out)
            .and_then(|()| out.flush())
        {
            // Dropping the stream cancels what is in flight.
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(gone(summary)),
            other => other.map_err(Stop::Write)?,
        }
        on_page(so_far);
    }
    match sheet.finish(&summary, out).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(gone(summary)),
        other => other.map(|()| summary).map_err(Stop::Write),
    }
}

/// [`write_findings`] to stdout, with a progress line on a terminal's
/// stderr and the owner-filter warning.
pub async fn to_stdout<S: Sheet>(
    client: &Client,
    query: &FindingQuery,
    limit: Option<u64>,
    mut sheet: S,
) -> Result<Summary> {
    let mut out = BufWriter::with_capacity(OUT_BUFFER, io::stdout());
    let mut progress = ProgressLine::new("fetching findings");
    let result = write_findings(
        client,
        query,
        limit,
        &mut sheet,
        &mut out,
        reader::hung_up(),
        |p| progress.count(p.fetched, p.total),
    )
    .await;
    progress.finish();
    let summary = match result {
        Ok(summary) => summary,
        Err(Stop::Api(e)) => return Err(e.into()),
        Err(Stop::Write(e)) => {
            return Err(color_eyre::Report::new(e)).wrap_err("could not write the output");
        }
    };
    if summary.other_owners > 0 {
        eprintln!(
            "krafter: the server ignored the owner filter ({} rows of other owners); \
             filtered here, so totals count only the rows fetched",
            summary.other_owners
        );
    }
    Ok(summary)
}

/// The owner filter (contract 5.3): a user id, or `none` for unassigned.
pub fn owner_matches(owner: Option<&str>, wanted: &str) -> bool {
    match (owner, wanted) {
        (None, "none") => true,
        (Some(id), wanted) => id.eq_ignore_ascii_case(wanted),
        (None, _) => false,
    }
}

/// Helpers of the format tests: a sample list and a sheet run over pages.
#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;

    /// Two findings: a complete one, and one with unknown values and a
    /// title carrying escape codes.
    pub fn sample() -> Vec<FindingRow> {
        let json = serde_json::json!([
            {
                "id": "d4e5f6a7-8b9c-0d1e-2f3a-4b5c6d7e8f9a", "domain": "security",
                "title": "Missing Content-Security-Policy header",
                "severity": "critical", "status": "new", "confidence": 0.95,
                "priority": { "impact": 80, "effort": 20, "risk": 90, "score": 88 },
                "owner_id": null,
                "affected_assets": [{ "type": "url", "value": "https://example.com" }],
                "recommended_fix": { "summary": "Add a CSP, \"strict\"", "steps": ["a"], "estimated_minutes": 60 },
                "created_at": "2025-06-15T10:05:00Z", "cvss": 9.1
            },
            {
                "id": "e5f6a7b8-0000-0000-0000-000000000001", "domain": "quantum",
                "title": "Evil\u{1b}]0;pwned\u{7} title", "severity": "catastrophic", "status": "new",
                "owner_id": "22222222-2222-2222-2222-222222222222",
                "inserted_at": "2025-06-15T10:06:00Z"
            }
        ]);
        match serde_json::from_value(json) {
            Ok(rows) => rows,
            Err(e) => panic!("the sample does not decode: {e}"),
        }
    }

    /// What `sheet` writes for `pages`, the last of them ending the list.
    pub fn written<S: Sheet>(mut sheet: S, pages: &[&[S::Row]]) -> String
    where
        S::Row: Clone,
    {
        let total: usize = pages.iter().map(|p| p.len()).sum();
        let mut out = Vec::new();
        let ok = |r: io::Result<()>| r.unwrap_or_else(|e| panic!("writing to memory failed: {e}"));
        ok(sheet.start(&mut out));
        for (i, page) in pages.iter().enumerate() {
            ok(sheet.page(page, i + 1 == pages.len(), &mut out));
        }
        let summary = Summary {
            written: total as u64,
            total: Some(total as u64),
            ..Summary::default()
        };
        ok(sheet.finish(&summary, &mut out));
        String::from_utf8_lossy(&out).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_owner_filter_matches_ids_in_any_case_and_none_as_unassigned() {
        let u = "22222222-2222-2222-2222-222222222222";
        assert!(owner_matches(Some(u), &u.to_uppercase()));
        assert!(!owner_matches(
            Some(u),
            "33333333-3333-3333-3333-333333333333"
        ));
        assert!(owner_matches(None, "none"));
        assert!(!owner_matches(Some(u), "none"));
        assert!(!owner_matches(None, u));
    }
}
