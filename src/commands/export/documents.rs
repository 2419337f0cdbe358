//! The documents other tools read, as export sheets: SARIF for
//! code-scanning dashboards, JUnit XML for CI test views, Markdown for a
//! job summary. Without a gate, an open finding counts and a closed one
//! does not (see [`Entry::open_counts`]).
//!
//! SARIF and JUnit are whole documents (rules first, cases grouped by
//! check), so they keep a compact entry per finding until the end;
//! Markdown rows are written as each page arrives.

use std::io::{self, Write};

use crate::api::model::Finding;
use crate::engine::export::junit::JunitReport;
use crate::engine::export::sarif::SarifLog;
use crate::engine::export::{Entry, markdown};
use crate::sanitize::sanitize;

use super::sheet::{Sheet, Summary};

/// SARIF 2.1.0, written when the last page is in.
pub struct SarifSheet {
    log: SarifLog,
}

impl SarifSheet {
    /// A sheet naming this version of the tool.
    pub fn new(tool_version: &str) -> SarifSheet {
        SarifSheet {
            log: SarifLog::new(tool_version),
        }
    }
}

impl Sheet for SarifSheet {
    type Row = Finding;

    fn owner(row: &Finding) -> Option<&str> {
        row.owner_id.as_deref()
    }

    fn page(&mut self, rows: &[Finding], _last: bool, _out: &mut dyn Write) -> io::Result<()> {
        self.log.extend(rows.iter().map(Entry::open_counts));
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
        let log = std::mem::take(&mut self.log).finish();
        serde_json::to_writer_pretty(&mut *out, &log)?;
        out.write_all(b"\n")
    }
}

/// JUnit XML: one test case per finding, grouped by check; an open
/// finding is a failed case.
pub struct JunitSheet {
    report: JunitReport,
}

impl JunitSheet {
    /// A report named `name`.
    pub fn new(name: &str) -> JunitSheet {
        JunitSheet {
            report: JunitReport::new(name),
        }
    }
}

/// Why a finding fails its case when no gate judged it.
fn open_reason(f: &Finding) -> String {
    format!(
        "{} finding still open ({})",
        sanitize(f.severity.as_str()),
        sanitize(f.status.as_str())
    )
}

impl Sheet for JunitSheet {
    type Row = Finding;

    fn owner(row: &Finding) -> Option<&str> {
        row.owner_id.as_deref()
    }

    fn page(&mut self, rows: &[Finding], _last: bool, _out: &mut dyn Write) -> io::Result<()> {
        for f in rows {
            self.report.add(Entry::open_counts(f), &open_reason(f));
        }
        Ok(())
    }

    fn finish(&mut self, _summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
        let report = std::mem::take(&mut self.report);
        out.write_all(report.finish().as_bytes())
    }
}

/// A Markdown table, a page at a time.
#[derive(Default)]
pub struct MarkdownSheet {
    header_written: bool,
}

impl Sheet for MarkdownSheet {
    type Row = Finding;

    fn owner(row: &Finding) -> Option<&str> {
        row.owner_id.as_deref()
    }

    fn page(&mut self, rows: &[Finding], _last: bool, out: &mut dyn Write) -> io::Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        if !self.header_written {
            out.write_all(markdown::header().as_bytes())?;
            self.header_written = true;
        }
        for f in rows {
            out.write_all(markdown::row(Entry::open_counts(f)).as_bytes())?;
        }
        Ok(())
    }

    fn finish(&mut self, summary: &Summary, out: &mut dyn Write) -> io::Result<()> {
        if !self.header_written {
            return out.write_all(b"_No findings._\n");
        }
        match summary.total {
            Some(total) if total > summary.written => writeln!(
                out,
                "\n{} of {total} findings; use --limit N or --all for more",
                summary.written
            ),
            _ => Ok(()),
        }
    }
}
