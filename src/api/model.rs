//! Typed, tolerant views of the contract's resources (contract section 5).
//!
//! Every struct:
//! - fills a missing field with its default instead of failing;
//! - keeps every field it does not know in `extra`, so serialising it again
//!   gives back everything the server sent (exports rely on this);
//! - accepts unknown enum values (see [`super::enums`]).
//!
//! Timestamps keep the server's text and a parsed value when it parses.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

pub use super::enums::*;

/// Fields a struct did not name, kept as sent.
pub type Extra = Map<String, Value>;

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

fn created(
    created_at: &Option<Timestamp>,
    inserted_at: &Option<Timestamp>,
) -> Option<DateTime<Utc>> {
    created_at
        .as_ref()
        .and_then(Timestamp::get)
        .or_else(|| inserted_at.as_ref().and_then(Timestamp::get))
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

/// A remediation task (contract 5.4).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Task {
    pub id: String,
    pub finding_id: String,
    pub title: String,
    pub status: TaskStatus,
    pub priority: TaskPriority,
    pub owner_id: Option<String>,
    #[serde(deserialize_with = "lenient::timestamp")]
    pub sla_due_at: Option<Timestamp>,
    pub external_ticket_key: Option<String>,
    pub pr_url: Option<String>,
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

/// Body of `POST /tasks`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct NewTask {
    pub finding_id: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<TaskPriority>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sla_due_at: Option<String>,
}

/// The fields a task PATCH may set (a sandbox route).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TaskPatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<TaskStatus>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<TaskPriority>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sla_due_at: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_ticket_key: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pr_url: Option<Option<String>>,
}

/// One before/after check of a verification.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VerificationCheck {
    pub key: String,
    pub before: Value,
    pub after: Value,
    pub status: String,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A verification of a task's fix (contract 5.5).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Verification {
    pub id: String,
    pub task_id: String,
    pub result: VerificationResult,
    pub checks: Vec<VerificationCheck>,
    pub verified_by_id: Option<String>,
    #[serde(deserialize_with = "lenient::timestamp")]
    pub verified_at: Option<Timestamp>,
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

/// A resolved finding that came back (contract 5.6; a sandbox route).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Regression {
    pub id: String,
    pub finding_id: String,
    pub scan_id: Option<String>,
    pub status: RegressionStatus,
    #[serde(deserialize_with = "lenient::timestamp")]
    pub detected_at: Option<Timestamp>,
    #[serde(deserialize_with = "lenient::timestamp")]
    pub closed_at: Option<Timestamp>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The project's policy (contract 5.7). `config` is stored as given.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Policy {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    pub config: Value,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Policy {
    /// Hours allowed to fix a finding of this severity, from `config.sla_hours`.
    pub fn sla_hours(&self, severity: &Severity) -> Option<i64> {
        self.config
            .get("sla_hours")?
            .get(severity.as_str())?
            .as_i64()
    }
}

/// One integration provider's row (contract 5.7).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Integration {
    pub id: Option<String>,
    pub provider: String,
    pub status: IntegrationStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "lenient::timestamp")]
    pub created_at: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "lenient::timestamp")]
    pub inserted_at: Option<Timestamp>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// One day of the risk burn-down.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BurnDownPoint {
    #[serde(deserialize_with = "lenient::string")]
    pub date: Option<String>,
    #[serde(deserialize_with = "lenient::float")]
    pub open_risk_score: Option<f64>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// `GET /reports/summary` (contract 5.7).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportSummary {
    pub risk_burn_down: Vec<BurnDownPoint>,
    #[serde(deserialize_with = "lenient::float")]
    pub verification_pass_rate: Option<f64>,
    #[serde(deserialize_with = "lenient::float")]
    pub regression_rate: Option<f64>,
    #[serde(deserialize_with = "lenient::int")]
    pub open_findings: Option<i64>,
    #[serde(flatten)]
    pub extra: Extra,
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
