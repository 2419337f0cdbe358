//! Fetching a scan target safely: redirects followed by hand (each hop
//! re-checked), names resolved by the scanner and pinned so the address that
//! was checked is the one contacted, a time budget and a body cap.

use std::future::Future;
use std::io::Read;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use reqwest::header::{ACCEPT, ACCEPT_ENCODING, CONTENT_ENCODING, HeaderMap, LOCATION};
use url::{Host, Url};

use super::local_site::{LocalTarget, locate};
use super::model::{ScanConfig, ScanError};
use crate::api::ssrf;

/// Redirects followed before giving up.
pub const MAX_REDIRECTS: usize = 5;

const USER_AGENT: &str = concat!("krafter-sandbox-scanner/", env!("CARGO_PKG_VERSION"));

/// The final response of a redirect chain.
#[derive(Debug)]
pub struct Fetched {
    /// Every URL requested, in order; the last one answered.
    pub chain: Vec<Url>,
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    pub wire_bytes: usize,
    pub truncated: bool,
    pub ttfb: Duration,
}

/// How a fetch ended.
#[derive(Debug)]
pub enum Outcome {
    /// A response that is not a redirect.
    Answered(Fetched),
    /// A redirect to https, when asked to stop there (the plain-http probe).
    RedirectedToHttps(Url),
}

/// Fetches `url`, following redirects by hand, within `config.timeout`.
/// With `stop_at_https`, a redirect to an https URL ends the fetch.
pub async fn fetch(
    url: Url,
    config: &ScanConfig,
    stop_at_https: bool,
) -> Result<Outcome, ScanError> {
    let budget = config.timeout;
    match tokio::time::timeout(budget, follow(url.clone(), config, stop_at_https)).await {
        Ok(result) => result,
        Err(_) => Err(timeout_error(&url, budget)),
    }
}

fn timeout_error(url: &Url, budget: Duration) -> ScanError {
    ScanError::Timeout {
        url: url.to_string(),
        secs: budget.as_secs_f64().ceil() as u64,
    }
}

async fn follow(url: Url, config: &ScanConfig, stop_at_https: bool) -> Result<Outcome, ScanError> {
    let mut current = url;
    let mut chain = vec![current.clone()];
    loop {
        let is_redirect_hop = chain.len() > 1;
        let connected = ConnectedAt::default();
        let client = client_for(&current, config, is_redirect_hop, &connected).await?;
        let started = Instant::now();
        let response = client
            .get(current.clone())
            .header(ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8")
            // Asked for explicitly (and decoded here) so Content-Encoding is
            // seen exactly as the server sent it; what a browser asks for.
            .header(ACCEPT_ENCODING, "gzip, deflate, br")
            .send()
            .await
            .map_err(|e| request_error(&current, &e, config.timeout))?;
        // From the request being sent, not from the start of the connection:
        // the time to connect (and the TLS handshake) is the network's, not
        // the server's time to answer.
        let sent_at = connected
            .get()
            .filter(|at| *at > started)
            .unwrap_or(started);
        let ttfb = sent_at.elapsed();

        if response.status().is_redirection()
            && let Some(location) = response.headers().get(LOCATION)
        {
            let location = String::from_utf8_lossy(location.as_bytes()).into_owned();
            let next = current
                .join(location.trim())
                .map_err(|e| ScanError::Fetch {
                    url: current.to_string(),
                    detail: format!("it redirects to {location:?}, which is not a valid URL ({e})"),
                })?;
            if !matches!(next.scheme(), "http" | "https") {
                return Err(ScanError::Fetch {
                    url: current.to_string(),
                    detail: format!("it redirects to {next}, which is not an http(s) URL"),
                });
            }
            if stop_at_https && next.scheme() == "https" {
                return Ok(Outcome::RedirectedToHttps(next));
            }
            if chain.len() > MAX_REDIRECTS {
                return Err(ScanError::Fetch {
                    url: chain[0].to_string(),
                    detail: format!("more than {MAX_REDIRECTS} redirects (last to {next})"),
                });
            }
            chain.push(next.clone());
            current = next;
            continue;
        }

        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let (wire, truncated) =
            read_capped(response, config.max_body_bytes, &current, config.timeout).await?;
        let (body, decoded_cut) =
            decode(&headers, &wire, config.max_body_bytes).map_err(|detail| ScanError::Fetch {
                url: current.to_string(),
                detail,
            })?;
        return Ok(Outcome::Answered(Fetched {
            chain,
            status,
            headers,
            wire_bytes: wire.len(),
            body,
            truncated: truncated || decoded_cut,
            ttfb,
        }));
    }
}

/// A client for one hop: SSRF checks on the URL and on every address its
/// name resolves to, then the connection pinned to those addresses.
async fn client_for(
    url: &Url,
    config: &ScanConfig,
    is_redirect_hop: bool,
    connected: &ConnectedAt,
) -> Result<reqwest::Client, ScanError> {
    let refused = |why: String| {
        if is_redirect_hop {
            ScanError::Refused(format!("refused redirect to {url}: {why}"))
        } else {
            ScanError::Refused(why)
        }
    };
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        // A proxy from the environment would resolve names itself and
        // defeat the pinning below.
        .no_proxy()
        .no_gzip()
        .connect_timeout(config.timeout)
        .connector_layer(TimeConnects(connected.clone()))
        .user_agent(USER_AGENT);
    match locate(&config.local_sites, url) {
        LocalTarget::Site(addr) => {
            // A local site's name is pinned to its address, never looked up.
            if let Some(Host::Domain(name)) = url.host() {
                builder = builder.resolve(name, addr);
            }
            return builder.build().map_err(|e| ScanError::Fetch {
                url: url.to_string(),
                detail: format!("could not set up the HTTP client ({})", describe(&e)),
            });
        }
        LocalTarget::WrongPort(why) => return Err(refused(why)),
        LocalTarget::Elsewhere => {}
    }
    let literal_ip = match url.host() {
        Some(Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
        Some(Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
        _ => None,
    };
    let allow_listed = |ip: &IpAddr| config.allowed_private_addresses.contains(ip);
    if !config.allow_private_targets && !literal_ip.as_ref().is_some_and(allow_listed) {
        ssrf::check_url(url.as_str()).map_err(|e| refused(e.to_string()))?;
    }
    if let Some(Host::Domain(name)) = url.host() {
        let port = url.port_or_known_default().unwrap_or(80);
        let ips = config
            .resolver
            .resolve(name, port)
            .await
            .map_err(|e| ScanError::Fetch {
                url: url.to_string(),
                detail: format!("could not resolve {name} ({e})"),
            })?;
        if ips.is_empty() {
            return Err(ScanError::Fetch {
                url: url.to_string(),
                detail: format!("{name} has no addresses"),
            });
        }
        if !config.allow_private_targets {
            for ip in ips.iter().filter(|ip| !allow_listed(ip)) {
                if let Some(rule) = ssrf::blocked_ip_rule(*ip) {
                    return Err(refused(format!(
                        "refused scan URL: host {name} resolves to {ip}, which is in {rule}"
                    )));
                }
            }
        }
        let addrs: Vec<SocketAddr> = ips.iter().map(|ip| SocketAddr::new(*ip, port)).collect();
        builder = builder.resolve_to_addrs(name, &addrs);
    }
    for pem in &config.extra_root_certs_pem {
        let cert = reqwest::Certificate::from_pem(pem).map_err(|e| ScanError::Fetch {
            url: url.to_string(),
            detail: format!("an extra root certificate is not valid PEM ({e})"),
        })?;
        builder = builder.add_root_certificate(cert);
    }
    builder.build().map_err(|e| ScanError::Fetch {
        url: url.to_string(),
        detail: format!("could not set up the HTTP client ({})", describe(&e)),
    })
}

async fn read_capped(
    mut response: reqwest::Response,
    cap: usize,
    url: &Url,
    budget: Duration,
) -> Result<(Vec<u8>, bool), ScanError> {
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| request_error(url, &e, budget))?
    {
        body.extend_from_slice(&chunk);
        if body.len() > cap {
            body.truncate(cap);
            return Ok((body, true));
        }
    }
    Ok((body, false))
}

/// The body as the browser would see it, and whether decoding hit the cap:
/// capped too, so a small compressed body cannot expand without bound. An
/// encoding that was not asked for and cannot be decoded is an error: its
/// bytes are not the page and must not be judged as one.
fn decode(headers: &HeaderMap, wire: &[u8], cap: usize) -> Result<(Vec<u8>, bool), String> {
    let encoding = headers
        .get(CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_ascii_lowercase())
        .filter(|v| !v.is_empty() && v != "identity");
    let limit = cap as u64;
    let mut out = Vec::new();
    // A cut-off stream fails at its end; what was decoded so far is kept.
    let _ = match encoding.as_deref() {
        None => {
            out.extend_from_slice(wire);
            Ok(wire.len())
        }
        Some("gzip") | Some("x-gzip") => flate2::read::GzDecoder::new(wire)
            .take(limit)
            .read_to_end(&mut out),
        Some("deflate") => {
            let zlib = flate2::read::ZlibDecoder::new(wire)
                .take(limit)
                .read_to_end(&mut out);
            if zlib.is_err() && out.is_empty() {
                flate2::read::DeflateDecoder::new(wire)
                    .take(limit)
                    .read_to_end(&mut out)
            } else {
                zlib
            }
        }
        Some("br") => brotli_decompressor::Decompressor::new(wire, 4096)
            .take(limit)
            .read_to_end(&mut out),
        Some(other) => {
            return Err(format!(
                "the response is encoded as {other:?}, which the request did not accept and the \
                 scanner cannot decode; the site should honour Accept-Encoding"
            ));
        }
    };
    let cut = encoding.is_some() && out.len() >= cap;
    Ok((out, cut))
}

/// When the connection of a fetch became ready to carry the request (TCP
/// connected and, for https, the TLS handshake done).
#[derive(Clone, Debug, Default)]
struct ConnectedAt(Arc<Mutex<Option<Instant>>>);

impl ConnectedAt {
    fn get(&self) -> Option<Instant> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn mark(&self) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(Instant::now());
    }
}

/// A connector layer that notes when each connection became ready, so the
/// time to first byte can start there.
#[derive(Clone)]
struct TimeConnects(ConnectedAt);

impl<S> tower::Layer<S> for TimeConnects {
    type Service = TimedConnector<S>;

    fn layer(&self, inner: S) -> TimedConnector<S> {
        TimedConnector {
            inner,
            connected: self.0.clone(),
        }
    }
}

#[derive(Clone)]
struct TimedConnector<S> {
    inner: S,
    connected: ConnectedAt,
}

impl<S, R> tower::Service<R> for TimedConnector<S>
where
    S: tower::Service<R>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: R) -> Self::Future {
        let connecting = self.inner.call(request);
        let connected = self.connected.clone();
        Box::pin(async move {
            let connection = connecting.await;
            if connection.is_ok() {
                connected.mark();
            }
            connection
        })
    }
}

fn request_error(url: &Url, error: &reqwest::Error, budget: Duration) -> ScanError {
    if error.is_timeout() {
        return timeout_error(url, budget);
    }
    ScanError::Fetch {
        url: url.to_string(),
        detail: describe(error),
    }
}

/// The error in a sentence: what failed, the innermost cause (where reqwest
/// keeps the useful part: "Connection refused", "invalid peer certificate"),
/// and what to check.
fn describe(error: &reqwest::Error) -> String {
    let mut root: &dyn std::error::Error = error;
    while let Some(cause) = root.source() {
        root = cause;
    }
    let cause = root.to_string();
    if error.is_connect() {
        format!(
            "could not connect ({cause}); check that the site is up and reachable from this machine"
        )
    } else if error.is_body() || error.is_decode() {
        format!("the response body could not be read ({cause})")
    } else if error.is_builder() {
        format!("the request could not be built ({cause})")
    } else {
        format!("the request failed ({cause})")
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let _ = encoder.write_all(bytes);
        encoder.finish().unwrap_or_default()
    }

    fn encoded(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            CONTENT_ENCODING,
            reqwest::header::HeaderValue::from_str(value).unwrap(),
        );
        headers
    }

    #[test]
    fn gzip_bodies_are_decoded_and_bombs_stop_at_the_cap() {
        let (body, cut) = decode(&encoded("gzip"), &gzip(b"<html>hi</html>"), 1024).unwrap();
        assert_eq!((body.as_slice(), cut), (&b"<html>hi</html>"[..], false));
        let bomb = gzip(&vec![0u8; 10 * 1024 * 1024]);
        assert!(bomb.len() < 64 * 1024);
        let (body, cut) = decode(&encoded("gzip"), &bomb, 100_000).unwrap();
        assert_eq!((body.len(), cut), (100_000, true));
    }

    /// `<html lang="en"><title>br</title></html>`, Brotli-compressed.
    const BROTLI_FIXTURE: [u8; 38] = [
        27, 39, 0, 24, 140, 147, 165, 30, 165, 156, 74, 253, 82, 230, 38, 167, 69, 120, 124, 196,
        192, 6, 28, 184, 135, 1, 55, 193, 25, 98, 131, 130, 243, 140, 222, 75, 10, 8,
    ];
    const BROTLI_PAGE: &[u8] = &BROTLI_FIXTURE;

    #[test]
    fn brotli_bodies_are_decoded_not_parsed_as_html() {
        let (body, cut) = decode(&encoded("br"), BROTLI_PAGE, 1024).unwrap();
        assert_eq!(body, b"<html lang=\"en\"><title>br</title></html>");
        assert!(!cut);
    }

    #[test]
    fn an_encoding_that_cannot_be_decoded_is_an_error_not_a_page() {
        let err = decode(&encoded("zstd"), b"(\xb5/\xfd...", 1024).unwrap_err();
        assert!(err.contains("zstd"), "{err}");
        let (body, _) = decode(&encoded("identity"), b"<p>plain</p>", 1024).unwrap();
        assert_eq!(body, b"<p>plain</p>");
    }

    #[test]
    fn a_cut_off_gzip_stream_keeps_what_was_decoded() {
        let whole = gzip(&b"abcdefgh".repeat(10_000));
        let (body, _) = decode(&encoded("gzip"), &whole[..whole.len() / 2], 1 << 20).unwrap();
        assert!(!body.is_empty() && body.len() < 80_000);
    }
}
