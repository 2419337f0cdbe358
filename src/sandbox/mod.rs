//! `krafter serve`: a local server of the Krafter Audit contract with a real
//! passive scanner. Used by `krafter demo` and by every integration test.
//!
//! - [`store`]: the contract's rules (lifecycles, side effects, computations);
//! - [`http`]: thin axum routes, the envelope, auth and rate limits;
//! - [`seed`]: the demo data set, data files and synthetic data;
//! - [`scanner`]: the passive scanner and its one catalogue of checks;
//! - [`demo_site`]: the local demo websites the demo data's findings name;
//! - [`chaos`]: fault mode (`--chaos`).
//!
//! It imports nothing of the app, the UI, the commands or the config: only
//! the `api` types it serves (and the `sanitize` leaf that makes scanned
//! text inert).

pub mod chaos;
pub mod demo_site;
mod http;
pub mod keys;
mod options;
pub mod ratelimit;
pub mod scanner;
pub mod seed;
pub mod store;

use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};

use color_eyre::eyre::WrapErr;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::api::{ApiKey, ClientSettings};

pub use options::{DataSource, RateWindow, SandboxOptions, Scope};

/// A sandbox serving in the background.
pub struct RunningSandbox {
    /// e.g. `http://127.0.0.1:43817/api/v1`.
    pub base_url: String,
    /// The address it listens on.
    pub addr: SocketAddr,
    pub org_id: String,
    /// Project ids of the org, the first being the default.
    pub projects: Vec<String>,
    /// A key with `audit:write`.
    pub write_key: String,
    /// A key with `audit:read` only.
    pub read_key: String,
    /// A user id of the data set to act as "me" in the demo.
    pub me: Option<String>,
    /// The second team's org, when `other_team_key` was given.
    pub other_org_id: Option<String>,
    /// The second team's project.
    pub other_project_id: Option<String>,
    /// True when the keys were generated rather than given.
    pub keys_generated: bool,
    /// The demo storefront's URL to scan, e.g.
    /// `http://shop.northwind.test:43817/`, when `demo_site` was on.
    pub demo_site_url: Option<String>,
    /// The data set's users as (name, user id), for assigning findings.
    pub people: Vec<(String, String)>,
    demo_site: Option<demo_site::DemoSite>,
    stop: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<()>>,
}

impl fmt::Debug for RunningSandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RunningSandbox")
            .field("base_url", &self.base_url)
            .field("org_id", &self.org_id)
            .field("projects", &self.projects)
            .field("write_key", &"<redacted>")
            .field("read_key", &"<redacted>")
            .field("me", &self.me)
            .field("demo_site_url", &self.demo_site_url)
            .finish_non_exhaustive()
    }
}

impl RunningSandbox {
    /// Client settings for one of the org's projects, with the write key
    /// (the read key when only read keys were given).
    pub fn client_settings(&self, project_id: &str) -> ClientSettings {
        let key = if self.write_key.is_empty() {
            &self.read_key
        } else {
            &self.write_key
        };
        // `spawn` refuses empty keys and always has at least one, so this
        // never falls back; the fallback only keeps the signature total.
        let key = ApiKey::new(key.clone())
            .or_else(|_| ApiKey::new("kr_live_no_key_configured"))
            .unwrap_or_else(|_| unreachable!("a non-empty literal is a valid key"));
        ClientSettings::new(self.base_url.clone(), self.org_id.clone(), project_id, key)
    }

    /// Where to "ship a fix" on the demo site, e.g.
    /// `http://127.0.0.1:43817/__demo/fix/csp` (POST; see
    /// [`demo_site::FIXABLE`]), when the demo site runs.
    pub fn demo_site_fix_url(&self, issue: &str) -> Option<String> {
        self.demo_site
            .as_ref()
            .map(|site| format!("http://{}/__demo/fix/{issue}", site.addr))
    }

    /// A check the demo storefront's home page fails now (a fix worth
    /// shipping to see a rescan change), when the demo site runs.
    pub fn demo_site_home_defect(&self) -> Option<String> {
        self.demo_site
            .as_ref()
            .and_then(demo_site::DemoSite::home_defect)
    }

    /// Stops serving and waits for in-flight requests to finish.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
        if let Some(site) = self.demo_site.take() {
            site.shutdown().await;
        }
    }
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        // A sandbox dropped without `shutdown` stops too, without waiting.
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Starts a sandbox on `options.addr` (port 0 picks a free port).
pub async fn spawn(options: SandboxOptions) -> color_eyre::Result<RunningSandbox> {
    // The demo sites start first: the data set's findings name their pages
    // on their port.
    let site = if options.demo_site {
        Some(
            demo_site::DemoSite::start()
                .await
                .wrap_err("could not start the demo site on 127.0.0.1")?,
        )
    } else {
        None
    };
    let mut store = store::Store::default();
    let world = seed::install(
        &mut store,
        &options.data,
        site.as_ref().map(|s| s.addr.port()),
    )
    .wrap_err("could not load the sandbox's data set")?;
    if let Some(site) = &site {
        site.load(world.site_pages.clone());
    }
    let other = options
        .other_team_key
        .as_ref()
        .map(|_| store.add_empty_team("other-team-site"));
    let keyring = keys::Keyring::build(&options, world.team, other.as_ref().map(|o| o.team))?;

    let listener = tokio::net::TcpListener::bind(options.addr)
        .await
        .wrap_err_with(|| {
            format!(
                "could not listen on {}; pick another address with --addr",
                options.addr
            )
        })?;
    let addr = listener
        .local_addr()
        .wrap_err("the listener has no address")?;
    let state = http::ServerState {
        chaos: options
            .chaos
            .clone()
            .map(|spec| Arc::new(chaos::Chaos::new(spec))),
        store: Arc::new(RwLock::new(store)),
        keys: Arc::new(keyring.ring),
        limits: Arc::new(ratelimit::RateLimiter::new(
            options.rate_default,
            options.rate_strict,
        )),
        scan_config: scanner::ScanConfig {
            allow_private_targets: options.allow_private_targets,
            timeout: options.scan_timeout,
            resolver: options.scan_resolver.clone(),
            local_sites: site
                .iter()
                .flat_map(demo_site::DemoSite::local_sites)
                .collect(),
            ..scanner::ScanConfig::default()
        },
    };
    let app = http::router(state).into_make_service_with_connect_info::<http::conn::CutHandle>();
    let listener = http::conn::CuttableListener(listener);
    let (stop_tx, stop_rx) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stop_rx.await;
            })
            .await;
        if let Err(e) = served {
            tracing::error!("the sandbox server stopped: {e}");
        }
    });
    Ok(RunningSandbox {
        base_url: format!("http://{addr}/api/v1"),
        addr,
        org_id: world.org_id,
        projects: world.projects,
        write_key: keyring.write_key,
        read_key: keyring.read_key,
        me: world.me,
        other_org_id: other.as_ref().map(|o| o.org_id.clone()),
        other_project_id: other.map(|o| o.project_id),
        keys_generated: keyring.generated,
        demo_site_url: site.as_ref().map(demo_site::DemoSite::url),
        people: world.people,
        demo_site: site,
        stop: Some(stop_tx),
        server: Some(server),
    })
}
