//! A one-page site on 127.0.0.1:0 for the sandbox's scanner, whose
//! Content-Security-Policy the test can ship and remove.
//!
//! The client refuses loopback scan targets before sending, as it should, so
//! the site is addressed by a public-looking name ([`SITE_HOST`]) that the
//! sandbox's injected resolver points at loopback.

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use krafter::sandbox::SandboxOptions;
use krafter::sandbox::scanner::Resolver;

/// The name the site is scanned under.
pub const SITE_HOST: &str = "shop.contract.test";

const PAGE: &str = "<!doctype html><html lang=\"en\"><head><title>Shop</title>\
<meta name=\"description\" content=\"A small test shop\">\
<link rel=\"canonical\" href=\"/\"></head><body><h1>Shop</h1></body></html>";

/// The site's address and its switch.
pub struct Site {
    /// e.g. `http://shop.contract.test:40002/`.
    pub url: String,
    /// The same site by its loopback address, e.g. `http://127.0.0.1:40002/`,
    /// for a client told to skip its SSRF pre-check.
    pub loopback_url: String,
    csp: Arc<AtomicBool>,
}

impl Site {
    /// Serves the page, without a CSP at first.
    pub async fn start() -> Site {
        let csp = Arc::new(AtomicBool::new(false));
        let app = Router::new().route("/", get(page)).with_state(csp.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free loopback port");
        let addr = listener.local_addr().expect("a bound address");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Site {
            url: format!("http://{SITE_HOST}:{}/", addr.port()),
            loopback_url: format!("http://127.0.0.1:{}/", addr.port()),
            csp,
        }
    }

    /// Sandbox options for tests whose scans can reach this site by name.
    pub fn sandbox_options() -> SandboxOptions {
        SandboxOptions {
            scan_resolver: Resolver::fixed([(SITE_HOST, IpAddr::from([127, 0, 0, 1]))]),
            ..SandboxOptions::for_tests()
        }
    }

    /// Ships (or removes) the Content-Security-Policy header.
    pub fn ship_csp(&self, on: bool) {
        self.csp.store(on, Ordering::SeqCst);
    }
}

async fn page(State(csp): State<Arc<AtomicBool>>) -> Response {
    let mut response = ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], PAGE).into_response();
    if csp.load(Ordering::SeqCst) {
        response.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'"),
        );
    }
    response
}
