//! A site on this machine that scans may reach under one host name and one
//! port (the demo's storefront), while the SSRF protection stays in force
//! for every other name, port and literal address.

use std::net::SocketAddr;

use url::{Host, Url};

/// One name and port pinned to a local address. The name is never looked up:
/// the scanner connects straight to `addr`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalSite {
    /// e.g. `shop.northwind.test`, lower case.
    pub host: String,
    /// Where the site listens, e.g. `127.0.0.1:43817`; its port is the only
    /// port the name may be scanned on.
    pub addr: SocketAddr,
}

/// How a URL relates to the configured local sites.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LocalTarget {
    /// The URL names no local site: the usual rules apply.
    Elsewhere,
    /// The URL names a local site on its port: connect to this address.
    Site(SocketAddr),
    /// The URL names a local site on another port: refused, with the reason.
    WrongPort(String),
}

/// Where `url` points among `sites`.
pub fn locate(sites: &[LocalSite], url: &Url) -> LocalTarget {
    let Some(Host::Domain(name)) = url.host() else {
        return LocalTarget::Elsewhere;
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let Some(site) = sites.iter().find(|s| s.host == name) else {
        return LocalTarget::Elsewhere;
    };
    let port = url.port_or_known_default().unwrap_or(80);
    if url.scheme() == "http" && port == site.addr.port() {
        LocalTarget::Site(site.addr)
    } else {
        LocalTarget::WrongPort(format!(
            "refused scan URL: {name} is the local demo site and is only served at http://{name}:{}/",
            site.addr.port()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sites() -> Vec<LocalSite> {
        vec![LocalSite {
            host: "shop.northwind.test".into(),
            addr: SocketAddr::from(([127, 0, 0, 1], 4100)),
        }]
    }

    fn at(raw: &str) -> LocalTarget {
        locate(&sites(), &Url::parse(raw).unwrap())
    }

    #[test]
    fn only_the_name_on_its_port_and_scheme_reaches_the_site() {
        let site = LocalTarget::Site(SocketAddr::from(([127, 0, 0, 1], 4100)));
        assert_eq!(at("http://shop.northwind.test:4100/cart"), site);
        assert_eq!(at("http://SHOP.Northwind.test.:4100/"), site);
        assert!(matches!(
            at("http://shop.northwind.test:22/"),
            LocalTarget::WrongPort(_)
        ));
        assert!(matches!(
            at("https://shop.northwind.test:4100/"),
            LocalTarget::WrongPort(_)
        ));
        assert_eq!(at("http://127.0.0.1:4100/"), LocalTarget::Elsewhere);
        assert_eq!(
            at("http://other.northwind.test:4100/"),
            LocalTarget::Elsewhere
        );
        assert_eq!(at("http://localhost:4100/"), LocalTarget::Elsewhere);
    }
}
