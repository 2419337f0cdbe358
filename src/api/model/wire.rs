//! Decoding that tolerates what a server may send: timestamps kept as
//! written, lenient numbers, unknown fields, and the defaults of the enums.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::super::enums::*;

/// Fields a struct did not name, kept as sent.
pub type Extra = Map<String, Value>;

/// A resource in its typed view together with the JSON exactly as the server
/// sent it. Exports write `raw`, so nothing the typed view normalises (a
/// numeric string, a dropped null, a field the model does not name) is lost.
#[derive(Clone, Debug, PartialEq)]
pub struct AsSent<T> {
    pub typed: T,
    pub raw: Value,
}

impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for AsSent<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Value::deserialize(d)?;
        let typed = T::deserialize(&raw).map_err(serde::de::Error::custom)?;
        Ok(AsSent { typed, raw })
    }
}

impl<T> Serialize for AsSent<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(s)
    }
}

/// A row of a list that has an id, for pagers that must notice a server
/// sending the same page twice.
pub trait Identified {
    /// The row's id.
    fn id(&self) -> &str;
}

/// A row of a findings page. Serde decodes most rows; a row kept as the
/// bytes the server sent reads the page's `data` array itself, checking
/// and copying it in one pass instead of serde's pass and then its own.
pub trait ListRow: serde::de::DeserializeOwned {
    /// The rows of the JSON array at the start of `raw`, and the bytes it
    /// spans; `None` when this type has no reader of its own or the bytes
    /// are not JSON it takes, so that serde reads the page (and names any
    /// error).
    fn read_array(_raw: &[u8]) -> Option<(Vec<Self>, usize)> {
        None
    }
}

impl<T: serde::de::DeserializeOwned> ListRow for AsSent<T> {}

impl<T: Identified> Identified for AsSent<T> {
    fn id(&self) -> &str {
        self.typed.id()
    }
}

/// An RFC 3339 time as the server wrote it, plus its parsed value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timestamp {
    raw: String,
    parsed: Option<DateTime<Utc>>,
    /// The server sent `null`: kept so an export writes `null` back.
    null: bool,
}

impl Timestamp {
    /// Wraps a server string, parsing it when it is valid RFC 3339.
    pub fn new(raw: impl Into<String>) -> Self {
        let raw = raw.into();
        let parsed = DateTime::parse_from_rfc3339(&raw)
            .ok()
            .map(|t| t.with_timezone(&Utc));
        Timestamp {
            raw,
            parsed,
            null: false,
        }
    }

    /// A timestamp the server sent as `null`.
    pub fn null() -> Self {
        Timestamp {
            null: true,
            ..Timestamp::default()
        }
    }

    /// A timestamp for a known instant, written the way the contract does.
    pub fn from_datetime(t: DateTime<Utc>) -> Self {
        Timestamp {
            raw: t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            parsed: Some(t),
            null: false,
        }
    }

    /// The text the server sent.
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The instant, when the text was valid RFC 3339.
    pub fn get(&self) -> Option<DateTime<Utc>> {
        self.parsed
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.null {
            s.serialize_none()
        } else {
            s.serialize_str(&self.raw)
        }
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::String(s) => Timestamp::new(s),
            other => Timestamp::new(other.to_string()),
        })
    }
}

/// Lenient number decoding: a number, a numeric string, or anything else as
/// `None`, so one odd value never sinks a page of findings.
pub mod lenient {
    use serde::{Deserialize, Deserializer};
    use serde_json::Value;

    fn as_f64(v: &Value) -> Option<f64> {
        match v {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// An optional integer.
    pub fn int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        Ok(as_f64(&Value::deserialize(d)?).map(|f| f.round() as i64))
    }

    /// An optional timestamp that remembers an explicit `null`, so that an
    /// export writes back `"finished_at": null` rather than dropping it.
    pub fn timestamp<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<super::Timestamp>, D::Error> {
        Ok(Some(match Value::deserialize(d)? {
            Value::Null => super::Timestamp::null(),
            Value::String(s) => super::Timestamp::new(s),
            other => super::Timestamp::new(other.to_string()),
        }))
    }

    /// An optional float.
    pub fn float<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        Ok(as_f64(&Value::deserialize(d)?))
    }

    /// An optional string; numbers are written out, anything else is `None`.
    pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    }
}

impl Default for Severity {
    fn default() -> Self {
        Severity::Other(String::new())
    }
}
impl Default for Domain {
    fn default() -> Self {
        Domain::Other(String::new())
    }
}
impl Default for FindingStatus {
    fn default() -> Self {
        FindingStatus::Other(String::new())
    }
}
impl Default for TaskStatus {
    fn default() -> Self {
        TaskStatus::Other(String::new())
    }
}
// The contract names this default; deriving would need the macro to know it.
#[allow(clippy::derivable_impls)]
impl Default for TaskPriority {
    fn default() -> Self {
        TaskPriority::Medium
    }
}
impl Default for ScanStatus {
    fn default() -> Self {
        ScanStatus::Other(String::new())
    }
}
// The contract names this default; deriving would need the macro to know it.
#[allow(clippy::derivable_impls)]
impl Default for ScanTrigger {
    fn default() -> Self {
        ScanTrigger::Manual
    }
}
impl Default for VerificationResult {
    fn default() -> Self {
        VerificationResult::Other(String::new())
    }
}
impl Default for RegressionStatus {
    fn default() -> Self {
        RegressionStatus::Other(String::new())
    }
}
impl Default for IntegrationStatus {
    fn default() -> Self {
        IntegrationStatus::Other(String::new())
    }
}

/// Creation time under either name the service uses.
pub(super) fn created(
    created_at: &Option<Timestamp>,
    inserted_at: &Option<Timestamp>,
) -> Option<DateTime<Utc>> {
    created_at
        .as_ref()
        .and_then(Timestamp::get)
        .or_else(|| inserted_at.as_ref().and_then(Timestamp::get))
}
