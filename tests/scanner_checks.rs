//! The scanner against real websites on loopback: a well-configured https
//! site has no findings, badly configured pages give exactly the expected
//! checks, with the evidence a security engineer would want to see.

mod scanner_sites;

use std::io::Write;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use krafter::api::model::Severity;
use krafter::sandbox::scanner::{CHECK_KEYS, Observation, ScanReport, scan};
use scanner_sites::{finding_keys, local_config, serve, serve_tls, set};

const GOOD_HTML: &str = r#"<!doctype html>
<html lang="en">
<head>
  <title>Acme widgets: pricing</title>
  <meta name="description" content="Plans and prices for Acme widgets, from free to enterprise.">
  <link rel="canonical" href="https://site.test/pricing">
  <script nonce="abc123">window.plan = "pro";</script>
</head>
<body>
  <h1>Pricing</h1>
  <img src="/chart.png" alt="Price per seat falls as the team grows">
  <img src="/divider.png" alt="">
  PADDING
</body>
</html>"#;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(*name, HeaderValue::from_str(value).expect("test header"));
    }
    map
}

/// Every header right, good markup, body gzip-compressed (and longer than
/// the compression threshold, so the decoding path is exercised).
async fn good_page() -> Response {
    let html = GOOD_HTML.replace("PADDING", &"<p>Widgets for every team.</p>\n".repeat(80));
    let hdrs = headers(&[
        ("content-type", "text/html; charset=utf-8"),
        ("content-encoding", "gzip"),
        (
            "content-security-policy",
            "default-src 'self'; script-src 'self' 'nonce-abc123' 'unsafe-inline'; object-src 'none'; frame-ancestors 'self'",
        ),
        (
            "strict-transport-security",
            "max-age=31536000; includeSubDomains",
        ),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "SAMEORIGIN"),
        ("referrer-policy", "strict-origin-when-cross-origin"),
        (
            "permissions-policy",
            "camera=(), microphone=(), geolocation=()",
        ),
        (
            "set-cookie",
            "__Host-session=s3cr3t; Path=/; Secure; HttpOnly; SameSite=Lax",
        ),
        ("set-cookie", "theme=dark; Path=/; Secure; SameSite=Lax"),
        ("server", "nginx"),
        ("cache-control", "no-cache"),
        ("etag", "\"v1\""),
    ]);
    (hdrs, gzip(html.as_bytes())).into_response()
}

/// The good site: https through the TLS front, and a plain-http listener
/// that redirects to it. Returns the https URL and the plain-http port.
async fn good_site() -> (String, u16) {
    let app = serve(Router::new().route("/pricing", get(good_page))).await;
    let tls = serve_tls(app).await;
    let https_port = tls.port();
    let redirect = Router::new().fallback(get(move || async move {
        Redirect::permanent(&format!("https://site.test:{https_port}/pricing"))
    }));
    let plain = serve(redirect).await;
    (
        format!("https://site.test:{https_port}/pricing"),
        plain.port(),
    )
}

#[tokio::test]
async fn a_well_configured_https_site_has_no_findings() {
    let (url, plain_port) = good_site().await;
    let mut config = local_config(&[]);
    config.plain_http_port = plain_port;
    let report = scan(&url, &config).await.expect("scan of the good site");
    assert_eq!(
        finding_keys(&report),
        set(&[]),
        "{:#?}",
        report.observations
    );
    let ran: Vec<&str> = report.checked.iter().map(|c| c.check.as_str()).collect();
    assert_eq!(ran, CHECK_KEYS.to_vec());
    assert!(report.checked.iter().all(|c| c.passed));
    let redirect = report
        .checked
        .iter()
        .find(|c| c.check == "security.no_https_redirect");
    assert!(redirect.is_some_and(|c| c.observed.contains("https://site.test")));
    let title = report
        .checked
        .iter()
        .find(|c| c.check == "seo.title_missing");
    assert_eq!(
        title.map(|c| c.observed.as_str()),
        Some("Acme widgets: pricing")
    );
}

/// Everything wrong at once, over plain http.
async fn bad_page() -> Response {
    tokio::time::sleep(Duration::from_millis(700)).await;
    let filler = "<p>lorem ipsum dolor sit amet</p>\n".repeat(20_000);
    let html = format!(
        "<html><head><script>alert(1)</script></head><body><img src=\"/hero.jpg\" class=\"hero\">{filler}</body></html>"
    );
    let hdrs = headers(&[
        ("content-type", "text/html"),
        ("content-security-policy-report-only", "default-src 'self'"),
        ("strict-transport-security", "max-age=300"),
        ("set-cookie", "sessionid=abc123secret; Path=/"),
        ("server", "Apache/2.4.41 (Ubuntu)"),
        ("x-powered-by", "PHP/7.4.3"),
        ("access-control-allow-origin", "*"),
        ("access-control-allow-credentials", "true"),
        ("x-frame-options", "ALLOW-FROM https://partner.example"),
    ]);
    (hdrs, html).into_response()
}

/// Headers right except an unsafe script policy and no HSTS.
async fn unsafe_page() -> Response {
    let hdrs = headers(&[
        ("content-type", "text/html"),
        (
            "content-security-policy",
            "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; frame-ancestors 'none'",
        ),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
        ("permissions-policy", "camera=()"),
        ("cache-control", "max-age=60"),
    ]);
    (hdrs, GOOD_HTML.replace("PADDING", "")).into_response()
}

async fn bare_page() -> &'static str {
    "ok"
}

async fn bad_site() -> String {
    let app = Router::new()
        .route("/", get(bad_page))
        .route("/unsafe", get(unsafe_page))
        .route("/bare", get(bare_page));
    format!("http://{}", serve(app).await)
}

fn observation<'a>(report: &'a ScanReport, key: &str) -> &'a Observation {
    report
        .observations
        .iter()
        .find(|o| o.check == key)
        .unwrap_or_else(|| panic!("no {key} in {:?}", finding_keys(report)))
}

fn evidence_values(o: &Observation) -> String {
    o.evidence
        .iter()
        .map(|e| format!("{}={}", e.label, e.value))
        .collect::<Vec<_>>()
        .join(" | ")
}

#[tokio::test]
async fn a_badly_configured_page_triggers_exactly_the_expected_checks() {
    let base = bad_site().await;
    let report = scan(&format!("{base}/"), &local_config(&[]))
        .await
        .expect("scan");
    let expected = set(&[
        "security.csp_report_only",
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
    ]);
    assert_eq!(finding_keys(&report), expected);

    let cookie = observation(&report, "security.cookie_insecure");
    assert_eq!(
        cookie.severity,
        Severity::Critical,
        "a session cookie without Secure"
    );
    assert!(evidence_values(cookie).contains("sessionid"));
    assert!(
        !evidence_values(cookie).contains("abc123secret"),
        "cookie values stay out of evidence"
    );

    let server = evidence_values(observation(&report, "security.server_version_disclosure"));
    assert!(
        server.contains("Apache/2.4.41 (Ubuntu)") && server.contains("PHP/7.4.3"),
        "{server}"
    );
    let img = evidence_values(observation(&report, "accessibility.img_alt_missing"));
    assert!(img.contains("1 of 1") && img.contains("hero.jpg"), "{img}");
    let hsts = evidence_values(observation(&report, "security.hsts_short_max_age"));
    assert!(hsts.contains("max-age=300"), "{hsts}");

    for o in &report.observations {
        assert!(
            (3..=5).contains(&o.fix.steps.len()),
            "{}: {} steps",
            o.check,
            o.fix.steps.len()
        );
        assert!(
            o.fix.estimated_minutes > 0 && !o.evidence.is_empty(),
            "{}",
            o.check
        );
        assert_eq!(o.asset_url, format!("{base}/"));
    }
    // Priority follows risk: the critical cookie outranks the missing nosniff.
    let nosniff = observation(&report, "security.nosniff_missing");
    assert_eq!(nosniff.severity, Severity::Low);
    assert!(cookie.priority.score > nosniff.priority.score);
}

#[tokio::test]
async fn unsafe_script_policy_and_missing_csp_are_told_apart() {
    let base = bad_site().await;
    let config = local_config(&[]);
    let unsafe_report = scan(&format!("{base}/unsafe"), &config)
        .await
        .expect("scan");
    assert_eq!(
        finding_keys(&unsafe_report),
        set(&[
            "security.csp_unsafe_inline",
            "security.hsts_missing",
            "security.no_https_redirect"
        ])
    );
    let csp = observation(&unsafe_report, "security.csp_unsafe_inline");
    assert!(evidence_values(csp).contains("'unsafe-inline', 'unsafe-eval'"));
    assert_eq!(
        observation(&unsafe_report, "security.hsts_missing").severity,
        Severity::Medium
    );

    let bare = scan(&format!("{base}/bare"), &config).await.expect("scan");
    assert_eq!(
        finding_keys(&bare),
        set(&[
            "security.csp_missing",
            "security.hsts_missing",
            "security.no_https_redirect",
            "security.nosniff_missing",
            "security.referrer_policy_missing",
            "performance.no_cache_headers",
        ]),
        "a plain-text page gets no document-only checks"
    );
    let missing = observation(&bare, "security.csp_missing");
    assert_eq!(missing.severity, Severity::High);
    assert!(evidence_values(missing).contains("Content-Security-Policy=absent"));
}
