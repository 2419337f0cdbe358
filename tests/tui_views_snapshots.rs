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
    assert!(
        screen.contains("view Mine: status=open  owner="),
        "{screen}"
    );
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

/// The list of 24 findings of three checks on four pages, grouped by check.
fn grouped_state() -> AppState {
    let checks = [
        (
            "security.csp_missing",
            "Missing Content-Security-Policy header",
        ),
        ("a11y.img_alt", "Images without alt text"),
        ("seo.meta_description", "Missing meta description"),
    ];
    let mut s = state_with(session(), &[]);
    load(&mut s, 0, 0);
    press(&mut s, &[key(KeyCode::Tab)]);
    let rows: Vec<_> = findings(0..24)
        .into_iter()
        .enumerate()
        .map(|(i, mut f)| {
            let (check, title) = checks[i % 3];
            f.title = title.into();
            f.extra.insert("check".into(), serde_json::json!(check));
            f.affected_assets[0].value = format!("https://shop.test/p{}", i % 4);
            if i.is_multiple_of(5) {
                f.status = krafter::api::model::FindingStatus::Triaged;
            }
            f
        })
        .collect();
    let generation = s.findings.generation;
    update(
        &mut s,
        Action::FindingsPage {
            generation,
            offset: 0,
            result: Ok(page(rows, 24)),
        },
    );
    // Grouped by check; the second group marked.
    press(&mut s, &[ch('z'), ch('j'), ch(' '), ch('k')]);
    s.toasts.clear();
    s
}

fn groups_shown(screen: &str) {
    assert!(screen.contains("3 groups · 24 findings"), "{screen}");
    assert!(screen.contains("grouped by check"), "{screen}");
    assert!(
        screen.contains("Missing Content-Security-Policy header"),
        "{screen}"
    );
    assert!(screen.contains("Worst"), "{screen}");
    assert!(
        screen.contains("• ‼ critical"),
        "the marked group: {screen}"
    );
}

#[test]
fn a_list_grouped_by_check() {
    snap!(
        "grouped_by_check_120x40",
        grouped_state(),
        120,
        40,
        groups_shown
    );
    snap!(
        "grouped_by_check_80x24",
        grouped_state(),
        80,
        24,
        groups_shown
    );
}

fn group_open(screen: &str) {
    assert!(
        screen.contains("group of 8 (esc: all groups): Images without alt text"),
        "{screen}"
    );
    assert!(!screen.contains("Missing meta description  /p"), "{screen}");
}

#[test]
fn a_group_opened() {
    let opened = || {
        let mut s = grouped_state();
        press(&mut s, &[key(KeyCode::Enter)]);
        s
    };
    snap!("group_opened_120x40", opened(), 120, 40, group_open);
}
