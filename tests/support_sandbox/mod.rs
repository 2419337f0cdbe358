//! Raw HTTP against a sandbox on an ephemeral loopback port: tests speak
//! reqwest and serde_json only, so they check the wire, not a client.

#![allow(dead_code)]

pub mod fixture;

use std::time::{Duration, Instant};

use krafter::sandbox::{RunningSandbox, SandboxOptions, spawn};
use reqwest::header::HeaderMap;
use serde_json::Value;

/// One answer: status, headers, body as JSON (Null when not JSON).
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Reply {
    /// A header as text.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }

    /// The envelope's error code.
    pub fn code(&self) -> Option<&str> {
        self.body["error"]["code"].as_str()
    }

    /// Asserts the envelope carries a request id.
    pub fn assert_request_id(&self) {
        let id = self.body["meta"]["request_id"].as_str().unwrap_or("");
        assert!(!id.is_empty(), "no meta.request_id in {}", self.body);
    }
}

/// A running sandbox and a client for one of its projects.
pub struct Api {
    pub sandbox: RunningSandbox,
    pub http: reqwest::Client,
    pub project: String,
    pub key: String,
}

impl Api {
    /// Starts a sandbox with `options`, addressing its first project.
    pub async fn start(options: SandboxOptions) -> Api {
        let sandbox = spawn(options).await.expect("sandbox starts");
        Api {
            project: sandbox.projects[0].clone(),
            key: sandbox.write_key.clone(),
            http: reqwest::Client::new(),
            sandbox,
        }
    }

    /// The audit URL of `path` in the current project.
    pub fn url(&self, path: &str) -> String {
        format!(
            "{}/orgs/{}/projects/{}/audit{}",
            self.sandbox.base_url, self.sandbox.org_id, self.project, path
        )
    }

    /// Sends `method path` with `key` and an optional raw body.
    pub async fn send_raw(
        &self,
        method: &str,
        url: &str,
        key: Option<&str>,
        body: Option<String>,
    ) -> Reply {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self.http.request(method, url);
        if let Some(key) = key {
            req = req.bearer_auth(key);
        }
        if let Some(body) = body {
            req = req.header("content-type", "application/json").body(body);
        }
        let resp = req.send().await.expect("the sandbox answers");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = resp.text().await.unwrap_or_default();
        Reply {
            status,
            headers,
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
        }
    }

    /// `GET` in another project of the org.
    pub async fn get_in(&self, project: &str, path: &str) -> Reply {
        let url = format!(
            "{}/orgs/{}/projects/{project}/audit{path}",
            self.sandbox.base_url, self.sandbox.org_id
        );
        self.send_raw("GET", &url, Some(&self.key), None).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send_raw("GET", &self.url(path), Some(&self.key), None)
            .await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send_raw(
            "POST",
            &self.url(path),
            Some(&self.key),
            Some(body.to_string()),
        )
        .await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        self.send_raw(
            "PATCH",
            &self.url(path),
            Some(&self.key),
            Some(body.to_string()),
        )
        .await
    }

    pub async fn put(&self, path: &str, body: Value) -> Reply {
        self.send_raw(
            "PUT",
            &self.url(path),
            Some(&self.key),
            Some(body.to_string()),
        )
        .await
    }

    /// Follows a cursor list to its end; returns every row and the
    /// `meta.total` of each page.
    pub async fn all_pages(&self, path: &str, limit: usize) -> (Vec<Value>, Vec<u64>) {
        let mut rows = Vec::new();
        let mut totals = Vec::new();
        let mut cursor: Option<String> = None;
        let sep = if path.contains('?') { '&' } else { '?' };
        loop {
            let mut url = format!("{path}{sep}limit={limit}");
            if let Some(c) = &cursor {
                url.push_str(&format!("&cursor={c}"));
            }
            let page = self.get(&url).await;
            assert_eq!(page.status, 200, "{}", page.body);
            let items = page.body["data"].as_array().expect("a list").clone();
            assert!(items.len() <= limit);
            rows.extend(items);
            totals.push(page.body["meta"]["total"].as_u64().expect("meta.total"));
            match page.body["meta"]["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_string()),
                None => break,
            }
            assert!(rows.len() < 10_000, "pagination does not end");
        }
        (rows, totals)
    }

    /// Polls `path` until `done(body.data)` or the deadline.
    pub async fn poll_until(&self, path: &str, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let reply = self.get(path).await;
            assert_eq!(reply.status, 200, "{}", reply.body);
            if done(&reply.body["data"]) {
                return reply.body["data"].clone();
            }
            assert!(
                Instant::now() < deadline,
                "timed out polling {path}: {}",
                reply.body
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
