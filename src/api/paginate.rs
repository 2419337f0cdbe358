//! Pagination: offset pages for findings, cursor pages for the other lists
//! (contract section 6).

use super::client::Client;
use super::error::ApiError;
use super::model::{Finding, FindingQuery};

/// Progress of a "fetch everything" walk: rows so far, and the total when
/// the server said it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub fetched: u64,
    pub total: Option<u64>,
}

/// Fetches every finding matching `query`, however the server pages.
#[allow(unused_variables)]
pub async fn fetch_all_findings(
    client: &Client,
    query: &FindingQuery,
    page_size: u32,
    on_progress: impl FnMut(Progress),
) -> Result<Vec<Finding>, ApiError> {
    todo!()
}
