//! The envelope of contract section 3, the flat auth and rate-limit bodies,
//! and the request id every response carries.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde::Serialize;
use serde_json::value::{RawValue, to_raw_value};
use serde_json::{Map, Value, json};

use crate::sandbox::store::StoreError;

/// `meta.request_id` of one request (also sent as `x-request-id`).
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

impl RequestId {
    /// A fresh id: 20 url-safe characters.
    pub fn fresh() -> Self {
        let bytes: [u8; 15] = rand::random();
        RequestId(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
    }
}

/// A success in the envelope, with extra `meta` fields (`total`, `next_cursor`).
pub fn success(
    rid: &RequestId,
    status: StatusCode,
    data: Value,
    meta: Map<String, Value>,
) -> Response {
    enveloped(rid, status, data, meta)
}

/// `data` already encoded as JSON text.
pub struct RawJson(Box<RawValue>);

impl RawJson {
    /// Encodes `value`: types of the wire form always encode.
    pub fn encode<T: Serialize>(value: &T) -> Self {
        RawJson(to_raw_value(value).expect("the wire form encodes as JSON"))
    }
}

/// [`success`] for data already encoded.
pub fn success_raw(
    rid: &RequestId,
    status: StatusCode,
    data: RawJson,
    meta: Map<String, Value>,
) -> Response {
    enveloped(rid, status, data.0, meta)
}

fn enveloped<D: Serialize>(
    rid: &RequestId,
    status: StatusCode,
    data: D,
    mut meta: Map<String, Value>,
) -> Response {
    /// `{data, meta, error}`, in that order.
    #[derive(Serialize)]
    struct Envelope<D> {
        data: D,
        meta: Map<String, Value>,
        error: (),
    }
    meta.insert("request_id".into(), Value::String(rid.0.clone()));
    (
        status,
        Json(Envelope {
            data,
            meta,
            error: (),
        }),
    )
        .into_response()
}

/// An error in the envelope.
#[derive(Debug)]
pub struct Failure {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub request_id: String,
}

impl Failure {
    /// A failure with this status and machine code.
    pub fn new(
        rid: &RequestId,
        status: StatusCode,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Failure {
            status,
            code,
            message: message.into(),
            request_id: rid.0.clone(),
        }
    }

    /// 400 `bad_request`: malformed JSON or a field of the wrong type.
    pub fn bad_request(rid: &RequestId, message: impl Into<String>) -> Self {
        Failure::new(rid, StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// 422 `invalid_params`.
    pub fn invalid(rid: &RequestId, message: impl Into<String>) -> Self {
        Failure::new(
            rid,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_params",
            message,
        )
    }

    /// 404 `not_found`.
    pub fn not_found(rid: &RequestId, message: impl Into<String>) -> Self {
        Failure::new(rid, StatusCode::NOT_FOUND, "not_found", message)
    }

    /// The failure a store refusal maps to.
    pub fn from_store(rid: &RequestId, e: StoreError) -> Self {
        let (status, code) = match &e {
            StoreError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            StoreError::InvalidParams(_) => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_params"),
            StoreError::InvalidTransition(_) => {
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid_transition")
            }
            StoreError::VerificationNotPassed(_) => {
                (StatusCode::UNPROCESSABLE_ENTITY, "verification_not_passed")
            }
        };
        Failure::new(rid, status, code, e.to_string())
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body = json!({
            "data": null,
            "meta": {"request_id": self.request_id},
            "error": {"code": self.code, "message": self.message},
        });
        (self.status, Json(body)).into_response()
    }
}

/// 401, flat.
pub fn unauthorized() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        Json(json!({"error": "Invalid or missing API key"})),
    )
        .into_response()
}

/// 403, flat.
pub fn forbidden() -> Response {
    (
        StatusCode::FORBIDDEN,
        Json(json!({"error": "Insufficient scope"})),
    )
        .into_response()
}

/// 429, flat, agreeing with its `retry-after` header.
pub fn rate_limited(retry_after: u64) -> Response {
    let mut response = (
        StatusCode::TOO_MANY_REQUESTS,
        Json(json!({"error": "Rate limit exceeded", "retry_after": retry_after})),
    )
        .into_response();
    response
        .headers_mut()
        .insert("retry-after", axum::http::HeaderValue::from(retry_after));
    response
}

/// `meta` of a cursor list.
pub fn cursor_meta(total: usize, next_cursor: Option<String>) -> Map<String, Value> {
    let mut meta = Map::new();
    meta.insert("total".into(), json!(total));
    meta.insert("next_cursor".into(), json!(next_cursor));
    meta
}
