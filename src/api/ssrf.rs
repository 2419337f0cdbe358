//! Literal SSRF checks for scan URLs (contract 5.1): the documented rules and
//! the sandbox's extras that can be decided without DNS. The client runs them
//! before sending; the sandbox runs them too, then resolves and re-checks.
//!
//! IPv4 literals are judged after URL parsing, which normalises the odd forms
//! (`http://2130706433/`, `http://0x7f.1/`, `http://017700000001/`) into the
//! dotted address they mean, so those cannot slip past the range checks.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use url::{Host, Url};

/// Why a scan URL is refused, naming the rule.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("refused scan URL: {0}")]
pub struct SsrfError(pub String);

/// Checks a scan URL without resolving it. Returns the parsed URL.
pub fn check_url(raw: &str) -> Result<Url, SsrfError> {
    let url = Url::parse(raw.trim())
        .map_err(|e| SsrfError(format!("{raw:?} is not a valid URL ({e})")))?;
    match url.scheme() {
        "http" | "https" => {}
        other => {
            return Err(SsrfError(format!(
                "scheme {other:?} is not allowed; use an http:// or https:// URL"
            )));
        }
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(SsrfError(
            "URLs with a user name or password are not allowed; remove the part before '@'"
                .to_string(),
        ));
    }
    match url.host() {
        None => Err(SsrfError("the URL has no host".to_string())),
        Some(Host::Domain(name)) => check_host_name(name).map(|()| url.clone()),
        Some(Host::Ipv4(ip)) => check_ip(IpAddr::V4(ip)).map(|()| url.clone()),
        Some(Host::Ipv6(ip)) => check_ip(IpAddr::V6(ip)).map(|()| url.clone()),
    }
}

/// Refuses host names that name the local machine or a private zone.
/// Case-insensitive, and a trailing dot (`localhost.`) changes nothing.
pub fn check_host_name(name: &str) -> Result<(), SsrfError> {
    let lower = name.trim_end_matches('.').to_ascii_lowercase();
    let rule = if lower == "localhost" || lower.ends_with(".localhost") {
        Some("it names the local machine (localhost)")
    } else if lower.ends_with(".local") {
        Some("names ending in .local are link-local (mDNS) hosts")
    } else if lower.ends_with(".internal") {
        Some("names ending in .internal are private network hosts")
    } else {
        None
    };
    match rule {
        Some(rule) => Err(SsrfError(format!("host {name} is not allowed: {rule}"))),
        None => Ok(()),
    }
}

/// Refuses an address that [`blocked_ip_rule`] blocks, with a message naming
/// the rule (and the embedded IPv4 address for IPv6 forms that carry one).
pub fn check_ip(ip: IpAddr) -> Result<(), SsrfError> {
    let Some(rule) = blocked_ip_rule(ip) else {
        return Ok(());
    };
    let message = match ip {
        IpAddr::V6(v6) => match embedded_ipv4(v6) {
            Some(v4) => format!("host {ip} is an IPv6 form of {v4}, which is in {rule}"),
            None => format!("host {ip} is in {rule}"),
        },
        IpAddr::V4(_) => format!("host {ip} is in {rule}"),
    };
    Err(SsrfError(message))
}

/// The rule that blocks this address, if any (loopback, private range, ...).
pub fn blocked_ip_rule(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => blocked_ipv4_rule(v4),
        IpAddr::V6(v6) => blocked_ipv6_rule(v6),
    }
}

/// (network, prefix length, rule) for IPv4.
const IPV4_BLOCKS: [(u32, u8, &str); 7] = [
    (0x7f00_0000, 8, "the loopback range 127.0.0.0/8"),
    (0x0000_0000, 8, "the unspecified range 0.0.0.0/8"),
    (0x0a00_0000, 8, "the private range 10.0.0.0/8"),
    (0xac10_0000, 12, "the private range 172.16.0.0/12"),
    (0xc0a8_0000, 16, "the private range 192.168.0.0/16"),
    (0xa9fe_0000, 16, "the link-local range 169.254.0.0/16"),
    (0x6440_0000, 10, "the carrier-grade NAT range 100.64.0.0/10"),
];

fn blocked_ipv4_rule(ip: Ipv4Addr) -> Option<&'static str> {
    let bits = u32::from(ip);
    IPV4_BLOCKS
        .iter()
        .find(|(net, len, _)| bits >> (32 - len) == net >> (32 - len))
        .map(|(_, _, rule)| *rule)
}

fn blocked_ipv6_rule(ip: Ipv6Addr) -> Option<&'static str> {
    if ip == Ipv6Addr::LOCALHOST {
        return Some("the loopback address ::1");
    }
    if ip == Ipv6Addr::UNSPECIFIED {
        return Some("the unspecified address ::");
    }
    if let Some(v4) = embedded_ipv4(ip) {
        return blocked_ipv4_rule(v4);
    }
    let first = ip.segments()[0];
    if first & 0xfe00 == 0xfc00 {
        return Some("the unique local range fc00::/7");
    }
    if first & 0xffc0 == 0xfe80 {
        return Some("the link-local range fe80::/10");
    }
    None
}

/// The IPv4 address carried by an IPv4-mapped (`::ffff:a.b.c.d`),
/// IPv4-compatible (`::a.b.c.d`) or NAT64 well-known-prefix
/// (`64:ff9b::a.b.c.d`) address: each reaches that IPv4 host.
fn embedded_ipv4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let tail = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    match s[..6] {
        [0, 0, 0, 0, 0, 0xffff] => Some(tail),
        // `::` and `::1` are themselves, not IPv4-compatible forms.
        [0, 0, 0, 0, 0, 0] if s[6] != 0 => Some(tail),
        [0x64, 0xff9b, 0, 0, 0, 0] => Some(tail),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(raw: &str) -> String {
        match check_url(raw) {
            Err(SsrfError(msg)) => msg,
            Ok(url) => panic!("{raw} should be refused, got {url}"),
        }
    }

    #[test]
    fn public_http_and_https_urls_pass() {
        for raw in [
            "https://example.com/",
            "http://example.com/path?q=1",
            "https://93.184.216.34/",
            "https://[2606:2800:220:1:248:1893:25c8:1946]/",
            "https://localhost.example.com/",
            "https://internal.example.com/",
            "https://172.32.0.1/",
            "https://100.128.0.1/",
        ] {
            assert!(check_url(raw).is_ok(), "{raw} should pass");
        }
    }

    #[test]
    fn other_schemes_are_refused() {
        for raw in ["ftp://example.com/", "file:///etc/passwd", "gopher://x/"] {
            assert!(refused(raw).contains("scheme"), "{raw}");
        }
    }

    #[test]
    fn unparsable_urls_are_refused() {
        assert!(refused("not a url").contains("not a valid URL"));
    }

    #[test]
    fn userinfo_is_refused() {
        assert!(refused("https://user:pw@example.com/").contains("user name or password"));
        assert!(refused("https://user@example.com/").contains("user name or password"));
        assert!(refused("https://example.com@127.0.0.1/").contains("user name"));
    }

    #[test]
    fn local_names_are_refused_in_any_case_with_trailing_dot() {
        for raw in [
            "http://localhost/",
            "http://LOCALHOST:8080/",
            "http://localhost./",
            "http://app.localhost/",
            "http://printer.local/",
            "http://Printer.LOCAL./",
            "http://db.internal/",
            "http://metadata.google.internal./",
        ] {
            assert!(refused(raw).contains("is not allowed"), "{raw}");
        }
    }

    #[test]
    fn blocked_ipv4_ranges_name_their_rule() {
        let cases = [
            (
                "http://127.0.0.1/",
                "host 127.0.0.1 is in the loopback range 127.0.0.0/8",
            ),
            ("http://127.1.2.3/", "loopback range 127.0.0.0/8"),
            ("http://0.0.0.0/", "unspecified range 0.0.0.0/8"),
            (
                "http://10.0.0.5/",
                "host 10.0.0.5 is in the private range 10.0.0.0/8",
            ),
            ("http://172.16.0.1/", "private range 172.16.0.0/12"),
            ("http://172.31.255.255/", "private range 172.16.0.0/12"),
            ("http://192.168.1.1/", "private range 192.168.0.0/16"),
            ("http://169.254.169.254/", "link-local range 169.254.0.0/16"),
            (
                "http://100.64.0.1/",
                "carrier-grade NAT range 100.64.0.0/10",
            ),
            (
                "http://100.127.255.255/",
                "carrier-grade NAT range 100.64.0.0/10",
            ),
        ];
        for (raw, rule) in cases {
            assert!(refused(raw).contains(rule), "{raw}: {}", refused(raw));
        }
    }

    #[test]
    fn odd_ipv4_literals_are_normalised_then_refused() {
        for raw in [
            "http://2130706433/",
            "http://0x7f.1/",
            "http://0x7f000001/",
            "http://017700000001/",
            "http://127.1/",
            "http://127.0.0.1./",
            "http://0/",
            "http://0xa.0.0.5/",
            "http://3232235777/",
        ] {
            let msg = refused(raw);
            assert!(msg.starts_with("host "), "{raw}: {msg}");
        }
        assert!(refused("http://2130706433/").contains("host 127.0.0.1 is in the loopback"));
    }

    #[test]
    fn blocked_ipv6_ranges_name_their_rule() {
        let cases = [
            ("http://[::1]/", "loopback address ::1"),
            ("http://[::]/", "unspecified address ::"),
            ("http://[fd00::1]/", "unique local range fc00::/7"),
            ("http://[fc00::1]/", "unique local range fc00::/7"),
            ("http://[fe80::1]/", "link-local range fe80::/10"),
            ("http://[febf::1]/", "link-local range fe80::/10"),
        ];
        for (raw, rule) in cases {
            assert!(refused(raw).contains(rule), "{raw}: {}", refused(raw));
        }
    }

    #[test]
    fn ipv6_forms_of_blocked_ipv4_are_refused() {
        let cases = [
            (
                "http://[::ffff:127.0.0.1]/",
                "127.0.0.1, which is in the loopback range",
            ),
            (
                "http://[::ffff:7f00:1]/",
                "127.0.0.1, which is in the loopback range",
            ),
            (
                "http://[::ffff:10.1.2.3]/",
                "10.1.2.3, which is in the private range 10.0.0.0/8",
            ),
            ("http://[::ffff:169.254.169.254]/", "link-local range"),
            (
                "http://[::127.0.0.1]/",
                "127.0.0.1, which is in the loopback range",
            ),
            ("http://[::192.168.0.1]/", "private range 192.168.0.0/16"),
            ("http://[64:ff9b::10.0.0.1]/", "private range 10.0.0.0/8"),
        ];
        for (raw, rule) in cases {
            assert!(refused(raw).contains(rule), "{raw}: {}", refused(raw));
        }
        assert!(check_url("http://[::ffff:93.184.216.34]/").is_ok());
    }

    #[test]
    fn blocked_ip_rule_answers_for_bare_addresses() {
        assert_eq!(
            blocked_ip_rule("10.0.0.5".parse().unwrap()),
            Some("the private range 10.0.0.0/8")
        );
        assert_eq!(blocked_ip_rule("8.8.8.8".parse().unwrap()), None);
        assert_eq!(blocked_ip_rule("2001:4860::8888".parse().unwrap()), None);
        assert_eq!(
            blocked_ip_rule("::ffff:0.0.0.1".parse().unwrap()),
            Some("the unspecified range 0.0.0.0/8")
        );
    }
}
