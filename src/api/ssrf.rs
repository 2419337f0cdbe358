//! Literal SSRF checks for scan URLs (contract 5.1): the documented rules and
//! the sandbox's extras that can be decided without DNS. The client runs them
//! before sending; the sandbox runs them too, then resolves and re-checks.

use std::net::IpAddr;

/// Why a scan URL is refused, naming the rule.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("refused scan URL: {0}")]
pub struct SsrfError(pub String);

/// Checks a scan URL without resolving it. Returns the parsed URL.
#[allow(unused_variables)]
pub fn check_url(raw: &str) -> Result<url::Url, SsrfError> {
    todo!()
}

/// The rule that blocks this address, if any (loopback, private range, ...).
#[allow(unused_variables)]
pub fn blocked_ip_rule(ip: IpAddr) -> Option<&'static str> {
    todo!()
}
