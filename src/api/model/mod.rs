//! Typed, tolerant views of the contract's resources (contract section 5).
//!
//! Every struct:
//! - fills a missing field with its default instead of failing;
//! - keeps every field it does not know in `extra`, so serialising it again
//!   gives back everything the server sent (exports rely on this);
//! - accepts unknown enum values (see [`super::enums`]).
//!
//! Timestamps keep the server's text and a parsed value when it parses.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

mod overview;
mod remediation;
mod wire;

pub use super::enums::*;
pub use overview::*;
pub use remediation::*;
use wire::created;
pub use wire::{AsSent, Extra, Identified, Timestamp, lenient};

/// The four priority figures of a finding, integers 0–100.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Priority {
    #[serde(
        deserialize_with = "lenient::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub impact: Option<i64>,
    #[serde(
        deserialize_with = "lenient::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub effort: Option<i64>,
    #[serde(
        deserialize_with = "lenient::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub risk: Option<i64>,
    #[serde(
        deserialize_with = "lenient::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub score: Option<i64>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Something a finding affects, e.g. `{type: "url", value: "https://…"}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Asset {
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
    #[serde(flatten)]
    pub extra: Extra,
}

/// One piece of evidence, e.g. the response header that was checked.
///
/// The documented shape is open; `{type, label, value}` is the sandbox's.
/// Evidence that is not an object is kept whole in `extra["value"]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Evidence {
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl<'de> Deserialize<'de> for Evidence {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::Object(mut map) => {
                let mut take = |key: &str| match map.remove(key) {
                    Some(Value::String(s)) => Some(s),
                    Some(Value::Null) | None => None,
                    Some(other) => Some(other.to_string()),
                };
                let kind = take("type");
                let label = take("label");
                let value = take("value");
                Ok(Evidence {
                    kind,
                    label,
                    value,
                    extra: map,
                })
            }
            Value::String(s) => Ok(Evidence {
                value: Some(s),
                ..Evidence::default()
            }),
            other => Ok(Evidence {
                value: Some(other.to_string()),
                ..Evidence::default()
            }),
        }
    }
}

/// How to fix a finding.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RecommendedFix {
    pub summary: String,
    pub steps: Vec<String>,
    #[serde(
        deserialize_with = "lenient::int",
        skip_serializing_if = "Option::is_none"
    )]
    pub estimated_minutes: Option<i64>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A finding (contract 5.3).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Finding {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
    pub domain: Domain,
    pub title: String,
    pub description: String,
    pub severity: Severity,
    pub status: FindingStatus,
    #[serde(
        deserialize_with = "lenient::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub confidence: Option<f64>,
    pub priority: Priority,
    pub owner_id: Option<String>,
    pub affected_assets: Vec<Asset>,
    pub evidence: Vec<Evidence>,
    pub recommended_fix: RecommendedFix,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "lenient::timestamp")]
    pub created_at: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "lenient::timestamp")]
    pub inserted_at: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "lenient::timestamp")]
    pub updated_at: Option<Timestamp>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Identified for Finding {
    fn id(&self) -> &str {
        &self.id
    }
}

impl Finding {
    /// Creation time under either name the service uses.
    pub fn created(&self) -> Option<DateTime<Utc>> {
        created(&self.created_at, &self.inserted_at)
    }

    /// The priority score, 0 when the server sent none.
    pub fn score(&self) -> i64 {
        self.priority.score.unwrap_or(0)
    }

    /// The first affected URL, if any.
    pub fn primary_url(&self) -> Option<&str> {
        self.affected_assets
            .iter()
            .find(|a| a.kind == "url")
            .or(self.affected_assets.first())
            .map(|a| a.value.as_str())
    }
}

/// The fields a finding PATCH may set (contract 5.3). `None` leaves a field
/// alone; `owner_id: Some(None)` unassigns.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct FindingPatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<FindingStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
}

impl FindingPatch {
    /// True when the patch would change nothing.
    pub fn is_empty(&self) -> bool {
        self.status.is_none() && self.owner_id.is_none() && self.severity.is_none()
    }
}

/// Server-side filters of the findings list (contract 5.3).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct FindingQuery {
    pub severity: Option<Severity>,
    pub status: Option<FindingStatus>,
    pub domain: Option<Domain>,
    /// A user UUID, or `"none"` for unassigned (a sandbox filter).
    pub owner_id: Option<String>,
    /// Case-insensitive substring of title or description (a sandbox filter).
    pub q: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_survive_a_round_trip() {
        let json = serde_json::json!({
            "id": "f1", "title": "t", "severity": "critical", "status": "new",
            "domain": "security", "cvss": 9.1, "tags": ["a"],
            "priority": {"impact": 1, "effort": 2, "risk": 3, "score": 4, "weight": 7},
            "inserted_at": "2025-06-15T10:05:00Z"
        });
        let f: Finding = serde_json::from_value(json).unwrap();
        assert_eq!(f.extra["cvss"], 9.1);
        assert_eq!(f.priority.extra["weight"], 7);
        assert!(f.created().is_some());
        let back = serde_json::to_value(&f).unwrap();
        assert_eq!(back["tags"][0], "a");
        assert_eq!(back["priority"]["weight"], 7);
        assert_eq!(back["inserted_at"], "2025-06-15T10:05:00Z");
    }

    #[test]
    fn odd_values_do_not_fail_a_finding() {
        let json = serde_json::json!({
            "id": "f1", "priority": {"score": "88"}, "confidence": "high",
            "created_at": "yesterday", "evidence": ["plain text", {"type": "header", "value": 3}]
        });
        let f: Finding = serde_json::from_value(json).unwrap();
        assert_eq!(f.score(), 88);
        assert_eq!(f.confidence, None);
        assert_eq!(f.created(), None);
        assert_eq!(f.created_at.as_ref().unwrap().raw(), "yesterday");
        assert_eq!(f.evidence[0].value.as_deref(), Some("plain text"));
        assert_eq!(f.evidence[1].value.as_deref(), Some("3"));
    }

    #[test]
    fn as_sent_keeps_the_servers_json_exactly() {
        let json = serde_json::json!({
            "id": "f1", "priority": {"score": "87", "impact": null}, "confidence": "high"
        });
        let f: AsSent<Finding> = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(f.typed.score(), 87);
        assert_eq!(serde_json::to_value(&f).unwrap(), json);
    }

    #[test]
    fn as_sent_keeps_the_order_of_the_servers_keys() {
        let text = r#"{"title":"t","id":"f1","zeta":1,"alpha":{"b":2,"a":1}}"#;
        let f: AsSent<Finding> = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&f).unwrap(), text);
    }

    #[test]
    fn null_timestamps_are_written_back_as_null() {
        let json = serde_json::json!({"id": "s1", "finished_at": null, "started_at": "2025-06-15T10:00:00Z"});
        let scan: Scan = serde_json::from_value(json).unwrap();
        assert_eq!(scan.finished_at.as_ref().and_then(Timestamp::get), None);
        let back = serde_json::to_value(&scan).unwrap();
        assert!(back.as_object().unwrap().contains_key("finished_at"));
        assert!(back["finished_at"].is_null());
        assert!(!back.as_object().unwrap().contains_key("updated_at"));
    }

    #[test]
    fn patch_serialises_only_what_it_sets() {
        let p = FindingPatch {
            owner_id: Some(None),
            ..FindingPatch::default()
        };
        assert_eq!(serde_json::to_string(&p).unwrap(), r#"{"owner_id":null}"#);
    }
}
