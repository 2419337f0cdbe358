//! Pages of findings requested ahead of their reader.
//!
//! An export writes one page while the next ones are already on their way.
//! With offset paging and a known `meta.total`, the positions of the pages
//! to come are known, so several may be in flight; how many is decided by
//! the team's shared rate budget (a request is never sent that the budget
//! cannot pay for, so a walk never meets a 429 of its own making). A server
//! that sends a `next_cursor` is followed one page at a time, in order, as
//! contract sections 5.3 and 6 ask.
//!
//! Pages are handed out strictly in list order and checked against the
//! sequential walk of [`FindingsPager`]: a page that does not start where
//! the walk stands (a server that sent fewer rows than the pages before, a
//! cursor appearing) is dropped with every page requested after it, and the
//! walk goes on from where it really stands.

use std::collections::VecDeque;

use tokio::task::JoinHandle;

use super::pager::{FindingsPager, FindingsPosition, Progress};
use crate::api::client::{Client, Page};
use crate::api::error::ApiError;
use crate::api::model::{FindingQuery, Identified, ListRow};

/// Pages in flight at most, whatever the budget allows: enough to keep a
/// server busy while one page is written, few enough that memory stays a
/// handful of pages.
pub const MAX_AHEAD: usize = 8;

struct Request<T> {
    position: FindingsPosition,
    task: JoinHandle<Result<Page<T>, ApiError>>,
}

/// The findings of a query, page after page, fetched ahead.
///
/// Dropping the stream cancels every request still in flight: a reader that
/// went away (`| head`) stops the fetching at once.
pub struct FindingsStream<T> {
    client: Client,
    walk: FindingsPager,
    /// Rows wanted at most; `None` for every row.
    limit: Option<u64>,
    ahead: usize,
    /// Requests sent and not handed out yet, in list order.
    pending: VecDeque<Request<T>>,
    /// Rows a full page holds, learnt from the first page.
    step: Option<u64>,
    answered: bool,
}

impl<T> FindingsStream<T>
where
    T: ListRow + Identified + Send + 'static,
{
    /// A walk over `query` asking for `page_size` rows a page, up to `limit`
    /// rows, with at most `ahead` pages in flight.
    pub fn new(
        client: &Client,
        query: FindingQuery,
        page_size: u32,
        limit: Option<u64>,
        ahead: usize,
    ) -> Self {
        FindingsStream {
            client: client.clone(),
            walk: FindingsPager::new(query, page_size),
            limit,
            ahead: ahead.max(1),
            pending: VecDeque::new(),
            step: None,
            answered: false,
        }
    }

    /// Rows handed out so far and the server's total.
    pub fn progress(&self) -> Progress {
        self.walk.progress()
    }

    /// True once no page follows: the list or the limit is exhausted.
    pub fn is_done(&self) -> bool {
        self.walk.is_done() || self.wanted_after(self.walk.fetched) == Some(0)
    }

    /// Requests in flight right now.
    pub fn in_flight(&self) -> usize {
        self.pending.len()
    }

    /// The next page in list order; `None` once the list (or the limit) is
    /// exhausted. The pages after it are requested before this returns.
    pub async fn next_page(&mut self) -> Result<Option<Page<T>>, ApiError> {
        if self.wanted_after(self.walk.fetched) == Some(0) {
            self.cancel();
            return Ok(None);
        }
        let Some(expected) = self.walk.next_position().cloned() else {
            self.cancel();
            return Ok(None);
        };
        if self.pending.front().is_some_and(|r| r.position != expected) {
            // Planned from a guess the pages since proved wrong.
            self.cancel();
        }
        self.fill();
        let Some(request) = self.pending.pop_front() else {
            return Ok(None);
        };
        let mut page = match request.task.await {
            Ok(result) => result?,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            Err(_) => {
                return Err(ApiError::Config(
                    "a page request was cancelled before it was answered".into(),
                ));
            }
        };
        self.answered = true;
        let before = self.walk.fetched;
        self.walk.record(&page);
        if !page.items.is_empty() && self.walk.fetched == before {
            // The server repeated the previous page: the walk is over.
            self.cancel();
            return Ok(None);
        }
        if self.step.is_none() && !page.items.is_empty() {
            self.step = Some(page.items.len() as u64);
        }
        if let Some(wanted) = self.wanted_after(before) {
            page.items.truncate(wanted as usize);
        }
        // The next pages go out before this one is handed over, so they
        // travel while it is written.
        if self.wanted_after(self.walk.fetched) != Some(0) {
            self.fill();
        }
        Ok(Some(page))
    }

    /// Rows still wanted after `fetched`; `None` without a limit.
    fn wanted_after(&self, fetched: u64) -> Option<u64> {
        self.limit.map(|l| l.saturating_sub(fetched))
    }

    /// How many requests may be in flight, by what the budget says now.
    fn allowed_in_flight(&self) -> usize {
        if !self.answered {
            // Nothing is known of the budget before the first answer.
            return 1;
        }
        let budget = self.client.budget();
        match (budget.limit, budget.remaining) {
            // The server announces no limit.
            (None, None) => self.ahead,
            // A window began and nothing is known of it yet: one request
            // finds out.
            (Some(_), None) => 1,
            // `remaining` already counts the requests this client reserved;
            // bounding all in flight by it also covers the ones spawned but
            // not yet reserved, so no request is sent that the window cannot
            // pay for.
            (_, Some(remaining)) => (remaining as usize).clamp(1, self.ahead),
        }
    }

    /// Sends requests for the pages to come, as many as allowed.
    fn fill(&mut self) {
        let allowed = self.allowed_in_flight();
        while self.pending.len() < allowed {
            let Some(position) = self.position_after_pending() else {
                return;
            };
            let from = match &position {
                FindingsPosition::Offset(o) => *o,
                FindingsPosition::Cursor(_) => self.walk.fetched,
            };
            let size = match self.wanted_after(from) {
                Some(0) => return,
                Some(w) => w.min(u64::from(self.walk.page_size)) as u32,
                None => self.walk.page_size,
            };
            let client = self.client.clone();
            let query = self.walk.query.clone();
            let at = position.clone();
            let task = tokio::spawn(async move { client.findings_page(&query, &at, size).await });
            self.pending.push_back(Request { position, task });
        }
    }

    /// Where the request after the pending ones starts: the walk's position
    /// when nothing is pending; past the last pending page when the list
    /// pages by offset with a known total and page size; else nothing yet.
    fn position_after_pending(&self) -> Option<FindingsPosition> {
        let Some(last) = self.pending.back() else {
            return self.walk.next_position().cloned();
        };
        let (FindingsPosition::Offset(offset), Some(step), Some(total)) =
            (&last.position, self.step, self.walk.total)
        else {
            return None;
        };
        let next = offset + step;
        let within_limit = self.limit.is_none_or(|l| next < l);
        (next < total && within_limit).then_some(FindingsPosition::Offset(next))
    }

    /// Drops every request in flight.
    fn cancel(&mut self) {
        for request in self.pending.drain(..) {
            request.task.abort();
        }
    }
}

impl<T> Drop for FindingsStream<T> {
    fn drop(&mut self) {
        for request in &self.pending {
            request.task.abort();
        }
    }
}
