//! What a client is built from.

use std::time::Duration;

use crate::api::key::ApiKey;

/// The default service base URL.
pub const DEFAULT_BASE_URL: &str = "https://app.krafter.dev/api/v1";

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
    /// Scan URLs skip the client's SSRF pre-check (a sandbox started with
    /// `--allow-private-targets` scanning a local site); the server decides.
    pub allow_private_targets: bool,
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
            allow_private_targets: false,
        }
    }
}
