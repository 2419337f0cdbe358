//! Tasks, verifications, regressions, policies, integrations and reports
//! (contract 5.4 to 5.7).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use chrono::{DateTime, Utc};

use super::super::enums::*;
use super::wire::{Extra, Identified, Timestamp, created, lenient};

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

impl Task {
    /// Creation time under either name the service uses.
    pub fn created(&self) -> Option<DateTime<Utc>> {
        created(&self.created_at, &self.inserted_at)
    }
}

impl Identified for Task {
    fn id(&self) -> &str {
        &self.id
    }
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

impl Verification {
    /// Creation time under either name the service uses.
    pub fn created(&self) -> Option<DateTime<Utc>> {
        created(&self.created_at, &self.inserted_at)
    }
}

impl Identified for Verification {
    fn id(&self) -> &str {
        &self.id
    }
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

impl Identified for Regression {
    fn id(&self) -> &str {
        &self.id
    }
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
