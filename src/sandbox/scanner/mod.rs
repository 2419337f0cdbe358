//! The sandbox's passive scanner (contract section 7): one fetch of a URL
//! (plus its plain-http variant for the redirect check) and rule-based checks
//! of what came back. Pure rules live apart from the fetching so they can be
//! tested on recorded responses.

use std::time::Duration;

use crate::api::model::{Domain, Severity};

/// How a scan may reach its target.
#[derive(Clone, Debug)]
pub struct ScanConfig {
    /// Lift the SSRF protection (local testing only).
    pub allow_private_targets: bool,
    /// Budget for each fetch, connection included.
    pub timeout: Duration,
    /// Bodies larger than this are cut off (and reported as such).
    pub max_body_bytes: usize,
}

impl Default for ScanConfig {
    fn default() -> Self {
        ScanConfig {
            allow_private_targets: false,
            timeout: Duration::from_secs(10),
            max_body_bytes: 2 * 1024 * 1024,
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
    /// The URL the findings are filed under (the URL as requested).
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
    #[error("fetching {url} timed out after {secs}s")]
    Timeout { url: String, secs: u64 },
}

/// Fetches `url` (checking SSRF on every hop unless allowed) and runs every
/// check of contract section 7.
#[allow(unused_variables)]
pub async fn scan(url: &str, config: &ScanConfig) -> Result<ScanReport, ScanError> {
    todo!()
}
