//! The rows the store keeps, and their wire form.

use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Serialize, Serializer};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::api::model::{
    Domain, FindingStatus, IntegrationStatus, RegressionStatus, ScanStatus, ScanTrigger, Severity,
    TaskPriority, TaskStatus, VerificationResult,
};

/// RFC 3339 with a `Z`, as the contract writes times.
pub fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn opt_time(t: Option<DateTime<Utc>>) -> Value {
    t.map(|t| Value::String(time(t))).unwrap_or(Value::Null)
}

fn opt_id(id: Option<Uuid>) -> Value {
    id.map(|i| Value::String(i.to_string()))
        .unwrap_or(Value::Null)
}

/// The priority figures, 0–100 each; on the wire `{impact, effort, risk,
/// score}`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Priority {
    pub impact: u8,
    pub effort: u8,
    pub risk: u8,
    pub score: u8,
}

/// `{type, label, value}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EvidenceRow {
    #[serde(rename = "type")]
    pub kind: String,
    pub label: String,
    pub value: String,
}

/// A finding's `recommended_fix`; shared between findings of one check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixRow {
    pub summary: String,
    pub steps: Vec<String>,
    pub estimated_minutes: u32,
}

/// A finding as the contract writes it, borrowed from its record: the one
/// definition of its wire form, in the contract's key order.
#[derive(Serialize)]
pub struct FindingWire<'a> {
    id: Uuid,
    org_id: &'a str,
    project_id: &'a str,
    domain: &'a Domain,
    title: &'a str,
    description: &'a str,
    severity: &'a Severity,
    status: &'a FindingStatus,
    confidence: f64,
    priority: Priority,
    owner_id: Option<Uuid>,
    affected_assets: [Asset<'a>; 1],
    evidence: &'a [EvidenceRow],
    recommended_fix: Fix<'a>,
    check: &'a str,
    scan_id: Option<Uuid>,
    first_seen_at: WireTime,
    last_seen_at: WireTime,
    created_at: WireTime,
    updated_at: WireTime,
}

#[derive(Serialize)]
struct Asset<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    value: &'a str,
}

#[derive(Serialize)]
struct Fix<'a> {
    summary: &'a str,
    steps: &'a [String],
    estimated_minutes: u32,
}

/// A time as [`time`] writes it.
struct WireTime(DateTime<Utc>);

impl Serialize for WireTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&time(self.0))
    }
}

/// One finding.
#[derive(Clone, Debug)]
pub struct FindingRecord {
    pub id: Uuid,
    /// Stable check key such as `security.csp_missing`.
    pub check: String,
    pub domain: Domain,
    pub title: String,
    pub description: Arc<str>,
    /// Lower-case title and description, for `q`.
    pub title_lower: String,
    pub description_lower: Arc<str>,
    pub severity: Severity,
    pub status: FindingStatus,
    pub confidence: f64,
    pub priority: Priority,
    pub owner_id: Option<Uuid>,
    pub asset_url: String,
    pub evidence: Vec<EvidenceRow>,
    pub fix: Arc<FixRow>,
    /// What the check saw when it found this (verifications' `before`).
    pub observed: Option<String>,
    pub scan_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub first_seen_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// When it was last resolved or dismissed; `None` while open.
    pub closed_at: Option<DateTime<Utc>>,
}

impl FindingRecord {
    /// Open at instant `t` (for the burn-down).
    pub fn open_at(&self, t: DateTime<Utc>) -> bool {
        self.created_at <= t && self.closed_at.is_none_or(|c| c > t)
    }

    /// Moves to `status`, keeping `closed_at` in step.
    pub fn set_status(&mut self, status: FindingStatus, now: DateTime<Utc>) {
        self.closed_at = if status.is_unresolved() {
            None
        } else {
            Some(now)
        };
        self.status = status;
        self.updated_at = now;
    }

    /// The wire form, as a value.
    pub fn to_json(&self, org_id: &str, project_id: &str) -> Value {
        serde_json::to_value(self.wire(org_id, project_id))
            .expect("a finding's wire form is plain JSON")
    }

    /// The wire form, to encode straight into an answer (a page of
    /// findings is encoded without building a tree of values first).
    pub fn wire<'a>(&'a self, org_id: &'a str, project_id: &'a str) -> FindingWire<'a> {
        FindingWire {
            id: self.id,
            org_id,
            project_id,
            domain: &self.domain,
            title: &self.title,
            description: &self.description,
            severity: &self.severity,
            status: &self.status,
            confidence: self.confidence,
            priority: self.priority,
            owner_id: self.owner_id,
            affected_assets: [Asset {
                kind: "url",
                value: &self.asset_url,
            }],
            evidence: &self.evidence,
            recommended_fix: Fix {
                summary: &self.fix.summary,
                steps: &self.fix.steps,
                estimated_minutes: self.fix.estimated_minutes,
            },
            check: &self.check,
            scan_id: self.scan_id,
            first_seen_at: WireTime(self.first_seen_at),
            last_seen_at: WireTime(self.last_seen_at),
            created_at: WireTime(self.created_at),
            updated_at: WireTime(self.updated_at),
        }
    }

    /// `{impact, effort, risk, score}`.
    pub fn priority_json(&self) -> Value {
        serde_json::to_value(self.priority).expect("four integers are plain JSON")
    }
}

/// One remediation task.
#[derive(Clone, Debug)]
pub struct TaskRecord {
    pub id: Uuid,
    pub finding_id: Uuid,
    pub title: String,
    pub status: TaskStatus,
    pub priority: TaskPriority,
    pub owner_id: Option<Uuid>,
    pub sla_due_at: Option<DateTime<Utc>>,
    pub external_ticket_key: Option<String>,
    pub pr_url: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl TaskRecord {
    /// The wire form.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "finding_id": self.finding_id,
            "title": self.title,
            "status": self.status,
            "priority": self.priority,
            "owner_id": opt_id(self.owner_id),
            "sla_due_at": opt_time(self.sla_due_at),
            "external_ticket_key": self.external_ticket_key,
            "pr_url": self.pr_url,
            "created_at": time(self.created_at),
            "updated_at": time(self.updated_at),
        })
    }
}

/// One before/after comparison of a verification.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckRow {
    pub key: String,
    pub before: Value,
    pub after: Value,
    pub status: String,
}

/// One verification of a task's fix.
#[derive(Clone, Debug)]
pub struct VerificationRecord {
    pub id: Uuid,
    pub task_id: Uuid,
    pub result: VerificationResult,
    pub checks: Vec<CheckRow>,
    pub verified_by_id: Option<Uuid>,
    pub verified_at: Option<DateTime<Utc>>,
    /// Why it failed when the re-check could not run.
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl VerificationRecord {
    /// The wire form.
    pub fn to_json(&self) -> Value {
        let checks: Vec<Value> = self
            .checks
            .iter()
            .map(
                |c| json!({"key": c.key, "before": c.before, "after": c.after, "status": c.status}),
            )
            .collect();
        let mut v = json!({
            "id": self.id,
            "task_id": self.task_id,
            "result": self.result,
            "checks": checks,
            "verified_by_id": opt_id(self.verified_by_id),
            "verified_at": opt_time(self.verified_at),
            "created_at": time(self.created_at),
            "updated_at": time(self.updated_at),
        });
        if let (Some(error), Some(map)) = (&self.error, v.as_object_mut()) {
            map.insert("error".into(), Value::String(error.clone()));
        }
        v
    }
}

/// One scan.
#[derive(Clone, Debug)]
pub struct ScanRecord {
    pub id: Uuid,
    pub url: String,
    pub trigger: ScanTrigger,
    pub status: ScanStatus,
    pub summary: Value,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ScanRecord {
    /// The wire form; the url is not echoed back (contract 5.1).
    pub fn to_json(&self, org_id: &str, project_id: &str) -> Value {
        json!({
            "id": self.id,
            "org_id": org_id,
            "project_id": project_id,
            "trigger": self.trigger,
            "status": self.status,
            "summary": self.summary,
            "started_at": opt_time(self.started_at),
            "finished_at": opt_time(self.finished_at),
            "inserted_at": time(self.created_at),
            "updated_at": time(self.updated_at),
        })
    }
}

/// A resolved finding that came back.
#[derive(Clone, Debug)]
pub struct RegressionRecord {
    pub id: Uuid,
    pub finding_id: Uuid,
    pub scan_id: Option<Uuid>,
    pub status: RegressionStatus,
    pub detected_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

impl RegressionRecord {
    /// The wire form.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "finding_id": self.finding_id,
            "scan_id": opt_id(self.scan_id),
            "status": self.status,
            "detected_at": time(self.detected_at),
            "closed_at": opt_time(self.closed_at),
        })
    }
}

/// The project's policy.
#[derive(Clone, Debug)]
pub struct PolicyRecord {
    pub id: Uuid,
    pub name: String,
    pub config: Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl PolicyRecord {
    /// The wire form.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "config": self.config,
            "created_at": time(self.created_at),
            "updated_at": time(self.updated_at),
        })
    }

    /// Hours to fix a finding of this severity, from `config.sla_hours`.
    pub fn sla_hours(&self, severity: &Severity) -> Option<i64> {
        self.config
            .get("sla_hours")?
            .get(severity.as_str())?
            .as_i64()
    }
}

/// A connected integration (providers never connected have no record).
#[derive(Clone, Debug)]
pub struct IntegrationRecord {
    pub id: Uuid,
    pub provider: String,
    pub status: IntegrationStatus,
    pub last_synced_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl IntegrationRecord {
    /// The wire form; credentials are never stored, so never echoed.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "provider": self.provider,
            "status": self.status,
            "last_synced_at": opt_time(self.last_synced_at),
            "created_at": time(self.created_at),
            "updated_at": time(self.updated_at),
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn record() -> FindingRecord {
        let at = Utc
            .with_ymd_and_hms(2026, 11, 1, 8, 30, 0)
            .single()
            .unwrap();
        FindingRecord {
            id: Uuid::from_u128(7),
            check: "security.csp_missing".into(),
            domain: Domain::Security,
            title: "No \"CSP\"\nheader".into(),
            description: Arc::from("Scripts run from anywhere."),
            title_lower: String::new(),
            description_lower: Arc::from(""),
            severity: Severity::High,
            status: FindingStatus::Triaged,
            confidence: 0.85,
            priority: Priority {
                impact: 80,
                effort: 20,
                risk: 70,
                score: 87,
            },
            owner_id: Some(Uuid::from_u128(9)),
            asset_url: "https://shop.example.com/".into(),
            evidence: vec![EvidenceRow {
                kind: "header".into(),
                label: "content-security-policy".into(),
                value: "absent".into(),
            }],
            fix: Arc::new(FixRow {
                summary: "Send a CSP".into(),
                steps: vec!["Add the header".into(), "Check the report".into()],
                estimated_minutes: 30,
            }),
            observed: None,
            scan_id: None,
            created_at: at,
            updated_at: at,
            first_seen_at: at,
            last_seen_at: at,
            closed_at: None,
        }
    }

    #[test]
    fn a_finding_is_written_in_the_contract_key_order_with_every_field() {
        let text = serde_json::to_string(&record().wire("org-1", "proj-1")).unwrap();
        let expected = concat!(
            r#"{"id":"00000000-0000-0000-0000-000000000007","org_id":"org-1","project_id":"proj-1","#,
            r#""domain":"security","title":"No \"CSP\"\nheader","description":"Scripts run from anywhere.","#,
            r#""severity":"high","status":"triaged","confidence":0.85,"#,
            r#""priority":{"impact":80,"effort":20,"risk":70,"score":87},"#,
            r#""owner_id":"00000000-0000-0000-0000-000000000009","#,
            r#""affected_assets":[{"type":"url","value":"https://shop.example.com/"}],"#,
            r#""evidence":[{"type":"header","label":"content-security-policy","value":"absent"}],"#,
            r#""recommended_fix":{"summary":"Send a CSP","steps":["Add the header","Check the report"],"estimated_minutes":30},"#,
            r#""check":"security.csp_missing","scan_id":null,"#,
            r#""first_seen_at":"2026-11-01T08:30:00Z","last_seen_at":"2026-11-01T08:30:00Z","#,
            r#""created_at":"2026-11-01T08:30:00Z","updated_at":"2026-11-01T08:30:00Z"}"#,
        );
        assert_eq!(text, expected);
    }

    #[test]
    fn the_value_form_is_the_encoded_form() {
        let f = record();
        let value = f.to_json("o", "p");
        assert_eq!(
            value.to_string(),
            serde_json::to_string(&f.wire("o", "p")).unwrap()
        );
        assert_eq!(value["priority"], f.priority_json());
    }
}
