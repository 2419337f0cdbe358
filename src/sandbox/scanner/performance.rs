//! Performance checks on one response: compression, time to first byte,
//! caching headers, document size.

use std::time::Duration;

use super::check::{CheckSpec, Verdict, evidence, header_evidence};
use super::page::Page;
use crate::api::model::{Domain, Severity};

/// Smaller bodies fit in about one TCP packet; compressing them gains little.
pub const COMPRESSION_THRESHOLD: usize = 1_400;
pub const SLOW_TTFB: Duration = Duration::from_millis(600);
pub const LARGE_DOCUMENT: usize = 500 * 1024;

pub const UNCOMPRESSED: CheckSpec = CheckSpec {
    key: "performance.uncompressed",
    domain: Domain::Performance,
    severity: Severity::Medium,
    title: "Text response sent without compression",
    description: "The response is text over 1,400 bytes and was sent without Content-Encoding \
        although the request accepted gzip. HTML, CSS, JavaScript and JSON typically shrink by \
        60-80%, so every visitor downloads several times more than needed.",
    fix_summary: "Enable gzip or Brotli compression for text responses.",
    steps: &[
        "Turn on compression in the web server or CDN (nginx `gzip on;` with `gzip_types`, Apache mod_deflate, or the CDN's compression setting).",
        "Include text/html, text/css, application/javascript, application/json and image/svg+xml in the compressed types.",
        "Add Brotli where available for a further 15-20% saving.",
        "Re-scan and check the Content-Encoding response header.",
    ],
    minutes: 20,
    impact: 50,
    effort: 10,
    risk: 5,
    confidence: 0.9,
};

pub const SLOW_TTFB_SPEC: CheckSpec = CheckSpec {
    key: "performance.slow_ttfb",
    domain: Domain::Performance,
    severity: Severity::Medium,
    title: "Slow time to first byte",
    description: "The server took more than 600 ms to start answering. Nothing on the page can \
        render before the first byte arrives, so this delay adds directly to First Contentful \
        Paint and Largest Contentful Paint. A single measurement from the sandbox; network \
        distance is included.",
    fix_summary: "Cut server response time with caching and by removing slow work from the \
        request path.",
    steps: &[
        "Measure where the time goes on the server (application traces, slow query log).",
        "Cache the rendered page or its expensive parts (CDN/edge cache, reverse proxy, application cache).",
        "Fix slow database queries and move non-essential work (emails, analytics, third-party calls) out of the request.",
        "Serve from a CDN close to visitors and re-measure.",
    ],
    minutes: 240,
    impact: 60,
    effort: 65,
    risk: 10,
    confidence: 0.6,
};

pub const NO_CACHE_HEADERS: CheckSpec = CheckSpec {
    key: "performance.no_cache_headers",
    domain: Domain::Performance,
    severity: Severity::Low,
    title: "No caching headers",
    description: "The response has no Cache-Control or Expires and no validator (ETag or \
        Last-Modified). Browsers and CDNs must guess how long to keep it and cannot \
        revalidate cheaply, so repeat visits download it again in full.",
    fix_summary: "State a caching policy with Cache-Control, and add a validator.",
    steps: &[
        "Decide the freshness of this resource: HTML usually `Cache-Control: no-cache` (always revalidate), fingerprinted assets `max-age=31536000, immutable`.",
        "Send the Cache-Control header from the server or CDN configuration.",
        "Enable ETag or Last-Modified so revalidation answers 304 without a body.",
    ],
    minutes: 20,
    impact: 35,
    effort: 15,
    risk: 5,
    confidence: 0.9,
};

pub const LARGE_DOCUMENT_SPEC: CheckSpec = CheckSpec {
    key: "performance.large_document",
    domain: Domain::Performance,
    severity: Severity::Medium,
    title: "Document larger than 500 KiB",
    description: "The main document is over 500 KiB after decompression. It must be \
        downloaded and parsed before the page settles, which delays rendering and costs \
        memory and data on mobile devices.",
    fix_summary: "Shrink the document: move inline data and assets out and paginate large \
        content.",
    steps: &[
        "Look for inlined images (data: URIs), large inline scripts/styles or JSON state embedded in the HTML.",
        "Move them to separate, cacheable files or load them on demand.",
        "Paginate or lazy-load long lists and tables.",
        "Re-scan to confirm the size is under 500 KiB.",
    ],
    minutes: 120,
    impact: 45,
    effort: 50,
    risk: 5,
    confidence: 0.9,
};

fn is_text(media_type: &str) -> bool {
    media_type.starts_with("text/")
        || media_type.ends_with("+xml")
        || media_type.ends_with("+json")
        || matches!(
            media_type,
            "application/javascript" | "application/json" | "application/xml" | "image/svg+xml"
        )
}

pub fn uncompressed(page: &Page) -> Verdict {
    let media = page.media_type().unwrap_or_default();
    let encoding = page.header("content-encoding");
    let encoded = encoding
        .as_deref()
        .is_some_and(|e| !e.trim().eq_ignore_ascii_case("identity"));
    if encoded {
        return Verdict::pass(format!(
            "Content-Encoding: {}",
            encoding.unwrap_or_default()
        ));
    }
    let size = page.body.len();
    if !is_text(&media) || size <= COMPRESSION_THRESHOLD {
        return Verdict::pass(format!("{size} bytes of {media}, not worth compressing"));
    }
    Verdict::fail(
        format!("{size} bytes of {media} sent uncompressed"),
        vec![
            header_evidence("Content-Encoding", encoding.as_deref()),
            evidence("header", "Content-Type", media),
            evidence("metric", "Body size (bytes)", size.to_string()),
        ],
    )
}

pub fn slow_ttfb(page: &Page) -> Verdict {
    let ms = page.ttfb.as_millis();
    if page.ttfb <= SLOW_TTFB {
        Verdict::pass(format!("{ms} ms"))
    } else {
        Verdict::fail(
            format!("{ms} ms"),
            vec![
                evidence("metric", "Time to first byte (ms)", ms.to_string()),
                evidence(
                    "metric",
                    "Threshold (ms)",
                    SLOW_TTFB.as_millis().to_string(),
                ),
            ],
        )
    }
}

pub fn no_cache_headers(page: &Page) -> Verdict {
    let names = ["Cache-Control", "Expires", "ETag", "Last-Modified"];
    let seen: Vec<String> = names
        .iter()
        .filter_map(|n| page.header(n).map(|v| format!("{n}: {v}")))
        .collect();
    if seen.is_empty() {
        Verdict::fail(
            "absent",
            names.iter().map(|n| header_evidence(n, None)).collect(),
        )
    } else {
        Verdict::pass(seen.join("; "))
    }
}

pub fn large_document(page: &Page) -> Verdict {
    let size = page.body.len();
    let shown = if page.truncated {
        format!("at least {size} bytes (cut off at the scan's body limit)")
    } else {
        format!("{size} bytes")
    };
    if size <= LARGE_DOCUMENT {
        return Verdict::pass(shown);
    }
    Verdict::fail(
        shown.clone(),
        vec![
            evidence("metric", "Document size", shown),
            evidence("metric", "Bytes on the wire", page.wire_bytes.to_string()),
            evidence("metric", "Threshold (bytes)", LARGE_DOCUMENT.to_string()),
        ],
    )
}

/// Every performance check, judged on one page.
pub fn judge(page: &Page) -> Vec<(&'static CheckSpec, Verdict)> {
    vec![
        (&UNCOMPRESSED, uncompressed(page)),
        (&SLOW_TTFB_SPEC, slow_ttfb(page)),
        (&NO_CACHE_HEADERS, no_cache_headers(page)),
        (&LARGE_DOCUMENT_SPEC, large_document(page)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compression_matters_only_for_text_over_the_threshold() {
        let big = "x".repeat(COMPRESSION_THRESHOLD + 1);
        let json = Page::sample(&[("content-type", "application/json")], &big);
        assert!(!uncompressed(&json).passed);
        let identity = Page::sample(
            &[
                ("content-type", "text/css"),
                ("content-encoding", "identity"),
            ],
            &big,
        );
        assert!(
            !uncompressed(&identity).passed,
            "identity is no compression"
        );
        let small = Page::sample(&[("content-type", "text/html")], "<p>hi</p>");
        assert!(uncompressed(&small).passed);
        let image = Page::sample(&[("content-type", "image/png")], &big);
        assert!(uncompressed(&image).passed, "images are already compressed");
    }

    #[test]
    fn a_validator_alone_counts_as_caching_information() {
        let page = Page::sample(&[("etag", "\"abc\"")], "");
        assert!(no_cache_headers(&page).passed);
        assert!(!no_cache_headers(&Page::sample(&[], "")).passed);
    }

    #[test]
    fn ttfb_over_the_threshold_is_slow() {
        let mut page = Page::sample(&[], "");
        page.ttfb = Duration::from_millis(601);
        let v = slow_ttfb(&page);
        assert!(!v.passed);
        assert_eq!(v.observed, "601 ms");
    }
}
