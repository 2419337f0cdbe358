//! The computed views: command center (5.2), report summary, policy and
//! integrations (5.7).

use chrono::{DateTime, Duration, NaiveTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use super::index::list_order;
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
        let open = OpenFindings::of(self.unresolved());
        let (unresolved, critical) = (open.count, open.critical);
        let health = 100i64 - 10 * critical as i64 - 2 * (unresolved - critical) as i64;
        let top = open.top;
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
            "expected_impact": self.expected_impact(&top, open.performance_impact, open.security_risk),
        })
    }

    /// Shares of the open performance impact, open security risk and open
    /// regressions that fixing `top` would remove, in whole percent.
    fn expected_impact(&self, top: &[&FindingRecord], perf_all: u64, sec_all: u64) -> Value {
        let sum = |domain: &Domain, pick: fn(&FindingRecord) -> u8| {
            top.iter()
                .filter(|f| f.domain == *domain)
                .map(|f| pick(f) as u64)
                .sum::<u64>()
        };
        let perf_top = sum(&Domain::Performance, |f| f.priority.impact);
        let sec_top = sum(&Domain::Security, |f| f.priority.risk);
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

/// How many unresolved findings the command center ranks.
const TOP: usize = 5;

/// What the command center needs of the unresolved findings, read in one
/// pass: the counts, the sums the expected impact divides by, and the top
/// priorities by partial selection (a full sort of 100,000 findings to keep
/// five was most of the route's time).
struct OpenFindings<'a> {
    count: u64,
    critical: u64,
    performance_impact: u64,
    security_risk: u64,
    /// At most [`TOP`], in list order.
    top: Vec<&'a FindingRecord>,
}

impl<'a> OpenFindings<'a> {
    fn of(findings: impl Iterator<Item = &'a FindingRecord>) -> Self {
        let mut open = OpenFindings {
            count: 0,
            critical: 0,
            performance_impact: 0,
            security_risk: 0,
            top: Vec::with_capacity(TOP + 1),
        };
        for f in findings {
            open.count += 1;
            if f.severity == Severity::Critical {
                open.critical += 1;
            }
            match f.domain {
                Domain::Performance => open.performance_impact += u64::from(f.priority.impact),
                Domain::Security => open.security_risk += u64::from(f.priority.risk),
                _ => {}
            }
            open.offer(f);
        }
        open
    }

    /// Keeps `f` if it ranks among the first [`TOP`]; most findings are
    /// turned away by one comparison with the last kept.
    fn offer(&mut self, f: &'a FindingRecord) {
        let ranks = |a: &FindingRecord, b: &FindingRecord| list_order(a, b).is_lt();
        if self.top.len() == TOP && self.top.last().is_none_or(|last| !ranks(f, last)) {
            return;
        }
        let at = self.top.partition_point(|kept| ranks(kept, f));
        self.top.insert(at, f);
        self.top.truncate(TOP);
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
