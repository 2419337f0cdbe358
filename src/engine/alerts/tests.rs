use chrono::{Duration, TimeZone};

use super::*;
use crate::api::model::{FindingStatus, RegressionStatus, Timestamp};

fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 15, 2, 0, 0).unwrap() + Duration::minutes(minutes)
}

fn center(health: i64, critical: i64) -> CommandCenter {
    CommandCenter {
        health_score: Some(health),
        critical_findings: Some(critical),
        ..CommandCenter::default()
    }
}

fn critical(id: &str, created: DateTime<Utc>) -> Finding {
    Finding {
        id: id.into(),
        title: format!("Finding {id}\x1b[2J"),
        severity: Severity::Critical,
        status: FindingStatus::New,
        created_at: Some(Timestamp::from_datetime(created)),
        ..Finding::default()
    }
}

fn regression(id: &str, finding: &str) -> Regression {
    Regression {
        id: id.into(),
        finding_id: finding.into(),
        status: RegressionStatus::Open,
        ..Regression::default()
    }
}

fn full(minutes: i64, health: i64, criticals: Vec<Finding>, regs: Vec<Regression>) -> Snapshot {
    Snapshot {
        at: at(minutes),
        command_center: center(health, criticals.len() as i64),
        critical: Some(criticals),
        regressions: Some(regs),
        sla: Some(SlaHours::from_hours(24, 72, 168, 336)),
    }
}

#[test]
fn the_first_snapshot_is_only_a_baseline() {
    let mut w = Watcher::new(AlertRules::default());
    let old = at(0) - Duration::hours(30);
    assert!(
        w.observe(full(
            0,
            40,
            vec![critical("a", old)],
            vec![regression("r", "a")]
        ))
        .is_empty()
    );
}

#[test]
fn a_drop_alerts_from_the_recent_high_and_a_slow_slide_adds_up() {
    let mut w = Watcher::new(AlertRules { health_drop: 5 });
    w.observe(Snapshot::of_command_center(center(80, 0), at(0)));
    assert!(
        w.observe(Snapshot::of_command_center(center(78, 0), at(1)))
            .is_empty()
    );
    let alerts = w.observe(Snapshot::of_command_center(center(75, 0), at(2)));
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].event, AlertEvent::HealthDrop { from: 80, to: 75 });
    assert_eq!(alerts[0].message, "health fell 5 points: 80 → 75");
    assert!(
        w.observe(Snapshot::of_command_center(center(72, 0), at(3)))
            .is_empty(),
        "the next alert counts from the last one"
    );
}

#[test]
fn a_new_critical_finding_is_named_and_its_title_made_safe() {
    let mut w = Watcher::default();
    w.observe(full(0, 90, vec![critical("a", at(0))], vec![]));
    let alerts = w.observe(full(
        1,
        90,
        vec![critical("a", at(0)), critical("b", at(1))],
        vec![],
    ));
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert!(
        matches!(&alerts[0].event, AlertEvent::NewCritical { finding_id, .. } if finding_id == "b")
    );
    assert!(!alerts[0].message.contains('\x1b'), "{}", alerts[0].message);
    assert_eq!(alerts[0].label(), "critical");
}

#[test]
fn without_the_findings_a_rising_count_still_alerts() {
    let mut w = Watcher::default();
    w.observe(Snapshot::of_command_center(center(90, 1), at(0)));
    let alerts = w.observe(Snapshot::of_command_center(center(90, 2), at(1)));
    assert_eq!(
        alerts[0].event,
        AlertEvent::CriticalCountRose { from: 1, to: 2 }
    );
}

#[test]
fn a_regression_alerts_once_and_is_not_also_a_new_critical() {
    let mut w = Watcher::default();
    w.observe(full(0, 90, vec![], vec![]));
    let back = critical("c", at(-60 * 48));
    let alerts = w.observe(full(1, 80, vec![back.clone()], vec![regression("r1", "c")]));
    let kinds: Vec<&str> = alerts.iter().map(Alert::label).collect();
    assert_eq!(kinds, ["health", "regression"], "{alerts:?}");
    assert!(
        alerts[1].message.contains("Finding c"),
        "{}",
        alerts[1].message
    );
    let again = w.observe(full(2, 80, vec![back], vec![regression("r1", "c")]));
    assert!(again.is_empty(), "{again:?}");
}

#[test]
fn an_sla_breach_alerts_when_the_due_time_passes_between_refreshes() {
    let mut w = Watcher::default();
    // Created 23 h 59 min before the first refresh: due one minute later.
    let f = critical("d", at(0) - Duration::minutes(24 * 60 - 1));
    w.observe(full(0, 90, vec![f.clone()], vec![]));
    let alerts = w.observe(full(2, 90, vec![f.clone()], vec![]));
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    match &alerts[0].event {
        AlertEvent::SlaBreached {
            sla_hours, due_at, ..
        } => {
            assert_eq!(*sla_hours, 24);
            assert_eq!(due_at, "2025-06-15T02:01:00Z");
        }
        other => panic!("{other:?}"),
    }
    assert!(w.observe(full(4, 90, vec![f], vec![])).is_empty());
}

#[test]
fn a_missing_part_is_carried_over_instead_of_alerting() {
    let mut w = Watcher::default();
    w.observe(full(
        0,
        90,
        vec![critical("a", at(0))],
        vec![regression("r", "x")],
    ));
    // A refresh whose extra requests failed: only the command center.
    assert!(
        w.observe(Snapshot::of_command_center(center(90, 1), at(1)))
            .is_empty()
    );
    // The next full one compares with the carried-over parts.
    let alerts = w.observe(full(
        2,
        90,
        vec![critical("a", at(0))],
        vec![regression("r", "x")],
    ));
    assert!(alerts.is_empty(), "{alerts:?}");
}

#[test]
fn json_has_the_kind_and_the_facts() {
    let mut w = Watcher::default();
    w.observe(Snapshot::of_command_center(center(80, 0), at(0)));
    let alerts = w.observe(Snapshot::of_command_center(center(70, 0), at(1)));
    let json = serde_json::to_value(&alerts[0]).unwrap();
    assert_eq!(json["kind"], "health_drop");
    assert_eq!(json["from"], 80);
    assert_eq!(json["to"], 70);
    assert_eq!(json["at"], "2025-06-15T02:01:00Z");
}
