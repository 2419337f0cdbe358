//! Alerts in the TUI, as reducer tests: the auto-refresh's answers raise
//! alerts for a health drop, a new critical finding, a regression and an
//! SLA breach; an outage is one status line with backoff and the data kept;
//! the alerts list and the changes view open with their keys.

mod tui_fixtures;

use std::time::Duration;

use chrono::FixedOffset;
use crossterm::event::KeyCode;
use krafter::api::ApiError;
use krafter::api::model::*;
use krafter::app::action::Action;
use krafter::app::effect::Effect;
use krafter::app::state::{AppState, Connection, Modal};
use krafter::app::update::update;
use krafter::config::KeyOverride;
use krafter::engine::alerts::{AlertEvent, Snapshot};
use krafter::engine::sla::SlaHours;
use krafter::engine::watch::Fetched;
use tui_fixtures::*;

/// A loaded session (command center health 62, 2 critical) in UTC.
fn watching() -> AppState {
    let mut s = loaded(5, 5);
    s.alerts.utc_offset = FixedOffset::east_opt(0).unwrap();
    s
}

fn critical(id: &str, created_hours_ago: i64, s: &AppState) -> Finding {
    Finding {
        id: id.into(),
        title: format!("Critical {id}"),
        severity: Severity::Critical,
        status: FindingStatus::New,
        created_at: Some(Timestamp::from_datetime(
            s.wall - chrono::Duration::hours(created_hours_ago),
        )),
        affected_assets: vec![Asset {
            kind: "url".into(),
            value: format!("https://example.com/{id}"),
            ..Asset::default()
        }],
        ..Finding::default()
    }
}

fn fetched(health: i64, critical: Vec<Finding>, regressions: Vec<Regression>) -> Fetched {
    let command_center = CommandCenter {
        health_score: Some(health),
        critical_findings: Some(critical.len() as i64),
        ..command_center()
    };
    Fetched {
        snapshot: Snapshot {
            command_center,
            critical: Some(critical),
            regressions: Some(regressions),
            sla: Some(SlaHours::from_hours(24, 72, 168, 336)),
            ..Snapshot::default()
        },
        policy_fetched: true,
        ..Fetched::default()
    }
}

/// One auto-refresh answered with `result`; returns the answer's effects.
fn refresh(s: &mut AppState, result: Result<Fetched, ApiError>) -> Vec<Effect> {
    let effects = update(s, Action::RefreshDue);
    let [Effect::Refresh { generation, ask }] = effects.as_slice() else {
        panic!("the auto-refresh asks once: {effects:?}");
    };
    assert!(ask.critical, "{ask:?}");
    // The saved views' counts are asked along (tested in tui_views.rs).
    update(
        s,
        Action::Refreshed {
            generation: *generation,
            result,
        },
    )
    .into_iter()
    .filter(|e| !matches!(e, Effect::CountView { .. }))
    .collect()
}

fn down() -> ApiError {
    ApiError::Connect {
        host: "127.0.0.1".into(),
        detail: "connection refused".into(),
    }
}

fn kinds(s: &AppState) -> Vec<&'static str> {
    s.alerts.list.iter().map(|a| a.label()).collect()
}

#[test]
fn a_health_drop_raises_an_alert_with_the_bell() {
    let mut s = watching();
    // The start's command center (62) is the baseline.
    let effects = refresh(&mut s, Ok(fetched(55, vec![], vec![])));
    assert_eq!(kinds(&s), ["health"], "{:?}", s.alerts.list);
    assert_eq!(
        s.alerts.list[0].event,
        AlertEvent::HealthDrop { from: 62, to: 55 }
    );
    assert_eq!(s.alerts.unseen, 1);
    assert!(
        matches!(&effects[..], [Effect::Notify { bell: true, desktop: false, body, .. }] if body.contains("62 → 55")),
        "{effects:?}"
    );
    assert_eq!(
        s.command_center.data.as_ref().unwrap().health_score,
        Some(55)
    );
    // A small move after that is quiet.
    assert!(refresh(&mut s, Ok(fetched(53, vec![], vec![]))).is_empty());
    assert_eq!(s.alerts.list.len(), 1);
}

#[test]
fn a_new_critical_finding_raises_an_alert_naming_it() {
    let mut s = watching();
    let a = critical("a", 1, &s);
    refresh(&mut s, Ok(fetched(62, vec![a.clone()], vec![])));
    assert!(s.alerts.list.is_empty(), "{:?}", s.alerts.list);
    let b = critical("b", 0, &s);
    refresh(&mut s, Ok(fetched(62, vec![a, b], vec![])));
    assert_eq!(kinds(&s), ["critical"]);
    assert!(
        s.alerts.list[0].message.contains("“Critical b”"),
        "{}",
        s.alerts.list[0].message
    );
    assert!(s.alerts.list[0].message.contains("https://example.com/b"));
}

#[test]
fn a_regression_raises_an_alert() {
    let mut s = watching();
    refresh(&mut s, Ok(fetched(62, vec![], vec![])));
    let r = Regression {
        id: "r-1".into(),
        finding_id: "f-000".into(),
        status: RegressionStatus::Open,
        ..Regression::default()
    };
    refresh(&mut s, Ok(fetched(62, vec![], vec![r])));
    assert_eq!(kinds(&s), ["regression"]);
    // The title comes from what the refresh knows (the top priorities).
    assert!(
        s.alerts.list[0].message.contains("is back"),
        "{}",
        s.alerts.list[0].message
    );
}

#[test]
fn an_sla_breach_raises_an_alert_when_its_time_passes() {
    let mut s = watching();
    // Due 30 seconds after the first refresh.
    let mut f = critical("late", 24, &s);
    f.created_at = Some(Timestamp::from_datetime(
        s.wall - chrono::Duration::hours(24) + chrono::Duration::seconds(30),
    ));
    refresh(&mut s, Ok(fetched(62, vec![f.clone()], vec![])));
    assert!(s.alerts.list.is_empty());
    s.wall += chrono::Duration::minutes(1);
    s.now += Duration::from_secs(60);
    refresh(&mut s, Ok(fetched(62, vec![f], vec![])));
    assert_eq!(kinds(&s), ["sla"]);
    assert!(
        s.alerts.list[0].message.contains("open past 24 h"),
        "{}",
        s.alerts.list[0].message
    );
}

#[test]
fn offline_is_one_status_line_with_backoff_and_back_is_quiet() {
    let mut s = watching();
    let toasts = s.toasts.len();
    assert!(refresh(&mut s, Err(down())).is_empty());
    assert_eq!(s.toasts.len(), toasts, "no toast for a failed refresh");
    assert_eq!(s.connection, Connection::Offline);
    assert!(s.command_center.data.is_some(), "the last good data stays");
    assert!(s.alerts.is_stale());
    assert_eq!(
        s.alerts.outage_line(s.now).as_deref(),
        Some("offline since 12:00, retrying in 10 s")
    );
    // The retry is due in 10 s, the next one in 20 s, then 40 s.
    let due = s.alerts.refresh_due(s.session.refresh_interval).unwrap();
    assert_eq!(due - s.now, Duration::from_secs(10));
    s.now = due;
    refresh(&mut s, Err(down()));
    s.now += Duration::from_secs(20);
    refresh(&mut s, Err(down()));
    assert_eq!(
        s.alerts.outage_line(s.now).as_deref(),
        Some("offline since 12:00, retrying in 40 s")
    );
    assert_eq!(
        s.toasts.len(),
        toasts,
        "still no toast after three failures"
    );
    assert!(s.alerts.list.is_empty(), "an outage is not an alert");

    s.now += Duration::from_secs(40);
    refresh(&mut s, Ok(fetched(62, vec![], vec![])));
    assert_eq!(s.connection, Connection::Online);
    assert!(!s.alerts.is_stale());
    assert_eq!(s.alerts.outage_line(s.now), None);
    assert!(
        s.toasts
            .iter()
            .any(|t| !t.error && t.text.contains("back online")),
        "{:?}",
        s.toasts
    );
    let due = s.alerts.refresh_due(s.session.refresh_interval).unwrap();
    assert_eq!(
        due - s.now,
        s.session.refresh_interval,
        "back to the interval"
    );
}

#[test]
fn the_auto_refresh_goes_on_under_the_alerts_list_and_pauses_under_a_dialog() {
    let mut s = watching();
    press(&mut s, &[ch('!')]);
    assert!(matches!(s.modal, Some(Modal::Alerts { .. })));
    assert!(matches!(
        update(&mut s, Action::RefreshDue).as_slice(),
        [Effect::Refresh { .. }]
    ));
    let mut s = watching();
    press(&mut s, &[ch('s')]);
    assert!(update(&mut s, Action::RefreshDue).is_empty());
    assert!(s.alerts.refresh_due(s.session.refresh_interval).is_some());
}

#[test]
fn the_list_opens_with_its_key_marks_alerts_seen_and_closes_with_esc() {
    let mut s = watching();
    refresh(&mut s, Ok(fetched(40, vec![], vec![])));
    assert_eq!(s.alerts.unseen, 1);
    press(&mut s, &[ch('!')]);
    assert!(matches!(s.modal, Some(Modal::Alerts { scroll: 0 })));
    assert_eq!(s.alerts.unseen, 0);
    press(&mut s, &[ch('j')]);
    assert!(matches!(s.modal, Some(Modal::Alerts { scroll: 1 })));
    press(&mut s, &[key(KeyCode::Esc)]);
    assert!(s.modal.is_none());

    // [keys] rebinds it like any other action.
    let keys = [KeyOverride {
        action: "alerts".into(),
        key: "ctrl-e".into(),
        line: Some(3),
    }];
    let mut s = state_with(session(), &keys);
    assert!(s.toasts.is_empty(), "{:?}", s.toasts);
    update(
        &mut s,
        Action::Key(crossterm::event::KeyEvent::new(
            KeyCode::Char('e'),
            crossterm::event::KeyModifiers::CONTROL,
        )),
    );
    assert!(matches!(s.modal, Some(Modal::Alerts { .. })));
}

#[test]
fn bell_off_rings_nothing() {
    let mut s = watching();
    s.alerts.settings.bell = false;
    assert!(refresh(&mut s, Ok(fetched(30, vec![], vec![]))).is_empty());
    assert_eq!(s.alerts.list.len(), 1, "the alert is still listed");
}

#[test]
fn the_changes_view_asks_for_its_period_and_drops_late_answers() {
    let mut s = watching();
    let effects = press(&mut s, &[ch('C')]);
    let [Effect::LoadChanges { generation, since }] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    assert_eq!(*since, s.wall - chrono::Duration::hours(24));
    assert!(matches!(s.modal, Some(Modal::Changes { .. })));
    let first = *generation;
    let effects = press(&mut s, &[ch('p')]);
    let [Effect::LoadChanges { since, .. }] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    assert_eq!(*since, s.wall - chrono::Duration::days(7));
    update(
        &mut s,
        Action::ChangesLoaded {
            generation: first,
            result: Ok(Default::default()),
        },
    );
    let view = s.changes.as_ref().unwrap();
    assert!(
        view.loading && view.report.is_none(),
        "the 24 h answer is late"
    );
    assert_eq!(view.period_label(), "7 days");
}
