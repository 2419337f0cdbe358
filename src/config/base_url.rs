//! The profile's base URL, checked by the API's own rule
//! ([`crate::api::base_url::vet`]) so that the config and the client can
//! never disagree on what is allowed.

use color_eyre::eyre::{Result, eyre};

use crate::api::base_url::{is_loopback, vet};

/// Checks the base URL: http(s) only, and plain http only to a loopback
/// host unless allowed (then with a warning). Returns it without a trailing
/// slash.
pub fn check_base_url(
    raw: &str,
    allow_insecure_http: bool,
    warnings: &mut Vec<String>,
) -> Result<String> {
    let url = vet(raw, allow_insecure_http).map_err(|e| eyre!("{e}"))?;
    if url.scheme() == "http"
        && let Some(host) = url.host()
        && !is_loopback(&host)
    {
        warnings.push(format!(
            "plain http:// to {host}: the API key travels unencrypted (allowed by --allow-insecure-http)"
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}
