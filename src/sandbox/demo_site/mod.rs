//! The demo's own websites, served on loopback so `krafter demo` shows real
//! scans and verifications with no network: the "Northwind Outfitters"
//! storefront (`shop.northwind.test`), its customer portal
//! (`account.northwind.test`) and its blog (`journal.northwind.test`), all
//! on one port, told apart by the Host header.
//!
//! Every page is written from the defects it has (see [`render`]): the demo
//! data's findings name these pages and these defects, so a rescan finds
//! them again and a verification of a fix that was shipped passes. Without
//! a data set the storefront has a fixed set of problems on its home page.
//! Scans reach the sites under their names on their port only (see
//! [`super::scanner::LocalSite`]).
//!
//! `POST /__demo/fix/{issue}` "ships a fix": `issue` is one of [`FIXABLE`]
//! or a check key such as `security.hsts_missing`, for every page, or for
//! one page with `?host=…&path=/cart`. `POST /__demo/reset` brings back the
//! problems the site started with.

pub mod render;

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::scanner::LocalSite;
use render::Defects;

/// The storefront's name; scans of the demo start there.
pub const DEMO_SITE_HOST: &str = "shop.northwind.test";

/// Every name the demo sites answer to. `.test` is reserved (RFC 2606), so
/// none can ever belong to a real site.
pub const DEMO_HOSTS: [&str; 3] = [
    DEMO_SITE_HOST,
    "account.northwind.test",
    "journal.northwind.test",
];

/// The short names `POST /__demo/fix/{issue}` knows, and the checks each
/// one fixes.
pub const FIXABLE: [&str; 5] = ["csp", "cookie", "server-header", "alt-text", "description"];

fn checks_of(issue: &str) -> Vec<String> {
    let keys: &[&str] = match issue {
        "csp" => &[
            "security.csp_missing",
            "security.csp_report_only",
            "security.csp_unsafe_inline",
        ],
        "cookie" => &[
            "security.cookie_insecure",
            "security.cookie_no_httponly",
            "security.cookie_no_samesite",
        ],
        "server-header" => &["security.server_version_disclosure"],
        "alt-text" => &["accessibility.img_alt_missing"],
        "description" => &["seo.meta_description_missing"],
        key if super::scanner::spec(key).is_some() => return vec![key.to_string()],
        _ => &[],
    };
    keys.iter().map(|k| k.to_string()).collect()
}

/// One page the demo sites serve, and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SitePage {
    /// One of [`DEMO_HOSTS`].
    pub host: String,
    /// e.g. `/cart`.
    pub path: String,
    pub defects: Defects,
}

type Pages = BTreeMap<(String, String), Defects>;

/// The storefront as it stands without a data set: the home page gets the
/// classic problems wrong, the other pages only the site-wide headers.
fn default_pages() -> Pages {
    let home = [
        "accessibility.img_alt_missing",
        "performance.uncompressed",
        "security.cookie_insecure",
        "security.cookie_no_httponly",
        "security.cookie_no_samesite",
        "security.csp_missing",
        "security.hsts_missing",
        "security.permissions_policy_missing",
        "security.server_version_disclosure",
        "seo.meta_description_missing",
    ];
    let site_wide = [
        "performance.uncompressed",
        "security.csp_missing",
        "security.hsts_missing",
        "security.permissions_policy_missing",
        "security.server_version_disclosure",
    ];
    let mut pages = Pages::new();
    let set = |keys: &[&str]| keys.iter().map(|k| k.to_string()).collect::<Defects>();
    pages.insert((DEMO_SITE_HOST.into(), "/".into()), set(&home));
    let others = ["/collections/jackets", "/account/login"]
        .into_iter()
        .map(str::to_string)
        .chain(
            render::PRODUCTS
                .iter()
                .map(|p| format!("/products/{}", p.slug)),
        );
    for path in others {
        pages.insert((DEMO_SITE_HOST.into(), path), set(&site_wide));
    }
    pages
}

#[derive(Default)]
struct SiteState {
    pages: Pages,
    /// What `reset` goes back to.
    initial: Pages,
}

#[derive(Clone)]
struct Site {
    state: Arc<Mutex<SiteState>>,
}

impl Site {
    fn state(&self) -> MutexGuard<'_, SiteState> {
        // The pages stay meaningful even if a holder panicked.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The demo sites serving in the background; they stop when dropped.
pub struct DemoSite {
    /// Where they listen (loopback, a free port).
    pub addr: SocketAddr,
    site: Site,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for DemoSite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoSite")
            .field("addr", &self.addr)
            .finish()
    }
}

impl DemoSite {
    /// Starts the sites on 127.0.0.1 and a free port, with the storefront's
    /// default pages.
    pub async fn start() -> std::io::Result<DemoSite> {
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
        let addr = listener.local_addr()?;
        let pages = default_pages();
        let site = Site {
            state: Arc::new(Mutex::new(SiteState {
                initial: pages.clone(),
                pages,
            })),
        };
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let app = router(site.clone());
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
            site,
            stop: Some(stop_tx),
            server: Some(server),
        })
    }

    /// Serves these pages: a host named here serves exactly its pages from
    /// now on (the pages of a data set replace the storefront's defaults).
    pub fn load(&self, pages: Vec<SitePage>) {
        let mut state = self.site.state();
        let hosts: Vec<String> = pages.iter().map(|p| p.host.clone()).collect();
        state.pages.retain(|(host, _), _| !hosts.contains(host));
        for page in pages {
            state.pages.insert((page.host, page.path), page.defects);
        }
        state.initial = state.pages.clone();
    }

    /// A check the storefront's home page fails now, if any: the fix the
    /// banner suggests shipping.
    pub fn home_defect(&self) -> Option<String> {
        self.site
            .state()
            .pages
            .get(&(DEMO_SITE_HOST.to_string(), "/".to_string()))
            .and_then(|d| d.iter().next().cloned())
    }

    /// The storefront's URL to scan, e.g. `http://shop.northwind.test:43817/`.
    pub fn url(&self) -> String {
        format!("http://{DEMO_SITE_HOST}:{}/", self.addr.port())
    }

    /// What the scanner needs to reach these sites, and only them.
    pub fn local_sites(&self) -> Vec<LocalSite> {
        DEMO_HOSTS
            .iter()
            .map(|host| LocalSite {
                host: host.to_string(),
                addr: self.addr,
            })
            .collect()
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
        .route("/account/login", get(page).post(login))
        .route("/account", get(account))
        .route("/__demo/fix/{issue}", post(fix))
        .route("/__demo/reset", post(reset))
        .fallback(page)
        .with_state(site)
}

/// The site a request is for: its Host without the port; a bare address
/// (`127.0.0.1:PORT`, as the fix routes are called) means the storefront.
fn host_of(headers: &HeaderMap) -> String {
    let raw = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let name = raw
        .rsplit_once(':')
        .map_or(raw, |(name, _)| name)
        .trim_end_matches('.')
        .to_ascii_lowercase();
    if DEMO_HOSTS.contains(&name.as_str()) {
        name
    } else {
        DEMO_SITE_HOST.to_string()
    }
}

fn gzip(text: &str) -> Option<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(text.as_bytes()).ok()?;
    encoder.finish().ok()
}

/// Any page of the sites, as its defects write it; 404 for a page the site
/// does not have.
async fn page(State(site): State<Site>, uri: Uri, headers: HeaderMap) -> Response {
    let host = host_of(&headers);
    let path = uri.path().to_string();
    let defects = site
        .state()
        .pages
        .get(&(host.clone(), path.clone()))
        .cloned();
    let Some(defects) = defects else {
        return (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            render::not_found(),
        )
            .into_response();
    };
    let rendered = render::render(&host, &path, &defects);
    if !rendered.delay.is_zero() {
        tokio::time::sleep(rendered.delay).await;
    }
    let accepts_gzip = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("gzip"));
    let mut out = rendered.headers.clone();
    let body = match (rendered.compressed() && accepts_gzip)
        .then(|| gzip(&rendered.html))
        .flatten()
    {
        Some(bytes) => bytes,
        None => {
            out.remove(header::CONTENT_ENCODING);
            rendered.html.into_bytes()
        }
    };
    (StatusCode::OK, out, body).into_response()
}

#[derive(Deserialize)]
struct Credentials {
    email: String,
    password: String,
}

/// Any email with the password `northwind` signs in. The session cookie has
/// the cookie defects of the storefront's home page.
async fn login(State(site): State<Site>, Form(form): Form<Credentials>) -> Response {
    let html_type = [(header::CONTENT_TYPE, "text/html; charset=utf-8")];
    if form.password != "northwind" || form.email.trim().is_empty() {
        let html = render::login(Some("That email and password do not match; try again."));
        return (StatusCode::UNAUTHORIZED, html_type, html).into_response();
    }
    let email: String = form
        .email
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "@.-_+".contains(*c))
        .collect();
    let defects = site
        .state()
        .pages
        .get(&(DEMO_SITE_HOST.to_string(), "/".to_string()))
        .cloned()
        .unwrap_or_default();
    let cookie = render::session_cookie(&defects, &format!("signed-in.{email}"));
    let mut response = (StatusCode::SEE_OTHER, html_type, String::new()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::LOCATION, HeaderValue::from_static("/account"));
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        headers.insert(header::SET_COOKIE, value);
    }
    response
}

async fn account(headers: HeaderMap) -> Response {
    match session(&headers).and_then(|s| s.strip_prefix("signed-in.").map(str::to_string)) {
        Some(email) => (
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            render::account(&email),
        )
            .into_response(),
        None => Redirect::to("/account/login").into_response(),
    }
}

async fn fix(
    State(site): State<Site>,
    Path(issue): Path<String>,
    Query(only): Query<HashMap<String, String>>,
) -> Response {
    let checks = checks_of(&issue);
    if checks.is_empty() {
        return (
            StatusCode::NOT_FOUND,
            format!(
                "unknown issue {issue:?}; known: {}, or a check key such as security.hsts_missing\n",
                FIXABLE.join(", ")
            ),
        )
            .into_response();
    }
    let mut state = site.state();
    let mut pages = 0;
    for ((host, path), defects) in state.pages.iter_mut() {
        let wanted = only.get("host").is_none_or(|h| h == host)
            && only.get("path").is_none_or(|p| p == path);
        let before = defects.len();
        if wanted {
            defects.retain(|d| !checks.contains(d));
        }
        pages += usize::from(defects.len() < before);
    }
    (
        StatusCode::OK,
        format!("shipped the {issue} fix on {pages} page(s); scan or verify again\n"),
    )
        .into_response()
}

async fn reset(State(site): State<Site>) -> Response {
    let mut state = site.state();
    state.pages = state.initial.clone();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::scanner::{CATALOGUE, Page, PlainHttp, judge};

    /// What a scan of a rendered page finds, as check keys.
    fn found(defects: &Defects) -> Defects {
        let url = "http://shop.northwind.test:4100/cart";
        let r = render::render(DEMO_SITE_HOST, "/cart", defects);
        let page = Page {
            requested_url: url.into(),
            final_url: url.into(),
            status: 200,
            headers: r.headers.clone(),
            body: r.html.clone().into_bytes(),
            wire_bytes: r.html.len(),
            truncated: false,
            ttfb: r.delay + std::time::Duration::from_millis(20),
            plain_http: PlainHttp::RedirectsToHttps {
                to: "https://shop.northwind.test/cart".into(),
            },
        };
        judge(url, &page)
            .observations
            .into_iter()
            .map(|o| o.check)
            .collect()
    }

    fn set(keys: &[&str]) -> Defects {
        keys.iter().map(|k| k.to_string()).collect()
    }

    #[test]
    fn a_page_fails_exactly_the_checks_of_its_defects() {
        assert_eq!(found(&Defects::new()), Defects::new());
        for spec in CATALOGUE {
            if spec.key == "security.no_https_redirect" {
                continue; // a property of the transport, not of a page
            }
            let one = set(&[spec.key]);
            assert_eq!(found(&one), one, "{}", spec.key);
        }
        let many = set(&[
            "security.csp_unsafe_inline",
            "security.hsts_short_max_age",
            "security.clickjacking",
            "security.cookie_insecure",
            "security.cookie_no_samesite",
            "performance.uncompressed",
            "seo.h1_missing",
            "accessibility.img_alt_missing",
        ]);
        assert_eq!(found(&many), many);
    }

    #[test]
    fn every_page_is_big_enough_for_compression_to_matter() {
        let r = render::render("journal.northwind.test", "/", &Defects::new());
        assert!(r.html.len() > 1_400, "{}", r.html.len());
    }
}
