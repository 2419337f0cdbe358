//! The base URL's rules: http(s) only, plain http only to loopback.

use color_eyre::eyre::{Result, bail, eyre};

use crate::api::client::DEFAULT_BASE_URL;

/// Checks the base URL: http(s) only, and plain http only to a loopback
/// host unless allowed. Returns it without a trailing slash.
pub fn check_base_url(
    raw: &str,
    allow_insecure_http: bool,
    warnings: &mut Vec<String>,
) -> Result<String> {
    let url = url::Url::parse(raw.trim()).map_err(|e| {
        eyre!("the base URL `{raw}` is not a valid URL ({e}); it looks like {DEFAULT_BASE_URL}")
    })?;
    let host = url.host_str().unwrap_or_default().to_string();
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" if allow_insecure_http => warnings.push(format!(
            "plain http:// to {host}: the API key travels unencrypted (allowed by --allow-insecure-http)"
        )),
        "http" => bail!(
            "refusing the plain http:// base URL {raw}: the API key would travel unencrypted to {host}; \
             use https://, or pass --allow-insecure-http if you really mean it (loopback hosts are always allowed)"
        ),
        other => bail!("the base URL must start with https:// (got {other}://)"),
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}
