//! Snapshots (styles included: the buffer's debug form) of the tasks,
//! regressions and report panes, loaded, empty, failed and on a service
//! without the route (404), at 120x40 and 80x24; and of what the loop adds
//! elsewhere: the SLA column, the regression badge, the command center's
//! counts, the verifications overlay and the offer after a failed run.

mod tui_fixtures;

use std::time::Duration;

use crossterm::event::KeyCode;
use krafter::api::model::*;
use krafter::app::action::Action;
use krafter::app::effect::Effect;
use krafter::app::state::AppState;
use krafter::app::update::update;
use krafter::config::UiSettings;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use tui_fixtures::remediation::*;
use tui_fixtures::*;

fn draw(state: &mut AppState, w: u16, h: u16) -> Buffer {
    update(state, Action::Resize(w, h));
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    let theme = theme(&UiSettings::default());
    terminal
        .draw(|f| krafter::ui::render(f, state, &theme))
        .unwrap();
    terminal.backend().buffer().clone()
}

/// Both sizes of one state, built fresh for each.
macro_rules! snap_both {
    ($name:literal, $state:expr) => {{
        let mut big = $state;
        insta::assert_debug_snapshot!(concat!($name, "_120x40"), draw(&mut big, 120, 40));
        let mut small = $state;
        insta::assert_debug_snapshot!(concat!($name, "_80x24"), draw(&mut small, 80, 24));
    }};
}

/// A loaded session whose policy and open regressions are known, named
/// people and all, a quiet status bar.
fn base() -> AppState {
    let mut sess = session();
    sess.people = krafter::engine::people::People::new(
        vec![("Mei Lin".into(), OTHER.into())],
        Some(ME.into()),
    );
    let mut s = state_with(sess, &[]);
    load(&mut s, 12, 12);
    remediation_known(&mut s, vec![regression(1, true), regression(4, true)]);
    s.now += Duration::from_secs(5);
    s
}

/// Shows `key`'s pane and answers its load with `answer`.
fn shown(key: char, answer: impl FnOnce(&Effect) -> Action) -> AppState {
    let mut s = base();
    let effects = press(&mut s, &[ch(key)]);
    let [effect] = effects.as_slice() else {
        panic!("one load: {effects:?}")
    };
    update(&mut s, answer(effect));
    s
}

fn tasks_with(result: Result<Vec<Task>, krafter::api::ApiError>) -> AppState {
    shown('3', |e| {
        let Effect::LoadTasks { generation, .. } = e else {
            panic!("{e:?}")
        };
        Action::TasksPage {
            generation: *generation,
            result: result.map(|items| {
                let n = items.len() as u64;
                task_page(items, None, n)
            }),
        }
    })
}

fn regressions_with(result: Result<Vec<Regression>, krafter::api::ApiError>) -> AppState {
    let mut s = shown('4', |e| {
        let Effect::LoadRegressions { generation, .. } = e else {
            panic!("{e:?}")
        };
        Action::RegressionsLoaded {
            generation: *generation,
            result,
        }
    });
    // What the title fetch would bring for a finding not in the list.
    let mut far = finding(30);
    far.title = "Session cookie without the Secure flag".into();
    update(
        &mut s,
        Action::TitlesLoaded {
            findings: vec![far],
        },
    );
    s
}

fn report_with(result: Result<ReportSummary, krafter::api::ApiError>) -> AppState {
    shown('5', |e| {
        let Effect::LoadReport { generation } = e else {
            panic!("{e:?}")
        };
        Action::ReportLoaded {
            generation: *generation,
            result,
        }
    })
}

fn server_error() -> krafter::api::ApiError {
    http_error(500, "internal", "the database is unavailable")
}

#[test]
fn tasks_pane() {
    snap_both!("tasks_loaded", {
        let mut s = tasks_with(Ok(tasks(0..9)));
        press(&mut s, &[ch('j'), ch('j')]);
        s
    });
    snap_both!("tasks_empty", tasks_with(Ok(Vec::new())));
    snap_both!("tasks_error", tasks_with(Err(server_error())));
    snap_both!("tasks_not_offered", tasks_with(Err(not_found())));
}

#[test]
fn tasks_pane_says_overdue_with_a_symbol_and_a_word() {
    let mut s = tasks_with(Ok(tasks(0..4)));
    let screen = text(&draw(&mut s, 120, 40));
    assert!(screen.contains("⚠ overdue 20h"), "{screen}");
    assert!(screen.contains("7h left"), "{screen}");
    assert!(
        screen.contains("SEC-100") && screen.contains("Mei Lin"),
        "{screen}"
    );
}

#[test]
fn regressions_pane() {
    snap_both!(
        "regressions_loaded",
        regressions_with(Ok(vec![
            regression(1, true),
            regression(30, true),
            regression(4, false)
        ]))
    );
    snap_both!("regressions_empty", regressions_with(Ok(Vec::new())));
    snap_both!("regressions_error", regressions_with(Err(server_error())));
    snap_both!(
        "regressions_not_offered",
        regressions_with(Err(not_found()))
    );
}

#[test]
fn report_pane() {
    snap_both!("report_loaded", report_with(Ok(report())));
    snap_both!(
        "report_empty",
        report_with(Ok(ReportSummary {
            verification_pass_rate: Some(0.0),
            regression_rate: Some(0.0),
            open_findings: Some(0),
            ..ReportSummary::default()
        }))
    );
    snap_both!("report_error", report_with(Err(server_error())));
    snap_both!("report_not_offered", report_with(Err(not_found())));
}

#[test]
fn the_burn_down_has_dates_values_and_a_scale() {
    let mut s = report_with(Ok(report()));
    let screen = text(&draw(&mut s, 120, 40));
    for label in ["06-09", "06-15", "412", "240", "412 ┤", "0 ┤", "75%", "4%"] {
        assert!(screen.contains(label), "{label}: {screen}");
    }
}

#[test]
fn the_loop_elsewhere() {
    // The findings list: the SLA column, sorted by time left, and badges.
    let mut s = base();
    press(&mut s, &[key(KeyCode::Tab)]);
    for _ in 0..4 {
        press(&mut s, &[ch('o')]);
    }
    assert_eq!(s.findings.sort, krafter::app::state::SortKey::SlaLeft);
    insta::assert_debug_snapshot!("findings_sla_and_badges_120x40", draw(&mut s, 120, 40));
    let screen = text(&draw(&mut s, 120, 40));
    assert!(
        screen.contains("↺ regressed") && screen.contains("overdue"),
        "{screen}"
    );

    // The detail of a regressed finding.
    let mut s = base();
    press(&mut s, &[key(KeyCode::Tab), ch('j'), key(KeyCode::Enter)]);
    // Once fetched: the list keeps only a compact row of it.
    let (generation, id) = s
        .detail
        .as_ref()
        .map(|d| (d.generation, d.id.clone()))
        .unwrap();
    let whole = s
        .findings
        .rows
        .iter()
        .position(|f| f.id() == id)
        .map(finding)
        .unwrap();
    assert_eq!(whole.id, id);
    update(
        &mut s,
        Action::FindingLoaded {
            generation,
            result: Ok(whole),
        },
    );
    insta::assert_debug_snapshot!("detail_regressed_80x24", draw(&mut s, 80, 24));

    // The command center's counts.
    insta::assert_debug_snapshot!("command_center_counts_80x24", draw(&mut base(), 80, 24));
    let band = text(&draw(&mut base(), 120, 40));
    assert!(band.contains("↺ Regressions 2 open"), "{band}");
    assert!(band.contains("past SLA"), "{band}");

    // The verifications overlay and the offer after a failed run.
    let mut s = tasks_with(Ok(tasks(0..4)));
    let effects = press(&mut s, &[ch('i')]);
    let [Effect::LoadVerifications { generation, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let runs: Vec<Verification> = serde_json::from_value(serde_json::json!([
        {"id": "v-2", "task_id": "t-000", "result": "passed", "verified_at": "2025-06-15T11:00:00Z",
         "created_at": "2025-06-15T10:58:00Z",
         "checks": [{"key": "security.csp_missing", "before": "", "after": "default-src 'self'", "status": "passed"}]},
        {"id": "v-1", "task_id": "t-000", "result": "failed", "created_at": "2025-06-14T09:00:00Z",
         "checks": [{"key": "security.csp_missing", "before": "", "after": null, "status": "failed"}]}
    ]))
    .unwrap();
    update(
        &mut s,
        Action::VerificationsLoaded {
            generation: *generation,
            result: Ok((None, runs)),
        },
    );
    insta::assert_debug_snapshot!("verifications_overlay_80x24", draw(&mut s, 80, 24));

    let mut s = tasks_with(Ok(tasks(0..4)));
    press(&mut s, &[ch('V')]);
    let failed: Verification = serde_json::from_value(serde_json::json!({
        "id": "v-3", "task_id": "t-000", "result": "failed",
        "checks": [{"key": "security.csp_missing", "before": "", "after": null, "status": "failed"}]
    }))
    .unwrap();
    update(
        &mut s,
        Action::VerificationStarted {
            finding_id: "f-000".into(),
            result: Ok(failed),
        },
    );
    s.toasts.clear();
    insta::assert_debug_snapshot!("verification_failed_offer_80x24", draw(&mut s, 80, 24));
}
