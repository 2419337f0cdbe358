//! Bulk pacing: 500 finding PATCHes through the client against a sandbox
//! whose default bucket is the contract's 100 / 60 s scaled to 100 / 1 s.
//!
//! The contract says such a bulk takes five windows however it is written:
//! started on a window boundary, requests 401 to 500 fall in the fifth
//! window, so the floor is 4 windows plus the time to send the last 100.
//! A byte relay between client and sandbox counts every answer and every
//! 429 the sandbox sent, without changing either side.
//!
//! Then whole bulk jobs through the engine (`engine_jobs`): 100, 500 and
//! 2,000 findings at 100 / 2 s, journal included, against the floor the
//! limit allows.

mod common;
#[path = "bulk/engine_jobs.rs"]
mod engine_jobs;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures::StreamExt;
use krafter::api::Client;
use krafter::api::model::{FindingPatch, FindingQuery};
use krafter::sandbox::RateWindow;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const BULK: usize = 500;
const WINDOW: Duration = Duration::from_secs(1);
const RUNS: usize = 3;

/// Answers the sandbox sent, how many of them were 429s, and how many
/// fell in each rate window (by Unix second).
#[derive(Default)]
struct Tally {
    /// The rate window answers are bucketed by (the one being measured).
    window_secs: AtomicU64,
    answers: AtomicUsize,
    throttled: AtomicUsize,
    per_window: Mutex<BTreeMap<u64, usize>>,
}

impl Tally {
    fn reset(&self, window: Duration) {
        self.window_secs
            .store(window.as_secs().max(1), Ordering::Relaxed);
        self.answers.store(0, Ordering::Relaxed);
        self.throttled.store(0, Ordering::Relaxed);
        self.per_window
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    fn note(&self, answers: usize, throttled: usize) {
        self.answers.fetch_add(answers, Ordering::Relaxed);
        self.throttled.fetch_add(throttled, Ordering::Relaxed);
        if answers > 0 {
            let window = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default()
                .as_secs()
                / self.window_secs.load(Ordering::Relaxed).max(1);
            *self
                .per_window
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .entry(window)
                .or_default() += answers;
        }
    }

    /// Answers per window, in order, e.g. `100 100 100 100 100`.
    fn windows(&self) -> String {
        let map = self.per_window.lock().unwrap_or_else(|e| e.into_inner());
        let counts: Vec<String> = map.values().map(usize::to_string).collect();
        counts.join(" ")
    }
}

/// Counts a byte pattern in a stream read in chunks, including occurrences
/// split across two chunks.
struct Needle {
    pattern: &'static [u8],
    carry: Vec<u8>,
}

impl Needle {
    fn new(pattern: &'static [u8]) -> Self {
        Needle {
            pattern,
            carry: Vec::new(),
        }
    }

    fn count(&mut self, chunk: &[u8]) -> usize {
        self.carry.extend_from_slice(chunk);
        let found = self
            .carry
            .windows(self.pattern.len())
            .filter(|w| *w == self.pattern)
            .count();
        // Keep fewer bytes than the pattern: nothing counted is seen twice.
        let keep = self.pattern.len() - 1;
        let cut = self.carry.len().saturating_sub(keep);
        self.carry.drain(..cut);
        found
    }
}

/// Relays loopback TCP to `upstream`, tallying the status lines of answers.
async fn relay(upstream: SocketAddr, tally: Arc<Tally>) -> SocketAddr {
    let listener = match TcpListener::bind("127.0.0.1:0").await {
        Ok(l) => l,
        Err(e) => panic!("bench set-up: no loopback port for the relay: {e}"),
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => panic!("bench set-up: the relay has no address: {e}"),
    };
    tokio::spawn(async move {
        while let Ok((inbound, _)) = listener.accept().await {
            let tally = Arc::clone(&tally);
            tokio::spawn(async move {
                let Ok(outbound) = TcpStream::connect(upstream).await else {
                    return;
                };
                let (mut in_read, mut in_write) = inbound.into_split();
                let (mut out_read, mut out_write) = outbound.into_split();
                tokio::spawn(async move {
                    let _ = tokio::io::copy(&mut in_read, &mut out_write).await;
                    let _ = out_write.shutdown().await;
                });
                let mut answers = Needle::new(b"HTTP/1.1 ");
                let mut throttled = Needle::new(b"HTTP/1.1 429 ");
                let mut buf = vec![0u8; 16 * 1024];
                loop {
                    let n = match out_read.read(&mut buf).await {
                        Ok(0) | Err(_) => break,
                        Ok(n) => n,
                    };
                    tally.note(answers.count(&buf[..n]), throttled.count(&buf[..n]));
                    if in_write.write_all(&buf[..n]).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    addr
}

/// Waits for the start of the next rate window (plus a little), so every run
/// starts with a full budget and the same floor.
async fn next_window(window: Duration) {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let into = Duration::from_nanos((since.as_nanos() % window.as_nanos()) as u64);
    tokio::time::sleep(window - into + Duration::from_millis(20)).await;
}

/// One bulk of PATCHes, `in_flight` at a time; returns the wall time and how
/// many were refused.
async fn bulk(
    client: &Client,
    ids: &[String],
    patch: &FindingPatch,
    in_flight: usize,
) -> (Duration, usize) {
    let started = Instant::now();
    let failed = futures::stream::iter(ids)
        .map(|id| client.patch_finding(id, patch))
        .buffer_unordered(in_flight)
        .filter(|r| std::future::ready(r.is_err()))
        .count()
        .await;
    (started.elapsed(), failed)
}

fn main() {
    let rt = common::runtime();
    rt.block_on(async {
        let rate = RateWindow {
            requests: 100,
            window: WINDOW,
        };
        let (sandbox, _) = common::sandbox(3 * (BULK + 100), Some(rate)).await;
        let tally = Arc::new(Tally::default());
        let relay = relay(sandbox.addr, Arc::clone(&tally)).await;
        let base = format!("http://{relay}/api/v1");
        let me = sandbox.me.clone();

        println!("bulk: {BULK} PATCHes, default bucket 100 / 1 s, floor 4 windows + the last 100");
        println!(
            "{:<24} {:>8} {:>8} {:>8} {:>6} {:>8}  answers per window",
            "variant", "wall", "windows", "answers", "429s", "refused"
        );
        for (name, in_flight) in [("sequential (TUI, CLI)", 1), ("8 in flight", 8)] {
            for run in 0..RUNS {
                // A fresh session each time: it lists, then changes.
                let client = common::client(&sandbox, &base);
                let mut ids = Vec::with_capacity(BULK);
                while ids.len() < BULK {
                    let page = client
                        .list_findings(&FindingQuery::default(), ids.len() as u64, common::PAGE)
                        .await;
                    match page {
                        Ok(p) if !p.items.is_empty() => {
                            ids.extend(p.items.into_iter().map(|f| f.id))
                        }
                        Ok(_) => panic!("the sandbox has fewer than {BULK} findings"),
                        Err(e) => panic!("listing failed: {e}"),
                    }
                }
                ids.truncate(BULK);
                // Alternate so every PATCH really changes the finding.
                let owner = if run % 2 == 0 { me.clone() } else { None };
                let patch = FindingPatch {
                    owner_id: Some(owner),
                    ..FindingPatch::default()
                };
                next_window(WINDOW).await;
                tally.reset(WINDOW);
                let (wall, refused) = bulk(&client, &ids, &patch, in_flight).await;
                println!(
                    "{:<24} {:>7.2}s {:>8.2} {:>8} {:>6} {:>8}  {}",
                    name,
                    wall.as_secs_f64(),
                    wall.as_secs_f64() / WINDOW.as_secs_f64(),
                    tally.answers.load(Ordering::Relaxed),
                    tally.throttled.load(Ordering::Relaxed),
                    refused,
                    tally.windows()
                );
            }
        }
        sandbox.shutdown().await;
        engine_jobs::run().await;
    });
}
