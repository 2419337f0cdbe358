//! Service levels (contract 5.7): the policy's `sla_hours` by severity
//! gives every open finding a due time from its creation; a task carries
//! its own `sla_due_at`. One rule for what is due, what is breached and how
//! the time left reads, for the TUI's views and alerts and the headless
//! commands alike.

use chrono::{DateTime, Duration, Utc};

use crate::api::enums::{FindingStatus, Severity, TaskStatus};
use crate::api::model::{Finding, FindingRow, Policy, Task};

/// Hours allowed to fix a finding, by severity, from the policy.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SlaHours {
    hours: Vec<(Severity, i64)>,
}

impl SlaHours {
    /// The policy's `config.sla_hours`; `None` when it names no severity.
    /// Zero (or fewer) hours is no SLA for that severity.
    pub fn from_policy(policy: &Policy) -> Option<SlaHours> {
        let hours: Vec<(Severity, i64)> = Severity::KNOWN
            .iter()
            .filter_map(|s| Some((s.clone(), policy.sla_hours(s).filter(|h| *h > 0)?)))
            .collect();
        (!hours.is_empty()).then_some(SlaHours { hours })
    }

    /// Hours per severity (critical, high, medium, low).
    pub fn from_hours(critical: i64, high: i64, medium: i64, low: i64) -> SlaHours {
        SlaHours {
            hours: vec![
                (Severity::Critical, critical),
                (Severity::High, high),
                (Severity::Medium, medium),
                (Severity::Low, low),
            ],
        }
    }

    /// Hours for a severity, when the policy names it.
    pub fn hours(&self, severity: &Severity) -> Option<i64> {
        self.hours
            .iter()
            .find(|(s, _)| s == severity)
            .map(|(_, h)| *h)
    }

    /// When an open finding is due: its creation plus its severity's hours.
    /// Resolved and dismissed findings are due nothing.
    pub fn finding_due(&self, f: &Finding) -> Option<DateTime<Utc>> {
        self.due(&f.status, &f.severity, f.created())
    }

    /// [`SlaHours::finding_due`] for a list row.
    pub fn row_due(&self, row: &FindingRow) -> Option<DateTime<Utc>> {
        self.due(row.status(), row.severity(), row.created())
    }

    fn due(
        &self,
        status: &FindingStatus,
        severity: &Severity,
        created: Option<DateTime<Utc>>,
    ) -> Option<DateTime<Utc>> {
        if !status.is_unresolved() {
            return None;
        }
        Some(created? + Duration::hours(self.hours(severity)?))
    }

    /// True when the finding is open past its due time at `now`.
    pub fn is_breached(&self, finding: &Finding, now: DateTime<Utc>) -> bool {
        self.finding_due(finding).is_some_and(|due| due <= now)
    }

    /// True when the due time fell in `(after, until]`: the breach happened
    /// between two looks, so it is news exactly once.
    pub fn breached_between(
        &self,
        finding: &Finding,
        after: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> bool {
        self.finding_due(finding)
            .is_some_and(|due| due > after && due <= until)
    }
}

/// When a task is due: its `sla_due_at`, unless it is done.
pub fn task_due(task: &Task) -> Option<DateTime<Utc>> {
    if task.status == TaskStatus::Done {
        return None;
    }
    task.sla_due_at.as_ref()?.get()
}

/// Where a due time stands at `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sla {
    /// Nothing is due (closed, or no rule).
    None,
    /// Due in the future.
    Left(Duration),
    /// Past its due time by this much.
    Overdue(Duration),
}

impl Sla {
    /// The state of `due` at `now`.
    pub fn at(due: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Sla {
        match due {
            None => Sla::None,
            Some(due) if due > now => Sla::Left(due - now),
            Some(due) => Sla::Overdue(now - due),
        }
    }

    /// True when the due time has passed.
    pub fn is_breached(self) -> bool {
        matches!(self, Sla::Overdue(_))
    }

    /// `5h left`, `⚠ overdue 3h` (a symbol and a word, never colour
    /// alone), or `-`.
    pub fn text(self) -> String {
        match self {
            Sla::None => "-".to_string(),
            Sla::Left(d) => format!("{} left", span(d)),
            Sla::Overdue(d) => format!("{OVERDUE_SYMBOL} overdue {}", span(d)),
        }
    }
}

/// The symbol that marks a breached SLA.
pub const OVERDUE_SYMBOL: &str = "⚠";

/// A span in one short unit: `45m`, `5h`, `3d` (under a minute: `<1m`).
pub fn span(d: Duration) -> String {
    let mins = d.num_minutes();
    match mins {
        ..1 => "<1m".to_string(),
        1..60 => format!("{mins}m"),
        60..2880 => format!("{}h", mins / 60),
        _ => format!("{}d", mins / 1440),
    }
}

/// A due time typed by a person: empty for the policy's (`None`), a number
/// of hours from `now`, or an RFC 3339 time.
pub fn parse_due(text: &str, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if let Ok(hours) = text.trim_end_matches('h').parse::<i64>() {
        if !(1..=24 * 365).contains(&hours) {
            return Err(format!(
                "{hours} hours is not a due time: give 1 to 8760 hours"
            ));
        }
        return Ok(Some(now + Duration::hours(hours)));
    }
    DateTime::parse_from_rfc3339(text)
        .map(|t| Some(t.with_timezone(&Utc)))
        .map_err(|_| {
            "not a due time: leave it empty for the policy's, or give hours (48) \
             or an RFC 3339 time (2025-06-20T17:00:00Z)"
                .to_string()
        })
}

/// How many of the list's `rows` are past their SLA at `now`.
pub fn breaches<'a>(
    hours: &SlaHours,
    rows: impl IntoIterator<Item = &'a FindingRow>,
    now: DateTime<Utc>,
) -> usize {
    rows.into_iter()
        .filter(|f| Sla::at(hours.row_due(f), now).is_breached())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::Timestamp;
    use chrono::TimeZone;

    fn policy() -> Policy {
        serde_json::from_value(serde_json::json!({
            "name": "default",
            "config": {"sla_hours": {"critical": 24, "high": 72, "medium": 168, "low": 336}}
        }))
        .unwrap()
    }

    fn finding(severity: &str, status: &str, created: &str) -> Finding {
        serde_json::from_value(serde_json::json!({
            "id": "f", "severity": severity, "status": status, "created_at": created
        }))
        .unwrap()
    }

    #[test]
    fn an_open_finding_is_due_its_severitys_hours_after_creation() {
        let sla = SlaHours::from_policy(&policy()).unwrap();
        let now = Utc.with_ymd_and_hms(2025, 6, 15, 12, 0, 0).unwrap();
        let critical = finding("critical", "new", "2025-06-14T09:00:00Z");
        let due = sla.finding_due(&critical).unwrap();
        assert_eq!(due, Utc.with_ymd_and_hms(2025, 6, 15, 9, 0, 0).unwrap());
        assert_eq!(Sla::at(Some(due), now).text(), "⚠ overdue 3h");
        assert!(Sla::at(Some(due), now).is_breached());
        let high = finding("high", "triaged", "2025-06-15T07:00:00Z");
        assert_eq!(Sla::at(sla.finding_due(&high), now).text(), "2d left");
        let resolved = finding("critical", "resolved", "2025-06-01T00:00:00Z");
        assert_eq!(sla.finding_due(&resolved), None);
        assert_eq!(Sla::at(None, now).text(), "-");
        let mut strings = crate::api::model::Interner::default();
        let rows: Vec<FindingRow> = [&critical, &high, &resolved]
            .into_iter()
            .map(|f| FindingRow::new(f.clone(), &mut strings))
            .collect();
        assert_eq!(breaches(&sla, &rows, now), 1);
        let odd = finding("catastrophic", "new", "2025-06-01T00:00:00Z");
        assert_eq!(sla.finding_due(&odd), None, "no rule, no due time");
    }

    #[test]
    fn spans_read_in_one_unit() {
        assert_eq!(span(Duration::seconds(20)), "<1m");
        assert_eq!(span(Duration::minutes(45)), "45m");
        assert_eq!(span(Duration::hours(47)), "47h");
        assert_eq!(span(Duration::hours(49)), "2d");
    }

    #[test]
    fn a_typed_due_time_is_hours_or_rfc3339() {
        let now = Utc.with_ymd_and_hms(2025, 6, 15, 12, 0, 0).unwrap();
        assert_eq!(parse_due(" ", now), Ok(None));
        assert_eq!(
            parse_due("48", now),
            Ok(Some(Utc.with_ymd_and_hms(2025, 6, 17, 12, 0, 0).unwrap()))
        );
        assert_eq!(
            parse_due("2025-06-20T17:00:00Z", now),
            Ok(Some(Utc.with_ymd_and_hms(2025, 6, 20, 17, 0, 0).unwrap()))
        );
        assert!(parse_due("soon", now).unwrap_err().contains("RFC 3339"));
        assert!(parse_due("0", now).is_err());
    }

    #[test]
    fn a_policy_without_sla_hours_gives_none() {
        let p: Policy =
            serde_json::from_value(serde_json::json!({"name": "x", "config": {}})).unwrap();
        assert_eq!(SlaHours::from_policy(&p), None);
    }

    fn at(h: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 6, 15, 0, 0, 0).unwrap() + Duration::hours(h)
    }

    fn typed_finding(severity: Severity, status: FindingStatus, created_h: i64) -> Finding {
        Finding {
            severity,
            status,
            created_at: Some(Timestamp::from_datetime(at(created_h))),
            ..Finding::default()
        }
    }

    #[test]
    fn due_is_creation_plus_the_hours_of_the_severity() {
        let sla = SlaHours::from_hours(24, 72, 168, 336);
        let f = typed_finding(Severity::Critical, FindingStatus::New, 0);
        assert_eq!(sla.finding_due(&f), Some(at(24)));
        assert!(!sla.is_breached(&f, at(23)));
        assert!(sla.is_breached(&f, at(24)));
        let high = typed_finding(Severity::High, FindingStatus::Triaged, 0);
        assert_eq!(sla.finding_due(&high), Some(at(72)));
    }

    #[test]
    fn closed_findings_and_unknown_severities_have_no_sla() {
        let sla = SlaHours::from_hours(24, 72, 168, 336);
        let resolved = typed_finding(Severity::Critical, FindingStatus::Resolved, 0);
        assert_eq!(sla.finding_due(&resolved), None);
        let odd = typed_finding(Severity::Other("urgent".into()), FindingStatus::New, 0);
        assert_eq!(sla.finding_due(&odd), None);
    }

    #[test]
    fn a_breach_is_news_once() {
        let sla = SlaHours::from_hours(24, 72, 168, 336);
        let f = typed_finding(Severity::Critical, FindingStatus::New, 0);
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
        let sla = SlaHours::from_policy(&policy).unwrap();
        assert_eq!(sla.hours(&Severity::Critical), Some(12));
        assert_eq!(sla.hours(&Severity::Low), None, "0 hours is no SLA");
        assert_eq!(SlaHours::from_policy(&Policy::default()), None);
    }
}
