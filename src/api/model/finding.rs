//! Findings (contract 5.3): the finding, its parts, a change to it and a
//! query for a list of them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use super::wire::{Extra, Identified, ListRow, Timestamp, created, lenient};
use crate::api::enums::{Domain, FindingStatus, Severity};

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

impl ListRow for Finding {}

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

    /// The check that found it: the sandbox's stable `check` key (contract
    /// 5.3, a sandbox field), when the server sent one.
    pub fn check(&self) -> Option<&str> {
        self.extra.get("check").and_then(|v| v.as_str())
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

impl FindingQuery {
    /// True when `f` is one the server lists for this query (contract 5.3):
    /// severity, status and domain equal, the owner a UUID (compared
    /// without regard to case) or `none` for unassigned, and `q` a
    /// case-insensitive substring of the title or the description.
    pub fn matches(&self, f: &Finding) -> bool {
        self.matches_fields(
            &f.severity,
            &f.status,
            &f.domain,
            f.owner_id.as_deref(),
            &f.title,
            &f.description,
        )
    }

    /// [`FindingQuery::matches`] over the fields it reads.
    pub(super) fn matches_fields(
        &self,
        severity: &Severity,
        status: &FindingStatus,
        domain: &Domain,
        owner_id: Option<&str>,
        title: &str,
        description: &str,
    ) -> bool {
        let owner_ok = match (self.owner_id.as_deref(), owner_id) {
            (None, _) => true,
            (Some("none"), owner) => owner.is_none(),
            (Some(wanted), Some(owner)) => wanted.trim().eq_ignore_ascii_case(owner.trim()),
            (Some(_), None) => false,
        };
        let text_ok = self.q.as_deref().is_none_or(|q| {
            let q = q.to_lowercase();
            title.to_lowercase().contains(&q) || description.to_lowercase().contains(&q)
        });
        self.severity.as_ref().is_none_or(|s| s == severity)
            && self.status.as_ref().is_none_or(|s| s == status)
            && self.domain.as_ref().is_none_or(|d| d == domain)
            && owner_ok
            && text_ok
    }
}
