//! Vetting the base URL before any request: a valid http(s) URL with a
//! host, no credentials or query, and never plain http to a host that is not
//! this machine unless the user said so (the key would cross the network in
//! clear text).

use url::Url;

use super::error::ApiError;

/// Parses and vets the base URL. The one rule for it: [`super::Client::new`]
/// applies it, and the config checks a profile's URL with it before any
/// client exists.
pub fn vet(raw: &str, allow_insecure_http: bool) -> Result<Url, ApiError> {
    let raw = raw.trim();
    let example = "it should look like https://app.krafter.dev/api/v1";
    let url = Url::parse(raw).map_err(|e| {
        ApiError::Config(format!(
            "the base URL `{raw}` is not a valid URL ({e}); {example}"
        ))
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return Err(ApiError::Config(format!(
            "the base URL `{raw}` must start with https:// ; {example}"
        )));
    }
    let Some(host) = url.host() else {
        return Err(ApiError::Config(format!(
            "the base URL `{raw}` names no host; {example}"
        )));
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ApiError::Config(
            "the base URL must not contain a user name or password; the API key is sent in a header"
                .into(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ApiError::Config(format!(
            "the base URL `{raw}` must not have a query or fragment; {example}"
        )));
    }
    if url.scheme() == "http" && !allow_insecure_http && !is_loopback(&host) {
        return Err(ApiError::Config(format!(
            "refusing plain http:// to {host}: the API key would cross the network unencrypted; \
             use https://, or allow it with --allow-insecure-http (allow_insecure_http in the profile) \
             only for a network you trust; loopback hosts are always allowed"
        )));
    }
    Ok(url)
}

/// True for a host that is this machine: `localhost` (and names under it)
/// and loopback addresses.
pub fn is_loopback(host: &url::Host<&str>) -> bool {
    match host {
        url::Host::Domain(name) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
    }
}

#[cfg(test)]
mod tests {
    use crate::api::{ApiError, ApiKey, Client, ClientSettings};

    fn settings(base: &str) -> ClientSettings {
        let key = ApiKey::new("kr_live_secret").unwrap();
        ClientSettings::new(base, "org", "proj", key)
    }

    #[test]
    fn plain_http_is_refused_off_loopback() {
        let err = Client::new(settings("http://api.example.com/api/v1")).unwrap_err();
        assert!(err.to_string().contains("refusing plain http://"), "{err}");
        let mut allowed = settings("http://api.example.com/api/v1");
        allowed.allow_insecure_http = true;
        assert!(Client::new(allowed).is_ok());
        for ok in [
            "http://127.0.0.1:8080/api/v1",
            "http://localhost:1/",
            "http://[::1]:9/",
        ] {
            assert!(Client::new(settings(ok)).is_ok(), "{ok}");
        }
    }

    #[test]
    fn invalid_base_urls_say_what_is_wrong() {
        for bad in ["app.krafter.dev", "ftp://x/y", "https://u:p@x/", ""] {
            let err = Client::new(settings(bad)).unwrap_err();
            assert!(matches!(err, ApiError::Config(_)), "{bad}: {err}");
            assert!(!format!("{err:?}").contains("kr_live_secret"));
        }
    }
}
