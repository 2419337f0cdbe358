//! Whole bulk jobs through the engine (journal, pacing, events), as
//! `krafter update` runs them: 100, 500 and 2,000 findings against a
//! sandbox whose default bucket is 100 / 2 s.
//!
//! The floor is what the limit allows: started on a window boundary, a job
//! of N findings at L per window W needs k = ceil(N / L) windows, so its
//! last request can go out (k - 1)·W after the start, and the r = N - (k-1)·L
//! requests of the last window take r·p, p being the time one item takes
//! when nothing holds it back. p is measured in the same job, on its first
//! window (the first min(N, L) items, sent before any pacing), so the floor
//! and the wall share the moment's machine load; for N ≤ L the ratio is
//! therefore 1 by construction and only the other rows say something.
//! "Lost" counts findings of the job that do not hold the new value on the
//! server afterwards (read back through the list, not from the report).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant, SystemTime};

use krafter::api::Client;
use krafter::api::model::FindingQuery;
use krafter::engine::bulk::{self, Current, Event, StartOptions, Target, WhenSpent};
use krafter::journal::{Change, Journal, NewJob, Selection};
use krafter::sandbox::RateWindow;

use super::{Tally, common, next_window, relay};

const LIMIT: u32 = 100;
const WINDOW: Duration = Duration::from_secs(2);
const SIZES: [usize; 3] = [100, 500, 2_000];

/// What one job took.
struct Timing {
    wall: Duration,
    /// When the item number `LIMIT` (or the last, if fewer) got its answer.
    first_window: Duration,
}

/// One job of the first `n` findings: a new owner for each, journalled in
/// a fresh journal, started on a window boundary. Returns its timing, the
/// ids and the owner.
async fn job(
    client: &Client,
    all: &[(String, Current)],
    n: usize,
) -> (Timing, Vec<String>, String) {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("bench set-up: no temp dir: {e}"),
    };
    let journal = match Journal::open(&dir.path().join("journal.sqlite3")) {
        Ok(o) => o.journal,
        Err(e) => panic!("bench set-up: no journal: {e}"),
    };
    // A fresh owner: every PATCH really changes its finding.
    let owner = uuid::Uuid::new_v4().to_string();
    let change = Change {
        owner: Some(Some(owner.clone())),
        ..Change::default()
    };
    let chosen = &all[..n];
    let targets: Vec<Target> = chosen
        .iter()
        .map(|(id, _)| Target {
            id: id.clone(),
            change: change.clone(),
            guard: None,
            title: None,
        })
        .collect();
    let current: HashMap<String, Current> = chosen.iter().cloned().collect();
    let preview = bulk::preview(&targets, &current, &client.budget(), SystemTime::now());
    assert_eq!(preview.requests(), n, "every finding changes");
    let record = NewJob {
        profile: "bench".into(),
        scope: bulk::scope_of(client),
        selection: Selection::Ids { count: n },
        change,
        reason: None,
        comment: None,
        undo_of: None,
    };
    let id = match journal.create_job(&record, &preview.journal_items()) {
        Ok(id) => id,
        Err(e) => panic!("bench set-up: the job was not recorded: {e}"),
    };
    next_window(WINDOW).await;
    let options = StartOptions {
        when_spent: WhenSpent::Stop,
        ..StartOptions::default()
    };
    let started_at = Instant::now();
    let mut started = match bulk::start(client.clone(), journal, &id, options) {
        Ok(s) => s,
        Err(e) => panic!("the job did not start: {e}"),
    };
    let mut answered = 0;
    let mut first_window = Duration::ZERO;
    while let Some(event) = started.events.recv().await {
        match event {
            Event::Item(_) => {
                answered += 1;
                if answered == n.min(LIMIT as usize) {
                    first_window = started_at.elapsed();
                }
            }
            Event::Finished(report) => {
                let wall = started_at.elapsed();
                assert_eq!(report.counts.updated, n, "{:?}", report.job.message);
                let ids = chosen.iter().map(|(id, _)| id.clone()).collect();
                return (Timing { wall, first_window }, ids, owner);
            }
            _ => {}
        }
    }
    panic!("the job ended without a report");
}

/// Findings of `ids` that do not have `owner` on the server.
async fn lost(client: &Client, ids: &[String], owner: &str) -> usize {
    let all = common::load_all(client).await;
    let holding: HashSet<&str> = all
        .iter()
        .filter(|f| f.owner_id.as_deref() == Some(owner))
        .map(|f| f.id.as_str())
        .collect();
    ids.iter()
        .filter(|id| !holding.contains(id.as_str()))
        .count()
}

async fn findings(client: &Client) -> Vec<(String, Current)> {
    let found = bulk::current::by_filter(client, &FindingQuery::default(), &mut |_, _| {}).await;
    match found {
        Ok(f) => f,
        Err(e) => panic!("bench set-up: listing failed: {e}"),
    }
}

pub async fn run() {
    let most = SIZES.iter().copied().max().unwrap_or(0);
    let rate = RateWindow {
        requests: LIMIT,
        window: WINDOW,
    };
    let (sandbox, _) = common::sandbox(3 * (most + 10), Some(rate)).await;
    let tally = Arc::new(Tally::default());
    let relay = relay(sandbox.addr, Arc::clone(&tally)).await;
    let base = format!("http://{relay}/api/v1");

    println!();
    println!(
        "bulk jobs through the engine (journal included), default bucket {LIMIT} / {} s",
        WINDOW.as_secs()
    );
    println!(
        "{:>6} {:>9} {:>9} {:>7} {:>8} {:>6} {:>5}  answers per window",
        "items", "wall", "floor", "ratio", "per item", "429s", "lost"
    );
    for n in SIZES {
        let client = common::client(&sandbox, &base);
        let all = findings(&client).await;
        tally.reset(WINDOW);
        let (timing, ids, owner) = job(&client, &all, n).await;
        let wall = timing.wall;
        let per_item = timing.first_window / n.min(LIMIT as usize) as u32;
        let windows = tally.windows();
        let throttled = tally.throttled.load(Ordering::Relaxed);
        let k = n.div_ceil(LIMIT as usize);
        let last = n - (k - 1) * LIMIT as usize;
        let paced = WINDOW * (k as u32 - 1) + per_item * last as u32;
        let floor = paced.max(per_item * n as u32);
        let lost = lost(&client, &ids, &owner).await;
        println!(
            "{:>6} {:>8.2}s {:>8.2}s {:>7.3} {:>6.2}ms {:>6} {:>5}  {}",
            n,
            wall.as_secs_f64(),
            floor.as_secs_f64(),
            wall.as_secs_f64() / floor.as_secs_f64(),
            per_item.as_secs_f64() * 1000.0,
            throttled,
            lost,
            windows
        );
    }
    sandbox.shutdown().await;
}
