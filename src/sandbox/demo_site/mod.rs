//! The demo's own website: the "Northwind Outfitters" storefront, served on
//! loopback so `krafter demo` can show a real scan with no network.
//!
//! The site has real, detectable problems (no Content-Security-Policy, a
//! session cookie without `Secure`/`HttpOnly`/`SameSite`, a versioned
//! `Server` header, an image without alt text, no meta description on the
//! home page, HTML sent uncompressed) and gets other things right (nosniff, framing, referrer
//! policy, caching, titles, headings, canonical links). Scans reach it as
//! [`DEMO_SITE_HOST`] on its port only (see [`super::scanner::LocalSite`]).
//!
//! `POST /__demo/fix/{issue}` "ships a fix" so a verification can pass;
//! `POST /__demo/reset` brings every problem back.

mod pages;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::scanner::LocalSite;

/// The name scans use to reach the demo site. `.test` is reserved
/// (RFC 2606), so the name can never belong to a real site.
pub const DEMO_SITE_HOST: &str = "shop.northwind.test";

/// The issues `POST /__demo/fix/{issue}` knows.
pub const FIXABLE: [&str; 5] = ["csp", "cookie", "server-header", "alt-text", "description"];

/// Which problems have been fixed.
#[derive(Clone, Debug, Default)]
pub struct Fixes {
    pub csp: bool,
    pub cookie: bool,
    pub server_header: bool,
    pub alt: bool,
    pub description: bool,
}

impl Fixes {
    fn set(&mut self, issue: &str) -> bool {
        let flag = match issue {
            "csp" => &mut self.csp,
            "cookie" => &mut self.cookie,
            "server-header" => &mut self.server_header,
            "alt-text" => &mut self.alt,
            "description" => &mut self.description,
            _ => return false,
        };
        *flag = true;
        true
    }
}

#[derive(Clone, Default)]
struct Site {
    fixes: Arc<Mutex<Fixes>>,
}

impl Site {
    fn fixes(&self) -> MutexGuard<'_, Fixes> {
        // The flags stay meaningful even if a holder panicked.
        self.fixes.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The demo site serving in the background; it stops when dropped.
#[derive(Debug)]
pub struct DemoSite {
    /// Where it listens (loopback, a free port).
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
}

impl DemoSite {
    /// Starts the site on 127.0.0.1 and a free port.
    pub async fn start() -> std::io::Result<DemoSite> {
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
        let addr = listener.local_addr()?;
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let app = router(Site::default());
        let server = tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stop_rx.await;
                })
                .await;
            if let Err(e) = served {
                tracing::error!("the demo site stopped: {e}");
            }
        });
        Ok(DemoSite {
            addr,
            stop: Some(stop_tx),
            server: Some(server),
        })
    }

    /// The URL to scan, e.g. `http://shop.northwind.test:43817/`.
    pub fn url(&self) -> String {
        format!("http://{DEMO_SITE_HOST}:{}/", self.addr.port())
    }

    /// What the scanner needs to reach this site, and only this site.
    pub fn local_site(&self) -> LocalSite {
        LocalSite {
            host: DEMO_SITE_HOST.to_string(),
            addr: self.addr,
        }
    }

    /// Stops serving and waits for in-flight requests.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
    }
}

impl Drop for DemoSite {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

fn router(site: Site) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/collections/jackets", get(jackets))
        .route("/products/{slug}", get(product))
        .route("/account/login", get(login_form).post(login))
        .route("/account", get(account))
        .route("/__demo/fix/{issue}", post(fix))
        .route("/__demo/reset", post(reset))
        .fallback(not_found)
        .with_state(site)
}

/// A page with the headers every response carries: some right (nosniff,
/// framing, referrer policy, caching), some wrong until fixed.
fn page(site: &Site, status: StatusCode, html: String, cookie: Option<String>) -> Response {
    let fixes = site.fixes().clone();
    let mut headers = HeaderMap::new();
    let server = if fixes.server_header {
        "nginx"
    } else {
        "nginx/1.18.0 (Ubuntu)"
    };
    headers.insert(header::SERVER, HeaderValue::from_static(server));
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("SAMEORIGIN"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=60"),
    );
    if fixes.csp {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'; img-src 'self'; frame-ancestors 'self'"),
        );
    }
    if let Some(cookie) = cookie {
        let attributes = if fixes.cookie {
            "; Path=/; Secure; HttpOnly; SameSite=Lax"
        } else {
            "; Path=/"
        };
        if let Ok(value) = HeaderValue::from_str(&format!("{cookie}{attributes}")) {
            headers.insert(header::SET_COOKIE, value);
        }
    }
    (status, headers, html).into_response()
}

/// A visitor's cart session is started on the home page, as many shops do.
async fn home(State(site): State<Site>, headers: HeaderMap) -> Response {
    let fixes = site.fixes().clone();
    let cookie = (!has_session(&headers)).then(|| format!("nw_session={}", uuid::Uuid::new_v4()));
    page(&site, StatusCode::OK, pages::home(&fixes), cookie)
}

async fn jackets(State(site): State<Site>) -> Response {
    page(&site, StatusCode::OK, pages::jackets(), None)
}

async fn product(State(site): State<Site>, Path(slug): Path<String>) -> Response {
    match pages::product(&slug) {
        Some(html) => page(&site, StatusCode::OK, html, None),
        None => page(&site, StatusCode::NOT_FOUND, pages::not_found(), None),
    }
}

async fn login_form(State(site): State<Site>) -> Response {
    page(&site, StatusCode::OK, pages::login(None), None)
}

#[derive(Deserialize)]
struct Credentials {
    email: String,
    password: String,
}

/// Any email with the password `northwind` signs in.
async fn login(State(site): State<Site>, Form(form): Form<Credentials>) -> Response {
    if form.password != "northwind" || form.email.trim().is_empty() {
        let html = pages::login(Some("That email and password do not match; try again."));
        return page(&site, StatusCode::UNAUTHORIZED, html, None);
    }
    let email: String = form
        .email
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "@.-_+".contains(*c))
        .collect();
    let mut response = page(
        &site,
        StatusCode::SEE_OTHER,
        String::new(),
        Some(format!("nw_session=signed-in.{email}")),
    );
    response
        .headers_mut()
        .insert(header::LOCATION, HeaderValue::from_static("/account"));
    response
}

async fn account(State(site): State<Site>, headers: HeaderMap) -> Response {
    match session(&headers).and_then(|s| s.strip_prefix("signed-in.").map(str::to_string)) {
        Some(email) => page(&site, StatusCode::OK, pages::account(&email), None),
        None => Redirect::to("/account/login").into_response(),
    }
}

async fn not_found(State(site): State<Site>) -> Response {
    page(&site, StatusCode::NOT_FOUND, pages::not_found(), None)
}

async fn fix(State(site): State<Site>, Path(issue): Path<String>) -> Response {
    if site.fixes().set(&issue) {
        (
            StatusCode::OK,
            format!("shipped the {issue} fix; scan or verify again\n"),
        )
            .into_response()
    } else {
        (
            StatusCode::NOT_FOUND,
            format!("unknown issue {issue:?}; known: {}\n", FIXABLE.join(", ")),
        )
            .into_response()
    }
}

async fn reset(State(site): State<Site>) -> Response {
    *site.fixes() = Fixes::default();
    (StatusCode::OK, "every demo problem is back\n").into_response()
}

fn session(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == "nw_session")
        .map(|(_, value)| value.to_string())
}

fn has_session(headers: &HeaderMap) -> bool {
    session(headers).is_some()
}
