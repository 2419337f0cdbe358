//! Reading request bodies and query strings the contract's way: malformed
//! JSON or a wrong type is 400 `bad_request`; a well-typed but invalid
//! value is 422 `invalid_params`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::envelope::{Failure, RequestId};
use crate::sandbox::store::PageRequest;

/// Default and maximum page sizes.
pub const DEFAULT_LIMIT: usize = 50;
pub const MAX_LIMIT: usize = 100;

/// A JSON object body.
pub struct Body<'a> {
    map: Map<String, Value>,
    rid: &'a RequestId,
}

impl<'a> Body<'a> {
    /// Parses `bytes` as a JSON object; an empty body is `{}` when
    /// `empty_ok`.
    pub fn parse(rid: &'a RequestId, bytes: &[u8], empty_ok: bool) -> Result<Self, Failure> {
        if bytes.iter().all(u8::is_ascii_whitespace) && empty_ok {
            return Ok(Body {
                map: Map::new(),
                rid,
            });
        }
        match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(map)) => Ok(Body { map, rid }),
            Ok(_) => Err(Failure::bad_request(rid, "the body must be a JSON object")),
            Err(e) => Err(Failure::bad_request(
                rid,
                format!("the body is not valid JSON ({e}); send a JSON object"),
            )),
        }
    }

    /// True when the body names `key` (even as null).
    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// The raw value of `key`.
    pub fn value(&self, key: &str) -> Option<&Value> {
        self.map.get(key)
    }

    /// A string field; absent or null is `None`, another type is 400.
    pub fn string(&self, key: &str) -> Result<Option<String>, Failure> {
        match self.map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(Failure::bad_request(
                self.rid,
                format!("{key} must be a string"),
            )),
        }
    }

    /// A required, non-empty string field.
    pub fn required(&self, key: &str) -> Result<String, Failure> {
        match self.string(key)? {
            Some(s) if !s.trim().is_empty() => Ok(s),
            _ => Err(Failure::invalid(self.rid, format!("{key} is required"))),
        }
    }

    /// A field that may be set to null: absent is `None`, null is
    /// `Some(None)`.
    pub fn nullable(&self, key: &str) -> Result<Option<Option<String>>, Failure> {
        match self.map.get(key) {
            None => Ok(None),
            Some(Value::Null) => Ok(Some(None)),
            Some(Value::String(s)) => Ok(Some(Some(s.clone()))),
            Some(_) => Err(Failure::bad_request(
                self.rid,
                format!("{key} must be a string or null"),
            )),
        }
    }

    /// A nullable user id.
    pub fn nullable_uuid(&self, key: &str) -> Result<Option<Option<Uuid>>, Failure> {
        match self.nullable(key)? {
            None => Ok(None),
            Some(None) => Ok(Some(None)),
            Some(Some(raw)) => Ok(Some(Some(uuid(self.rid, key, &raw)?))),
        }
    }

    /// A nullable RFC 3339 time.
    pub fn nullable_time(&self, key: &str) -> Result<Option<Option<DateTime<Utc>>>, Failure> {
        match self.nullable(key)? {
            None => Ok(None),
            Some(None) => Ok(Some(None)),
            Some(Some(raw)) => Ok(Some(Some(time(self.rid, key, &raw)?))),
        }
    }

    /// An enum field of the contract; an unknown value is 422 naming the
    /// accepted ones.
    pub fn known<T: Known>(&self, key: &str) -> Result<Option<T>, Failure> {
        match self.string(key)? {
            None => Ok(None),
            Some(raw) => known(self.rid, key, &raw).map(Some),
        }
    }
}

/// The enums of the contract, for validation.
pub trait Known: Sized {
    fn parse_known(raw: &str) -> Option<Self>;
    fn known_values() -> Vec<String>;
}

macro_rules! known_enum {
    ($($t:ty),*) => {$(
        impl Known for $t {
            fn parse_known(raw: &str) -> Option<Self> {
                <$t>::parse_known(raw)
            }
            fn known_values() -> Vec<String> {
                <$t>::KNOWN.iter().map(|v| v.as_str().to_string()).collect()
            }
        }
    )*};
}

use crate::api::model::{
    Domain, FindingStatus, RegressionStatus, ScanTrigger, Severity, TaskPriority, TaskStatus,
};
known_enum!(
    Domain,
    FindingStatus,
    RegressionStatus,
    ScanTrigger,
    Severity,
    TaskPriority,
    TaskStatus
);

/// Parses a contract enum value or explains the accepted ones.
pub fn known<T: Known>(rid: &RequestId, key: &str, raw: &str) -> Result<T, Failure> {
    T::parse_known(raw).ok_or_else(|| {
        Failure::invalid(
            rid,
            format!(
                "{key} '{raw}' is not valid; use one of: {}",
                T::known_values().join(", ")
            ),
        )
    })
}

/// A contract enum in the query string, when given.
pub fn known_param<T: Known>(
    rid: &RequestId,
    q: &HashMap<String, String>,
    key: &str,
) -> Result<Option<T>, Failure> {
    q.get(key).map(|raw| known(rid, key, raw)).transpose()
}

/// Parses a UUID or explains.
pub fn uuid(rid: &RequestId, key: &str, raw: &str) -> Result<Uuid, Failure> {
    Uuid::parse_str(raw).map_err(|_| Failure::invalid(rid, format!("{key} must be a UUID")))
}

/// Parses an RFC 3339 time or explains.
pub fn time(rid: &RequestId, key: &str, raw: &str) -> Result<DateTime<Utc>, Failure> {
    DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            Failure::invalid(
                rid,
                format!("{key} must be an RFC 3339 time such as 2025-06-15T10:00:00Z"),
            )
        })
}

/// The query string as a map.
pub fn query(raw: Option<&str>) -> HashMap<String, String> {
    url::form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .into_owned()
        .collect()
}

fn non_negative(
    rid: &RequestId,
    q: &HashMap<String, String>,
    key: &str,
) -> Result<Option<usize>, Failure> {
    match q.get(key) {
        None => Ok(None),
        Some(raw) => match raw.trim().parse::<i64>() {
            Ok(n) if n >= 0 => Ok(Some(n as usize)),
            _ => Err(Failure::invalid(
                rid,
                format!("{key} must be a non-negative integer, got '{raw}'"),
            )),
        },
    }
}

/// `limit`: default 50, larger than 100 clamped, 0, negative or not a
/// number is 422.
pub fn limit(rid: &RequestId, q: &HashMap<String, String>) -> Result<usize, Failure> {
    match non_negative(rid, q, "limit")? {
        None => Ok(DEFAULT_LIMIT),
        Some(0) => Err(Failure::invalid(rid, "limit must be at least 1")),
        Some(n) => Ok(n.min(MAX_LIMIT)),
    }
}

/// `offset`: default 0.
pub fn offset(rid: &RequestId, q: &HashMap<String, String>) -> Result<usize, Failure> {
    Ok(non_negative(rid, q, "offset")?.unwrap_or(0))
}

/// `cursor` and `limit` of a cursor list.
pub fn page_request(rid: &RequestId, q: &HashMap<String, String>) -> Result<PageRequest, Failure> {
    Ok(PageRequest {
        cursor: q.get("cursor").filter(|c| !c.is_empty()).cloned(),
        limit: limit(rid, q)?,
    })
}
