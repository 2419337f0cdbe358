//! Pagination: offset pages for findings, cursor pages for the other lists
//! (contract section 6).
//!
//! The pagers are plain data: a TUI keeps one in its state, asks it where the
//! next page starts, fetches that page whenever it likes and records it. The
//! `next_page` methods and the `fetch_all_*` functions do the same walk for
//! callers that simply want the rows.

use std::future::Future;

mod ahead;
mod pager;

pub use ahead::{FindingsStream, MAX_AHEAD};
pub use pager::{FindingsPager, FindingsPosition, Progress};

use super::client::{Client, Page};
use super::error::ApiError;

use super::model::{
    AsSent, Finding, FindingQuery, Identified, ListRow, Regression, RegressionStatus, Scan, Task,
    TaskStatus, Verification,
};

/// One page of findings from `position`, by offset or by cursor.
pub async fn fetch_findings_page(
    client: &Client,
    query: &FindingQuery,
    position: &FindingsPosition,
    page_size: u32,
) -> Result<Page<Finding>, ApiError> {
    client.findings_page(query, position, page_size).await
}

/// Fetches every finding matching `query`, however the server pages.
pub async fn fetch_all_findings(
    client: &Client,
    query: &FindingQuery,
    page_size: u32,
    mut on_progress: impl FnMut(Progress),
) -> Result<Vec<Finding>, ApiError> {
    let (all, _total) =
        fetch_findings_up_to(client, query, page_size, None, &mut on_progress).await?;
    Ok(all)
}

/// Fetches every finding matching `query` with the JSON each was sent as,
/// for exports that must lose nothing.
pub async fn fetch_all_findings_as_sent(
    client: &Client,
    query: &FindingQuery,
    page_size: u32,
    mut on_progress: impl FnMut(Progress),
) -> Result<Vec<AsSent<Finding>>, ApiError> {
    let (all, _total) =
        fetch_findings_up_to(client, query, page_size, None, &mut on_progress).await?;
    Ok(all)
}

/// Fetches findings until `limit` rows (or the end of the list), asking for
/// no more rows a page than are still wanted. Returns them with `meta.total`.
pub async fn fetch_findings_up_to<T: ListRow + Identified>(
    client: &Client,
    query: &FindingQuery,
    page_size: u32,
    limit: Option<u64>,
    on_progress: &mut impl FnMut(Progress),
) -> Result<(Vec<T>, Option<u64>), ApiError> {
    let mut pager = FindingsPager::new(query.clone(), page_size);
    let mut all = Vec::new();
    while limit.is_none_or(|l| (all.len() as u64) < l) {
        if let Some(l) = limit {
            let wanted = (l - all.len() as u64).min(u64::from(page_size)) as u32;
            pager.page_size = wanted.max(1);
        }
        let Some(page) = pager.next_page_of::<T>(client).await? else {
            break;
        };
        all.extend(page.items);
        on_progress(pager.progress());
    }
    if let Some(l) = limit {
        all.truncate(l as usize);
    }
    Ok((all, pager.progress().total))
}

/// Walks a cursor list (tasks, verifications, scans, regressions). Cursors
/// are opaque: the pager only hands back what the server sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CursorPager {
    /// `Some(None)`: the first page; `Some(Some(c))`: after `c`; `None`: done.
    next: Option<Option<String>>,
    fetched: u64,
    total: Option<u64>,
}

impl CursorPager {
    /// A walk from the first page.
    pub fn new() -> Self {
        CursorPager {
            next: Some(None),
            fetched: 0,
            total: None,
        }
    }

    /// The cursor to send for the next page (`None` for the first page).
    /// Meaningless once [`Self::is_done`].
    pub fn cursor(&self) -> Option<&str> {
        self.next.as_ref().and_then(|c| c.as_deref())
    }

    /// True once the server said there is nothing more.
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

    /// Takes note of a page fetched with [`Self::cursor`].
    pub fn record<T>(&mut self, page: &Page<T>) {
        self.fetched += page.items.len() as u64;
        if page.total.is_some() {
            self.total = page.total;
        }
        let sent = self.cursor().map(str::to_string);
        self.next = match &page.next_cursor {
            Some(c) if !page.items.is_empty() && sent.as_ref() != Some(c) => Some(Some(c.clone())),
            _ => None,
        };
    }

    /// Fetches and records the next page with `fetch(cursor)`; `None` once
    /// exhausted.
    pub async fn next_page<T, F, Fut>(&mut self, fetch: F) -> Result<Option<Page<T>>, ApiError>
    where
        F: FnOnce(Option<String>) -> Fut,
        Fut: Future<Output = Result<Page<T>, ApiError>>,
    {
        let Some(cursor) = self.next.clone() else {
            return Ok(None);
        };
        let page = fetch(cursor).await?;
        self.record(&page);
        Ok(Some(page))
    }
}

/// Fetches every row of a cursor list: `fetch(cursor)` gets one page.
pub async fn fetch_all_by_cursor<T, F, Fut>(
    mut fetch: F,
    mut on_progress: impl FnMut(Progress),
) -> Result<Vec<T>, ApiError>
where
    F: FnMut(Option<String>) -> Fut,
    Fut: Future<Output = Result<Page<T>, ApiError>>,
{
    let mut pager = CursorPager::new();
    let mut all = Vec::new();
    while let Some(page) = pager.next_page(&mut fetch).await? {
        all.extend(page.items);
        on_progress(pager.progress());
    }
    Ok(all)
}

/// Every task, newest first.
pub async fn fetch_all_tasks(
    client: &Client,
    status: Option<&TaskStatus>,
    page_size: u32,
    on_progress: impl FnMut(Progress),
) -> Result<Vec<Task>, ApiError> {
    fetch_all_by_cursor(
        |c| async move {
            client
                .list_tasks(status, c.as_deref(), Some(page_size))
                .await
        },
        on_progress,
    )
    .await
}

/// Every verification, newest first.
pub async fn fetch_all_verifications(
    client: &Client,
    page_size: u32,
    on_progress: impl FnMut(Progress),
) -> Result<Vec<Verification>, ApiError> {
    fetch_all_by_cursor(
        |c| async move {
            client
                .list_verifications(c.as_deref(), Some(page_size))
                .await
        },
        on_progress,
    )
    .await
}

/// Every scan, newest first (\[sandbox\] route: may be 404).
pub async fn fetch_all_scans(
    client: &Client,
    page_size: u32,
    on_progress: impl FnMut(Progress),
) -> Result<Vec<Scan>, ApiError> {
    fetch_all_by_cursor(
        |c| async move { client.list_scans(c.as_deref(), Some(page_size)).await },
        on_progress,
    )
    .await
}

/// Every regression (\[sandbox\] route: may be 404).
pub async fn fetch_all_regressions(
    client: &Client,
    status: Option<&RegressionStatus>,
    page_size: u32,
    on_progress: impl FnMut(Progress),
) -> Result<Vec<Regression>, ApiError> {
    fetch_all_by_cursor(
        |c| async move {
            client
                .list_regressions(status, c.as_deref(), Some(page_size))
                .await
        },
        on_progress,
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(n: usize, total: Option<u64>, cursor: Option<&str>) -> Page<Finding> {
        Page {
            items: vec![Finding::default(); n],
            total,
            next_cursor: cursor.map(str::to_string),
            request_id: None,
        }
    }

    #[test]
    fn offsets_follow_rows_received_not_rows_asked() {
        let mut p = FindingsPager::new(FindingQuery::default(), 100);
        p.record(&page(30, Some(70), None));
        assert_eq!(p.next_position(), Some(&FindingsPosition::Offset(30)));
        p.record(&page(40, Some(70), None));
        assert!(p.is_done());
    }

    #[test]
    fn a_server_ignoring_the_offset_does_not_loop_forever() {
        let mut p = FindingsPager::new(FindingQuery::default(), 2);
        let mut same = page(2, None, None);
        same.items[0].id = "a".into();
        p.record(&same);
        assert!(!p.is_done());
        p.record(&same);
        assert!(p.is_done());
        assert_eq!(p.progress().fetched, 2, "the repeat is not counted");
    }

    #[test]
    fn a_repeated_cursor_ends_the_walk() {
        let mut p = CursorPager::new();
        p.record(&page(2, None, Some("a")));
        assert_eq!(p.cursor(), Some("a"));
        p.record(&page(2, None, Some("a")));
        assert!(p.is_done());
    }
}
