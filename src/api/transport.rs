//! Sending one request: pacing by the shared budget, honouring 429, retrying
//! what is safe to retry, and turning transport failures into [`ApiError`].

use std::error::Error as _;
use std::time::{Duration, SystemTime};

use reqwest::Method;
use url::Url;

use super::envelope::{self, RawResponse};
use super::error::{ApiError, StatusError};
use super::key::ApiKey;
use super::ratelimit::{Bucket, RateBudget};

/// How many 429s in a row one request waits out before giving up.
const MAX_THROTTLED: u32 = 4;
/// A `retry-after` longer than this is reported instead of waited out.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(15 * 60);
/// First retry delay after a 5xx or a broken connection; doubles each time.
const BACKOFF_BASE: Duration = Duration::from_millis(200);
const BACKOFF_CAP: Duration = Duration::from_secs(8);

/// Whether a request may be sent twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Safety {
    /// GET, PUT, PATCH: sending again gives the same result.
    Idempotent,
    /// A POST that creates something: after a 5xx or a connection lost
    /// mid-request it may have happened, so it is never resent blindly.
    Creates,
}

/// One request to make.
pub(crate) struct Call {
    pub method: Method,
    pub url: Url,
    pub body: Option<serde_json::Value>,
    /// The bucket whose headers the answer shows (strict for scans/run).
    pub bucket: Bucket,
    pub safety: Safety,
}

impl Call {
    /// A GET, paced by the default bucket.
    pub fn get(url: Url) -> Self {
        Call {
            method: Method::GET,
            url,
            body: None,
            bucket: Bucket::Default,
            safety: Safety::Idempotent,
        }
    }

    /// A request with a JSON body.
    pub fn with_body(method: Method, url: Url, body: serde_json::Value, safety: Safety) -> Self {
        Call {
            method,
            url,
            body: Some(body),
            bucket: Bucket::Default,
            safety,
        }
    }
}

/// The HTTP side of a client, shared by its clones.
#[derive(Debug)]
pub(crate) struct Transport {
    pub http: reqwest::Client,
    pub key: ApiKey,
    pub budget: RateBudget,
    pub max_retries: u32,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
}

/// A failure before any answer arrived.
enum SendFailure {
    /// The connection was never made: nothing reached the server.
    NotSent(reqwest::Error),
    /// Sent, or maybe sent, and no complete answer came back.
    Lost(reqwest::Error),
}

impl Transport {
    /// Sends `call`, waiting for the budget first, and retrying as the call's
    /// safety allows. Returns any answer with a status (errors included) for
    /// the caller to decode.
    pub async fn execute(&self, call: &Call) -> Result<RawResponse, ApiError> {
        let buckets: &[Bucket] = match call.bucket {
            Bucket::Default => &[Bucket::Default],
            Bucket::Strict => &[Bucket::Default, Bucket::Strict],
        };
        let mut failures = 0u32;
        let mut throttled = 0u32;
        loop {
            let in_flight = self.budget.acquire_in_flight(buckets).await;
            let started = std::time::Instant::now();
            match self.send_once(call).await {
                Ok(raw) => {
                    let now = SystemTime::now();
                    self.budget.record(call.bucket, &raw.headers, now);
                    drop(in_flight);
                    tracing::debug!(
                        method = %call.method,
                        path = call.url.path(),
                        status = raw.status,
                        elapsed_ms = started.elapsed().as_millis() as u64,
                        "answer"
                    );
                    if raw.status == 429 {
                        let wait = Duration::from_secs(envelope::retry_after(&raw).unwrap_or(1));
                        // Every handle holds back, even if this one gives up.
                        self.budget
                            .record_retry_after(call.bucket, wait.min(MAX_RETRY_AFTER), now);
                        if throttled < MAX_THROTTLED && wait <= MAX_RETRY_AFTER {
                            throttled += 1;
                            continue;
                        }
                    } else if raw.status >= 500
                        && call.safety == Safety::Idempotent
                        && failures < self.max_retries
                    {
                        tokio::time::sleep(backoff(failures)).await;
                        failures += 1;
                        continue;
                    }
                    return Ok(raw);
                }
                Err(failure) => {
                    drop(in_flight);
                    let (retryable, err) = match failure {
                        SendFailure::NotSent(e) => (!e.is_builder(), e),
                        SendFailure::Lost(e) => {
                            (call.safety == Safety::Idempotent && !e.is_timeout(), e)
                        }
                    };
                    tracing::debug!(method = %call.method, path = call.url.path(), "request failed");
                    if retryable && failures < self.max_retries {
                        tokio::time::sleep(backoff(failures)).await;
                        failures += 1;
                        continue;
                    }
                    return Err(self.transport_error(call, &err));
                }
            }
        }
    }

    async fn send_once(&self, call: &Call) -> Result<RawResponse, SendFailure> {
        let mut request = self
            .http
            .request(call.method.clone(), call.url.clone())
            .bearer_auth(self.key.expose())
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(body) = &call.body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(|e| {
            if e.is_connect() || e.is_builder() {
                SendFailure::NotSent(e)
            } else {
                SendFailure::Lost(e)
            }
        })?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(SendFailure::Lost)?;
        Ok(RawResponse {
            status,
            headers,
            body: redact_bytes(body.to_vec(), self.key.expose().as_bytes()),
        })
    }

    fn transport_error(&self, call: &Call, err: &reqwest::Error) -> ApiError {
        let host = call.url.host_str().unwrap_or("the server").to_string();
        if err.is_builder() {
            // Never show the cause: it may quote a header, and a header may
            // be the key.
            return ApiError::Config(
                "the request could not be built; check that the API key was copied whole".into(),
            );
        }
        let detail = self.redact(&source_chain(err));
        let tls_words = [
            "certificate",
            "tls",
            "handshake",
            "corrupt message",
            "unknownissuer",
        ];
        let lower = detail.to_ascii_lowercase();
        if err.is_connect() && tls_words.iter().any(|w| lower.contains(w)) {
            return ApiError::Tls { host, detail };
        }
        if err.is_timeout() {
            return if err.is_connect() {
                ApiError::Timeout {
                    what: format!("connecting to {host}"),
                    after: self.connect_timeout,
                }
            } else {
                ApiError::Timeout {
                    what: format!("{} {}", call.method, call.url.path()),
                    after: self.request_timeout,
                }
            };
        }
        if err.is_connect() {
            return ApiError::Connect { host, detail };
        }
        ApiError::Connect {
            host,
            detail: format!("the connection closed before a complete answer ({detail})"),
        }
    }

    /// Removes the key from any text that came from outside. No header is
    /// ever put in an error, but a proxy could echo one in its body.
    pub fn redact(&self, text: &str) -> String {
        text.replace(self.key.expose(), "<redacted>")
    }

    /// [`Self::redact`] applied to every text of an error.
    pub fn redact_error(&self, err: ApiError) -> ApiError {
        match err {
            ApiError::Status(e) => ApiError::Status(StatusError {
                message: self.redact(&e.message),
                code: e.code.map(|c| self.redact(&c)),
                request_id: e.request_id.map(|r| self.redact(&r)),
                ..e
            }),
            ApiError::Decode {
                status,
                detail,
                request_id,
            } => ApiError::Decode {
                status,
                detail: self.redact(&detail),
                request_id: request_id.map(|r| self.redact(&r)),
            },
            other => other,
        }
    }
}

/// The body with every copy of the key replaced by `<redacted>`. A server
/// or a proxy that echoes the key back (in an error, or in data a command
/// prints or exports) must not get it onto a screen, a file or a log: the
/// key is taken out before anything reads the body.
fn redact_bytes(body: Vec<u8>, key: &[u8]) -> Vec<u8> {
    if key.is_empty() {
        return body;
    }
    // A SIMD substring search: every page of an export passes through here.
    let finder = memchr::memmem::Finder::new(key);
    let mut hits = finder.find_iter(&body).peekable();
    if hits.peek().is_none() {
        return body;
    }
    let mut out = Vec::with_capacity(body.len());
    let mut at = 0;
    // The hits do not overlap: the search goes on after each one.
    for hit in hits {
        out.extend_from_slice(&body[at..hit]);
        out.extend_from_slice(b"<redacted>");
        at = hit + key.len();
    }
    out.extend_from_slice(&body[at..]);
    out
}

/// Capped exponential backoff with jitter: attempt 0 waits 100 to 200 ms,
/// attempt 1 200 to 400 ms, and so on up to the cap.
fn backoff(attempt: u32) -> Duration {
    let full = BACKOFF_BASE
        .saturating_mul(1u32 << attempt.min(16))
        .min(BACKOFF_CAP);
    let half = full / 2;
    half + half.mul_f64(rand::random_range(0.0..=1.0))
}

/// Every cause of a transport error, outermost first, without the URL (it
/// says nothing the host does not, and a URL may carry a query).
fn source_chain(err: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source = err.source();
    while let Some(e) = source {
        let text = e.to_string();
        // hyper's wrappers ("client error (Connect)") name no cause.
        let wrapper = text.starts_with("client error (");
        if !wrapper && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = e.source();
    }
    if parts.is_empty() {
        parts.push(err.to_string());
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_copy_of_the_key_is_taken_out_of_a_body() {
        let key = b"kr_live_abc";
        let body = br#"{"error":"bad kr_live_abc","again":"kr_live_abckr_live_abc"}"#.to_vec();
        let out = String::from_utf8(redact_bytes(body, key)).unwrap();
        assert_eq!(
            out,
            r#"{"error":"bad <redacted>","again":"<redacted><redacted>"}"#
        );
        let plain = b"nothing here".to_vec();
        assert_eq!(redact_bytes(plain.clone(), key), plain);
    }
}
