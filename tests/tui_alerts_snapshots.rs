//! Snapshots (with styles) of the alerts list and of the status line while
//! refreshes fail (the data kept, marked stale), at 120x40 and 80x24.

mod tui_fixtures;

use std::time::Duration;

use chrono::FixedOffset;
use krafter::api::ApiError;
use krafter::api::model::CommandCenter;
use krafter::app::action::Action;
use krafter::app::effect::Effect;
use krafter::app::state::AppState;
use krafter::app::update::update;
use krafter::config::UiSettings;
use krafter::engine::alerts::Snapshot;
use krafter::engine::watch::Fetched;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
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

fn refresh(s: &mut AppState, result: Result<Fetched, ApiError>) {
    let effects = update(s, Action::RefreshDue);
    let Some(Effect::Refresh { generation, .. }) = effects.first() else {
        panic!("{effects:?}");
    };
    let generation = *generation;
    update(s, Action::Refreshed { generation, result });
}

fn health(score: i64, critical: i64) -> Fetched {
    Fetched {
        snapshot: Snapshot {
            command_center: CommandCenter {
                health_score: Some(score),
                critical_findings: Some(critical),
                ..command_center()
            },
            ..Snapshot::default()
        },
        ..Fetched::default()
    }
}

fn base() -> AppState {
    let mut s = loaded(20, 20);
    s.alerts.utc_offset = FixedOffset::east_opt(0).unwrap();
    s
}

/// Two refreshes, each raising alerts; the list is open.
fn with_alerts() -> AppState {
    let mut s = base();
    refresh(&mut s, Ok(health(54, 3)));
    s.wall += chrono::Duration::minutes(5);
    s.now += Duration::from_secs(300);
    refresh(&mut s, Ok(health(45, 4)));
    s
}

/// Refreshes failing for a while: the data is kept and marked stale.
fn offline() -> AppState {
    let mut s = base();
    s.now += Duration::from_secs(60);
    refresh(
        &mut s,
        Err(ApiError::Connect {
            host: "127.0.0.1".into(),
            detail: "refused".into(),
        }),
    );
    s.now += Duration::from_secs(4);
    s
}

#[test]
fn alerts_list() {
    for (w, h) in [(120, 40), (80, 24)] {
        let mut s = with_alerts();
        // Before the list opens, the status line names the newest alert.
        let closed = draw(&mut s, w, h);
        insta::assert_debug_snapshot!(format!("alerts_status_line_{w}x{h}"), closed);
        press(&mut s, &[ch('!')]);
        let open = draw(&mut s, w, h);
        insta::assert_debug_snapshot!(format!("alerts_list_{w}x{h}"), open);
    }
}

#[test]
fn offline_and_stale() {
    for (w, h) in [(120, 40), (80, 24)] {
        let mut s = offline();
        let buffer = draw(&mut s, w, h);
        insta::assert_debug_snapshot!(format!("offline_stale_{w}x{h}"), buffer);
    }
}
