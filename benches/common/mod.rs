//! Set-up shared by the bench binaries: a sandbox of generated findings on
//! loopback, a client of it, and every finding loaded through that client.
//!
//! Each bench binary uses a part of this, so unused items are expected.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use krafter::api::model::{Finding, FindingQuery};
use krafter::api::paginate::fetch_all_findings;
use krafter::api::{ApiKey, Client, ClientSettings};
use krafter::sandbox::{DataSource, RateWindow, RunningSandbox, SandboxOptions};

/// The size every "at scale" number is measured at.
pub const FINDINGS: usize = 100_000;

/// `DataSource::Generate(n)` deals its findings round robin over the data
/// set's three projects; this many puts [`FINDINGS`] in the first one, the
/// project every client here talks to.
pub const GENERATE_FOR_ONE_PROJECT: usize = 3 * FINDINGS;

/// The contract's largest page.
pub const PAGE: u32 = 100;

/// A runtime with the two worker threads the bench machine has.
pub fn runtime() -> tokio::runtime::Runtime {
    match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => panic!("bench set-up: no tokio runtime: {e}"),
    }
}

/// Sandbox options: loopback, `n` generated findings, no scanner reach,
/// and the given default bucket (`None`: no rate limit).
pub fn options(n: usize, rate: Option<RateWindow>) -> SandboxOptions {
    SandboxOptions {
        rate_default: rate,
        rate_strict: None,
        ..SandboxOptions::for_tests().with_data(DataSource::Generate(n))
    }
}

/// Starts a sandbox of `n` generated findings and reports how long it took.
pub async fn sandbox(n: usize, rate: Option<RateWindow>) -> (RunningSandbox, Duration) {
    let started = Instant::now();
    match krafter::sandbox::spawn(options(n, rate)).await {
        Ok(s) => (s, started.elapsed()),
        Err(e) => panic!("bench set-up: the sandbox did not start: {e:?}"),
    }
}

/// A client of the sandbox's first project, talking to `base_url` (the
/// sandbox's own, or a relay in front of it).
pub fn client(sandbox: &RunningSandbox, base_url: &str) -> Client {
    let project = sandbox.projects.first().cloned().unwrap_or_default();
    let key = match ApiKey::new(sandbox.write_key.clone()) {
        Ok(k) => k,
        Err(e) => panic!("bench set-up: the sandbox's key is refused: {e}"),
    };
    let settings = ClientSettings::new(base_url, sandbox.org_id.clone(), project, key);
    match Client::new(settings) {
        Ok(c) => c,
        Err(e) => panic!("bench set-up: no client: {e}"),
    }
}

/// Every finding of the project, loaded page by page through the client.
pub async fn load_all(client: &Client) -> Vec<Finding> {
    match fetch_all_findings(client, &FindingQuery::default(), PAGE, |_| {}).await {
        Ok(all) => all,
        Err(e) => panic!("bench set-up: loading the findings failed: {e}"),
    }
}

/// The `data` array of one raw `GET /findings` answer, as the server sent it.
pub async fn raw_page(sandbox: &RunningSandbox, offset: u64) -> String {
    let project = sandbox.projects.first().cloned().unwrap_or_default();
    let url = format!(
        "{}/orgs/{}/projects/{project}/audit/findings?limit={PAGE}&offset={offset}",
        sandbox.base_url, sandbox.org_id
    );
    let answer = reqwest::Client::new()
        .get(url)
        .bearer_auth(&sandbox.write_key)
        .send()
        .await
        .and_then(|r| r.error_for_status());
    let body: serde_json::Value = match answer {
        Ok(r) => match r.json().await {
            Ok(v) => v,
            Err(e) => panic!("bench set-up: the page is not JSON: {e}"),
        },
        Err(e) => panic!("bench set-up: GET /findings failed: {e}"),
    };
    body.get("data").map(|d| d.to_string()).unwrap_or_default()
}
