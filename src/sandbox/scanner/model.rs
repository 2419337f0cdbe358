//! What a scan is told, and what it finds.

use std::net::IpAddr;
use std::time::Duration;

use crate::api::model::{Domain, Severity};

use super::local_site::LocalSite;
use super::resolve::Resolver;

/// How a scan may reach its target.
#[derive(Clone, Debug)]
pub struct ScanConfig {
    /// Lift the SSRF protection (local testing only).
    pub allow_private_targets: bool,
    /// Budget for each fetch, connection included.
    pub timeout: Duration,
    /// Bodies larger than this are cut off (and reported as such).
    pub max_body_bytes: usize,
    /// Private addresses scans may still reach with the protection on,
    /// e.g. one staging host; everything else stays blocked.
    pub allowed_private_addresses: Vec<IpAddr>,
    /// How host names are resolved (the system's resolver by default; tests
    /// map names to chosen addresses).
    pub resolver: Resolver,
    /// The port the plain-http variant of an https URL is tried on
    /// (the http→https redirect check). 80 unless testing.
    pub plain_http_port: u16,
    /// Extra trusted root certificates, PEM, for targets behind a private CA.
    pub extra_root_certs_pem: Vec<Vec<u8>>,
    /// Local sites scans may reach under their name and port only (the
    /// demo's storefront), whatever `allow_private_targets` says.
    pub local_sites: Vec<LocalSite>,
}

impl Default for ScanConfig {
    fn default() -> Self {
        ScanConfig {
            allow_private_targets: false,
            timeout: Duration::from_secs(10),
            max_body_bytes: 2 * 1024 * 1024,
            allowed_private_addresses: Vec::new(),
            resolver: Resolver::system(),
            plain_http_port: 80,
            extra_root_certs_pem: Vec::new(),
            local_sites: Vec::new(),
        }
    }
}

/// One piece of evidence: `{type, label, value}` on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvidenceItem {
    pub kind: String,
    pub label: String,
    pub value: String,
}

/// How to fix what a check found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub summary: String,
    pub steps: Vec<String>,
    pub estimated_minutes: u32,
}

/// The priority figures, 0–100 each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PriorityFigures {
    pub impact: u8,
    pub effort: u8,
    pub risk: u8,
    pub score: u8,
}

/// A problem one check found on one URL. The store upserts findings keyed by
/// `(project, check, asset_url)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Observation {
    /// Stable key such as `security.csp_missing`.
    pub check: String,
    pub domain: Domain,
    pub severity: Severity,
    pub title: String,
    pub description: String,
    pub asset_url: String,
    pub evidence: Vec<EvidenceItem>,
    pub fix: Fix,
    pub priority: PriorityFigures,
    pub confidence: f64,
}

/// The outcome of one check, passed or not, with what was seen
/// (e.g. the header value, or "absent"). Verifications compare these.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckResult {
    pub check: String,
    pub passed: bool,
    pub observed: String,
}

/// Everything one scan of one URL found.
#[derive(Clone, Debug, PartialEq)]
pub struct ScanReport {
    /// The URL the findings are filed under: the URL as requested, normalised
    /// (`https://Example.com` becomes `https://example.com/`) so that one page
    /// keeps one set of findings however it is typed.
    pub url: String,
    pub observations: Vec<Observation>,
    /// Every check that ran, passed or failed.
    pub checked: Vec<CheckResult>,
}

/// Why a scan could not run; its `Display` goes into the failed scan's
/// `summary.error`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScanError {
    #[error("{0}")]
    Refused(String),
    #[error("fetching {url} failed: {detail}")]
    Fetch { url: String, detail: String },
    #[error(
        "fetching {url} timed out after {secs}s; the site is too slow or not answering, try again later"
    )]
    Timeout { url: String, secs: u64 },
    #[error(
        "{url} answered HTTP {status}, an error page, so it was not checked as the page; \
         check the URL, or scan again once the site answers normally"
    )]
    ErrorPage { url: String, status: u16 },
}
