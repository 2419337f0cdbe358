//! The client: one method per route of the contract (sections 5.1 to 5.7).
//!
//! Routes marked [sandbox] in the contract may answer 404 on the real
//! service; callers check [`ApiError::is_not_found`] and degrade.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::error::ApiError;
use super::model::*;
use super::ratelimit::BudgetSnapshot;

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
            return Err(ApiError::Config("the API key is empty".into()));
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
#[derive(Clone, Debug)]
#[allow(dead_code)]
pub struct Client {
    inner: Arc<()>,
}

#[allow(unused_variables)]
impl Client {
    /// Builds a client; refuses an invalid base URL and a plain `http://`
    /// URL to a host that is not loopback (unless allowed).
    pub fn new(settings: ClientSettings) -> Result<Client, ApiError> {
        todo!()
    }

    /// The base URL in use.
    pub fn base_url(&self) -> &str {
        todo!()
    }

    /// The org id in use.
    pub fn org_id(&self) -> &str {
        todo!()
    }

    /// The project id in use.
    pub fn project_id(&self) -> &str {
        todo!()
    }

    /// The same client for another project of the same org. The rate budget
    /// stays shared: it belongs to the team.
    pub fn with_project(&self, project_id: &str) -> Client {
        todo!()
    }

    /// What the last response said about the rate budget.
    pub fn budget(&self) -> BudgetSnapshot {
        todo!()
    }

    // --- 5.1 scans -------------------------------------------------------

    /// `POST /scans/run` (strict bucket). Checks the URL with the SSRF
    /// pre-check first. Not retried on 5xx: it creates a scan.
    pub async fn run_scan(&self, request: &ScanRequest) -> Result<Scan, ApiError> {
        todo!()
    }

    /// `GET /scans/{id}`.
    pub async fn get_scan(&self, id: &str) -> Result<Scan, ApiError> {
        todo!()
    }

    /// `GET /scans` [sandbox], newest first.
    pub async fn list_scans(
        &self,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Page<Scan>, ApiError> {
        todo!()
    }

    // --- 5.2 command center ---------------------------------------------

    /// `GET /command-center`.
    pub async fn command_center(&self) -> Result<CommandCenter, ApiError> {
        todo!()
    }

    // --- 5.3 findings ----------------------------------------------------

    /// `GET /findings` with filters, one page by offset.
    pub async fn list_findings(
        &self,
        query: &FindingQuery,
        offset: u64,
        limit: u32,
    ) -> Result<Page<Finding>, ApiError> {
        todo!()
    }

    /// `GET /findings` following a `next_cursor` a server sent.
    pub async fn list_findings_cursor(
        &self,
        query: &FindingQuery,
        cursor: &str,
        limit: u32,
    ) -> Result<Page<Finding>, ApiError> {
        todo!()
    }

    /// `GET /findings/{id}`.
    pub async fn get_finding(&self, id: &str) -> Result<Finding, ApiError> {
        todo!()
    }

    /// `PATCH /findings/{id}`; answers the full finding.
    pub async fn patch_finding(&self, id: &str, patch: &FindingPatch) -> Result<Finding, ApiError> {
        todo!()
    }

    // --- 5.4 tasks -------------------------------------------------------

    /// `POST /tasks`.
    pub async fn create_task(&self, task: &NewTask) -> Result<Task, ApiError> {
        todo!()
    }

    /// `GET /tasks`, newest first, by cursor.
    pub async fn list_tasks(
        &self,
        status: Option<&TaskStatus>,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Page<Task>, ApiError> {
        todo!()
    }

    /// `GET /tasks/{id}` [sandbox].
    pub async fn get_task(&self, id: &str) -> Result<Task, ApiError> {
        todo!()
    }

    /// `PATCH /tasks/{id}` [sandbox].
    pub async fn patch_task(&self, id: &str, patch: &TaskPatch) -> Result<Task, ApiError> {
        todo!()
    }

    // --- 5.5 verifications -----------------------------------------------

    /// `GET /verifications`, newest first, by cursor.
    pub async fn list_verifications(
        &self,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Page<Verification>, ApiError> {
        todo!()
    }

    /// `POST /verifications/run` with `{"task_id": ...}`.
    pub async fn run_verification(&self, task_id: &str) -> Result<Verification, ApiError> {
        todo!()
    }

    /// `GET /verifications/{id}` [sandbox].
    pub async fn get_verification(&self, id: &str) -> Result<Verification, ApiError> {
        todo!()
    }

    /// `POST /verifications/{id}/approve` [sandbox].
    pub async fn approve_verification(&self, id: &str) -> Result<Verification, ApiError> {
        todo!()
    }

    // --- 5.6 regressions -------------------------------------------------

    /// `GET /regressions` [sandbox], by cursor.
    pub async fn list_regressions(
        &self,
        status: Option<&RegressionStatus>,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Page<Regression>, ApiError> {
        todo!()
    }

    // --- 5.7 policies, integrations, reports -----------------------------

    /// `GET /policies/current`.
    pub async fn get_policy(&self) -> Result<Policy, ApiError> {
        todo!()
    }

    /// `PUT /policies/current`.
    pub async fn put_policy(
        &self,
        name: &str,
        config: &serde_json::Value,
    ) -> Result<Policy, ApiError> {
        todo!()
    }

    /// `GET /integrations`.
    pub async fn list_integrations(&self) -> Result<Vec<Integration>, ApiError> {
        todo!()
    }

    /// `GET /reports/summary`.
    pub async fn report_summary(&self) -> Result<ReportSummary, ApiError> {
        todo!()
    }
}
