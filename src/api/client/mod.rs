//! The client: one method per route of the contract (sections 5.1 to 5.7).
//!
//! Routes marked \[sandbox\] in the contract may answer 404 on the real
//! service; callers check [`ApiError::is_not_found`] and degrade.

use std::fmt;
use std::sync::Arc;

use reqwest::Method;
use serde::de::DeserializeOwned;
use url::Url;

use super::base_url;
use super::envelope::{self, Decoded, RawResponse};
use super::error::ApiError;
use super::model::ListRow;
use super::ratelimit::{BudgetSnapshot, RateBudget};
use super::transport::{Call, Safety, Transport};

mod findings;
mod overview;
mod remediation;
mod routes;
mod scans;
mod settings;

pub use routes::SandboxRoute;
pub use settings::{ClientSettings, DEFAULT_BASE_URL};

/// One page of a list: the rows, and what the server said about the rest.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// `meta.total`, when sent.
    pub total: Option<u64>,
    /// `meta.next_cursor`, when sent and not null.
    pub next_cursor: Option<String>,
    pub request_id: Option<String>,
}

impl<T> Page<T> {
    fn of(decoded: Decoded<Option<Vec<T>>>) -> Self {
        Page {
            items: decoded.data.unwrap_or_default(),
            total: decoded.meta.total.and_then(|t| u64::try_from(t).ok()),
            next_cursor: decoded.meta.next_cursor.filter(|c| !c.is_empty()),
            request_id: decoded.meta.request_id,
        }
    }
}

/// A cheap-to-clone handle on the API. Clones share the HTTP connection pool
/// and the rate budget.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    project_id: Arc<str>,
}

struct Inner {
    transport: Transport,
    /// The validated base URL, without a trailing slash.
    base: Url,
    base_text: String,
    org_id: String,
    /// Scan URLs skip the client's own SSRF pre-check (the server's
    /// answer still decides): for a sandbox scanning a local site.
    allow_private_targets: bool,
    /// Sandbox routes this service answered 404 to.
    missing: routes::MissingRoutes,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Field by field so that nothing secret can slip in later.
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_text)
            .field("org_id", &self.inner.org_id)
            .field("project_id", &self.project_id)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Builds a client; refuses an invalid base URL and a plain `http://`
    /// URL to a host that is not loopback (unless allowed).
    pub fn new(settings: ClientSettings) -> Result<Client, ApiError> {
        let base = base_url::vet(&settings.base_url, settings.allow_insecure_http)?;
        for (what, value, key) in [
            ("org id", &settings.org_id, "org_id"),
            ("project id", &settings.project_id, "project_id"),
        ] {
            if value.trim().is_empty() {
                return Err(ApiError::Config(format!(
                    "the {what} is empty; set `{key}` in the profile or pass it as a flag"
                )));
            }
        }
        let mut http = reqwest::Client::builder()
            .user_agent(concat!("krafter/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.request_timeout)
            .gzip(true)
            // A redirect could carry the request, and its key, somewhere
            // else; the API never redirects, so one is reported instead.
            .redirect(reqwest::redirect::Policy::none());
        if base.scheme() == "http" {
            // Every request goes to the base URL's scheme and host (no
            // redirect is followed), so a plain-HTTP base (the sandbox)
            // never makes a TLS connection: the system's trust store,
            // about 10 ms of reading and parsing at each start, is not
            // loaded.
            http = http.tls_certs_only(Vec::new());
        }
        let http = http
            .build()
            .map_err(|e| ApiError::Config(format!("the HTTP client could not be set up: {e}")))?;
        let base_text = base.as_str().trim_end_matches('/').to_string();
        Ok(Client {
            inner: Arc::new(Inner {
                transport: Transport {
                    http,
                    key: settings.api_key,
                    budget: RateBudget::new(),
                    max_retries: settings.max_retries,
                    connect_timeout: settings.connect_timeout,
                    request_timeout: settings.request_timeout,
                },
                base,
                base_text,
                org_id: settings.org_id.trim().to_string(),
                allow_private_targets: settings.allow_private_targets,
                missing: routes::MissingRoutes::default(),
            }),
            project_id: Arc::from(settings.project_id.trim()),
        })
    }

    /// The base URL in use.
    pub fn base_url(&self) -> &str {
        &self.inner.base_text
    }

    /// The org id in use.
    pub fn org_id(&self) -> &str {
        &self.inner.org_id
    }

    /// The project id in use.
    pub fn project_id(&self) -> &str {
        &self.project_id
    }

    /// True when scan URLs skip the client's SSRF pre-check.
    pub fn allows_private_targets(&self) -> bool {
        self.inner.allow_private_targets
    }

    /// True once this service answered 404 to the sandbox route `route`;
    /// the client's clones (and its other projects) share what it learnt.
    pub fn lacks(&self, route: SandboxRoute) -> bool {
        self.inner.missing.contains(route)
    }

    /// Remembers that this service does not have the sandbox route `route`.
    pub fn note_lacking(&self, route: SandboxRoute) {
        self.inner.missing.insert(route);
    }

    /// The same client for another project of the same org. The rate budget
    /// stays shared: it belongs to the team.
    pub fn with_project(&self, project_id: &str) -> Client {
        Client {
            inner: Arc::clone(&self.inner),
            project_id: Arc::from(project_id.trim()),
        }
    }

    /// What the last response said about the rate budget, and whether
    /// requests are being held back (`pacing_until`).
    pub fn budget(&self) -> BudgetSnapshot {
        self.inner.transport.budget.snapshot()
    }

    /// The shared budget itself, for callers that pace work of their own
    /// (e.g. an ETA for a bulk change).
    pub fn rate_budget(&self) -> &RateBudget {
        &self.inner.transport.budget
    }

    /// Wakes on every change of the budget (see [`RateBudget::watch`]).
    pub fn watch_budget(&self) -> tokio::sync::watch::Receiver<BudgetSnapshot> {
        self.inner.transport.budget.watch()
    }

    /// `.../orgs/{org}/projects/{project}/audit/{segments...}`, each segment
    /// percent-encoded so an id can never change the path.
    fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.inner.base.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty()
                .extend([
                    "orgs",
                    &self.inner.org_id,
                    "projects",
                    &self.project_id,
                    "audit",
                ])
                .extend(segments);
        }
        url
    }

    async fn send<T: DeserializeOwned>(&self, call: Call) -> Result<Decoded<T>, ApiError> {
        self.send_with(call, envelope::decode).await
    }

    /// Sends `call` and reads the answer with `decode`.
    async fn send_with<T>(
        &self,
        call: Call,
        decode: fn(&RawResponse) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let transport = &self.inner.transport;
        let raw = transport
            .execute(&call)
            .await
            .map_err(|e| transport.redact_error(e))?;
        decode(&raw).map_err(|e| transport.redact_error(e))
    }

    async fn get<T: DeserializeOwned>(&self, url: Url) -> Result<T, ApiError> {
        Ok(self.send(Call::get(url)).await?.data)
    }

    async fn get_page<T: DeserializeOwned>(&self, url: Url) -> Result<Page<T>, ApiError> {
        Ok(Page::of(self.send(Call::get(url)).await?))
    }

    /// [`Self::get_page`] for rows that may read the page's bytes
    /// themselves (see [`ListRow`]).
    async fn get_rows<T: ListRow>(&self, url: Url) -> Result<Page<T>, ApiError> {
        Ok(Page::of(
            self.send_with(Call::get(url), envelope::decode_list::<T>)
                .await?,
        ))
    }

    async fn write<T: DeserializeOwned>(
        &self,
        method: Method,
        url: Url,
        body: serde_json::Value,
        safety: Safety,
    ) -> Result<T, ApiError> {
        Ok(self
            .send(Call::with_body(method, url, body, safety))
            .await?
            .data)
    }
}

fn to_json(value: &impl serde::Serialize) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(value)
        .map_err(|e| ApiError::Refused(format!("the request could not be encoded: {e}")))
}

fn cursor_params(cursor: Option<&str>, limit: Option<u32>) -> Vec<(&'static str, Option<String>)> {
    vec![
        ("cursor", cursor.map(str::to_string)),
        ("limit", limit.map(|l| l.to_string())),
    ]
}

fn with_query(mut url: Url, params: &[(&str, Option<String>)]) -> Url {
    let set: Vec<_> = params
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| (*k, v)))
        .collect();
    if !set.is_empty() {
        url.query_pairs_mut().extend_pairs(set);
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::ApiKey;
    use crate::api::model::*;

    fn settings(base: &str) -> ClientSettings {
        let key = ApiKey::new("kr_live_secret").unwrap();
        ClientSettings::new(base, "org", "proj", key)
    }

    #[test]
    fn ids_cannot_escape_their_path_segment() {
        let client = Client::new(settings("https://h/api/v1/")).unwrap();
        let url = client.url(&["findings", "../x?y"]);
        assert_eq!(
            url.as_str(),
            "https://h/api/v1/orgs/org/projects/proj/audit/findings/..%2Fx%3Fy"
        );
        assert_eq!(client.base_url(), "https://h/api/v1");
    }

    #[test]
    fn client_and_its_futures_can_move_to_a_worker_task() {
        fn send<T: Send + 'static>(_: &T) {}
        fn shared<T: Send + Sync + 'static>() {}
        shared::<Client>();
        let client = Client::new(settings("https://h/api/v1")).unwrap();
        let c = client.clone();
        send(&async move { c.list_findings(&FindingQuery::default(), 0, 50).await });
        let c = client.clone();
        send(&async move {
            c.run_scan(&ScanRequest {
                url: "https://e".into(),
                trigger: ScanTrigger::Manual,
            })
            .await
        });
        let c = client.clone();
        send(&async move {
            crate::api::paginate::fetch_all_findings(&c, &FindingQuery::default(), 100, |_| {})
                .await
        });
        let c = client.clone();
        send(&async move { crate::api::paginate::fetch_all_tasks(&c, None, 100, |_| {}).await });
    }

    #[test]
    fn a_key_a_header_cannot_carry_is_refused_without_quoting_it() {
        let err = ApiKey::new("kr_live_abc\r\nX-Evil: 1").unwrap_err();
        assert!(err.to_string().contains("copy it again"));
        assert!(!format!("{err}{err:?}").contains("kr_live_abc"));
    }

    #[test]
    fn debug_shows_no_key() {
        let client = Client::new(settings("https://h/api/v1")).unwrap();
        let text = format!("{client:?}");
        assert!(
            text.contains("proj") && !text.contains("kr_live_secret"),
            "{text}"
        );
    }
}
