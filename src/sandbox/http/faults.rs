//! Fault mode on the wire (see [`crate::sandbox::chaos`]): runs between the
//! request id and the routes, so a fault answer carries a request id and
//! the rate-limit headers like any other, and a fault decided before the
//! handler leaves the store untouched. Two faults come after the handler,
//! as they only can on a real network: `reset_after`, and the `garbage`
//! that cuts a real answer off mid-body.

use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::conn::CutHandle;
use super::envelope::{self, Failure, RequestId};
use super::state::ServerState;
use crate::sandbox::chaos::Fault;

/// What a chaos 429 asks the client to wait, in seconds.
const RETRY_AFTER: u64 = 1;

/// Applies the fault fault mode picks for this request, if any.
pub async fn inject(State(state): State<ServerState>, req: Request, next: Next) -> Response {
    let Some(chaos) = state.chaos.as_deref() else {
        return next.run(req).await;
    };
    let decision = chaos.decide();
    if let Some(delay) = decision.delay {
        tokio::time::sleep(delay).await;
    }
    let Some(fault) = decision.fault else {
        return next.run(req).await;
    };
    let rid = req
        .extensions()
        .get::<RequestId>()
        .cloned()
        .unwrap_or_else(RequestId::fresh);
    let cut = req
        .extensions()
        .get::<ConnectInfo<CutHandle>>()
        .map(|c| c.0.clone());
    tracing::info!(fault = fault.name(), request_id = %rid.0, "injected fault");
    match fault {
        Fault::ServerError => Failure::new(
            &rid,
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the sandbox failed this request on purpose (fault mode, --chaos); nothing was \
             changed, so it is safe to try again",
        )
        .into_response(),
        Fault::TooManyRequests => too_many(&state),
        Fault::Reset => {
            if let Some(cut) = cut {
                cut.cut();
            }
            // Never sent: the connection fails as the server writes it.
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
        Fault::ResetAfter => {
            let response = next.run(req).await;
            if let Some(cut) = cut {
                cut.cut();
            }
            response
        }
        // A cut-off answer is the service's own: it ran.
        Fault::Garbage if decision.variant == 0 => cut_off(next.run(req).await).await,
        Fault::Garbage => proxy_page(),
    }
}

/// A 429 as the contract writes it: flat body and `retry-after` that agree,
/// and a spent default bucket in the `x-ratelimit-*` headers.
fn too_many(state: &ServerState) -> Response {
    let mut response = envelope::rate_limited(RETRY_AFTER);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let limit = state.limits.peek(None).map_or(100, |s| s.limit);
    let headers = response.headers_mut();
    headers.insert("x-ratelimit-limit", HeaderValue::from(limit));
    headers.insert("x-ratelimit-remaining", HeaderValue::from(0u32));
    headers.insert("x-ratelimit-reset", HeaderValue::from(now + RETRY_AFTER));
    response
}

/// The handler's answer with its body cut off half-way, as a connection
/// that breaks mid-answer leaves it: same status and headers, a JSON
/// envelope no client can decode. The change, if any, was applied.
async fn cut_off(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let half = bytes.slice(..bytes.len() / 2);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(half))
}

/// The HTML error page of a proxy in front of the API, decided before the
/// request reaches the service: nothing was applied.
fn proxy_page() -> Response {
    (
        StatusCode::BAD_GATEWAY,
        [(header::CONTENT_TYPE, "text/html")],
        "<html><head><title>502 Bad Gateway</title></head><body><center>\
         <h1>502 Bad Gateway</h1></center></body></html>",
    )
        .into_response()
}
