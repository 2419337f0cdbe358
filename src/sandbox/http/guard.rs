//! What runs before every handler: the request id (and a 500 for a handler
//! that panicked), then on audit routes the key check, the team's rate
//! limits and the scope check. The key itself is never logged.

use std::panic::AssertUnwindSafe;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures::FutureExt;

use super::envelope::{self, Failure, RequestId};
use super::state::ServerState;
use crate::sandbox::options::Scope;
use crate::sandbox::ratelimit::RateStatus;

/// Gives each request its id, answers 500 in the envelope if the handler
/// panicked, and logs method, path and status.
pub async fn request_id(mut req: Request, next: Next) -> Response {
    let rid = RequestId::fresh();
    req.extensions_mut().insert(rid.clone());
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let mut response = match AssertUnwindSafe(next.run(req)).catch_unwind().await {
        Ok(response) => response,
        Err(_) => Failure::new(
            &rid,
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the sandbox failed while handling this request; try again, and report it if it persists",
        )
        .into_response(),
    };
    if let Ok(value) = HeaderValue::from_str(&rid.0) {
        response.headers_mut().insert("x-request-id", value);
    }
    tracing::info!(%method, %path, status = response.status().as_u16(), request_id = %rid.0, "request");
    response
}

/// The bearer token of a request, if it has one.
fn bearer(req: &Request) -> Option<&str> {
    req.headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            // The scheme is case-insensitive (RFC 9110); the key is not.
            let (scheme, key) = v.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then_some(key.trim())
        })
}

/// Contract section 4: every response carries the `x-ratelimit-*` headers,
/// not only those of routes that counted a request. Answers that spent
/// nothing (a 401, an unknown route, an injected fault) show the caller's
/// default bucket as it stands, or a fresh window for an unknown caller.
pub async fn rate_headers(State(state): State<ServerState>, req: Request, next: Next) -> Response {
    let team = bearer(&req)
        .and_then(|t| state.keys.grant(t))
        .map(|g| g.team);
    let mut response = next.run(req).await;
    if !response.headers().contains_key("x-ratelimit-limit")
        && let Some(status) = state.limits.peek(team)
    {
        set_rate_headers(&mut response, &status);
    }
    response
}

pub(super) fn set_rate_headers(response: &mut Response, status: &RateStatus) {
    let headers = response.headers_mut();
    headers.insert("x-ratelimit-limit", HeaderValue::from(status.limit));
    headers.insert("x-ratelimit-remaining", HeaderValue::from(status.remaining));
    headers.insert("x-ratelimit-reset", HeaderValue::from(status.reset));
}

/// Key check (401), rate limits (429), scope check (403).
pub async fn authorize(State(state): State<ServerState>, mut req: Request, next: Next) -> Response {
    let Some(grant) = bearer(&req).and_then(|t| state.keys.grant(t)) else {
        return envelope::unauthorized();
    };
    // Inside the nested audit router the path is the part below `/audit`.
    let strict = req.method() == Method::POST && req.uri().path().ends_with("/scans/run");
    let rate = state.limits.check(grant.team, strict);
    if let Some(status) = &rate
        && let Some(wait) = status.retry_after
    {
        let mut response = envelope::rate_limited(wait);
        set_rate_headers(&mut response, status);
        return response;
    }
    let writes = !matches!(*req.method(), Method::GET | Method::HEAD);
    let mut response = if writes && grant.scope == Scope::Read {
        envelope::forbidden()
    } else {
        req.extensions_mut().insert(grant);
        next.run(req).await
    };
    if let Some(status) = &rate {
        set_rate_headers(&mut response, status);
    }
    response
}
