//! The computed views: command center (5.2), report summary, policy and
//! integrations (5.7).

use chrono::{DateTime, Duration, NaiveTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{FindingRecord, PolicyRecord, Project, records::time};
use crate::api::model::{Domain, RegressionStatus, Severity, VerificationResult};

/// The providers of `GET /integrations`, in the contract's order.
pub const PROVIDERS: [&str; 8] = [
    "ga4",
    "gsc",
    "sentry",
    "github",
    "gitlab",
    "jira",
    "linear",
    "cloudflare",
];

/// The policy a project gets when it has none.
pub fn default_policy_config() -> Value {
    json!({
        "severity_rules": {
            "security": {"min_severity": "low", "escalate_after_hours": 24},
            "performance": {"min_severity": "medium", "escalate_after_hours": 72},
            "accessibility": {"min_severity": "medium", "escalate_after_hours": 168},
            "seo": {"min_severity": "low", "escalate_after_hours": 336}
        },
        "sla_hours": {"critical": 24, "high": 72, "medium": 168, "low": 336},
        "alert_routing": {
            "critical": ["email", "slack"],
            "high": ["slack"],
            "medium": [],
            "low": []
        }
    })
}

fn pct(part: u64, whole: u64) -> u64 {
    if whole == 0 {
        0
    } else {
        ((part as f64 / whole as f64) * 100.0).round() as u64
    }
}

impl Project {
    fn unresolved(&self) -> impl Iterator<Item = &FindingRecord> {
        self.findings.iter().filter(|f| f.status.is_unresolved())
    }

    /// `GET /command-center`.
    pub fn command_center(&self, org_id: &str, now: DateTime<Utc>) -> Value {
        let mut unresolved = 0u64;
        let mut critical = 0u64;
        for f in self.unresolved() {
            unresolved += 1;
            if f.severity == Severity::Critical {
                critical += 1;
            }
        }
        let health = 100i64 - 10 * critical as i64 - 2 * (unresolved - critical) as i64;
        let mut top: Vec<&FindingRecord> = self.unresolved().collect();
        top.sort_by(|a, b| {
            b.priority
                .score
                .cmp(&a.priority.score)
                .then(b.created_at.cmp(&a.created_at))
                .then(b.id.cmp(&a.id))
        });
        top.truncate(5);
        let today = now.date_naive();
        json!({
            "org_id": org_id,
            "project_id": self.id,
            "period": {
                "from": (today - Duration::days(6)).to_string(),
                "to": today.to_string(),
            },
            "health_score": health.max(0),
            "unresolved_findings": unresolved,
            "critical_findings": critical,
            "top_priorities": top.iter().map(|f| json!({
                "id": f.id,
                "title": f.title,
                "severity": f.severity,
                "status": f.status,
                "domain": f.domain,
                "priority": f.priority_json(),
            })).collect::<Vec<_>>(),
            "expected_impact": self.expected_impact(&top),
        })
    }

    /// Shares of the open performance impact, open security risk and open
    /// regressions that fixing `top` would remove, in whole percent.
    fn expected_impact(&self, top: &[&FindingRecord]) -> Value {
        let sum = |it: &mut dyn Iterator<Item = &FindingRecord>,
                   domain: &Domain,
                   pick: fn(&FindingRecord) -> u8| {
            it.filter(|f| f.domain == *domain)
                .map(|f| pick(f) as u64)
                .sum::<u64>()
        };
        let perf_all = sum(&mut self.unresolved(), &Domain::Performance, |f| {
            f.priority.impact
        });
        let perf_top = sum(&mut top.iter().copied(), &Domain::Performance, |f| {
            f.priority.impact
        });
        let sec_all = sum(&mut self.unresolved(), &Domain::Security, |f| {
            f.priority.risk
        });
        let sec_top = sum(&mut top.iter().copied(), &Domain::Security, |f| {
            f.priority.risk
        });
        let open: Vec<Uuid> = self
            .regressions
            .iter()
            .filter(|r| r.status == RegressionStatus::Open)
            .map(|r| r.finding_id)
            .collect();
        let open_top = open
            .iter()
            .filter(|id| top.iter().any(|f| f.id == **id))
            .count() as u64;
        json!({
            "cwv_improvement_pct": pct(perf_top, perf_all),
            "security_risk_reduction_pct": pct(sec_top, sec_all),
            "regression_risk_pct": pct(open_top, open.len() as u64),
        })
    }

    /// `GET /reports/summary`.
    pub fn report_summary(&self, now: DateTime<Utc>) -> Value {
        let today = now.date_naive();
        let burn_down: Vec<Value> = (0..7)
            .rev()
            .map(|days_ago| {
                let day = today - Duration::days(days_ago);
                let end = if days_ago == 0 {
                    now
                } else {
                    day.and_time(NaiveTime::MIN).and_utc() + Duration::days(1)
                        - Duration::seconds(1)
                };
                let score: u64 = self
                    .findings
                    .iter()
                    .filter(|f| f.open_at(end))
                    .map(|f| f.priority.score as u64)
                    .sum();
                json!({"date": day.to_string(), "open_risk_score": score})
            })
            .collect();
        let decided: Vec<_> = self
            .verifications
            .iter()
            .filter(|v| v.result != VerificationResult::Pending)
            .collect();
        let passed = decided
            .iter()
            .filter(|v| v.result == VerificationResult::Passed)
            .count();
        let pass_rate = if decided.is_empty() {
            0.0
        } else {
            passed as f64 / decided.len() as f64
        };
        let mut regressed: Vec<Uuid> = self.regressions.iter().map(|r| r.finding_id).collect();
        regressed.sort_unstable();
        regressed.dedup();
        let regression_rate = if self.findings.is_empty() {
            0.0
        } else {
            regressed.len() as f64 / self.findings.len() as f64
        };
        json!({
            "risk_burn_down": burn_down,
            "verification_pass_rate": round3(pass_rate),
            "regression_rate": round3(regression_rate),
            "open_findings": self.unresolved().count(),
        })
    }

    /// The policy, created with the defaults when missing.
    pub fn policy_current(&mut self, now: DateTime<Utc>) -> &PolicyRecord {
        self.policy.get_or_insert_with(|| default_policy(now))
    }

    /// `PUT /policies/current`: stores `name` and `config` as given.
    pub fn put_policy(
        &mut self,
        name: Option<String>,
        config: Option<Value>,
        now: DateTime<Utc>,
    ) -> &PolicyRecord {
        let policy = self.policy.get_or_insert_with(|| default_policy(now));
        if let Some(name) = name {
            policy.name = name;
        }
        if let Some(config) = config {
            policy.config = config;
        }
        policy.updated_at = now;
        policy
    }

    /// `GET /integrations`: every provider, never-connected ones as
    /// placeholder rows with `id: null` and `inserted_at`.
    pub fn integrations(&self, now: DateTime<Utc>) -> Vec<Value> {
        PROVIDERS
            .iter()
            .map(
                |provider| match self.integrations.iter().find(|i| i.provider == *provider) {
                    Some(record) => record.to_json(),
                    None => json!({
                        "id": null,
                        "provider": provider,
                        "status": "disconnected",
                        "inserted_at": time(now),
                    }),
                },
            )
            .collect()
    }
}

fn default_policy(now: DateTime<Utc>) -> PolicyRecord {
    PolicyRecord {
        id: Uuid::new_v4(),
        name: "Default policy".into(),
        config: default_policy_config(),
        created_at: now,
        updated_at: now,
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
