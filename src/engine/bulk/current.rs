//! Reading the findings' current values for a preview, as cheaply as the
//! contract allows: every read is a request from the team's budget.
//!
//! - With filters, the list pages (100 findings a request) are the
//!   selection and the values at once.
//! - With ids, there is no "get these ids" route. One `GET /findings/{id}`
//!   per id costs as many requests as the change itself; walking the
//!   project's list costs one request per 100 findings of the project. So:
//!   a single id is read with one GET; otherwise the first list page (100
//!   findings, and `meta.total`) is read, and then whichever is cheaper for
//!   the ids still missing: one GET each, or the rest of the list. Ids the
//!   walk did not meet (not in the project, or moved between pages while it
//!   ran) are read with one GET each; a 404 means "not found".

use std::collections::{HashMap, HashSet};

use crate::api::model::{Finding, FindingQuery};
use crate::api::{ApiError, Client, FindingsPager};

use super::preview::Current;

/// The largest page the contract serves.
pub const PAGE: u32 = 100;

/// Reads progress: findings read so far, and the total when known.
pub type OnRead<'a> = &'a mut (dyn FnMut(u64, Option<u64>) + Send);

/// Every finding matching `query`, in list order, once each.
pub async fn by_filter(
    client: &Client,
    query: &FindingQuery,
    on_read: OnRead<'_>,
) -> Result<Vec<(String, Current)>, ApiError> {
    let mut pager = FindingsPager::new(query.clone(), PAGE);
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    while let Some(page) = pager.next_page(client).await? {
        for f in page.items {
            // A finding changed meanwhile can move between pages and show twice.
            if seen.insert(f.id.clone()) {
                out.push((f.id.clone(), Current::of(&f)));
            }
        }
        let p = pager.progress();
        on_read(p.fetched, p.total);
    }
    Ok(out)
}

/// The current values of `ids` (absent: not found), reading the list or
/// one finding at a time, whichever costs fewer requests.
pub async fn by_ids(
    client: &Client,
    ids: &[String],
    on_read: OnRead<'_>,
) -> Result<HashMap<String, Current>, ApiError> {
    let wanted: HashSet<&str> = ids.iter().map(String::as_str).collect();
    let mut found: HashMap<String, Current> = HashMap::new();
    if wanted.len() > 1 {
        let mut pager = FindingsPager::new(FindingQuery::default(), PAGE);
        while let Some(page) = pager.next_page(client).await? {
            keep(&mut found, &wanted, page.items);
            let p = pager.progress();
            on_read(found.len() as u64, Some(wanted.len() as u64));
            let missing = wanted.len() - found.len();
            let pages_left = p
                .total
                .map(|t| t.saturating_sub(p.fetched).div_ceil(u64::from(PAGE)));
            if missing == 0 || pages_left.is_some_and(|left| missing as u64 <= left) {
                break;
            }
        }
    }
    for id in ids {
        if found.contains_key(id) {
            continue;
        }
        match client.get_finding(id).await {
            Ok(f) => {
                found.insert(id.clone(), Current::of(&f));
            }
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(e),
        }
        on_read(found.len() as u64, Some(wanted.len() as u64));
    }
    Ok(found)
}

fn keep(found: &mut HashMap<String, Current>, wanted: &HashSet<&str>, page: Vec<Finding>) {
    for f in page {
        if wanted.contains(f.id.as_str()) {
            found.insert(f.id.clone(), Current::of(&f));
        }
    }
}
