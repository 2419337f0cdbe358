//! `krafter findings --all` streamed: the real binary against the sandbox,
//! with a relay between them that counts what reached the server.

mod cmd_support;
mod support_contract;

use std::collections::HashSet;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use cmd_support::{Run, krafter_env};
use krafter::api::paginate::MAX_AHEAD;
use krafter::sandbox::{DataSource, RateWindow, RunningSandbox, SandboxOptions};
use serde_json::Value;
use support_contract::{Relay, per_window, sandbox};

/// A sandbox of `n` generated findings (a third of them in the project the
/// binary reads), with `rate` as its default bucket.
async fn generated(n: usize, rate: Option<RateWindow>) -> RunningSandbox {
    sandbox(SandboxOptions {
        rate_default: rate,
        ..SandboxOptions::for_tests().with_data(DataSource::Generate(n))
    })
    .await
}

/// The binary against `base_url` (the sandbox's, or a relay's).
fn krafter_at(sb: &RunningSandbox, base_url: &str, args: &[&str]) -> Run {
    krafter_env(sb, &sb.write_key, &[("KRAFTER_BASE_URL", base_url)], args)
}

/// Every finding of the project as the server sends it, page by page.
async fn as_sent(sb: &RunningSandbox) -> Vec<Value> {
    let http = reqwest::Client::new();
    let mut all = Vec::new();
    loop {
        let url = format!(
            "{}/orgs/{}/projects/{}/audit/findings?limit=100&offset={}",
            sb.base_url,
            sb.org_id,
            sb.projects[0],
            all.len()
        );
        let text = http
            .get(url)
            .bearer_auth(&sb.write_key)
            .send()
            .await
            .expect("the sandbox answers")
            .text()
            .await
            .expect("a body");
        let body: Value = serde_json::from_str(&text).expect("JSON");
        let rows = body["data"].as_array().expect("a list").clone();
        if rows.is_empty() {
            return all;
        }
        all.extend(rows);
    }
}

/// Requests for the findings list the relay forwarded.
fn list_requests(relay: &Relay) -> usize {
    relay
        .seen()
        .iter()
        .filter(|s| s.path.contains("/audit/findings"))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streamed_json_is_byte_for_byte_the_list_encoded_whole() {
    // 400 findings in the project: four pages.
    let sb = generated(1_200, None).await;
    let sent = as_sent(&sb).await;
    assert_eq!(sent.len(), 400);
    // What the export wrote before it streamed: the whole list, as sent,
    // encoded at once.
    let whole = serde_json::to_string_pretty(&sent).unwrap() + "\n";

    let run = krafter_at(
        &sb,
        &sb.base_url,
        &["findings", "--all", "--format", "json"],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout == whole,
        "the streamed JSON differs from the whole list"
    );

    let run = krafter_at(
        &sb,
        &sb.base_url,
        &["findings", "--all", "--format", "ndjson"],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), sent.len());
    for (line, finding) in lines.iter().zip(&sent) {
        assert_eq!(*line, serde_json::to_string(finding).unwrap());
    }

    // A limit cuts the same list.
    let run = krafter_at(
        &sb,
        &sb.base_url,
        &["findings", "--limit", "150", "--format", "json"],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.stdout,
        serde_json::to_string_pretty(&sent[..150]).unwrap() + "\n"
    );
    sb.shutdown().await;
}

/// What `krafter findings --all --format FORMAT | head -1` gave.
struct HeadRun {
    code: Option<i32>,
    stderr: String,
    first: String,
    took: Duration,
}

fn head_one(sb: &RunningSandbox, base_url: &str, format: &str) -> HeadRun {
    let home = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let mut export = Command::new(env!("CARGO_BIN_EXE_krafter"))
        .args(["findings", "--all", "--format", format])
        .env_clear()
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("KRAFTER_BASE_URL", base_url)
        .env("KRAFTER_ORG_ID", &sb.org_id)
        .env("KRAFTER_PROJECT_ID", &sb.projects[0])
        .env("KRAFTER_API_KEY", &sb.write_key)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pipe = export.stdout.take().unwrap();
    let head = Command::new("head")
        .arg("-1")
        .stdin(Stdio::from(pipe))
        .output()
        .unwrap();
    let status = export.wait().unwrap();
    let took = started.elapsed();
    let mut stderr = String::new();
    export
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    HeadRun {
        code: status.code(),
        stderr,
        first: String::from_utf8_lossy(&head.stdout).into_owned(),
        took,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_that_stops_after_one_line_stops_the_fetching() {
    // 3,000 findings in the project: thirty pages.
    let sb = generated(9_000, None).await;
    let relay = Relay::start(sb.addr).await;
    for format in ["ndjson", "json", "csv", "table"] {
        let before = list_requests(&relay);
        let run = head_one(&sb, &relay.base_url, format);
        assert_eq!(run.first.lines().count(), 1, "{format}: {}", run.first);
        assert_eq!(run.code, Some(0), "{format}: {}", run.stderr);
        assert!(run.stderr.is_empty(), "{format} said: {}", run.stderr);
        // At most the first page and the pages already in flight when the
        // reader went away (none at all for CSV, whose header is the first
        // line): nothing of the other twenty-odd pages.
        let sent = list_requests(&relay) - before;
        assert!(
            sent <= 1 + MAX_AHEAD,
            "{format}: {sent} requests of 30 pages after the reader left"
        );
        assert!(
            run.took < Duration::from_secs(20),
            "{format}: {:?}",
            run.took
        );
    }
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_that_leaves_while_the_export_waits_for_a_window_ends_it_at_once() {
    // One request an hour: the second page waits for the next window. The
    // first page of the table fits in the pipe, so no write fails: only
    // the reader's leaving can end the wait.
    let sb = generated(900, Some(RateWindow::new(1, 3600))).await;
    let run = head_one(&sb, &sb.base_url, "table");
    assert!(
        run.first.starts_with("ID") || run.first.starts_with("SEVERITY"),
        "{}",
        run.first
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.is_empty(), "said: {}", run.stderr);
    assert!(
        run.took < Duration::from_secs(15),
        "still waiting for the window after the reader left: {:?}",
        run.took
    );
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pipelined_paging_never_meets_a_429_in_a_small_window() {
    // 2,000 findings in the project: twenty pages at ten requests every
    // two seconds.
    let sb = generated(6_000, Some(RateWindow::new(10, 2))).await;
    let relay = Relay::start(sb.addr).await;
    let run = krafter_at(
        &sb,
        &relay.base_url,
        &["findings", "--all", "--format", "ndjson"],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let ids: HashSet<String> = run
        .stdout
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("one JSON object a line");
            v["id"].as_str().expect("an id").to_string()
        })
        .collect();
    assert_eq!(ids.len(), 2_000, "every finding once");
    let seen = relay.seen();
    assert_eq!(
        relay.count_status(429),
        0,
        "a request the budget could not pay for"
    );
    assert_eq!(seen.len(), 20, "each page asked for once");
    for (reset, count) in per_window(&seen) {
        assert!(count <= 10, "{count} requests in the window ending {reset}");
    }
    sb.shutdown().await;
}
