//! Contract tests: handles that share one team's budget against the real
//! sandbox with a window of five requests a second. Clones never overspend
//! a window together, and a bulk change done the contract's way (one PATCH
//! per finding, a few workers) applies every change exactly once, with no
//! 429, in about the time the client's ETA said.

mod support_contract;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use krafter::api::model::*;
use krafter::api::paginate::fetch_all_findings;
use krafter::api::{ApiError, Client};
use krafter::sandbox::{DataSource, RateWindow, SandboxOptions};
use support_contract::{behind_relay, per_window, start_of_window};

const CHANGES: usize = 23;
const WORKERS: usize = 4;

/// Up to this long past the windows a piece of work needs.
const SLACK: Duration = Duration::from_secs(4);

fn five_a_second() -> SandboxOptions {
    SandboxOptions {
        rate_default: Some(RateWindow::new(5, 1)),
        ..SandboxOptions::for_tests().with_data(DataSource::Demo)
    }
}

/// Dismisses every finding of `ids` with `WORKERS` clones of `client`.
async fn dismiss_all(client: &Client, ids: Vec<String>) -> Vec<Result<Finding, ApiError>> {
    let queue = Arc::new(Mutex::new(ids));
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let client = client.clone();
            let queue = Arc::clone(&queue);
            tokio::spawn(async move {
                let mut done = Vec::new();
                loop {
                    let next = queue.lock().unwrap_or_else(|p| p.into_inner()).pop();
                    let Some(id) = next else { break };
                    let patch = FindingPatch {
                        status: Some(FindingStatus::Dismissed),
                        ..FindingPatch::default()
                    };
                    done.push(client.patch_finding(&id, &patch).await);
                }
                done
            })
        })
        .collect();
    let mut results = Vec::new();
    for worker in workers {
        results.extend(worker.await.expect("the worker ran"));
    }
    results
}

#[tokio::test]
async fn a_bulk_dismissal_applies_every_change_once_within_its_eta() {
    let (sandbox, relay, client) = behind_relay(SandboxOptions {
        rate_default: Some(RateWindow::new(5, 1)),
        ..SandboxOptions::for_tests().with_data(DataSource::Generate(150))
    })
    .await;

    let all = fetch_all_findings(&client, &FindingQuery::default(), 100, |_| {})
        .await
        .expect("the findings");
    let ids: Vec<String> = all
        .iter()
        .filter(|f| f.status.is_unresolved())
        .take(CHANGES)
        .map(|f| f.id.clone())
        .collect();
    assert_eq!(ids.len(), CHANGES, "enough open findings to dismiss");

    // One read in a fresh window teaches the client the window's length, so
    // its ETA for the bulk change is in seconds, not minutes.
    start_of_window(1).await;
    client.command_center().await.expect("a read");
    let eta = client
        .budget()
        .eta(CHANGES as u64, SystemTime::now())
        .expect("an ETA once the limit is known");
    let started = Instant::now();
    let results = dismiss_all(&client, ids.clone()).await;
    let took = started.elapsed();
    eprintln!("{CHANGES} PATCHes with {WORKERS} workers at 5/s took {took:?} (ETA {eta:?})");

    let failures: Vec<String> = results
        .iter()
        .filter_map(|r| r.as_ref().err().map(ToString::to_string))
        .collect();
    assert!(failures.is_empty(), "changes lost: {failures:?}");
    assert!(results.iter().all(|r| {
        r.as_ref()
            .is_ok_and(|f| f.status == FindingStatus::Dismissed)
    }));
    let patches: Vec<_> = relay
        .seen()
        .into_iter()
        .filter(|s| s.method == "PATCH")
        .collect();
    let applied = patches.iter().filter(|s| s.status == 200).count();
    assert_eq!(applied, CHANGES, "each change applied exactly once");
    assert_eq!(relay.count_status(429), 0, "the workers overspent a window");

    // 4 requests left in this window, then 5 a window: the fifth window.
    assert!(took >= Duration::from_secs(3), "did not wait: {took:?}");
    assert!(
        took <= eta + Duration::from_secs(2),
        "took {took:?}, the ETA said {eta:?}"
    );

    // Read back: every one is dismissed.
    let query = FindingQuery {
        status: Some(FindingStatus::Dismissed),
        ..FindingQuery::default()
    };
    let dismissed = fetch_all_findings(&client, &query, 100, |_| {})
        .await
        .expect("read back");
    let dismissed: HashSet<&str> = dismissed.iter().map(|f| f.id.as_str()).collect();
    assert!(ids.iter().all(|id| dismissed.contains(id.as_str())));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn clones_share_one_budget_and_do_not_overspend_it() {
    let (sandbox, relay, client) = behind_relay(five_a_second()).await;
    start_of_window(1).await;
    let started = Instant::now();
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move {
                for _ in 0..10 {
                    c.list_findings(&FindingQuery::default(), 0, 5).await?;
                }
                Ok::<_, krafter::api::ApiError>(())
            })
        })
        .collect();
    for worker in workers {
        worker
            .await
            .expect("the worker ran")
            .expect("no error reaches the caller");
    }
    let took = started.elapsed();
    eprintln!("2 clones x 10 reads at 5/s took {took:?}");
    let seen = relay.seen();
    assert_eq!(seen.len(), 20);
    assert_eq!(relay.count_status(429), 0, "the clones overspent a window");
    assert!(per_window(&seen).values().all(|&n| n <= 5));
    assert!(
        took >= Duration::from_millis(2_500),
        "did not wait: {took:?}"
    );
    assert!(took <= Duration::from_secs(3) + SLACK, "too slow: {took:?}");
    // Another project's client made from it is the same team's budget.
    let other = client.with_project(&sandbox.projects[1]);
    assert_eq!(other.budget(), client.budget());
    sandbox.shutdown().await;
}
