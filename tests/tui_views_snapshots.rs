//! Snapshots (with styles) of the saved views' tabs above the list, a
//! changed view with a multi-key sort, and the command line with its
//! completions, at 120x40 and 80x24.

mod tui_fixtures;

use crossterm::event::KeyCode;
use krafter::app::action::Action;
use krafter::app::state::AppState;
use krafter::app::update::update;
use tui_fixtures::*;

/// The list after loading, on the second view (Mine), its counts known.
fn views_state() -> AppState {
    let mut s = state_with(session(), &[]);
    load(&mut s, 40, 120);
    press(&mut s, &[key(KeyCode::Tab), ch('2')]);
    let generation = s.findings.generation;
    let mine: Vec<_> = findings(0..12)
        .into_iter()
        .map(|mut f| {
            f.owner_id = Some(ME.into());
            f
        })
        .collect();
    update(
        &mut s,
        Action::FindingsPage {
            generation,
            offset: 0,
            result: Ok(page(mine, 12)),
        },
    );
    s.toasts.clear();
    s
}

macro_rules! snap {
    ($name:expr, $state:expr, $w:expr, $h:expr, $check:expr) => {{
        let mut state = $state;
        let buffer = draw(&mut state, $w, $h);
        let shown = text(&buffer);
        let check: &dyn Fn(&str) = &$check;
        check(&shown);
        insta::assert_debug_snapshot!($name, buffer);
    }};
}

fn tabs_shown(screen: &str) {
    assert!(screen.contains("▸2 Mine 60"), "{screen}");
    assert!(screen.contains("1 All 120"), "{screen}");
    assert!(screen.contains("view Mine: owner="), "{screen}");
    assert!(screen.contains("sort: status ↑, severity ↓"), "{screen}");
}

#[test]
fn view_tabs_with_counts() {
    snap!("view_tabs_120x40", views_state(), 120, 40, tabs_shown);
    snap!("view_tabs_80x24", views_state(), 80, 24, tabs_shown);
}

fn changed(screen: &str) {
    assert!(screen.contains("view Mine (changed)"), "{screen}");
    assert!(screen.contains("sort: age ↑, severity ↓"), "{screen}");
    assert!(!screen.contains("▸"), "no tab is current: {screen}");
}

#[test]
fn a_changed_view_with_a_multi_key_sort() {
    let changed_state = || {
        let mut s = views_state();
        press(&mut s, &[ch(':')]);
        for c in "sort age severity".chars() {
            press(&mut s, &[ch(c)]);
        }
        press(&mut s, &[key(KeyCode::Enter)]);
        s.toasts.clear();
        s
    };
    snap!(
        "view_changed_sort_120x40",
        changed_state(),
        120,
        40,
        changed
    );
    snap!("view_changed_sort_80x24", changed_state(), 80, 24, changed);
}

fn command_line_shown(screen: &str) {
    assert!(screen.contains(":view "), "{screen}");
    assert!(
        screen.contains("All  Mine  Untriaged  Critical open"),
        "{screen}"
    );
    assert!(screen.contains("tab completes"), "{screen}");
}

#[test]
fn command_line_with_completions() {
    let open = || {
        let mut s = views_state();
        press(
            &mut s,
            &[ch(':'), ch('v'), key(KeyCode::Tab), key(KeyCode::Tab)],
        );
        s
    };
    snap!("command_line_120x40", open(), 120, 40, command_line_shown);
    snap!("command_line_80x24", open(), 80, 24, command_line_shown);
}

/// A view that chose owner and age: those columns, in its order, and the
/// title; no domain or score.
fn columns_state() -> AppState {
    let mut s = state_with(session(), &[]);
    s.views = krafter::app::state::ViewsState::new(vec![krafter::config::views::ViewSpec {
        name: "Who and when".into(),
        columns: vec!["owner".into(), "age".into(), "severity".into()],
        ..Default::default()
    }]);
    load(&mut s, 12, 12);
    press(&mut s, &[key(KeyCode::Tab)]);
    s
}

fn chosen_columns_shown(screen: &str) {
    let header = screen
        .lines()
        .find(|l| l.contains("Title"))
        .expect("a header");
    let owner = header.find("Owner").expect("the owner column");
    let age = header.find("Age").expect("the age column");
    let severity = header.find("Severity").expect("the severity column");
    assert!(
        owner < age && age < severity,
        "in the view's order: {header}"
    );
    assert!(
        !header.contains("Domain") && !header.contains("Score"),
        "{header}"
    );
}

#[test]
fn a_views_columns_in_its_order() {
    snap!(
        "view_columns_120x40",
        columns_state(),
        120,
        40,
        chosen_columns_shown
    );
    snap!(
        "view_columns_80x24",
        columns_state(),
        80,
        24,
        chosen_columns_shown
    );
}
