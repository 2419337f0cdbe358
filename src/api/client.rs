//! The client: one method per route of the contract (sections 5.1 to 5.7).
//!
//! Routes marked \[sandbox\] in the contract may answer 404 on the real
//! service; callers check [`ApiError::is_not_found`] and degrade.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use serde::de::DeserializeOwned;
use url::Url;

use super::base_url::base_url;
use super::envelope::{self, Decoded};
use super::error::ApiError;
use super::model::*;
use super::paginate::FindingsPosition;
use super::ratelimit::{Bucket, BudgetSnapshot, RateBudget};
use super::ssrf;
use super::transport::{Call, Safety, Transport};

/// The default service base URL.
pub const DEFAULT_BASE_URL: &str = "https://app.krafter.dev/api/v1";

/// An API key. Its `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps a key, refusing an empty one. Length is never checked: the
    /// documentation's examples use short keys.
    pub fn new(key: impl Into<String>) -> Result<Self, ApiError> {
        let key = key.into().trim().to_string();
        if key.is_empty() {
            return Err(ApiError::Config(
                "the API key is empty; set KRAFTER_API_KEY, api_key_command or api_key in the config"
                    .into(),
            ));
        }
        if key.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(ApiError::Config(
                "the API key contains spaces or control characters; copy it again from the dashboard"
                    .into(),
            ));
        }
        Ok(ApiKey(key))
    }

    /// The secret itself, for the `Authorization` header only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// What a client needs to talk to one project.
#[derive(Clone, Debug)]
pub struct ClientSettings {
    /// e.g. `https://app.krafter.dev/api/v1`.
    pub base_url: String,
    pub org_id: String,
    pub project_id: String,
    pub api_key: ApiKey,
    /// Allow `http://` to a host that is not loopback.
    pub allow_insecure_http: bool,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// Retries of idempotent requests after a 5xx or a connection error.
    pub max_retries: u32,
}

impl ClientSettings {
    /// Settings with the default timeouts and retries.
    pub fn new(
        base_url: impl Into<String>,
        org_id: impl Into<String>,
        project_id: impl Into<String>,
        api_key: ApiKey,
    ) -> Self {
        ClientSettings {
            base_url: base_url.into(),
            org_id: org_id.into(),
            project_id: project_id.into(),
            api_key,
            allow_insecure_http: false,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_retries: 3,
        }
    }
}

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
        let base = base_url(&settings.base_url, settings.allow_insecure_http)?;
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
        let http = reqwest::Client::builder()
            .user_agent(concat!("krafter/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.request_timeout)
            .gzip(true)
            // A redirect could carry the request, and its key, somewhere
            // else; the API never redirects, so one is reported instead.
            .redirect(reqwest::redirect::Policy::none())
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
        let transport = &self.inner.transport;
        let raw = transport
            .execute(&call)
            .await
            .map_err(|e| transport.redact_error(e))?;
        envelope::decode(&raw).map_err(|e| transport.redact_error(e))
    }

    async fn get<T: DeserializeOwned>(&self, url: Url) -> Result<T, ApiError> {
        Ok(self.send(Call::get(url)).await?.data)
    }

    async fn get_page<T: DeserializeOwned>(&self, url: Url) -> Result<Page<T>, ApiError> {
        let decoded: Decoded<Option<Vec<T>>> = self.send(Call::get(url)).await?;
        Ok(Page {
            items: decoded.data.unwrap_or_default(),
            total: decoded.meta.total.and_then(|t| u64::try_from(t).ok()),
            next_cursor: decoded.meta.next_cursor.filter(|c| !c.is_empty()),
            request_id: decoded.meta.request_id,
        })
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

    // --- 5.1 scans -------------------------------------------------------

    /// `POST /scans/run` (strict bucket). Checks the URL with the SSRF
    /// pre-check first. Not retried on 5xx: it creates a scan.
    pub async fn run_scan(&self, request: &ScanRequest) -> Result<Scan, ApiError> {
        ssrf::check_url(&request.url).map_err(|e| {
            ApiError::Refused(format!("{e}; scan a public http(s) address instead"))
        })?;
        let mut call = Call::with_body(
            Method::POST,
            self.url(&["scans", "run"]),
            to_json(request)?,
            Safety::Creates,
        );
        call.bucket = Bucket::Strict;
        Ok(self.send(call).await?.data)
    }

    /// `GET /scans/{id}`.
    pub async fn get_scan(&self, id: &str) -> Result<Scan, ApiError> {
        self.get(self.url(&["scans", id])).await
    }

    /// `GET /scans` \[sandbox\], newest first. The real service may answer 404:
    /// check [`ApiError::is_not_found`].
    pub async fn list_scans(
        &self,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Page<Scan>, ApiError> {
        let url = with_query(self.url(&["scans"]), &cursor_params(cursor, limit));
        self.get_page(url).await
    }

    // --- 5.2 command center ---------------------------------------------

    /// `GET /command-center`.
    pub async fn command_center(&self) -> Result<CommandCenter, ApiError> {
        self.get(self.url(&["command-center"])).await
    }

    // --- 5.3 findings ----------------------------------------------------

    /// `GET /findings` with filters, one page by offset. The server may send
    /// fewer rows than `limit`: page on by the rows received (see
    /// [`super::paginate::FindingsPager`]).
    pub async fn list_findings(
        &self,
        query: &FindingQuery,
        offset: u64,
        limit: u32,
    ) -> Result<Page<Finding>, ApiError> {
        self.findings_page(query, &FindingsPosition::Offset(offset), limit)
            .await
    }

    /// `GET /findings` following a `next_cursor` a server sent.
    pub async fn list_findings_cursor(
        &self,
        query: &FindingQuery,
        cursor: &str,
        limit: u32,
    ) -> Result<Page<Finding>, ApiError> {
        let position = FindingsPosition::Cursor(cursor.to_string());
        self.findings_page(query, &position, limit).await
    }

    /// One page of findings from `position`, each row decoded into `T`:
    /// [`Finding`], or [`AsSent<Finding>`] to keep the JSON as sent.
    pub async fn findings_page<T: DeserializeOwned>(
        &self,
        query: &FindingQuery,
        position: &FindingsPosition,
        limit: u32,
    ) -> Result<Page<T>, ApiError> {
        let mut params = finding_params(query);
        match position {
            FindingsPosition::Offset(offset) => {
                params.push(("limit", Some(limit.to_string())));
                params.push(("offset", Some(offset.to_string())));
            }
            FindingsPosition::Cursor(cursor) => {
                params.extend(cursor_params(Some(cursor), Some(limit)));
            }
        }
        self.get_page(with_query(self.url(&["findings"]), &params))
            .await
    }

    /// `GET /findings/{id}`.
    pub async fn get_finding(&self, id: &str) -> Result<Finding, ApiError> {
        self.get(self.url(&["findings", id])).await
    }

    /// `PATCH /findings/{id}`; answers the full finding. Retried after a 5xx
    /// or a lost connection: setting the same fields twice changes nothing.
    pub async fn patch_finding(&self, id: &str, patch: &FindingPatch) -> Result<Finding, ApiError> {
        let url = self.url(&["findings", id]);
        self.write(Method::PATCH, url, to_json(patch)?, Safety::Idempotent)
            .await
    }

    // --- 5.4 tasks -------------------------------------------------------

    /// `POST /tasks`. Never resent after a 5xx or a lost connection (it
    /// might have created the task); a 429 is waited out and resent.
    pub async fn create_task(&self, task: &NewTask) -> Result<Task, ApiError> {
        let url = self.url(&["tasks"]);
        self.write(Method::POST, url, to_json(task)?, Safety::Creates)
            .await
    }

    /// `GET /tasks`, newest first, by cursor.
    pub async fn list_tasks(
        &self,
        status: Option<&TaskStatus>,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Page<Task>, ApiError> {
        let mut params = vec![("status", status.map(|s| s.as_str().to_string()))];
        params.extend(cursor_params(cursor, limit));
        self.get_page(with_query(self.url(&["tasks"]), &params))
            .await
    }

    /// `GET /tasks/{id}` \[sandbox\]: may be 404 on the real service.
    pub async fn get_task(&self, id: &str) -> Result<Task, ApiError> {
        self.get(self.url(&["tasks", id])).await
    }

    /// `PATCH /tasks/{id}` \[sandbox\]: may be 404 on the real service.
    pub async fn patch_task(&self, id: &str, patch: &TaskPatch) -> Result<Task, ApiError> {
        let url = self.url(&["tasks", id]);
        self.write(Method::PATCH, url, to_json(patch)?, Safety::Idempotent)
            .await
    }

    // --- 5.5 verifications -----------------------------------------------

    /// `GET /verifications`, newest first, by cursor.
    pub async fn list_verifications(
        &self,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Page<Verification>, ApiError> {
        let url = with_query(self.url(&["verifications"]), &cursor_params(cursor, limit));
        self.get_page(url).await
    }

    /// `POST /verifications/run` with `{"task_id": ...}` (the body is
    /// \[sandbox\]). Never resent after a 5xx or a lost connection.
    pub async fn run_verification(&self, task_id: &str) -> Result<Verification, ApiError> {
        let url = self.url(&["verifications", "run"]);
        let body = serde_json::json!({ "task_id": task_id });
        self.write(Method::POST, url, body, Safety::Creates).await
    }

    /// `GET /verifications/{id}` \[sandbox\]: may be 404 on the real service.
    pub async fn get_verification(&self, id: &str) -> Result<Verification, ApiError> {
        self.get(self.url(&["verifications", id])).await
    }

    /// `POST /verifications/{id}/approve` \[sandbox\]: may be 404 on the real
    /// service. Approving twice is a no-op, so it is retried like a PATCH.
    pub async fn approve_verification(&self, id: &str) -> Result<Verification, ApiError> {
        let url = self.url(&["verifications", id, "approve"]);
        let body = serde_json::json!({});
        self.write(Method::POST, url, body, Safety::Idempotent)
            .await
    }

    // --- 5.6 regressions -------------------------------------------------

    /// `GET /regressions` \[sandbox\], by cursor: may be 404 on the real
    /// service.
    pub async fn list_regressions(
        &self,
        status: Option<&RegressionStatus>,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Page<Regression>, ApiError> {
        let mut params = vec![("status", status.map(|s| s.as_str().to_string()))];
        params.extend(cursor_params(cursor, limit));
        self.get_page(with_query(self.url(&["regressions"]), &params))
            .await
    }

    // --- 5.7 policies, integrations, reports -----------------------------

    /// `GET /policies/current`.
    pub async fn get_policy(&self) -> Result<Policy, ApiError> {
        self.get(self.url(&["policies", "current"])).await
    }

    /// `PUT /policies/current`.
    pub async fn put_policy(
        &self,
        name: &str,
        config: &serde_json::Value,
    ) -> Result<Policy, ApiError> {
        let url = self.url(&["policies", "current"]);
        let body = serde_json::json!({ "name": name, "config": config });
        self.write(Method::PUT, url, body, Safety::Idempotent).await
    }

    /// `GET /integrations`.
    pub async fn list_integrations(&self) -> Result<Vec<Integration>, ApiError> {
        let list: Option<Vec<Integration>> = self.get(self.url(&["integrations"])).await?;
        Ok(list.unwrap_or_default())
    }

    /// `GET /reports/summary`.
    pub async fn report_summary(&self) -> Result<ReportSummary, ApiError> {
        self.get(self.url(&["reports", "summary"])).await
    }
}

fn to_json(value: &impl serde::Serialize) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(value)
        .map_err(|e| ApiError::Refused(format!("the request could not be encoded: {e}")))
}

fn finding_params(query: &FindingQuery) -> Vec<(&'static str, Option<String>)> {
    vec![
        (
            "severity",
            query.severity.as_ref().map(|v| v.as_str().to_string()),
        ),
        (
            "status",
            query.status.as_ref().map(|v| v.as_str().to_string()),
        ),
        (
            "domain",
            query.domain.as_ref().map(|v| v.as_str().to_string()),
        ),
        ("owner_id", query.owner_id.clone()),
        ("q", query.q.clone()),
    ]
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
