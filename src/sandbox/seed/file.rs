//! The shape of a data set file (`--data FILE`, and `assets/demo.json`).
//!
//! A project may list `pages` under a `base_url` (the check catalogue is
//! stamped onto them, as in the demo) and/or explicit `findings`, `tasks`,
//! `verifications`, `regressions`, `integrations` and a `policy`.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use crate::api::model::{
    Domain, FindingStatus, IntegrationStatus, RegressionStatus, Severity, TaskPriority, TaskStatus,
    VerificationResult,
};

/// A whole data set: one org, its users and projects.
#[derive(Clone, Debug, Deserialize)]
pub struct DataSet {
    pub org: OrgSeed,
    #[serde(default)]
    pub users: Vec<UserSeed>,
    pub projects: Vec<ProjectSeed>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct OrgSeed {
    pub id: Uuid,
    #[serde(default)]
    pub name: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct UserSeed {
    pub id: Uuid,
    #[serde(default)]
    pub name: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct ProjectSeed {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub base_url: Option<String>,
    #[serde(default)]
    pub pages: Vec<String>,
    /// Weights of new, triaged, in_progress, ready_verify, resolved and
    /// dismissed for the findings stamped onto `pages`.
    #[serde(default)]
    pub status_weights: Option<[u32; 6]>,
    #[serde(default)]
    pub integrations: Vec<IntegrationSeed>,
    #[serde(default)]
    pub findings: Vec<FindingSeed>,
    #[serde(default)]
    pub tasks: Vec<TaskSeed>,
    #[serde(default)]
    pub verifications: Vec<VerificationSeed>,
    #[serde(default)]
    pub regressions: Vec<RegressionSeed>,
    #[serde(default)]
    pub policy: Option<PolicySeed>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct IntegrationSeed {
    pub provider: String,
    pub status: IntegrationStatus,
}

#[derive(Clone, Debug, Deserialize)]
pub struct PolicySeed {
    pub name: String,
    pub config: Value,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct PrioritySeed {
    #[serde(default)]
    pub impact: u8,
    #[serde(default)]
    pub effort: u8,
    #[serde(default)]
    pub risk: u8,
    #[serde(default)]
    pub score: u8,
}

#[derive(Clone, Debug, Deserialize)]
pub struct EvidenceSeed {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub value: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct FixSeed {
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub steps: Vec<String>,
    #[serde(default)]
    pub estimated_minutes: u32,
}

#[derive(Clone, Debug, Deserialize)]
pub struct AssetSeed {
    pub value: String,
}

fn default_confidence() -> f64 {
    0.9
}

#[derive(Clone, Debug, Deserialize)]
pub struct FindingSeed {
    pub id: Uuid,
    pub check: String,
    pub domain: Domain,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub severity: Severity,
    pub status: FindingStatus,
    #[serde(default = "default_confidence")]
    pub confidence: f64,
    #[serde(default)]
    pub priority: PrioritySeed,
    #[serde(default)]
    pub owner_id: Option<Uuid>,
    /// The affected URL; or give `affected_assets`.
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub affected_assets: Vec<AssetSeed>,
    #[serde(default)]
    pub evidence: Vec<EvidenceSeed>,
    #[serde(default)]
    pub recommended_fix: FixSeed,
    /// What the check saw (a verification's `before`).
    #[serde(default)]
    pub observed: Option<String>,
    pub created_at: DateTime<Utc>,
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
    /// When it was resolved or dismissed (defaults to `updated_at`).
    #[serde(default)]
    pub closed_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct TaskSeed {
    pub id: Uuid,
    pub finding_id: Uuid,
    pub title: String,
    pub status: TaskStatus,
    #[serde(default)]
    pub priority: TaskPriority,
    #[serde(default)]
    pub owner_id: Option<Uuid>,
    #[serde(default)]
    pub sla_due_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub external_ticket_key: Option<String>,
    #[serde(default)]
    pub pr_url: Option<String>,
    pub created_at: DateTime<Utc>,
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct CheckSeed {
    pub key: String,
    #[serde(default)]
    pub before: Value,
    #[serde(default)]
    pub after: Value,
    pub status: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct VerificationSeed {
    pub id: Uuid,
    pub task_id: Uuid,
    pub result: VerificationResult,
    #[serde(default)]
    pub checks: Vec<CheckSeed>,
    #[serde(default)]
    pub verified_by_id: Option<Uuid>,
    #[serde(default)]
    pub verified_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct RegressionSeed {
    pub id: Uuid,
    pub finding_id: Uuid,
    #[serde(default)]
    pub scan_id: Option<Uuid>,
    pub status: RegressionStatus,
    pub detected_at: DateTime<Utc>,
    #[serde(default)]
    pub closed_at: Option<DateTime<Utc>>,
}
