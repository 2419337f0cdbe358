//! A scripted HTTP server on 127.0.0.1:0 for the client's tests: it answers
//! with queued replies (status, headers, body, or a dropped connection) and
//! records every request it got.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use krafter::api::{ApiKey, Client, ClientSettings};
use serde_json::{Value, json};

/// The key the tests use: distinctive, so a leak is easy to spot.
pub const KEY: &str = "kr_live_SECRETxKEYxMUSTxNEVERxLEAKx0123456789abc";

/// One scripted reply.
#[derive(Clone, Debug)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
}

impl Reply {
    /// A reply with a raw body.
    pub fn raw(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Reply {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: Some(body.into()),
        }
    }

    /// A JSON reply.
    pub fn json(status: u16, body: Value) -> Self {
        Reply::raw(status, "application/json", body.to_string())
    }

    /// A success envelope.
    pub fn data(status: u16, data: Value, meta: Value) -> Self {
        Reply::json(status, json!({"data": data, "meta": meta, "error": null}))
    }

    /// An envelope error.
    pub fn error(status: u16, code: &str, message: &str, request_id: &str) -> Self {
        Reply::json(
            status,
            json!({"data": null, "meta": {"request_id": request_id},
                   "error": {"code": code, "message": message}}),
        )
    }

    /// The connection is closed without an answer.
    pub fn drop_connection() -> Self {
        Reply {
            status: 200,
            headers: Vec::new(),
            body: None,
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: impl ToString) -> Self {
        self.headers.push((name.into(), value.to_string()));
        self
    }

    /// Adds `x-ratelimit-*` headers.
    pub fn rate(self, limit: u32, remaining: u32, reset_unix: u64) -> Self {
        self.header("x-ratelimit-limit", limit)
            .header("x-ratelimit-remaining", remaining)
            .header("x-ratelimit-reset", reset_unix)
    }
}

/// A request the server got.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: Method,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    pub at: SystemTime,
}

impl Recorded {
    /// A query parameter's value.
    pub fn param(&self, name: &str) -> Option<String> {
        let query = self.query.as_deref()?;
        url::form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }

    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

#[derive(Default)]
struct Script {
    replies: VecDeque<Reply>,
    requests: Vec<Recorded>,
}

/// The running server. It stops when the test's runtime ends.
pub struct ScriptedServer {
    pub base_url: String,
    script: Arc<Mutex<Script>>,
}

impl ScriptedServer {
    /// Starts on an ephemeral loopback port.
    pub async fn start() -> Self {
        let script = Arc::new(Mutex::new(Script::default()));
        let app = Router::new().fallback(answer).with_state(script.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        ScriptedServer {
            base_url: format!("http://{addr}/api/v1"),
            script,
        }
    }

    /// Queues a reply.
    pub fn push(&self, reply: Reply) -> &Self {
        self.script.lock().unwrap().replies.push_back(reply);
        self
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.script.lock().unwrap().requests.clone()
    }

    /// Settings for a client of this server, with [`KEY`], short timeouts
    /// and the given retries.
    pub fn settings(&self, max_retries: u32) -> ClientSettings {
        let key = ApiKey::new(KEY).unwrap();
        let mut s = ClientSettings::new(&self.base_url, "org-1", "proj-1", key);
        s.max_retries = max_retries;
        s.connect_timeout = Duration::from_secs(5);
        s.request_timeout = Duration::from_secs(10);
        s
    }

    /// A client of this server with two retries.
    pub fn client(&self) -> Client {
        Client::new(self.settings(2)).expect("client")
    }

    /// Waits until `n` requests arrived, or fails after a generous deadline.
    pub async fn wait_for_requests(&self, n: usize) -> Vec<Recorded> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let got = self.requests();
            if got.len() >= n || Instant::now() > deadline {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

/// The audit path of a route under the test org and project.
pub fn audit(path: &str) -> String {
    format!("/api/v1/orgs/org-1/projects/proj-1/audit{path}")
}

/// Now as Unix seconds.
pub fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

/// A fixture file of tests/fixtures.
pub fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("fixture");
    serde_json::from_str(&text).expect("fixture is JSON")
}

async fn answer(
    State(script): State<Arc<Mutex<Script>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let reply = {
        let mut s = script.lock().unwrap();
        s.requests.push(Recorded {
            method,
            path: uri.path().to_string(),
            query: uri.query().map(str::to_string),
            headers,
            body: body.to_vec(),
            at: SystemTime::now(),
        });
        s.replies.pop_front()
    };
    let Some(reply) = reply else {
        return Response::builder()
            .status(StatusCode::IM_A_TEAPOT)
            .body(Body::from("no scripted reply left"))
            .unwrap();
    };
    let mut builder = Response::builder().status(reply.status);
    for (k, v) in &reply.headers {
        builder = builder.header(k, v);
    }
    let body = match reply.body {
        Some(bytes) => Body::from(bytes),
        // A body that fails before its first byte makes the server abort
        // the connection before the status line is flushed.
        None => Body::from_stream(futures::stream::once(async {
            Err::<Bytes, std::io::Error>(std::io::Error::other("scripted drop"))
        })),
    };
    builder.body(body).unwrap()
}
