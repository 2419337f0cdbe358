//! The README's pictures are the real TUI: each is drawn from a state by
//! the same renderer as the terminal (ratatui's test backend) and written
//! as an SVG with its colours. This test fails when a committed picture
//! differs from what the code draws now; regenerate them with
//!
//! ```sh
//! KRAFTER_WRITE_PICTURES=1 cargo test --test readme_pictures
//! ```

mod tui_fixtures;

use std::path::PathBuf;
use std::time::Duration;

use crossterm::event::KeyCode;
use krafter::api::ratelimit::BudgetSnapshot;
use krafter::app::action::Action;
use krafter::app::effect::Effect;
use krafter::app::state::AppState;
use krafter::app::update::update;
use krafter::config::UiSettings;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tui_fixtures::remediation::*;
use tui_fixtures::*;

fn svg_of(state: &mut AppState, w: u16, h: u16) -> String {
    update(state, Action::Resize(w, h));
    let theme = theme(&UiSettings::default());
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|f| krafter::ui::render(f, state, &theme))
        .unwrap();
    krafter::ui::svg::to_svg(terminal.backend().buffer())
}

/// Compares with the committed picture, or writes it when asked to.
fn check(name: &str, svg: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("docs")
        .join(name);
    if std::env::var_os("KRAFTER_WRITE_PICTURES").is_some() {
        std::fs::write(&path, svg).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == svg,
        "{} differs from what the TUI draws now; run \
         KRAFTER_WRITE_PICTURES=1 cargo test --test readme_pictures and commit it",
        path.display()
    );
}

fn picture_state() -> AppState {
    let mut sess = tui_fixtures::session();
    sess.people = krafter::engine::people::People::new(
        vec![("Mei Lin".into(), OTHER.into())],
        Some(ME.into()),
    );
    let mut s = state_with(sess, &[]);
    load(&mut s, 40, 120);
    remediation_known(&mut s, vec![regression(1, true)]);
    s.budget = BudgetSnapshot {
        limit: Some(100),
        remaining: Some(87),
        ..BudgetSnapshot::default()
    };
    s.now += Duration::from_secs(5);
    s
}

#[test]
fn findings_picture() {
    let mut s = picture_state();
    press(&mut s, &[key(KeyCode::Tab), ch(' '), ch('j'), ch('j')]);
    check("screen-findings.svg", &svg_of(&mut s, 120, 36));
}

#[test]
fn tasks_picture() {
    let mut s = picture_state();
    let effects = press(&mut s, &[ch('3')]);
    let Some(Effect::LoadTasks { generation, .. }) = effects.first().cloned() else {
        panic!("{effects:?}");
    };
    update(
        &mut s,
        Action::TasksPage {
            generation,
            result: Ok(task_page(tasks(0..9), None, 9)),
        },
    );
    press(&mut s, &[ch('j')]);
    check("screen-tasks.svg", &svg_of(&mut s, 120, 36));
}
