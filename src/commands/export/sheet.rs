//! What every export format implements, and what an export wrote.

use std::io::{self, Write};

use crate::api::model::{Identified, ListRow};

/// One output format, written page by page.
pub trait Sheet {
    /// What each finding of a page is decoded into (on the task that
    /// fetched it, while the previous page is written).
    type Row: ListRow + Identified + Send + 'static;

    /// The owner of a row, for the owner filter.
    fn owner(row: &Self::Row) -> Option<&str>;

    /// Writes what comes before the first row.
    fn start(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    /// Writes one page; `last` when no page follows it.
    fn page(&mut self, rows: &[Self::Row], last: bool, out: &mut dyn Write) -> io::Result<()>;

    /// Writes what comes after the last row.
    fn finish(&mut self, _summary: &Summary, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
}

/// What an export wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Findings written.
    pub written: u64,
    /// The server's `meta.total`, when sent.
    pub total: Option<u64>,
    /// Rows of other owners dropped because the server ignored the owner
    /// filter (a sandbox extension, contract 5.3).
    pub other_owners: u64,
    /// The reader went away before the end.
    pub reader_gone: bool,
}
