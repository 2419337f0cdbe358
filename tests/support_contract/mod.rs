//! The real client against the real sandbox over loopback HTTP: starting
//! both, a recording relay between them (to count what reached the server),
//! and a tiny site for the sandbox's scanner to fetch.

#![allow(dead_code, unused_imports)]

pub mod relay;
pub mod site;

use std::collections::BTreeMap;
use std::future::Future;
use std::time::{Duration, Instant};

use krafter::api::{ApiError, ApiKey, Client, ClientSettings};
use krafter::sandbox::{RunningSandbox, SandboxOptions, spawn};

pub use relay::{Relay, Seen};
pub use site::Site;

/// Starts a sandbox; a failure to start is a broken test set-up.
pub async fn sandbox(options: SandboxOptions) -> RunningSandbox {
    spawn(options)
        .await
        .expect("the sandbox starts on loopback")
}

/// A client of `base_url` for the sandbox's first project with `key`.
pub fn client_with(sandbox: &RunningSandbox, base_url: &str, key: &str) -> Client {
    let key = ApiKey::new(key).expect("the sandbox's keys are not empty");
    let mut settings = ClientSettings::new(
        base_url,
        sandbox.org_id.clone(),
        sandbox.projects[0].clone(),
        key,
    );
    settings.request_timeout = Duration::from_secs(10);
    Client::new(settings).expect("a loopback http base URL is accepted")
}

/// A client for the sandbox's first project with the write key.
pub fn client(sandbox: &RunningSandbox) -> Client {
    client_with(sandbox, &sandbox.base_url, &sandbox.write_key)
}

/// Asserts that neither the error's message nor its Debug form holds `key`.
pub fn assert_key_hidden(err: &ApiError, key: &str) {
    let shown = format!("{err} | {err:?}");
    assert!(!key.is_empty());
    assert!(!shown.contains(key), "the key leaked into: {shown}");
}

/// Calls `fetch` until `done` holds for its answer, or fails after 20 s.
pub async fn poll<T, F, Fut>(what: &str, mut fetch: F, done: impl Fn(&T) -> bool) -> T
where
    T: std::fmt::Debug,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, ApiError>>,
{
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let value = fetch().await.unwrap_or_else(|e| panic!("{what}: {e}"));
        if done(&value) {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "{what} never finished: {value:?}"
        );
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
}

/// Waits until `secs`-second windows have just begun, so a timed test
/// starts at the beginning of a rate-limit window rather than at its end.
pub async fn start_of_window(secs: u64) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let window_ms = u128::from(secs) * 1000;
    let into = now.as_millis() % window_ms;
    let left = window_ms - into;
    tokio::time::sleep(Duration::from_millis(left as u64 + 20)).await;
}

/// A sandbox started with `options`, a relay in front of it, and a
/// write-key client that goes through the relay.
pub async fn behind_relay(options: SandboxOptions) -> (RunningSandbox, Relay, Client) {
    let sandbox = sandbox(options).await;
    let relay = Relay::start(sandbox.addr).await;
    let client = client_with(&sandbox, &relay.base_url, &sandbox.write_key);
    (sandbox, relay, client)
}

/// Requests per window the server saw, keyed by the window's reset.
pub fn per_window(seen: &[Seen]) -> BTreeMap<u64, usize> {
    let mut windows = BTreeMap::new();
    for s in seen {
        let reset = s
            .number("x-ratelimit-reset")
            .expect("every answer shows the reset");
        *windows.entry(reset).or_insert(0) += 1;
    }
    windows
}
