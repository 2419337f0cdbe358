//! Contract tests: one client paces itself by the real sandbox's rate-limit
//! headers (windows of a second, so pacing shows in seconds): no 429 ever
//! reaches the caller, the budget snapshot shows the headers, and
//! `scans/run` has its own strict bucket. A relay between them counts what
//! reached the server.

mod support_contract;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, UNIX_EPOCH};

use krafter::api::model::*;
use krafter::api::{Client, PaceReason};
use krafter::sandbox::{DataSource, RateWindow, SandboxOptions};
use support_contract::{Seen, Site, behind_relay, per_window, start_of_window};

/// Up to this long past the windows a piece of work needs: generous for a
/// loaded two-core machine, far from the 60 s a wrong pace would take.
const SLACK: Duration = Duration::from_secs(4);

fn five_a_second() -> SandboxOptions {
    SandboxOptions {
        rate_default: Some(RateWindow::new(5, 1)),
        ..SandboxOptions::for_tests().with_data(DataSource::Demo)
    }
}

/// Records every pacing the client announces on its budget watch.
fn watch_pacing(client: &Client) -> Arc<Mutex<Vec<PaceReason>>> {
    let reasons = Arc::new(Mutex::new(Vec::new()));
    let mut rx = client.watch_budget();
    let sink = Arc::clone(&reasons);
    tokio::spawn(async move {
        while rx.changed().await.is_ok() {
            let reason = rx.borrow_and_update().pacing_reason;
            if let Some(reason) = reason {
                sink.lock().unwrap_or_else(|p| p.into_inner()).push(reason);
            }
        }
    });
    reasons
}

#[tokio::test]
async fn twenty_reads_wait_for_four_windows_and_never_see_a_429() {
    let (sandbox, relay, client) = behind_relay(five_a_second()).await;
    let pacing = watch_pacing(&client);
    start_of_window(1).await;
    let started = Instant::now();
    for _ in 0..20 {
        client
            .command_center()
            .await
            .expect("no error reaches the caller");
    }
    let took = started.elapsed();
    eprintln!("20 reads at 5/s took {took:?}");

    let seen = relay.seen();
    assert_eq!(seen.len(), 20, "each read was sent once");
    assert_eq!(
        relay.count_status(429),
        0,
        "the client paced itself before the limit"
    );
    let windows = per_window(&seen);
    assert_eq!(windows.values().copied().collect::<Vec<_>>(), [5, 5, 5, 5]);
    // Four windows from the start of one: three resets waited for.
    assert!(
        took >= Duration::from_millis(2_500),
        "did not wait: {took:?}"
    );
    assert!(took <= Duration::from_secs(3) + SLACK, "too slow: {took:?}");
    let reasons = pacing.lock().unwrap_or_else(|p| p.into_inner()).clone();
    assert!(reasons.contains(&PaceReason::WindowSpent), "{reasons:?}");
    assert!(!reasons.contains(&PaceReason::RetryAfter), "{reasons:?}");

    // The snapshot says what the last answer's headers said.
    let last = seen.last().expect("answers");
    let budget = client.budget();
    assert_eq!(budget.limit, Some(5));
    assert_eq!(
        budget.remaining.map(u64::from),
        last.number("x-ratelimit-remaining")
    );
    let reset = last.number("x-ratelimit-reset").expect("a reset");
    assert_eq!(
        budget.reset_at,
        Some(UNIX_EPOCH + Duration::from_secs(reset))
    );
    assert_eq!(
        budget.window,
        Duration::from_secs(1),
        "the window was learnt"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn scans_are_paced_by_the_strict_bucket_and_reads_are_not() {
    let site = Site::start().await;
    let (sandbox, relay, client) = behind_relay(SandboxOptions {
        rate_default: Some(RateWindow::new(100, 60)),
        rate_strict: Some(RateWindow::new(2, 1)),
        ..Site::sandbox_options()
    })
    .await;
    let request = ScanRequest {
        url: site.url.clone(),
        trigger: ScanTrigger::Manual,
    };
    start_of_window(1).await;
    let started = Instant::now();
    let mut ids = Vec::new();
    for _ in 0..2 {
        ids.push(client.run_scan(&request).await.expect("accepted").id);
    }
    // The strict bucket is spent; a read goes at once all the same.
    client.get_scan(&ids[0]).await.expect("a read");
    let read_at = relay.seen().last().expect("the read").at;
    for _ in 0..3 {
        ids.push(client.run_scan(&request).await.expect("accepted").id);
    }
    let took = started.elapsed();
    eprintln!("5 scans at 2/s took {took:?}");

    let seen = relay.seen();
    assert_eq!(relay.count_status(429), 0);
    let scans: Vec<&Seen> = seen.iter().filter(|s| s.method == "POST").collect();
    assert_eq!(scans.len(), 5);
    assert!(
        per_window(&seen).values().all(|&n| n <= 3),
        "two scans and a read"
    );
    let first_reset = scans[0].number("x-ratelimit-reset").expect("a reset");
    let first_reset = UNIX_EPOCH + Duration::from_secs(first_reset);
    assert!(
        read_at < first_reset,
        "the read waited for the strict window"
    );
    assert!(scans[2].at >= first_reset, "the third scan did not wait");
    assert!(
        took >= Duration::from_millis(1_500),
        "did not wait: {took:?}"
    );
    assert!(took <= Duration::from_secs(2) + SLACK, "too slow: {took:?}");
    let budget = client.budget();
    assert_eq!(budget.strict.limit, Some(2));
    assert_eq!(budget.limit, Some(100), "reads show the default bucket");
    sandbox.shutdown().await;
}
