use chrono::{Duration, TimeZone};

use super::*;
use crate::api::model::{BurnDownPoint, RegressionStatus, Severity, Timestamp};
use crate::journal::{HistoryEntry, Values};

fn at(h: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 15, 12, 0, 0).unwrap() + Duration::hours(h)
}

fn finding(id: &str, status: FindingStatus, created: i64, updated: i64) -> Finding {
    Finding {
        id: id.into(),
        title: format!("Finding {id}"),
        severity: Severity::High,
        status,
        created_at: Some(Timestamp::from_datetime(at(created))),
        updated_at: Some(Timestamp::from_datetime(at(updated))),
        ..Finding::default()
    }
}

#[test]
fn findings_regressions_journal_and_health_are_split_by_the_time() {
    let mut first_seen = finding("seen-late", FindingStatus::New, -48, -1);
    first_seen
        .extra
        .insert("first_seen_at".into(), "2025-06-15T11:00:00Z".into());
    let inputs = Inputs {
        findings: vec![
            finding("old", FindingStatus::New, -48, -48),
            finding("fresh", FindingStatus::New, -2, -2),
            first_seen,
            finding("fixed", FindingStatus::Resolved, -48, -3),
            finding("fixed-long-ago", FindingStatus::Resolved, -48, -30),
            finding("dropped", FindingStatus::Dismissed, -48, -1),
        ],
        regressions: Some(vec![
            Regression {
                id: "r-new".into(),
                finding_id: "fresh".into(),
                status: RegressionStatus::Open,
                detected_at: Some(Timestamp::from_datetime(at(-1))),
                ..Regression::default()
            },
            Regression {
                id: "r-old".into(),
                finding_id: "old".into(),
                detected_at: Some(Timestamp::from_datetime(at(-30))),
                ..Regression::default()
            },
        ]),
        summary: Some(ReportSummary {
            risk_burn_down: vec![
                BurnDownPoint {
                    date: Some("2025-06-14".into()),
                    open_risk_score: Some(400.0),
                    ..BurnDownPoint::default()
                },
                BurnDownPoint {
                    date: Some("2025-06-15".into()),
                    open_risk_score: Some(310.0),
                    ..BurnDownPoint::default()
                },
            ],
            ..ReportSummary::default()
        }),
        command_center: Some(CommandCenter {
            health_score: Some(71),
            ..CommandCenter::default()
        }),
        journal: Some(vec![RecentChange {
            finding_id: "old".into(),
            title: "Finding old".into(),
            entry: HistoryEntry {
                at: "2025-06-15T10:00:00.000Z".into(),
                profile: "default".into(),
                job_id: "job-1".into(),
                from: Values {
                    status: FindingStatus::New,
                    ..Values::default()
                },
                to: Values {
                    status: FindingStatus::Triaged,
                    ..Values::default()
                },
                reason: None,
                comment: None,
                undo_of: None,
            },
        }]),
        notes: Vec::new(),
    };
    let report = ChangeReport::compute(at(-24), at(0), inputs);
    let ids = |list: &[ChangedFinding]| list.iter().map(|f| f.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&report.new), ["fresh", "seen-late"]);
    assert_eq!(ids(&report.resolved), ["fixed"]);
    assert_eq!(ids(&report.dismissed), ["dropped"]);
    let regressed = report.regressed.as_ref().unwrap();
    assert_eq!(regressed.len(), 1);
    assert_eq!(regressed[0].title.as_deref(), Some("Finding fresh"));
    let changes = report.status_changes.as_ref().unwrap();
    assert_eq!(
        (changes[0].from.as_str(), changes[0].to.as_str()),
        ("new", "triaged")
    );
    let from = report.health.from.as_ref().unwrap();
    assert_eq!(from.date.as_deref(), Some("2025-06-14"));
    assert_eq!(from.open_risk_score, Some(400.0));
    assert_eq!(report.health.to.open_risk_score, Some(310.0));
    assert_eq!(report.health.to.health_score, Some(71));

    let json = serde_json::to_value(&report).unwrap();
    for key in ["new", "resolved", "dismissed", "regressed", "health"] {
        assert!(json.get(key).is_some(), "{key} in {json}");
    }
    assert_eq!(json["health"]["to"]["health_score"], 71);
}

#[test]
fn a_period_older_than_the_burn_down_says_so() {
    let inputs = Inputs {
        summary: Some(ReportSummary::default()),
        ..Inputs::default()
    };
    let report = ChangeReport::compute(at(-24 * 30), at(0), inputs);
    assert!(report.health.from.is_none());
    assert!(
        report.notes.iter().any(|n| n.contains("7 days")),
        "{:?}",
        report.notes
    );
    assert!(report.regressed.is_none() && report.status_changes.is_none());
}
