//! The offset pager of findings: where the next page starts, and what the
//! walk has seen so far.

use crate::api::client::{Client, Page};
use crate::api::error::ApiError;
use crate::api::model::{Finding, FindingQuery, Identified, ListRow};

/// Progress of a "fetch everything" walk: rows so far, and the total when
/// the server said it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub fetched: u64,
    pub total: Option<u64>,
}

/// Where the next page of findings starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FindingsPosition {
    /// `offset=N`: the rows received so far.
    Offset(u64),
    /// A `next_cursor` the server sent, followed as is.
    Cursor(String),
}

/// Walks the findings list. Pages by the rows actually received (a server
/// may send fewer than asked), stops at `meta.total` or at an empty page, and
/// follows a non-null `next_cursor` when a server sends one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingsPager {
    pub(super) query: FindingQuery,
    pub(super) page_size: u32,
    pub(super) next: Option<FindingsPosition>,
    pub(super) fetched: u64,
    pub(super) total: Option<u64>,
    /// First id of the last page: a server that ignores `offset` sends the
    /// same page again, and without a total nothing else would end the walk.
    pub(super) last_first_id: Option<String>,
}

impl FindingsPager {
    /// A walk from the first row, asking for `page_size` rows a page.
    pub fn new(query: FindingQuery, page_size: u32) -> Self {
        FindingsPager {
            query,
            page_size: page_size.max(1),
            next: Some(FindingsPosition::Offset(0)),
            fetched: 0,
            total: None,
            last_first_id: None,
        }
    }

    /// The filters of this walk.
    pub fn query(&self) -> &FindingQuery {
        &self.query
    }

    /// Rows asked for per page.
    pub fn page_size(&self) -> u32 {
        self.page_size
    }

    /// Where the next page starts; `None` once the list is exhausted.
    pub fn next_position(&self) -> Option<&FindingsPosition> {
        self.next.as_ref()
    }

    /// True once every page has been read.
    pub fn is_done(&self) -> bool {
        self.next.is_none()
    }

    /// Rows so far and the server's total.
    pub fn progress(&self) -> Progress {
        Progress {
            fetched: self.fetched,
            total: self.total,
        }
    }

    /// Takes note of a page fetched from [`Self::next_position`].
    pub fn record<T: Identified>(&mut self, page: &Page<T>) {
        let received = page.items.len() as u64;
        let first_id = page.items.first().map(|f| f.id().to_string());
        if first_id.is_some() && first_id == self.last_first_id {
            self.next = None;
            return;
        }
        self.last_first_id = first_id;
        self.fetched += received;
        if page.total.is_some() {
            self.total = page.total;
        }
        let from_cursor = match &self.next {
            Some(FindingsPosition::Cursor(c)) => Some(c.clone()),
            _ => None,
        };
        self.next = if received == 0 || self.total.is_some_and(|t| self.fetched >= t) {
            None
        } else if let Some(cursor) = &page.next_cursor {
            // A server repeating the cursor it was given would loop forever.
            (from_cursor.as_ref() != Some(cursor)).then(|| FindingsPosition::Cursor(cursor.clone()))
        } else if from_cursor.is_some() {
            // In cursor mode a null cursor is the end of the list.
            None
        } else {
            Some(FindingsPosition::Offset(self.fetched))
        };
    }

    /// Fetches and records the next page; `None` once exhausted.
    pub async fn next_page(&mut self, client: &Client) -> Result<Option<Page<Finding>>, ApiError> {
        self.next_page_of(client).await
    }

    /// Like [`Self::next_page`], each row decoded into `T` (e.g.
    /// [`AsSent<Finding>`] for exports).
    pub async fn next_page_of<T: ListRow + Identified>(
        &mut self,
        client: &Client,
    ) -> Result<Option<Page<T>>, ApiError> {
        let Some(position) = self.next.clone() else {
            return Ok(None);
        };
        let page = client
            .findings_page(&self.query, &position, self.page_size)
            .await?;
        let before = self.fetched;
        self.record(&page);
        if !page.items.is_empty() && self.fetched == before {
            // The page repeated the previous one: nothing new to hand out.
            return Ok(None);
        }
        Ok(Some(page))
    }
}
