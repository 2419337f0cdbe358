//! Fault mode (`--chaos`) over real HTTP: each fault does what it says, a
//! request failed before the handler was not applied, one failed after it
//! (`reset_after`, a cut-off answer) was, and the seed fixes the order.

mod support_sandbox;

use std::time::{Duration, Instant};

use krafter::api::{ApiError, Client};
use krafter::sandbox::chaos::{ChaosSpec, parse};
use krafter::sandbox::{DataSource, RateWindow, SandboxOptions, spawn};
use serde_json::{Value, json};
use support_sandbox::Api;

fn chaos(spec: &str, seed: u64) -> ChaosSpec {
    parse(spec).expect("valid spec").with_seed(seed)
}

fn options(spec: &str, seed: u64) -> SandboxOptions {
    SandboxOptions {
        chaos: Some(chaos(spec, seed)),
        rate_default: Some(RateWindow::new(10_000, 3600)),
        ..SandboxOptions::for_tests().with_data(DataSource::Demo)
    }
}

/// A finding of the demo data that is `new`, by raw HTTP (every read is
/// retried past the faults).
async fn new_finding(api: &Api) -> String {
    for _ in 0..200 {
        let reply = api.get("/findings?status=new&limit=1").await;
        // A 200 with a cut-off body (garbage) is not an answer either.
        if reply.status == 200
            && let Some(id) = reply.body["data"][0]["id"].as_str()
        {
            return id.to_string();
        }
    }
    panic!("no read got through");
}

/// The finding's status, read past any faults.
async fn status_of(api: &Api, id: &str) -> String {
    for _ in 0..200 {
        if let Ok(resp) = api
            .http
            .get(api.url(&format!("/findings/{id}")))
            .bearer_auth(&api.key)
            .send()
            .await
            && resp.status() == 200
            && let Ok(body) = resp.json::<Value>().await
        {
            return body["data"]["status"].as_str().unwrap_or("?").to_string();
        }
    }
    panic!("no read got through");
}

/// Sends one PATCH; `Some(status)` when an answer came (a 200 whose body
/// is not the envelope counts as garbage: `Some(0)`), `None` when the
/// connection was dropped.
async fn patch(api: &Api, id: &str, status: &str) -> Option<u16> {
    let resp = api
        .http
        .patch(api.url(&format!("/findings/{id}")))
        .bearer_auth(&api.key)
        .json(&json!({ "status": status }))
        .send()
        .await
        .ok()?;
    let code = resp.status().as_u16();
    let body: Option<Value> = resp.json().await.ok();
    let enveloped = body.is_some_and(|b| b.get("data").is_some());
    Some(if code == 200 && !enveloped { 0 } else { code })
}

#[tokio::test]
async fn a_failed_request_was_not_applied_and_a_500_says_so_honestly() {
    let api = Api::start(options("500=0.4,reset=0.2,garbage=0.2", 11)).await;
    let id = new_finding(&api).await;
    let mut failures = 0;
    let mut cut_off = 0;
    let mut status = "new";
    for _ in 0..40 {
        let next = if status == "new" { "triaged" } else { "new" };
        match patch(&api, &id, next).await {
            Some(200) => status = next,
            // A 200 no client can read: the service ran and its answer was
            // cut off on the way, so the change is applied.
            Some(0) => {
                cut_off += 1;
                status = next;
            }
            // A 500, a proxy's 502 or no answer: decided before the
            // handler, so not applied.
            Some(500) | Some(502) | None => failures += 1,
            Some(other) => panic!("unexpected status {other}"),
        }
        assert_eq!(
            status_of(&api, &id).await,
            status,
            "after {failures} failures"
        );
    }
    assert!(failures >= 10, "the faults fired: {failures}");
    assert!(cut_off >= 1, "some answers were cut off: {cut_off}");
}

#[tokio::test]
async fn each_fault_looks_like_the_real_thing() {
    // 500: the envelope's `internal`, a request id, rate-limit headers.
    let api = Api::start(options("500=1", 1)).await;
    let reply = api.get("/findings").await;
    assert_eq!(reply.status, 500);
    assert_eq!(reply.code(), Some("internal"));
    reply.assert_request_id();
    assert!(reply.header("x-ratelimit-remaining").is_some());

    // 429: the contract's flat body and headers, agreeing.
    let api = Api::start(options("429=1", 1)).await;
    let reply = api.get("/findings").await;
    assert_eq!(reply.status, 429);
    assert_eq!(reply.body["error"], "Rate limit exceeded");
    let wait = reply.header("retry-after").expect("retry-after");
    assert_eq!(reply.body["retry_after"].to_string(), wait);
    assert_eq!(reply.header("x-ratelimit-remaining").as_deref(), Some("0"));
    assert_eq!(reply.header("x-ratelimit-limit").as_deref(), Some("10000"));
    assert!(reply.header("x-ratelimit-reset").is_some());

    // reset: no answer at all.
    let api = Api::start(options("reset=1", 1)).await;
    let err = api
        .http
        .get(api.url("/findings"))
        .bearer_auth(&api.key)
        .send()
        .await
        .expect_err("the connection is dropped");
    assert!(!err.is_status() && !err.is_timeout(), "{err:?}");

    // garbage: nothing a client can decode.
    let api = Api::start(options("garbage=1", 1)).await;
    for _ in 0..6 {
        let reply = api.get("/findings").await;
        assert_eq!(reply.body, Value::Null, "not JSON: {}", reply.status);
    }

    // slow: the answer comes, late.
    let api = Api::start(options("slow=1:300ms", 1)).await;
    let started = Instant::now();
    assert_eq!(api.get("/findings").await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn reset_after_applies_the_change_then_drops_the_connection() {
    let api = Api::start(options("reset_after=0.5", 5)).await;
    let id = new_finding(&api).await;
    let mut status = "new";
    let mut dropped = 0;
    for _ in 0..30 {
        let next = if status == "new" { "triaged" } else { "new" };
        match patch(&api, &id, next).await {
            Some(200) => {}
            None => dropped += 1,
            Some(other) => panic!("unexpected status {other}"),
        }
        // Answered or not, the change happened: outcome unknown to the
        // client, applied on the server.
        status = next;
        assert_eq!(status_of(&api, &id).await, status);
    }
    assert!(dropped >= 5, "the faults fired: {dropped}");
}

/// The same seed gives the same faults to the same sequence of requests.
#[tokio::test]
async fn the_seed_decides_which_requests_fail() {
    async fn statuses(seed: u64) -> Vec<u16> {
        let api = Api::start(options("500=0.3,429=0.3", seed)).await;
        let mut got = Vec::new();
        for _ in 0..30 {
            got.push(api.get("/integrations").await.status);
        }
        got
    }
    let first = statuses(42).await;
    assert_eq!(first, statuses(42).await);
    assert_ne!(first, statuses(43).await);
    assert!(first.contains(&200) && first.contains(&500) && first.contains(&429));
}

/// The client meets the faults as a user would: it retries what is safe,
/// and a dropped connection is an error that names the host, not a panic.
#[tokio::test]
async fn the_client_rides_out_faults_it_may_retry() {
    let sandbox = spawn(options("500=0.3,reset=0.2,429=0.1", 9))
        .await
        .expect("starts");
    let client = Client::new(sandbox.client_settings(&sandbox.projects[0])).expect("client");
    let mut ok = 0;
    for _ in 0..10 {
        match client.command_center().await {
            Ok(_) => ok += 1,
            Err(ApiError::Status(e)) => assert!(e.status == 500, "{e}"),
            Err(ApiError::Connect { .. }) => {}
            Err(other) => panic!("unexpected error {other:?}"),
        }
    }
    assert!(ok >= 7, "retries carried most reads through: {ok}");
    sandbox.shutdown().await;
}
