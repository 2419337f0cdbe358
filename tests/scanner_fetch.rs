//! How the scanner reaches its target: SSRF rules on the name, on what it
//! resolves to and on every redirect hop; time budget; body cap; the
//! http→https redirect check.

mod scanner_sites;

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::response::Redirect;
use axum::routing::get;
use krafter::sandbox::scanner::{Resolver, ScanConfig, ScanError, scan};
use scanner_sites::{LOOPBACK, local_config, serve, serve_tls, serve_tls_after};

fn protected(resolver: Resolver) -> ScanConfig {
    ScanConfig {
        allow_private_targets: false,
        timeout: Duration::from_secs(10),
        resolver,
        ..ScanConfig::default()
    }
}

async fn ok_site() -> u16 {
    serve(Router::new().route("/", get(|| async { "hello" })))
        .await
        .port()
}

fn refusal(result: Result<impl std::fmt::Debug, ScanError>) -> String {
    match result {
        Err(ScanError::Refused(why)) => why,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_name_resolving_to_loopback_is_refused_unless_private_targets_are_allowed() {
    let port = ok_site().await;
    let url = format!("http://evil.test:{port}/");
    let resolver = Resolver::fixed([("evil.test", LOOPBACK)]);

    let why = refusal(scan(&url, &protected(resolver.clone())).await);
    assert!(why.contains("evil.test resolves to 127.0.0.1"), "{why}");
    assert!(why.contains("loopback range 127.0.0.0/8"), "{why}");

    let mut allowed = protected(resolver);
    allowed.allow_private_targets = true;
    let report = scan(&url, &allowed)
        .await
        .expect("allowed for local testing");
    assert_eq!(report.url, url);
}

#[tokio::test]
async fn one_blocked_address_among_several_is_enough_to_refuse() {
    let resolver = Resolver::fixed([
        ("mixed.test", IpAddr::V4(Ipv4Addr::new(93, 184, 216, 34))),
        ("mixed.test", IpAddr::V4(Ipv4Addr::new(10, 0, 0, 7))),
    ]);
    let why = refusal(scan("http://mixed.test/", &protected(resolver)).await);
    assert!(
        why.contains("10.0.0.7, which is in the private range 10.0.0.0/8"),
        "{why}"
    );
}

#[tokio::test]
async fn literal_private_urls_are_refused_before_any_connection() {
    let why = refusal(scan("http://0x7f.1/", &protected(Resolver::fixed([]))).await);
    assert!(
        why.contains("host 127.0.0.1 is in the loopback range"),
        "{why}"
    );
    let why = refusal(
        scan(
            "http://metadata.google.internal/",
            &protected(Resolver::fixed([])),
        )
        .await,
    );
    assert!(why.contains(".internal"), "{why}");
}

/// The first hop is an allow-listed address, so only the redirect's
/// target is judged by the private-range rules.
#[tokio::test]
async fn a_redirect_to_a_private_address_is_refused_at_that_hop() {
    let target = ok_site().await;
    let app = Router::new()
        .route("/to-metadata", get(|| async { Redirect::temporary("http://169.254.169.254/latest/meta-data/") }))
        .route("/to-internal-name", get(move || async move {
            Redirect::temporary(&format!("http://db.corp.test:{target}/"))
        }))
        .route("/to-loopback-name", get(move || async move {
            Redirect::temporary(&format!("http://loop.test:{target}/"))
        }));
    let port = serve(app).await.port();
    let resolver = Resolver::fixed([
        ("db.corp.test", IpAddr::V4(Ipv4Addr::new(192, 168, 1, 20))),
        ("loop.test", LOOPBACK),
    ]);
    let mut config = protected(resolver);
    config.allowed_private_addresses = vec![LOOPBACK];

    let why = refusal(scan(&format!("http://127.0.0.1:{port}/to-metadata"), &config).await);
    assert!(
        why.starts_with("refused redirect to http://169.254.169.254/latest/meta-data/"),
        "{why}"
    );
    assert!(why.contains("link-local range 169.254.0.0/16"), "{why}");

    let why = refusal(
        scan(
            &format!("http://127.0.0.1:{port}/to-internal-name"),
            &config,
        )
        .await,
    );
    assert!(
        why.contains("db.corp.test resolves to 192.168.1.20"),
        "{why}"
    );

    // Allow-listed addresses stay reachable through redirects too.
    let report = scan(
        &format!("http://127.0.0.1:{port}/to-loopback-name"),
        &config,
    )
    .await;
    assert!(report.is_ok(), "{report:?}");
}

#[tokio::test]
async fn redirect_loops_stop_after_five_hops() {
    let app = Router::new().route("/loop", get(|| async { Redirect::temporary("/loop") }));
    let port = serve(app).await.port();
    let err = scan(&format!("http://127.0.0.1:{port}/loop"), &local_config(&[]))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("more than 5 redirects"), "{err}");
}

#[tokio::test]
async fn a_slow_target_times_out_with_a_clear_reason() {
    let app = Router::new().route(
        "/",
        get(|| async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            "late"
        }),
    );
    let port = serve(app).await.port();
    let mut config = local_config(&[]);
    config.timeout = Duration::from_millis(300);
    let started = Instant::now();
    let err = scan(&format!("http://127.0.0.1:{port}/"), &config)
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert!(matches!(err, ScanError::Timeout { .. }), "{err:?}");
    assert!(err.to_string().contains("timed out"), "{err}");
}

#[tokio::test]
async fn an_endless_body_is_cut_at_the_cap_and_reported() {
    let app = Router::new().route(
        "/",
        get(|| async {
            let chunk = bytes_of(64 * 1024);
            let endless =
                futures::stream::repeat_with(move || Ok::<_, std::io::Error>(chunk.clone()));
            ([("content-type", "text/html")], Body::from_stream(endless))
        }),
    );
    let port = serve(app).await.port();
    let mut config = local_config(&[]);
    config.max_body_bytes = 600 * 1024;
    let report = scan(&format!("http://127.0.0.1:{port}/"), &config)
        .await
        .expect("scan");
    let size = report
        .checked
        .iter()
        .find(|c| c.check == "performance.large_document");
    let observed = size.map(|c| c.observed.clone()).unwrap_or_default();
    assert_eq!(
        observed,
        "at least 614400 bytes (cut off at the scan's body limit)"
    );
}

fn bytes_of(n: usize) -> axum::body::Bytes {
    axum::body::Bytes::from(vec![b'a'; n])
}

#[tokio::test]
async fn a_failed_fetch_names_the_url_and_the_cause() {
    // Bind then drop: a port that was free a moment ago refuses connections.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let err = scan(&format!("http://127.0.0.1:{port}/"), &local_config(&[]))
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with(&format!("fetching http://127.0.0.1:{port}/ failed:")),
        "{text}"
    );
}

/// The plain-http variant of an https URL decides the redirect check.
async fn https_site_with_plain(plain: Router) -> (String, ScanConfig) {
    let app = serve(Router::new().route("/", get(|| async { "secure" }))).await;
    let tls = serve_tls(app).await;
    let plain_port = serve(plain).await.port();
    let mut config = local_config(&[]);
    config.plain_http_port = plain_port;
    (format!("https://site.test:{}/", tls.port()), config)
}

fn redirect_check(report: &krafter::sandbox::scanner::ScanReport) -> (bool, String) {
    let c = report
        .checked
        .iter()
        .find(|c| c.check == "security.no_https_redirect");
    c.map(|c| (c.passed, c.observed.clone()))
        .unwrap_or_default()
}

#[tokio::test]
async fn plain_http_that_serves_the_page_fails_the_redirect_check() {
    let (url, config) =
        https_site_with_plain(Router::new().fallback(get(|| async { "insecure copy" }))).await;
    let report = scan(&url, &config).await.expect("scan");
    assert_eq!(
        redirect_check(&report),
        (false, "http answers 200 without redirecting".to_string())
    );
}

#[tokio::test]
async fn plain_http_that_cannot_be_reached_is_evidence_not_a_scan_failure() {
    let (url, mut config) = https_site_with_plain(Router::new()).await;
    config.plain_http_port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let report = scan(&url, &config)
        .await
        .expect("the https scan itself succeeds");
    assert_eq!(
        redirect_check(&report),
        (false, "http request failed".to_string())
    );
    let o = report
        .observations
        .iter()
        .find(|o| o.check == "security.no_https_redirect");
    assert!(o.is_some_and(|o| {
        o.evidence
            .iter()
            .any(|e| e.label == "Error" && e.value.contains("failed"))
    }));
}

#[tokio::test]
async fn an_http_url_that_redirects_to_https_passes_the_redirect_check() {
    let (https_url, config) = https_site_with_plain(Router::new()).await;
    let to = https_url.clone();
    let plain =
        serve(Router::new().fallback(get(move || async move { Redirect::permanent(&to) }))).await;
    let report = scan(&format!("http://site.test:{}/", plain.port()), &config)
        .await
        .expect("scan");
    assert_eq!(
        redirect_check(&report),
        (true, format!("redirects to {https_url}"))
    );
}

#[tokio::test]
async fn findings_are_filed_under_the_normalised_url() {
    let port = ok_site().await;
    let report = scan(&format!("  HTTP://Site.TEST:{port}  "), &local_config(&[]))
        .await
        .expect("scan");
    assert_eq!(report.url, format!("http://site.test:{port}/"));
    assert!(
        report
            .observations
            .iter()
            .all(|o| o.asset_url == report.url)
    );
}

/// A page that answers 404 or 500 is the server's error page: the scan
/// fails saying so instead of filing findings about the error page.
#[tokio::test]
async fn an_error_page_is_a_failed_fetch_not_a_page() {
    use axum::http::StatusCode;
    let app = Router::new()
        .route(
            "/broken",
            get(|| async {
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    [("content-type", "text/html")],
                    "<html><body>oops</body></html>",
                )
            }),
        )
        .fallback(|| async {
            (
                StatusCode::NOT_FOUND,
                [("content-type", "text/html")],
                "<p>nope</p>",
            )
        });
    let port = serve(app).await.port();
    for (path, status) in [("/missing", 404), ("/broken", 500)] {
        let err = scan(
            &format!("http://127.0.0.1:{port}{path}"),
            &local_config(&[]),
        )
        .await
        .unwrap_err();
        assert!(
            matches!(err, ScanError::ErrorPage { status: s, .. } if s == status),
            "{err:?}"
        );
        let text = err.to_string();
        assert!(
            text.contains(&format!("HTTP {status}")) && text.contains(path),
            "{text}"
        );
    }
}

/// A Brotli body (which the scanner now asks for, as browsers do) is
/// decoded and judged as HTML, not parsed as compressed bytes.
#[tokio::test]
async fn a_brotli_body_is_decoded_before_it_is_judged() {
    // `<html lang="en"><title>br</title></html>`, Brotli-compressed.
    const PAGE: [u8; 38] = [
        27, 39, 0, 24, 140, 147, 165, 30, 165, 156, 74, 253, 82, 230, 38, 167, 69, 120, 124, 196,
        192, 6, 28, 184, 135, 1, 55, 193, 25, 98, 131, 130, 243, 140, 222, 75, 10, 8,
    ];
    let app = Router::new().route(
        "/",
        get(|headers: axum::http::HeaderMap| async move {
            let asked = headers
                .get("accept-encoding")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string();
            (
                [
                    ("content-type", "text/html".to_string()),
                    ("content-encoding", "br".to_string()),
                    ("x-asked", asked),
                ],
                PAGE.to_vec(),
            )
        }),
    );
    let port = serve(app).await.port();
    let report = scan(&format!("http://127.0.0.1:{port}/"), &local_config(&[]))
        .await
        .expect("scan");
    let observed = |key: &str| {
        report
            .checked
            .iter()
            .find(|c| c.check == key)
            .map(|c| (c.passed, c.observed.clone()))
            .expect("the check ran")
    };
    assert_eq!(observed("seo.title_missing"), (true, "br".to_string()));
    assert_eq!(
        observed("accessibility.html_lang_missing"),
        (true, "lang=\"en\"".to_string())
    );
}

/// Time to first byte counts from the request being sent: a slow TLS
/// handshake is the connection's time, not the server's.
#[tokio::test]
async fn ttfb_leaves_out_the_connection_and_tls_handshake() {
    let backend = serve(Router::new().route("/", get(|| async { "<p>fast</p>" }))).await;
    let tls = serve_tls_after(backend, Duration::from_millis(900)).await;
    let plain = ok_site().await;
    let mut config = local_config(&[]);
    config.plain_http_port = plain;
    let started = Instant::now();
    let report = scan(&format!("https://site.test:{}/", tls.port()), &config)
        .await
        .expect("scan");
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "the handshake was slow"
    );
    let ttfb = report
        .checked
        .iter()
        .find(|c| c.check == "performance.slow_ttfb")
        .expect("the check ran");
    assert!(ttfb.passed, "TTFB counted the handshake: {}", ttfb.observed);
}
