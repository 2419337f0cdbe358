//! The sandbox's passive scanner (contract section 7): one fetch of a URL
//! (plus its plain-http variant for the redirect check) and rule-based checks
//! of what came back. Pure rules live apart from the fetching so they can be
//! tested on recorded responses.

mod accessibility;
mod catalogue;
mod check;
mod fetch;
mod local_site;
mod model;
mod page;
mod performance;
mod resolve;
mod security;
mod seo;

pub use catalogue::{CATALOGUE, spec};
pub use check::{CheckSpec, priority};
pub use fetch::MAX_REDIRECTS;
pub use local_site::{LocalSite, LocalTarget, locate};
pub use model::{
    CheckResult, EvidenceItem, Fix, Observation, PriorityFigures, ScanConfig, ScanError, ScanReport,
};
pub use page::{Page, PlainHttp};
pub use resolve::Resolver;

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
