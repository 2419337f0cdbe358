//! The sandbox's passive scanner (contract section 7): one fetch of a URL
//! (plus its plain-http variant for the redirect check) and rule-based checks
//! of what came back. Pure rules live apart from the fetching so they can be
//! tested on recorded responses.

mod accessibility;
mod catalogue;
mod check;
mod fetch;
mod local_site;
mod page;
mod performance;
mod resolve;
mod security;
mod seo;

use std::net::IpAddr;
use std::time::Duration;

use crate::api::model::{Domain, Severity};

pub use catalogue::{CATALOGUE, spec};
pub use check::{CheckSpec, priority};
pub use fetch::MAX_REDIRECTS;
pub use local_site::{LocalSite, LocalTarget, locate};
pub use page::{Page, PlainHttp};
pub use resolve::Resolver;

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

/// Every check key, in the order the checks run.
pub const CHECK_KEYS: [&str; 25] = [
    "security.csp_missing",
    "security.csp_report_only",
    "security.csp_unsafe_inline",
    "security.hsts_missing",
    "security.hsts_short_max_age",
    "security.no_https_redirect",
    "security.nosniff_missing",
    "security.clickjacking",
    "security.referrer_policy_missing",
    "security.permissions_policy_missing",
    "security.cookie_insecure",
    "security.cookie_no_httponly",
    "security.cookie_no_samesite",
    "security.server_version_disclosure",
    "security.cors_wildcard_credentials",
    "performance.uncompressed",
    "performance.slow_ttfb",
    "performance.no_cache_headers",
    "performance.large_document",
    "seo.title_missing",
    "seo.meta_description_missing",
    "seo.h1_missing",
    "seo.canonical_missing",
    "accessibility.html_lang_missing",
    "accessibility.img_alt_missing",
];

/// Fetches `url` (checking SSRF on every hop unless allowed) and runs every
/// check of contract section 7.
pub async fn scan(url: &str, config: &ScanConfig) -> Result<ScanReport, ScanError> {
    // The SSRF rules are applied by the fetch, to this URL and every hop.
    let target = url::Url::parse(url.trim())
        .map_err(|e| ScanError::Refused(format!("{url:?} is not a valid URL ({e})")))?;
    if !matches!(target.scheme(), "http" | "https") {
        return Err(ScanError::Refused(format!(
            "scheme {:?} is not allowed; use an http:// or https:// URL",
            target.scheme()
        )));
    }

    let main = fetch::fetch(target.clone(), config, false);
    let (main, plain_http) = if target.scheme() == "https" {
        let mut variant = target.clone();
        // Both are special schemes, so neither call can fail.
        let _ = variant.set_scheme("http");
        let _ = variant.set_port(Some(config.plain_http_port));
        let (main, probe) = tokio::join!(main, fetch::fetch(variant.clone(), config, true));
        (main?, Some(probe_outcome(&variant, probe)))
    } else {
        (main.await?, None)
    };
    let fetch::Outcome::Answered(fetched) = main else {
        return Err(ScanError::Fetch {
            url: url.to_string(),
            detail: "the fetch ended on a redirect".to_string(),
        });
    };
    // A 404 or a 500 is the server's error page, not the page asked for:
    // judging its headers and markup would file findings against the URL
    // that say nothing about it.
    if fetched.status >= 400 {
        return Err(ScanError::ErrorPage {
            url: fetched
                .chain
                .last()
                .map(|u| u.to_string())
                .unwrap_or_else(|| url.to_string()),
            status: fetched.status,
        });
    }
    let plain_http = plain_http.unwrap_or_else(|| chain_outcome(&fetched));
    let page = Page {
        requested_url: target.to_string(),
        final_url: fetched
            .chain
            .last()
            .map(|u| u.to_string())
            .unwrap_or_default(),
        status: fetched.status,
        headers: fetched.headers,
        body: fetched.body,
        wire_bytes: fetched.wire_bytes,
        truncated: fetched.truncated,
        ttfb: fetched.ttfb,
        plain_http,
    };
    Ok(judge(target.as_str(), &page))
}

/// Runs every check on a recorded page; findings are filed under `url`.
pub fn judge(url: &str, page: &Page) -> ScanReport {
    let doc = page.document();
    let verdicts = security::judge(page)
        .into_iter()
        .chain(performance::judge(page))
        .chain(seo::judge(doc.as_ref()))
        .chain(accessibility::judge(doc.as_ref()));
    let mut report = ScanReport {
        url: url.to_string(),
        observations: Vec::new(),
        checked: Vec::new(),
    };
    for (spec, verdict) in verdicts {
        let (result, observation) = check::conclude(spec, verdict, url);
        report.checked.push(result);
        report.observations.extend(observation);
    }
    report
}

/// The plain-http probe of an https URL, as evidence for the redirect check.
fn probe_outcome(url: &url::Url, probe: Result<fetch::Outcome, ScanError>) -> PlainHttp {
    match probe {
        Ok(fetch::Outcome::RedirectedToHttps(to)) => {
            PlainHttp::RedirectsToHttps { to: to.to_string() }
        }
        Ok(fetch::Outcome::Answered(f)) => PlainHttp::Serves {
            url: url.to_string(),
            status: f.status,
        },
        Err(e) => PlainHttp::Failed {
            url: url.to_string(),
            reason: e.to_string(),
        },
    }
}

/// For an http URL the main fetch is itself the probe: did its redirects
/// reach https?
fn chain_outcome(fetched: &fetch::Fetched) -> PlainHttp {
    match fetched.chain.iter().find(|u| u.scheme() == "https") {
        Some(to) => PlainHttp::RedirectsToHttps { to: to.to_string() },
        None => PlainHttp::Serves {
            url: fetched
                .chain
                .first()
                .map(|u| u.to_string())
                .unwrap_or_default(),
            status: fetched.status,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scan_can_run_on_any_worker_thread() {
        fn assert_send<T: Send>(_: &T) {}
        let config = ScanConfig::default();
        let future = scan("https://example.com/", &config);
        assert_send(&future);
    }

    #[test]
    fn a_recorded_page_gets_every_check_once() {
        let page = Page::sample(&[], "<!doctype html><html><body></body></html>");
        let report = judge("https://example.com/", &page);
        let keys: Vec<&str> = report.checked.iter().map(|c| c.check.as_str()).collect();
        assert_eq!(keys, CHECK_KEYS.to_vec());
        assert!(
            report
                .observations
                .iter()
                .all(|o| o.asset_url == "https://example.com/")
        );
    }
}
