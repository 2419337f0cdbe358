//! What a client is built from: the settings and the API key.

use std::fmt;
use std::time::Duration;

use crate::api::error::ApiError;

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
