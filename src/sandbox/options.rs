//! How a sandbox is set up: its data, its keys' scopes, its rate window.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// A key's scope (contract section 2). Write includes read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Read,
    Write,
}

impl Scope {
    /// Parses `audit:read` or `audit:write`.
    pub fn parse(raw: &str) -> Option<Scope> {
        match raw {
            "audit:read" => Some(Scope::Read),
            "audit:write" => Some(Scope::Write),
            _ => None,
        }
    }
}

/// A fixed rate-limit window: `requests` per `window`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateWindow {
    pub requests: u32,
    pub window: Duration,
}

impl RateWindow {
    /// `requests` per `secs` seconds.
    pub fn new(requests: u32, secs: u64) -> Self {
        RateWindow {
            requests,
            window: Duration::from_secs(secs),
        }
    }
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
#[derive(Clone)]
pub struct SandboxOptions {
    pub addr: SocketAddr,
    /// Keys and their scopes; empty means "generate one write and one read key".
    pub keys: Vec<(String, Scope)>,
    pub data: DataSource,
    pub allow_private_targets: bool,
    /// `None` turns the bucket off.
    pub rate_default: Option<RateWindow>,
    pub rate_strict: Option<RateWindow>,
    /// When set, a second team exists with its own org and one project, and
    /// this write key. Lets tests check that teams cannot see each other.
    pub other_team_key: Option<String>,
    /// Time budget of each scanner fetch.
    pub scan_timeout: Duration,
    /// How scan targets' host names are resolved (tests point names at
    /// chosen addresses).
    pub scan_resolver: super::scanner::Resolver,
    /// Serve the demo storefront on loopback and let scans reach it as
    /// `http://shop.northwind.test:PORT/` (that name and port only).
    pub demo_site: bool,
    /// Fault mode: requests meet 500s, resets, delays, garbage and 429s at
    /// the spec's rates (see [`chaos`]). `None` serves every request.
    pub chaos: Option<super::chaos::ChaosSpec>,
}

impl SandboxOptions {
    /// The demo: loopback, a free port, demo data, generated keys and the
    /// documented rate limits.
    pub fn demo() -> Self {
        SandboxOptions {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            keys: Vec::new(),
            data: DataSource::Demo,
            allow_private_targets: false,
            rate_default: Some(RateWindow::new(100, 60)),
            rate_strict: Some(RateWindow::new(30, 60)),
            other_team_key: None,
            scan_timeout: Duration::from_secs(10),
            scan_resolver: super::scanner::Resolver::system(),
            demo_site: true,
            chaos: None,
        }
    }

    /// For tests: loopback, a free port, an empty project, no rate limits,
    /// scans allowed to reach loopback sites.
    pub fn for_tests() -> Self {
        SandboxOptions {
            data: DataSource::Empty,
            allow_private_targets: true,
            rate_default: None,
            rate_strict: None,
            scan_timeout: Duration::from_secs(5),
            demo_site: false,
            ..SandboxOptions::demo()
        }
    }

    /// The same options with another data source.
    pub fn with_data(mut self, data: DataSource) -> Self {
        self.data = data;
        self
    }
}

impl fmt::Debug for SandboxOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scopes: Vec<Scope> = self.keys.iter().map(|(_, s)| *s).collect();
        f.debug_struct("SandboxOptions")
            .field("addr", &self.addr)
            .field(
                "keys",
                &format_args!("{} redacted ({scopes:?})", scopes.len()),
            )
            .field("data", &self.data)
            .field("allow_private_targets", &self.allow_private_targets)
            .field("rate_default", &self.rate_default)
            .field("rate_strict", &self.rate_strict)
            .field(
                "other_team_key",
                &self.other_team_key.as_ref().map(|_| "<redacted>"),
            )
            .field("scan_timeout", &self.scan_timeout)
            .field("demo_site", &self.demo_site)
            .field("chaos", &self.chaos)
            .finish_non_exhaustive()
    }
}
