//! A scan of a demo page without the network: the page is written from its
//! defects and judged by the scanner's own rules, exactly as a scan of the
//! served page would judge it.

use std::time::Duration;

use crate::sandbox::demo_site::render::{self, Defects};
use crate::sandbox::scanner::{Page, PlainHttp, ScanReport, judge};

/// What a scan of `url` (the page `path` of `host` with `defects`) reports.
pub fn scan_rendered(url: &str, host: &str, path: &str, defects: &Defects) -> ScanReport {
    let page = render::render(host, path, defects);
    let recorded = Page {
        requested_url: url.to_string(),
        final_url: url.to_string(),
        status: 200,
        wire_bytes: page.html.len(),
        body: page.html.into_bytes(),
        headers: page.headers,
        truncated: false,
        // What the served page's delay and a quick loopback answer give.
        ttfb: page.delay + Duration::from_millis(5),
        plain_http: PlainHttp::Serves {
            url: url.to_string(),
            status: 200,
        },
    };
    judge(url, &recorded)
}

/// What a check saw in a report.
pub fn observed(report: &ScanReport, check: &str) -> Option<String> {
    report
        .checked
        .iter()
        .find(|c| c.check == check)
        .map(|c| c.observed.clone())
}
