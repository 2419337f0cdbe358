//! The API key: a secret that only the `Authorization` header may see.

use std::fmt;

use super::error::ApiError;

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
