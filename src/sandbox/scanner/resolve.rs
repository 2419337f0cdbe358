//! Name resolution for scans, injectable so tests can point any name at any
//! address without touching real DNS.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::net::IpAddr;
use std::sync::Arc;

/// Turns a host name into the addresses a scan may connect to.
///
/// The scanner checks every address this returns and then connects only to
/// those addresses, so what was checked is what gets contacted.
#[derive(Clone, Default)]
pub struct Resolver {
    /// `None`: the system resolver. `Some`: only these names exist.
    fixed: Option<Arc<HashMap<String, Vec<IpAddr>>>>,
}

impl Resolver {
    /// The operating system's resolver (`tokio::net::lookup_host`).
    pub fn system() -> Self {
        Resolver { fixed: None }
    }

    /// A resolver that knows only these names (case-insensitive); any other
    /// name fails to resolve. Repeat a name to give it several addresses.
    pub fn fixed<'a>(entries: impl IntoIterator<Item = (&'a str, IpAddr)>) -> Self {
        let mut map: HashMap<String, Vec<IpAddr>> = HashMap::new();
        for (name, ip) in entries {
            map.entry(normalise(name)).or_default().push(ip);
        }
        Resolver {
            fixed: Some(Arc::new(map)),
        }
    }

    /// Every address `host` resolves to.
    pub async fn resolve(&self, host: &str, port: u16) -> io::Result<Vec<IpAddr>> {
        match &self.fixed {
            Some(map) => map.get(&normalise(host)).cloned().ok_or_else(|| {
                io::Error::new(io::ErrorKind::NotFound, format!("unknown host {host}"))
            }),
            None if is_reserved_name(host) => Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!(
                    "{host} is a reserved name (RFC 6761) that no DNS server resolves; \
                     only a local demo site can serve it"
                ),
            )),
            None => {
                let addrs = tokio::net::lookup_host((host, port)).await?;
                let mut ips: Vec<IpAddr> = addrs.map(|a| a.ip()).collect();
                ips.dedup();
                Ok(ips)
            }
        }
    }
}

/// Names under the top-level domains reserved for tests and examples: asking
/// DNS about them only waits for a failure (or leaks the name to a resolver).
pub fn is_reserved_name(host: &str) -> bool {
    let name = normalise(host);
    ["test", "invalid", "example", "localhost"]
        .iter()
        .any(|tld| name == *tld || name.ends_with(&format!(".{tld}")))
}

fn normalise(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

impl fmt::Debug for Resolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.fixed {
            None => f.write_str("Resolver::System"),
            Some(map) => f.debug_tuple("Resolver::Fixed").field(&map.len()).finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reserved_names_fail_without_asking_dns() {
        assert!(is_reserved_name("shop.northwind.test"));
        assert!(is_reserved_name("Shop.Northwind.TEST."));
        assert!(!is_reserved_name("www.example.com"));
        assert!(!is_reserved_name("contest"));
        let err = Resolver::system()
            .resolve("shop.northwind.test", 80)
            .await
            .unwrap_err();
        assert!(err.to_string().contains("reserved name"), "{err}");
    }
}
