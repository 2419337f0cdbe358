//! The `/` text asked of the server while the list is only partly loaded:
//! debounced, one request at a time, answers matched by sequence number.

use std::time::{Duration, Instant};

use crate::api::Page;
use crate::api::model::{Finding, FindingQuery};

/// How long typing must pause before the text goes to the server.
pub const SEARCH_DEBOUNCE: Duration = Duration::from_millis(250);

/// The server's side of `/`.
#[derive(Clone, Debug)]
pub struct ServerSearch {
    /// Text waiting for its debounce to pass, and when it may be sent.
    pub pending: Option<(String, Instant)>,
    /// The last sequence number sent; an answer with another is stale.
    pub seq: u64,
    /// A request is out (only one ever is).
    pub in_flight: bool,
    /// The newest answer for the text typed.
    pub result: Option<SearchResult>,
    /// False once the server answered a search with rows that do not hold
    /// the text (`q` is a sandbox parameter the real service may ignore).
    pub usable: bool,
}

impl Default for ServerSearch {
    fn default() -> Self {
        ServerSearch {
            pending: None,
            seq: 0,
            in_flight: false,
            result: None,
            usable: true,
        }
    }
}

/// What the server found for a text.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchResult {
    pub text: String,
    /// The query sent: the list's filters and the text as `q`.
    pub query: FindingQuery,
    /// Its first page.
    pub page: Page<Finding>,
}

impl SearchResult {
    /// Matches on the server (`meta.total`, else the rows sent).
    pub fn total(&self) -> u64 {
        self.page.total.unwrap_or(self.page.items.len() as u64)
    }
}

impl ServerSearch {
    /// The answer for exactly `text`, if it came.
    pub fn result_for(&self, text: &str) -> Option<&SearchResult> {
        self.result.as_ref().filter(|r| r.text == text.trim())
    }

    /// True while a text waits for its debounce or its answer: the clock
    /// must tick to send it.
    pub fn waiting(&self) -> bool {
        self.pending.is_some() || self.in_flight
    }
}
