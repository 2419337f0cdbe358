//! `krafter serve`: a local server of the Krafter Audit contract with a real
//! passive scanner. Used by `krafter demo` and by every integration test.

pub mod scanner;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::api::ClientSettings;
use crate::cli::ServeArgs;

/// A key's scope (contract section 2). Write includes read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Read,
    Write,
}

/// A fixed rate-limit window: `requests` per `window`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateWindow {
    pub requests: u32,
    pub window: Duration,
}

/// Where the sandbox's data comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DataSource {
    /// The demo data set shipped in `assets/`.
    Demo,
    /// One org and project with no findings (scans fill it).
    Empty,
    /// A data set in a JSON file of the same shape as the demo's.
    File(PathBuf),
    /// N synthetic findings, deterministic.
    Generate(usize),
}

/// How to start a sandbox.
#[derive(Clone, Debug)]
pub struct SandboxOptions {
    pub addr: SocketAddr,
    /// Keys and their scopes; empty means "generate one write and one read key".
    pub keys: Vec<(String, Scope)>,
    pub data: DataSource,
    pub allow_private_targets: bool,
    /// `None` turns the bucket off.
    pub rate_default: Option<RateWindow>,
    pub rate_strict: Option<RateWindow>,
}

/// A sandbox serving in the background.
#[derive(Debug)]
pub struct RunningSandbox {
    /// e.g. `http://127.0.0.1:43817/api/v1`.
    pub base_url: String,
    pub org_id: String,
    /// Project ids of the org, the first being the default.
    pub projects: Vec<String>,
    /// A key with `audit:write`.
    pub write_key: String,
    /// A key with `audit:read` only.
    pub read_key: String,
    /// A user id of the data set to act as "me" in the demo.
    pub me: Option<String>,
}

#[allow(unused_variables)]
impl RunningSandbox {
    /// Client settings for one of the org's projects, with the write key.
    pub fn client_settings(&self, project_id: &str) -> ClientSettings {
        todo!()
    }

    /// Stops serving and waits for in-flight requests to finish.
    pub async fn shutdown(self) {
        todo!()
    }
}

/// Starts a sandbox on `options.addr` (port 0 picks a free port).
#[allow(unused_variables)]
pub async fn spawn(options: SandboxOptions) -> color_eyre::Result<RunningSandbox> {
    todo!()
}

/// Runs `krafter serve` until Ctrl-C.
#[allow(unused_variables)]
pub async fn serve_command(args: &ServeArgs) -> color_eyre::Result<i32> {
    todo!()
}
