//! A recorded response: everything the rules look at, and nothing that
//! needs the network. Rules are pure functions of a [`Page`].

use std::time::Duration;

use reqwest::header::HeaderMap;
use scraper::Html;

/// What the plain-http variant of the URL did (the http→https check).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlainHttp {
    /// It answered with a redirect to this https URL.
    RedirectsToHttps { to: String },
    /// It answered (after any http-only redirects) without moving to https.
    Serves { url: String, status: u16 },
    /// It could not be fetched at all; the reason.
    Failed { url: String, reason: String },
}

/// One fetched response as the checks see it.
#[derive(Clone, Debug)]
pub struct Page {
    /// The URL the scan was asked for.
    pub requested_url: String,
    /// The URL that finally answered, after redirects.
    pub final_url: String,
    /// The status of the final response.
    pub status: u16,
    /// The final response's headers, exactly as sent (no decoding applied).
    pub headers: HeaderMap,
    /// The body, decoded from any Content-Encoding, at most the body cap.
    pub body: Vec<u8>,
    /// Bytes received on the wire for the body (before decoding).
    pub wire_bytes: usize,
    /// The body was longer than the cap and was cut off.
    pub truncated: bool,
    /// Time from sending the final request to receiving its headers.
    pub ttfb: Duration,
    /// The result of the plain-http variant.
    pub plain_http: PlainHttp,
}

impl Page {
    /// Every value of a header, joined the way HTTP folds repeated headers.
    pub fn header(&self, name: &str) -> Option<String> {
        let values: Vec<&str> = self
            .headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::trim)
            .collect();
        if values.is_empty() {
            None
        } else {
            Some(values.join(", "))
        }
    }

    /// Every value of a header, one per line it was sent on.
    pub fn header_values(&self, name: &str) -> Vec<String> {
        self.headers
            .get_all(name)
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_string())
            .collect()
    }

    /// The media type without parameters, lower-cased (`text/html`).
    pub fn media_type(&self) -> Option<String> {
        self.header("content-type").map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
    }

    /// Whether the response is an HTML document.
    pub fn is_html(&self) -> bool {
        match self.media_type() {
            Some(t) => t == "text/html" || t == "application/xhtml+xml",
            // Without a Content-Type, sniff the way browsers would.
            None => {
                let start = String::from_utf8_lossy(&self.body[..self.body.len().min(512)])
                    .trim_start()
                    .to_ascii_lowercase();
                start.starts_with("<!doctype html") || start.starts_with("<html")
            }
        }
    }

    /// The parsed document, when the response is HTML.
    pub fn document(&self) -> Option<Html> {
        self.is_html()
            .then(|| Html::parse_document(&String::from_utf8_lossy(&self.body)))
    }

    /// Whether the final response came over https.
    pub fn is_https(&self) -> bool {
        self.final_url.starts_with("https://")
    }
}

#[cfg(test)]
impl Page {
    /// A recorded https page with these headers and body, fetched quickly,
    /// whose plain-http variant redirects to it.
    pub(crate) fn sample(headers: &[(&'static str, &str)], body: &str) -> Page {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            if let Ok(v) = reqwest::header::HeaderValue::from_str(value) {
                map.append(*name, v);
            }
        }
        Page {
            requested_url: "https://example.com/".into(),
            final_url: "https://example.com/".into(),
            status: 200,
            headers: map,
            body: body.as_bytes().to_vec(),
            wire_bytes: body.len(),
            truncated: false,
            ttfb: Duration::from_millis(50),
            plain_http: PlainHttp::RedirectsToHttps {
                to: "https://example.com/".into(),
            },
        }
    }
}
