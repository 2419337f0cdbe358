//! Small websites served on loopback for the scanner tests, plus a TLS
//! front (certificate for `site.test`, signed by a test CA) so https pages
//! can be scanned for real.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use krafter::sandbox::scanner::{Resolver, ScanConfig, ScanReport};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::{self, ServerConfig};

pub const CA_PEM: &[u8] = include_bytes!("../fixtures/scanner_tls/ca.pem");
const SITE_PEM: &[u8] = include_bytes!("../fixtures/scanner_tls/site.pem");
const SITE_KEY: &[u8] = include_bytes!("../fixtures/scanner_tls/site.key");

pub const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// Serves `router` on 127.0.0.1 on a free port.
pub async fn serve(router: Router) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    addr
}

/// A TLS front for `site.test` that forwards the decrypted bytes to
/// `backend`, returning its own address.
pub async fn serve_tls(backend: SocketAddr) -> SocketAddr {
    serve_tls_after(backend, Duration::ZERO).await
}

/// [`serve_tls`], starting each TLS handshake only after `delay`: a slow
/// connection, not a slow server.
pub async fn serve_tls_after(backend: SocketAddr, delay: Duration) -> SocketAddr {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(SITE_PEM)
        .collect::<Result<_, _>>()
        .expect("test certificate");
    let key = PrivateKeyDer::from_pem_slice(SITE_KEY).expect("test key");
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .expect("server config");
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                tokio::time::sleep(delay).await;
                let Ok(mut tls) = acceptor.accept(stream).await else {
                    return;
                };
                let Ok(mut plain) = tokio::net::TcpStream::connect(backend).await else {
                    return;
                };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            });
        }
    });
    addr
}

/// A config for loopback sites: private targets allowed, `site.test` (and
/// any `extra` names) resolving to 127.0.0.1, the test CA trusted.
pub fn local_config(extra: &[&str]) -> ScanConfig {
    let names = std::iter::once("site.test").chain(extra.iter().copied());
    ScanConfig {
        allow_private_targets: true,
        timeout: Duration::from_secs(10),
        resolver: Resolver::fixed(names.map(|n| (n, LOOPBACK))),
        extra_root_certs_pem: vec![CA_PEM.to_vec()],
        ..ScanConfig::default()
    }
}

/// The keys of the checks that found something.
pub fn finding_keys(report: &ScanReport) -> BTreeSet<String> {
    report
        .observations
        .iter()
        .map(|o| o.check.clone())
        .collect()
}

pub fn set(keys: &[&str]) -> BTreeSet<String> {
    keys.iter().map(|k| k.to_string()).collect()
}
