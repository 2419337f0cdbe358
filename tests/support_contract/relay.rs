//! A relay on 127.0.0.1:0 that forwards every request to the sandbox and
//! records what it forwarded, so tests can count what reached the server
//! (and what it answered) without changing either side.

use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

/// One request that reached the sandbox, and its answer.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    /// Path and query.
    pub path: String,
    pub status: u16,
    /// The answer's headers as the sandbox sent them.
    pub headers: HeaderMap,
    pub at: SystemTime,
}

impl Seen {
    /// A header of the answer as a number.
    pub fn number(&self, name: &str) -> Option<u64> {
        self.headers.get(name)?.to_str().ok()?.parse().ok()
    }
}

#[derive(Clone)]
struct Upstream {
    base: String,
    http: reqwest::Client,
    seen: Arc<Mutex<Vec<Seen>>>,
}

/// The relay's address and its record.
pub struct Relay {
    /// e.g. `http://127.0.0.1:40001/api/v1`.
    pub base_url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Relay {
    /// Relays to the server at `upstream` (`http://host:port`, no path).
    pub async fn start(upstream: std::net::SocketAddr) -> Relay {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let state = Upstream {
            base: format!("http://{upstream}"),
            http: reqwest::Client::new(),
            seen: Arc::clone(&seen),
        };
        let app = Router::new().fallback(forward).with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free loopback port");
        let addr = listener.local_addr().expect("a bound address");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Relay {
            base_url: format!("http://{addr}/api/v1"),
            seen,
        }
    }

    /// Everything forwarded so far, in order of answer.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// How many requests with this status reached the sandbox.
    pub fn count_status(&self, status: u16) -> usize {
        self.seen().iter().filter(|s| s.status == status).count()
    }
}

async fn forward(State(up): State<Upstream>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let path = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    let Ok(body) = to_bytes(body, 1 << 20).await else {
        return status_only(StatusCode::BAD_REQUEST);
    };
    let mut outgoing = up
        .http
        .request(parts.method.clone(), format!("{}{path}", up.base))
        .body(body.to_vec());
    for name in ["authorization", "content-type", "accept"] {
        if let Some(value) = parts.headers.get(name) {
            outgoing = outgoing.header(name, value);
        }
    }
    let Ok(answer) = outgoing.send().await else {
        return status_only(StatusCode::BAD_GATEWAY);
    };
    let status = answer.status();
    let headers = answer.headers().clone();
    let bytes = answer.bytes().await.unwrap_or_default();
    up.seen
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(Seen {
            method: parts.method.to_string(),
            path,
            status: status.as_u16(),
            headers: headers.clone(),
            at: SystemTime::now(),
        });
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    for (name, value) in &headers {
        // The relay sets its own framing.
        if !matches!(
            name.as_str(),
            "content-length" | "transfer-encoding" | "connection"
        ) {
            response.headers_mut().insert(name.clone(), value.clone());
        }
    }
    response
}

fn status_only(status: StatusCode) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
}
