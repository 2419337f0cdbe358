//! Contract tests: the client's pagers walk the real sandbox's lists to the
//! end (offset pages for findings, cursor pages for the rest), with a page
//! size that does not divide the total so the last page is a short one.

mod support_contract;

use std::collections::HashSet;

use krafter::api::model::*;
use krafter::api::paginate::{
    FindingsPager, fetch_all_findings, fetch_all_regressions, fetch_all_scans, fetch_all_tasks,
    fetch_all_verifications,
};
use krafter::api::{Client, Progress};
use krafter::sandbox::{DataSource, SandboxOptions};
use support_contract::{client, sandbox};

/// A page size between 2 and `total - 1` that leaves a short last page.
fn awkward_page_size(total: u64) -> u32 {
    (2..total)
        .rev()
        .find(|k| !total.is_multiple_of(*k) && total / k >= 2)
        .map(|k| k as u32)
        .unwrap_or_else(|| panic!("no awkward page size for {total} rows"))
}

fn unique<'a>(ids: impl Iterator<Item = &'a str>) -> usize {
    ids.collect::<HashSet<_>>().len()
}

/// Newest first, as the contract orders cursor lists.
fn assert_newest_first(times: &[Option<chrono::DateTime<chrono::Utc>>], what: &str) {
    assert!(
        times.iter().all(Option::is_some),
        "{what}: a row has no time"
    );
    assert!(
        times.windows(2).all(|w| w[0] >= w[1]),
        "{what}: not newest first"
    );
}

async fn walk_findings(client: &Client, query: &FindingQuery) {
    let total = client
        .list_findings(query, 0, 1)
        .await
        .expect("a first page")
        .total
        .expect("meta.total");
    let size = awkward_page_size(total);
    let mut progress: Vec<Progress> = Vec::new();
    let all = fetch_all_findings(client, query, size, |p| progress.push(p))
        .await
        .expect("every page");
    assert_eq!(all.len() as u64, total, "{query:?}");
    assert_eq!(
        unique(all.iter().map(|f| f.id.as_str())),
        all.len(),
        "a row twice"
    );
    // One page per `size` rows, the last one short, each reported.
    assert_eq!(progress.len() as u64, total.div_ceil(u64::from(size)));
    assert_eq!(
        progress.last().map(|p| (p.fetched, p.total)),
        Some((total, Some(total)))
    );
    // The contract's order: score, then creation time, then id, descending.
    for pair in all.windows(2) {
        let key = |f: &Finding| (f.score(), f.created(), f.id.clone());
        assert!(
            key(&pair[0]) >= key(&pair[1]),
            "out of order: {} then {}",
            pair[0].id,
            pair[1].id
        );
    }
    // The walk is exactly the list read in one page.
    let whole = client.list_findings(query, 0, 100).await.expect("one page");
    assert!(total <= 100);
    assert_eq!(all, whole.items);
}

#[tokio::test]
async fn every_demo_finding_comes_once_in_order_whatever_the_page_size() {
    let sandbox = sandbox(SandboxOptions::for_tests().with_data(DataSource::Demo)).await;
    let client = client(&sandbox);
    walk_findings(&client, &FindingQuery::default()).await;
    let security = FindingQuery {
        domain: Some(Domain::Security),
        ..FindingQuery::default()
    };
    walk_findings(&client, &security).await;

    // A pager kept by a screen hands out the same rows page by page.
    let mut pager = FindingsPager::new(FindingQuery::default(), 7);
    let mut seen = 0;
    while let Some(page) = pager.next_page(&client).await.expect("a page") {
        assert!(page.items.len() <= 7);
        seen += page.items.len() as u64;
    }
    assert!(pager.is_done());
    assert_eq!(Some(seen), pager.progress().total);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_large_generated_project_pages_past_the_server_maximum() {
    // More rows than the server's maximum page of 100: asking for 150 a
    // page gets 100, and the pager must go on by the rows received.
    let sandbox = sandbox(SandboxOptions::for_tests().with_data(DataSource::Generate(400))).await;
    let client = client(&sandbox);
    let query = FindingQuery::default();
    let total = client
        .list_findings(&query, 0, 1)
        .await
        .expect("a page")
        .total;
    let total = total.expect("meta.total");
    assert!(total > 100, "{total} rows do not need a second page");
    let mut pages = 0;
    let all = fetch_all_findings(&client, &query, 150, |_| pages += 1)
        .await
        .expect("every page");
    assert_eq!(all.len() as u64, total);
    assert_eq!(unique(all.iter().map(|f| f.id.as_str())), all.len());
    assert_eq!(pages, total.div_ceil(100));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn cursor_lists_are_complete_and_newest_first() {
    let sandbox = sandbox(SandboxOptions::for_tests().with_data(DataSource::Demo)).await;
    let client = client(&sandbox);

    let first = client.list_tasks(None, None, Some(1)).await.expect("tasks");
    let total = first.total.expect("meta.total");
    let tasks = fetch_all_tasks(&client, None, awkward_page_size(total), |_| {})
        .await
        .expect("every task");
    assert_eq!(tasks.len() as u64, total);
    assert_eq!(unique(tasks.iter().map(|t| t.id.as_str())), tasks.len());
    let times: Vec<_> = tasks
        .iter()
        .map(|t| t.created_at.as_ref().and_then(Timestamp::get))
        .collect();
    assert_newest_first(&times, "tasks");
    let whole = client
        .list_tasks(None, None, Some(100))
        .await
        .expect("one page");
    assert_eq!(tasks, whole.items);
    assert_eq!(whole.next_cursor, None, "the last page has no cursor");

    let first = client
        .list_verifications(None, Some(1))
        .await
        .expect("verifications");
    let total = first.total.expect("meta.total");
    let all = fetch_all_verifications(&client, awkward_page_size(total), |_| {})
        .await
        .expect("every verification");
    assert_eq!(all.len() as u64, total);
    assert_eq!(unique(all.iter().map(|v| v.id.as_str())), all.len());
    let times: Vec<_> = all
        .iter()
        .map(|v| v.created_at.as_ref().and_then(Timestamp::get))
        .collect();
    assert_newest_first(&times, "verifications");

    let first = client.list_scans(None, Some(1)).await.expect("scans");
    let total = first.total.expect("meta.total");
    let scans = fetch_all_scans(&client, awkward_page_size(total), |_| {})
        .await
        .expect("every scan");
    assert_eq!(scans.len() as u64, total);
    assert_eq!(unique(scans.iter().map(|s| s.id.as_str())), scans.len());
    let times: Vec<_> = scans.iter().map(Scan::created).collect();
    assert_newest_first(&times, "scans");

    let first = client
        .list_regressions(None, None, Some(1))
        .await
        .expect("regressions");
    let total = first.total.expect("meta.total");
    assert!(total >= 1, "the demo has regressions");
    let size = if total > 2 {
        awkward_page_size(total)
    } else {
        1
    };
    let regressions = fetch_all_regressions(&client, None, size, |_| {})
        .await
        .expect("every regression");
    assert_eq!(regressions.len() as u64, total);
    assert_eq!(
        unique(regressions.iter().map(|r| r.id.as_str())),
        regressions.len()
    );
    // A filtered walk is the matching part of the whole.
    let open = fetch_all_regressions(&client, Some(&RegressionStatus::Open), 1, |_| {})
        .await
        .expect("open regressions");
    let expected: Vec<_> = regressions
        .iter()
        .filter(|r| r.status == RegressionStatus::Open)
        .cloned()
        .collect();
    assert_eq!(open, expected);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_malformed_cursor_is_invalid_params() {
    let sandbox = sandbox(SandboxOptions::for_tests().with_data(DataSource::Demo)).await;
    let client = client(&sandbox);
    let err = client
        .list_tasks(None, Some("not-a-cursor"), Some(5))
        .await
        .unwrap_err();
    assert_eq!(
        (err.status(), err.code()),
        (Some(422), Some("invalid_params"))
    );
    assert!(err.request_id().is_some());
    sandbox.shutdown().await;
}
