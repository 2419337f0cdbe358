//! Fault mode on the wire (see [`crate::sandbox::chaos`]): runs between the
//! request id and the routes, so a fault answer carries a request id and
//! the rate-limit headers like any other, and a fault decided before the
//! handler leaves the store untouched.

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
        Fault::Garbage => garbage(decision.variant),
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

/// A body no client can decode: a JSON envelope cut off mid-way, or the
/// HTML error page of a proxy in front of the API.
fn garbage(variant: u8) -> Response {
    if variant == 0 {
        (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            r#"{"data":{"id":"3f2c9a1e-"#,
        )
            .into_response()
    } else {
        (
            StatusCode::BAD_GATEWAY,
            [(header::CONTENT_TYPE, "text/html")],
            "<html><head><title>502 Bad Gateway</title></head><body><center>\
             <h1>502 Bad Gateway</h1></center></body></html>",
        )
            .into_response()
    }
}
