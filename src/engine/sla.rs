//! Service levels: how long a finding may stay open, from the policy's
//! `sla_hours` (contract 5.7), and when that time runs out.
//!
//! One rule for every view that shows an SLA (alerts, the findings views,
//! the headless commands), so that a breach means the same everywhere.

use chrono::{DateTime, Duration, Utc};

use crate::api::model::{Finding, Policy, Severity};

/// Hours allowed per severity. A severity the policy does not name has no
/// SLA (nothing is due, nothing breaches).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SlaPolicy {
    critical: Option<i64>,
    high: Option<i64>,
    medium: Option<i64>,
    low: Option<i64>,
}

impl SlaPolicy {
    /// The SLA of a policy; `None` when it names no hours at all.
    pub fn from_policy(policy: &Policy) -> Option<SlaPolicy> {
        let hours = |s: Severity| policy.sla_hours(&s).filter(|h| *h > 0);
        let sla = SlaPolicy {
            critical: hours(Severity::Critical),
            high: hours(Severity::High),
            medium: hours(Severity::Medium),
            low: hours(Severity::Low),
        };
        (sla != SlaPolicy::default()).then_some(sla)
    }

    /// An SLA from hours per severity (critical, high, medium, low).
    pub fn from_hours(critical: i64, high: i64, medium: i64, low: i64) -> SlaPolicy {
        SlaPolicy {
            critical: Some(critical),
            high: Some(high),
            medium: Some(medium),
            low: Some(low),
        }
    }

    /// Hours allowed for a severity.
    pub fn hours(&self, severity: &Severity) -> Option<i64> {
        match severity {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
            Severity::Other(_) => None,
        }
    }

    /// When the finding must be fixed by: its creation plus the hours of
    /// its severity. `None` for a closed finding, an unknown severity or a
    /// finding without a readable creation time.
    pub fn due(&self, finding: &Finding) -> Option<DateTime<Utc>> {
        if !finding.status.is_unresolved() {
            return None;
        }
        let hours = self.hours(&finding.severity)?;
        Some(finding.created()? + Duration::hours(hours))
    }

    /// True when the finding is open past its due time at `now`.
    pub fn is_breached(&self, finding: &Finding, now: DateTime<Utc>) -> bool {
        self.due(finding).is_some_and(|due| due <= now)
    }

    /// True when the due time fell in `(after, until]`: the breach happened
    /// between two looks, so it is news exactly once.
    pub fn breached_between(
        &self,
        finding: &Finding,
        after: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> bool {
        self.due(finding)
            .is_some_and(|due| due > after && due <= until)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::{FindingStatus, Timestamp};
    use chrono::TimeZone;

    fn at(h: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 6, 15, 0, 0, 0).unwrap() + Duration::hours(h)
    }

    fn finding(severity: Severity, status: FindingStatus, created_h: i64) -> Finding {
        Finding {
            severity,
            status,
            created_at: Some(Timestamp::from_datetime(at(created_h))),
            ..Finding::default()
        }
    }

    #[test]
    fn due_is_creation_plus_the_hours_of_the_severity() {
        let sla = SlaPolicy::from_hours(24, 72, 168, 336);
        let f = finding(Severity::Critical, FindingStatus::New, 0);
        assert_eq!(sla.due(&f), Some(at(24)));
        assert!(!sla.is_breached(&f, at(23)));
        assert!(sla.is_breached(&f, at(24)));
        let high = finding(Severity::High, FindingStatus::Triaged, 0);
        assert_eq!(sla.due(&high), Some(at(72)));
    }

    #[test]
    fn closed_findings_and_unknown_severities_have_no_sla() {
        let sla = SlaPolicy::from_hours(24, 72, 168, 336);
        let resolved = finding(Severity::Critical, FindingStatus::Resolved, 0);
        assert_eq!(sla.due(&resolved), None);
        let odd = finding(Severity::Other("urgent".into()), FindingStatus::New, 0);
        assert_eq!(sla.due(&odd), None);
    }

    #[test]
    fn a_breach_is_news_once() {
        let sla = SlaPolicy::from_hours(24, 72, 168, 336);
        let f = finding(Severity::Critical, FindingStatus::New, 0);
        assert!(sla.breached_between(&f, at(23), at(25)));
        assert!(!sla.breached_between(&f, at(25), at(26)));
        assert!(!sla.breached_between(&f, at(20), at(23)));
    }

    #[test]
    fn reads_the_policy_config() {
        let policy = Policy {
            config: serde_json::json!({"sla_hours": {"critical": 12, "low": 0}}),
            ..Policy::default()
        };
        let sla = SlaPolicy::from_policy(&policy).unwrap();
        assert_eq!(sla.hours(&Severity::Critical), Some(12));
        assert_eq!(sla.hours(&Severity::Low), None, "0 hours is no SLA");
        assert_eq!(SlaPolicy::from_policy(&Policy::default()), None);
    }
}
