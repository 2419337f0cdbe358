//! Reading answers: the envelope `{data, meta, error}` of a success, and an
//! error from whichever body form the server used (contract section 3).

use std::time::SystemTime;

use reqwest::header::HeaderMap;
use serde::Deserialize;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::Value;

use super::error::{ApiError, StatusError};
use super::model::{ListRow, lenient};
use super::ratelimit::retry_after_secs;
use super::relay;
use crate::sanitize::sanitize;

/// Longest server text kept in a message: enough for any real message, short
/// enough that a whole HTML page never floods the screen.
const MAX_MESSAGE_CHARS: usize = 300;

/// An answer as it came off the wire.
#[derive(Debug)]
pub(crate) struct RawResponse {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

/// `meta` of the envelope.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Meta {
    #[serde(deserialize_with = "lenient::string")]
    pub request_id: Option<String>,
    #[serde(deserialize_with = "lenient::int")]
    pub total: Option<i64>,
    #[serde(deserialize_with = "lenient::string")]
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Envelope<T> {
    data: Option<T>,
    #[serde(default)]
    meta: Option<Meta>,
    #[serde(default)]
    error: Option<Value>,
}

/// The `data` and `meta` of a successful answer.
pub(crate) struct Decoded<T> {
    pub data: T,
    pub meta: Meta,
}

/// Decodes a success. `data: null` is a decode error unless `T` accepts it
/// (lists use `Option<Vec<_>>`).
pub(crate) fn decode<T: DeserializeOwned>(raw: &RawResponse) -> Result<Decoded<T>, ApiError> {
    decode_body(raw, &raw.body)
}

/// [`decode`] for a list page: a row type with a reader of its own
/// ([`ListRow::read_array`]) reads the `data` array from the bytes, and
/// serde reads the rest of the envelope with `data` emptied. Whatever the
/// fast reader does not take goes through [`decode`] whole, so errors are
/// named as for any other answer.
pub(crate) fn decode_list<T: ListRow>(
    raw: &RawResponse,
) -> Result<Decoded<Option<Vec<T>>>, ApiError> {
    if (200..300).contains(&raw.status)
        && let Some((start, end, rows)) = read_data::<T>(&raw.body)
    {
        let mut rest = Vec::with_capacity(raw.body.len() - (end - start) + 2);
        rest.extend_from_slice(&raw.body[..start]);
        rest.extend_from_slice(b"[]");
        rest.extend_from_slice(&raw.body[end..]);
        if let Ok(Decoded { meta, .. }) = decode_body::<Option<Vec<IgnoredAny>>>(raw, &rest) {
            return Ok(Decoded {
                data: Some(rows),
                meta,
            });
        }
    }
    decode(raw)
}

/// The span of the top-level `data` array and its rows, as `T` reads
/// them; `None` when `T` has no reader or the body is anything but an
/// object with one `data` array that the readers take.
fn read_data<T: ListRow>(body: &[u8]) -> Option<(usize, usize, Vec<T>)> {
    let mut i = relay::skip_whitespace(body, 0);
    if body.get(i) != Some(&b'{') {
        return None;
    }
    i = relay::skip_whitespace(body, i + 1);
    let mut found = None;
    while body.get(i) == Some(&b'"') {
        // The envelope's members sit one container deep.
        let key_end = relay::skip(body, i, 1).ok()?;
        let key = &body[i..key_end];
        i = relay::skip_whitespace(body, key_end);
        if body.get(i) != Some(&b':') {
            return None;
        }
        i = relay::skip_whitespace(body, i + 1);
        if key == b"\"data\"" && found.is_none() && body.get(i) == Some(&b'[') {
            let (rows, len) = T::read_array(&body[i..])?;
            found = Some((i, i + len, rows));
            i += len;
        } else {
            // Anything else, a second `data` included, is left to serde.
            i = relay::skip(body, i, 1).ok()?;
        }
        i = relay::skip_whitespace(body, i);
        match body.get(i) {
            Some(b',') => i = relay::skip_whitespace(body, i + 1),
            Some(b'}') => {
                return found.filter(|_| relay::skip_whitespace(body, i + 1) == body.len());
            }
            _ => return None,
        }
    }
    None
}

/// Decodes `body` as the envelope of the answer `raw`.
fn decode_body<T: DeserializeOwned>(
    raw: &RawResponse,
    body: &[u8],
) -> Result<Decoded<T>, ApiError> {
    if !(200..300).contains(&raw.status) {
        return Err(ApiError::Status(status_error(raw)));
    }
    match serde_json::from_slice::<Envelope<T>>(body) {
        Ok(env) => {
            let meta = env.meta.unwrap_or_default();
            if let Some(err) = env.error.filter(|e| !e.is_null()) {
                // A success status with an error inside: trust the error.
                let mut status = status_error(raw);
                status.message = error_message(&err).unwrap_or(status.message);
                status.code = error_code(&err).or(status.code);
                return Err(ApiError::Status(status));
            }
            // `data: null` is fine where `T` allows it (an empty list).
            let data = env.data.or_else(|| T::deserialize(Value::Null).ok());
            match data {
                Some(data) => Ok(Decoded { data, meta }),
                None => Err(decode_error(raw, "the answer carried no data".into())),
            }
        }
        Err(e) => {
            let detail = if looks_like_json(&raw.body) {
                format!("invalid JSON: {e}")
            } else {
                describe_non_json(raw)
            };
            Err(decode_error(raw, detail))
        }
    }
}

fn decode_error(raw: &RawResponse, detail: String) -> ApiError {
    ApiError::Decode {
        status: raw.status,
        detail: clip(&detail),
        request_id: request_id(raw),
    }
}

/// Reads an error answer: envelope error, flat `{"error": "..."}`, flat 429
/// with `retry_after`, or a body that is not JSON at all.
pub(crate) fn status_error(raw: &RawResponse) -> StatusError {
    let json: Option<Value> = serde_json::from_slice(&raw.body).ok();
    let error = json.as_ref().and_then(|v| v.get("error"));
    let message = error
        .and_then(error_message)
        .or_else(|| {
            json.as_ref()
                .and_then(|v| v.get("message"))
                .and_then(Value::as_str)
                .map(clip)
        })
        .unwrap_or_else(|| {
            if raw.body.iter().all(u8::is_ascii_whitespace) {
                reason(raw.status).to_string()
            } else if json.is_some() {
                format!("{} (the error body named no message)", reason(raw.status))
            } else {
                describe_non_json(raw)
            }
        });
    let retry_after = retry_after_secs(&raw.headers, SystemTime::now()).or_else(|| {
        json.as_ref()
            .and_then(|v| v.get("retry_after"))
            .and_then(|v| v.as_f64())
            .filter(|f| *f >= 0.0)
            .map(|f| f.ceil() as u64)
    });
    StatusError {
        status: raw.status,
        code: error.and_then(error_code),
        message,
        request_id: request_id(raw),
        retry_after,
    }
}

/// Seconds of `retry-after` (header first, then the 429 body).
pub(crate) fn retry_after(raw: &RawResponse) -> Option<u64> {
    status_error(raw).retry_after
}

fn error_message(error: &Value) -> Option<String> {
    match error {
        Value::String(s) => Some(clip(s)),
        Value::Object(map) => map
            .get("message")
            .and_then(Value::as_str)
            .or_else(|| map.get("code").and_then(Value::as_str))
            .map(clip),
        _ => None,
    }
}

fn error_code(error: &Value) -> Option<String> {
    error
        .get("code")
        .and_then(Value::as_str)
        .map(|c| clip(c).to_string())
}

/// `meta.request_id` of any JSON body, else the `x-request-id` header.
fn request_id(raw: &RawResponse) -> Option<String> {
    #[derive(Deserialize)]
    struct MetaOnly {
        #[serde(default)]
        meta: Option<Meta>,
        #[serde(flatten)]
        _rest: std::collections::HashMap<String, IgnoredAny>,
    }
    serde_json::from_slice::<MetaOnly>(&raw.body)
        .ok()
        .and_then(|m| m.meta)
        .and_then(|m| m.request_id)
        .or_else(|| {
            raw.headers
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        })
        .map(|id| clip(&id))
}

fn looks_like_json(body: &[u8]) -> bool {
    matches!(
        body.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[')
    )
}

/// A short, safe description of a body that is not JSON, e.g. a proxy's
/// HTML error page.
fn describe_non_json(raw: &RawResponse) -> String {
    let text = String::from_utf8_lossy(&raw.body);
    let content_type = raw
        .headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("no content type");
    let lower = text.to_ascii_lowercase();
    if lower.contains("<html") || lower.contains("<!doctype html") || content_type.contains("html")
    {
        let title = html_title(&text)
            .map(|t| format!(" titled \"{}\"", clip(t.trim())))
            .unwrap_or_default();
        return format!(
            "the server sent an HTML page{title} instead of JSON; a proxy or gateway may be answering"
        );
    }
    if text.trim().is_empty() {
        return format!("an empty body ({content_type})");
    }
    format!(
        "a body that is not JSON ({content_type}): {}",
        clip(text.trim())
    )
}

fn html_title(text: &str) -> Option<&str> {
    let lower = text.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + lower[start..].find('>')? + 1;
    let close = open_end + lower[open_end..].find("</title")?;
    text.get(open_end..close)
}

/// Sanitised and cut to a readable length: server text reaches a terminal.
fn clip(s: &str) -> String {
    let clean = sanitize(s);
    match clean.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((cut, _)) => format!("{}…", &clean[..cut]),
        None => clean.into_owned(),
    }
}

fn reason(status: u16) -> &'static str {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("unexpected status")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(status: u16, body: &str) -> RawResponse {
        RawResponse {
            status,
            headers: HeaderMap::new(),
            body: body.as_bytes().to_vec(),
        }
    }

    /// A row kept as its compact text, read from the page's bytes when the
    /// page is one the fast reader takes; the flag says it was.
    #[derive(Debug, PartialEq)]
    struct Kept(String, bool);

    impl<'de> Deserialize<'de> for Kept {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let v = Value::deserialize(d)?;
            Ok(Kept(v.to_string(), false))
        }
    }

    impl ListRow for Kept {
        fn read_array(raw: &[u8]) -> Option<(Vec<Self>, usize)> {
            let mut rows = Vec::new();
            let end = relay::elements(raw, 0, |at| {
                let mut text = Vec::new();
                let end =
                    relay::relay(raw, at, relay::ROW_DEPTH, relay::Layout::Compact, &mut text)?;
                rows.push(Kept(String::from_utf8(text).unwrap(), true));
                Ok(end)
            })
            .ok()?;
            Some((rows, end))
        }
    }

    fn list(body: &str) -> Result<(Vec<Kept>, Option<i64>), String> {
        decode_list::<Kept>(&raw(200, body))
            .map(|d| (d.data.unwrap_or_default(), d.meta.total))
            .map_err(|e| e.to_string())
    }

    fn serde_list(body: &str) -> Result<(Vec<Kept>, Option<i64>), String> {
        decode::<Option<Vec<Kept>>>(&raw(200, body))
            .map(|d| (d.data.unwrap_or_default(), d.meta.total))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn a_list_page_is_read_from_its_bytes_with_the_meta_serde_reads() {
        for body in [
            r#"{"data":[{"id":"a","n":[1,2.50]},{"id":"b"}],"meta":{"total":7}}"#,
            r#" { "meta" : {"total":7,"x":[{}]} , "data" : [ {"id":"a","n":[1,2.50]} , {"id":"b"} ] } "#,
        ] {
            let (rows, total) = list(body).unwrap();
            assert_eq!(total, Some(7));
            assert!(rows.iter().all(|r| r.1), "read from the bytes: {body}");
            let texts: Vec<_> = rows.iter().map(|r| r.0.as_str()).collect();
            assert_eq!(texts, [r#"{"id":"a","n":[1,2.5]}"#, r#"{"id":"b"}"#]);
        }
        let (rows, _) = list(r#"{"data":[],"meta":{}}"#).unwrap();
        assert!(rows.is_empty());
    }

    #[test]
    fn a_page_the_fast_reader_does_not_take_is_read_and_refused_as_serde_would() {
        for body in [
            // Not JSON at all, or cut off.
            r#"{"data":[{"id":"a"}"#,
            r#"{"data":[{"id":"a"},"#,
            // A finding that is not JSON, another after the list.
            r#"{"data":[{"id":"a",}],"meta":{}}"#,
            r#"{"data":[{"id":"a"}],"meta":{}} trailing"#,
            // `data` twice, `data` not a list, an error inside a success.
            r#"{"data":[{"id":"a"}],"data":[]}"#,
            r#"{"data":{"id":"a"}}"#,
            r#"{"data":[{"id":"a"}],"error":{"code":"boom","message":"it broke"}}"#,
            // A key serde reads as `data`, written with an escape.
            r#"{"data":[{"id":"a"}],"meta":{"total":1}}"#,
            r#"{"data":null,"meta":{"total":0}}"#,
            r#"{"meta":{"total":"x"},"data":[{"id":"a"}]}"#,
            // Nested to serde_json's limit, counted from the top of the
            // answer, and one past it.
            &format!(r#"{{"data":[{}{}]}}"#, "[".repeat(125), "]".repeat(125)),
            &format!(r#"{{"data":[{}{}]}}"#, "[".repeat(126), "]".repeat(126)),
        ] {
            let fast = list(body);
            let slow = serde_list(body);
            assert_eq!(fast.is_ok(), slow.is_ok(), "{body}");
            match (fast, slow) {
                (Ok((f, ft)), Ok((s, st))) => {
                    assert_eq!(ft, st, "{body}");
                    let texts =
                        |rows: &[Kept]| rows.iter().map(|r| r.0.clone()).collect::<Vec<_>>();
                    assert_eq!(texts(&f), texts(&s), "{body}");
                }
                (Err(f), Err(s)) => assert_eq!(f, s, "{body}"),
                _ => unreachable!(),
            }
        }
    }

    #[test]
    fn envelope_error_keeps_code_message_and_request_id() {
        let e = status_error(&raw(
            422,
            r#"{"data":null,"meta":{"request_id":"R1"},"error":{"code":"invalid_transition","message":"allowed: triaged"}}"#,
        ));
        assert_eq!(e.code.as_deref(), Some("invalid_transition"));
        assert_eq!(e.message, "allowed: triaged");
        assert_eq!(e.request_id.as_deref(), Some("R1"));
    }

    #[test]
    fn flat_429_gives_retry_after() {
        let e = status_error(&raw(
            429,
            r#"{"error":"Rate limit exceeded","retry_after":7}"#,
        ));
        assert_eq!(e.message, "Rate limit exceeded");
        assert_eq!(e.retry_after, Some(7));
    }

    #[test]
    fn html_page_is_described_by_its_title() {
        let e = status_error(&raw(
            502,
            "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
        ));
        assert!(
            e.message.contains("HTML page titled \"502 Bad Gateway\""),
            "{}",
            e.message
        );
    }

    #[test]
    fn null_data_is_an_empty_list_but_no_object() {
        let body = r#"{"data":null,"meta":{"total":0},"error":null}"#;
        let list: Decoded<Option<Vec<Value>>> = decode(&raw(200, body)).unwrap();
        assert_eq!(list.data, None);
        assert_eq!(list.meta.total, Some(0));
        let err = decode::<std::collections::HashMap<String, Value>>(&raw(200, body));
        assert!(err.is_err());
    }

    #[test]
    fn server_text_is_made_inert() {
        let e = status_error(&raw(400, "{\"error\":\"bad\\u001b[2J\"}"));
        assert!(!e.message.contains('\u{1b}'));
    }

    mod fuzz {
        use super::*;
        use crate::api::model::{CommandCenter, Finding};
        use proptest::prelude::*;

        fn config() -> ProptestConfig {
            ProptestConfig {
                cases: 256,
                failure_persistence: None,
                ..ProptestConfig::default()
            }
        }

        /// Bodies a server, a proxy or a broken network may send: envelopes
        /// with wrong types, flat errors, HTML, cut-off JSON, bytes.
        fn body() -> impl Strategy<Value = Vec<u8>> {
            prop_oneof![
                prop::collection::vec(any::<u8>(), 0..200),
                "[{}\\[\\]\":,a-z0-9 .-]{0,80}".prop_map(String::into_bytes),
                (
                    prop::sample::select(vec![
                        "null",
                        "1",
                        "\"x\"",
                        "[]",
                        "{}",
                        "[1,\"a\"]",
                        "{\"id\":5}"
                    ]),
                    prop::sample::select(vec![
                        "null",
                        "{}",
                        "{\"request_id\":7}",
                        "{\"total\":\"x\"}",
                        "[]"
                    ]),
                    prop::sample::select(vec![
                        "null",
                        "\"boom\"",
                        "{\"code\":1}",
                        "{\"message\":[]}",
                        "3"
                    ]),
                )
                    .prop_map(|(d, m, e)| {
                        format!("{{\"data\":{d},\"meta\":{m},\"error\":{e}}}").into_bytes()
                    }),
                ".{0,40}".prop_map(|t| format!("<html><title>{t}</title></html>").into_bytes()),
            ]
        }

        proptest! {
            #![proptest_config(config())]

            /// Any status and body decodes or fails with an error; an error's
            /// message is short and inert whatever the body held.
            #[test]
            fn any_answer_decodes_or_is_an_error(status in 100u16..600, body in body()) {
                let raw = RawResponse { status, headers: HeaderMap::new(), body };
                let _ = decode::<Finding>(&raw);
                let _ = decode::<CommandCenter>(&raw);
                let _ = decode::<Option<Vec<Finding>>>(&raw);
                let e = status_error(&raw);
                prop_assert!(e.message.chars().count() <= MAX_MESSAGE_CHARS + 1);
                prop_assert!(!e.message.chars().any(|c| c.is_control()), "{:?}", e.message);
            }

            /// A list page read from its bytes gives what serde gives: the
            /// same rows, or the same error.
            #[test]
            fn a_list_read_from_its_bytes_is_what_serde_reads(status in 100u16..600, body in body()) {
                let raw = RawResponse { status, headers: HeaderMap::new(), body };
                let texts = |d: Decoded<Option<Vec<Kept>>>| {
                    let rows = d.data.unwrap_or_default();
                    (rows.into_iter().map(|r| r.0).collect::<Vec<_>>(), d.meta.total)
                };
                let fast = decode_list::<Kept>(&raw).map(texts).map_err(|e| e.to_string());
                let slow = decode::<Option<Vec<Kept>>>(&raw).map(texts).map_err(|e| e.to_string());
                prop_assert_eq!(fast, slow);
            }
        }
    }
}
