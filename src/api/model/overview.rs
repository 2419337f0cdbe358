//! Scans and the command center (contract 5.1 and 5.2).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::wire::{Extra, Timestamp, created, lenient};
use super::{super::enums::*, finding::Priority};

/// A scan (contract 5.1).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Scan {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
    pub trigger: ScanTrigger,
    pub status: ScanStatus,
    /// `{findings, new, regressions, by_severity, by_domain}` once finished,
    /// `{error}` on failure, `{}` before.
    pub summary: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "lenient::timestamp")]
    pub started_at: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "lenient::timestamp")]
    pub finished_at: Option<Timestamp>,
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

impl Scan {
    /// Creation time under either name the service uses.
    pub fn created(&self) -> Option<DateTime<Utc>> {
        created(&self.created_at, &self.inserted_at)
    }

    /// A number from the summary, e.g. `summary_count("new")`.
    pub fn summary_count(&self, key: &str) -> Option<i64> {
        self.summary.get(key).and_then(Value::as_i64)
    }

    /// The reason a failed scan gives in its summary.
    pub fn failure_reason(&self) -> Option<&str> {
        self.summary.get("error").and_then(Value::as_str)
    }
}

/// Body of `POST /scans/run`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScanRequest {
    pub url: String,
    pub trigger: ScanTrigger,
}

/// The reporting period of the command center.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Period {
    #[serde(deserialize_with = "lenient::string")]
    pub from: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub to: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Period {
    /// The first day, when it is a valid date.
    pub fn from_date(&self) -> Option<NaiveDate> {
        self.from.as_deref().and_then(|d| d.parse().ok())
    }

    /// The last day, when it is a valid date.
    pub fn to_date(&self) -> Option<NaiveDate> {
        self.to.as_deref().and_then(|d| d.parse().ok())
    }
}

/// One of the command center's top priorities.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TopPriority {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub status: FindingStatus,
    pub domain: Domain,
    pub priority: Priority,
    #[serde(flatten)]
    pub extra: Extra,
}

/// What fixing the top priorities would gain.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExpectedImpact {
    #[serde(
        deserialize_with = "lenient::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub cwv_improvement_pct: Option<f64>,
    #[serde(
        deserialize_with = "lenient::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub security_risk_reduction_pct: Option<f64>,
    #[serde(
        deserialize_with = "lenient::float",
        skip_serializing_if = "Option::is_none"
    )]
    pub regression_risk_pct: Option<f64>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The project's health at a glance (contract 5.2).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CommandCenter {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project_id: Option<String>,
    pub period: Period,
    #[serde(deserialize_with = "lenient::int")]
    pub health_score: Option<i64>,
    #[serde(deserialize_with = "lenient::int")]
    pub unresolved_findings: Option<i64>,
    #[serde(deserialize_with = "lenient::int")]
    pub critical_findings: Option<i64>,
    pub top_priorities: Vec<TopPriority>,
    pub expected_impact: ExpectedImpact,
    #[serde(flatten)]
    pub extra: Extra,
}
