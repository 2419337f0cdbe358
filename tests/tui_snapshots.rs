//! Pane snapshots with styles (the buffer's debug form), at 120x40, 80x24,
//! the smallest supported size, and without colour.

mod tui_fixtures;

use std::time::{Duration, SystemTime};

use crossterm::event::KeyCode;
use krafter::api::ratelimit::BudgetSnapshot;
use krafter::app::action::Action;
use krafter::app::state::AppState;
use krafter::app::update::update;
use krafter::config::UiSettings;
use krafter::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use tui_fixtures::bulk::*;
use tui_fixtures::*;

/// Draws in the default colours.
fn draw(state: &mut AppState, w: u16, h: u16) -> Buffer {
    draw_in(state, &theme(&UiSettings::default()), w, h)
}

/// Draws as with `NO_COLOR`.
fn draw_no_color(state: &mut AppState, w: u16, h: u16) -> Buffer {
    let ui = UiSettings {
        no_color: true,
        ..UiSettings::default()
    };
    draw_in(state, &theme(&ui), w, h)
}

fn draw_in(state: &mut AppState, theme: &Theme, w: u16, h: u16) -> Buffer {
    update(state, Action::Resize(w, h));
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|f| krafter::ui::render(f, state, theme))
        .unwrap();
    terminal.backend().buffer().clone()
}

/// A session as a user sees it after loading: command center, a page of 40
/// of 120 findings, a budget, updated 12 s ago.
fn session_state() -> AppState {
    let mut s = state_with(session(), &[]);
    load(&mut s, 40, 120);
    s.budget = BudgetSnapshot {
        limit: Some(100),
        remaining: Some(87),
        reset_at: Some(SystemTime::UNIX_EPOCH),
        ..BudgetSnapshot::default()
    };
    s.now += Duration::from_secs(12);
    s
}

fn findings_state() -> AppState {
    let mut s = session_state();
    press(&mut s, &[key(KeyCode::Tab), ch(' '), ch(' '), ch('j')]);
    s
}

/// The detail of the finding under the cursor, once fetched (the list
/// keeps only a compact row of it).
fn detail_state() -> AppState {
    let mut s = detail_loading_state();
    let (generation, id) = s
        .detail
        .as_ref()
        .map(|d| (d.generation, d.id.clone()))
        .unwrap();
    let i: usize = id.trim_start_matches("f-").parse().unwrap();
    update(
        &mut s,
        Action::FindingLoaded {
            generation,
            result: Ok(finding(i)),
        },
    );
    s
}

/// The detail just opened: the list's compact row, the rest on its way.
fn detail_loading_state() -> AppState {
    let mut s = findings_state();
    press(&mut s, &[key(KeyCode::Enter)]);
    s
}

macro_rules! snap {
    ($name:expr, $state:expr, $w:expr, $h:expr) => {{
        let mut state = $state;
        let buffer = draw(&mut state, $w, $h);
        insta::assert_debug_snapshot!($name, buffer);
    }};
    (no_color $name:expr, $state:expr, $w:expr, $h:expr) => {{
        let mut state = $state;
        let buffer = draw_no_color(&mut state, $w, $h);
        insta::assert_debug_snapshot!($name, buffer);
    }};
}

#[test]
fn command_center() {
    snap!("command_center_120x40", session_state(), 120, 40);
    snap!("command_center_80x24", session_state(), 80, 24);
    snap!("command_center_40x12", session_state(), 40, 12);
    snap!(no_color "command_center_no_color_80x24", session_state(), 80, 24);
}

#[test]
fn findings() {
    snap!("findings_120x40", findings_state(), 120, 40);
    snap!("findings_80x24", findings_state(), 80, 24);
    snap!("findings_40x12", findings_state(), 40, 12);
    snap!(no_color "findings_no_color_80x24", findings_state(), 80, 24);
}

#[test]
fn findings_with_filters() {
    let mut s = findings_state();
    press(
        &mut s,
        &[ch('f'), key(KeyCode::Enter), ch('j'), key(KeyCode::Enter)],
    );
    load_page(&mut s);
    press(&mut s, &[ch('/'), ch('c'), ch('s'), ch('p')]);
    snap!("findings_filtered_80x24", s, 80, 24);
}

fn load_page(s: &mut AppState) {
    let generation = s.findings.generation;
    let rows: Vec<_> = tui_fixtures::findings(0..20)
        .into_iter()
        .filter(|f| f.severity == krafter::api::model::Severity::Critical)
        .collect();
    update(
        s,
        Action::FindingsPage {
            generation,
            offset: 0,
            result: Ok(page(rows, 5)),
        },
    );
}

#[test]
fn detail() {
    snap!("detail_120x40", detail_state(), 120, 40);
    snap!("detail_80x24", detail_state(), 80, 24);
    snap!("detail_40x12", detail_state(), 40, 12);
    snap!(no_color "detail_no_color_80x24", detail_state(), 80, 24);
    snap!("detail_loading_80x24", detail_loading_state(), 80, 24);
}

/// The detail once the server and the journal answered: the finding with
/// its assets, evidence and fix steps, and its local history.
fn loaded_detail_state() -> AppState {
    use krafter::api::model::{Asset, Evidence, FindingStatus, Severity};
    use krafter::journal::{HistoryEntry, Values};
    let mut s = findings_state();
    let effects = press(&mut s, &[key(KeyCode::Enter)]);
    assert!(!effects.is_empty(), "opening asks for the finding");
    let d = s.detail.as_ref().expect("the detail is open");
    let (generation, id) = (d.generation, d.id.clone());
    let mut fresh = s
        .finding(&id)
        .map(krafter::app::state::FindingRef::whole)
        .expect("the row is loaded");
    fresh.status = FindingStatus::Triaged;
    fresh.owner_id = Some(ME.into());
    fresh.affected_assets.push(Asset {
        kind: "url".into(),
        value: "https://example.com/checkout".into(),
        ..Asset::default()
    });
    fresh.evidence.push(Evidence {
        kind: Some("html".into()),
        label: Some("inline script".into()),
        value: Some("<script>window.cfg = {...}</script>".into()),
        ..Evidence::default()
    });
    fresh
        .recommended_fix
        .steps
        .push("Enforce the policy once the reports are clean.".into());
    update(
        &mut s,
        Action::FindingLoaded {
            generation,
            result: Ok(fresh),
        },
    );
    let values = |status: FindingStatus, owner: Option<&str>| Values {
        status,
        owner_id: owner.map(str::to_string),
        severity: Severity::High,
    };
    update(
        &mut s,
        Action::HistoryLoaded {
            generation,
            result: Ok(vec![
                HistoryEntry {
                    at: "2025-06-15T09:30:00Z".into(),
                    profile: "default".into(),
                    job_id: "5f1c2a9e-7d3b-4e8a-9c01-2b3c4d5e6f70".into(),
                    from: values(FindingStatus::New, None),
                    to: values(FindingStatus::Triaged, None),
                    reason: None,
                    comment: Some("seen on checkout too".into()),
                    undo_of: None,
                },
                HistoryEntry {
                    at: "2025-06-15T10:05:00Z".into(),
                    profile: "default".into(),
                    job_id: "a83d0b4c-1e2f-4a5b-8c6d-7e8f90a1b2c3".into(),
                    from: values(FindingStatus::Triaged, None),
                    to: values(FindingStatus::Triaged, Some(ME)),
                    reason: None,
                    comment: None,
                    undo_of: None,
                },
            ]),
        },
    );
    let d = s.detail.as_ref().unwrap();
    assert!(!d.loading && d.history.is_some());
    s
}

#[test]
fn detail_loaded() {
    let mut s = loaded_detail_state();
    for (w, h) in [(120u16, 40u16), (80, 24)] {
        let shown = text(&draw(&mut s, w, h));
        assert!(!shown.contains("loading…"), "{w}x{h}\n{shown}");
    }
    let shown = text(&draw(&mut s, 120, 40));
    for part in ["Enforce the policy", "inline script"] {
        assert!(shown.contains(part), "{part} at 120x40\n{shown}");
    }
    snap!("detail_loaded_120x40", loaded_detail_state(), 120, 40);
    snap!("detail_loaded_80x24", loaded_detail_state(), 80, 24);
    // At 80x24 the rest is a scroll away.
    let mut scrolled = loaded_detail_state();
    let down: Vec<_> = (0..20).map(|_| ch('j')).collect();
    press(&mut scrolled, &down);
    let shown = text(&draw(&mut scrolled, 80, 24));
    for part in [
        "job 5f1c2a9e",
        "seen on checkout",
        "owner - → me · job a83d0b4c",
    ] {
        assert!(shown.contains(part), "{part} at 80x24, scrolled\n{shown}");
    }
    snap!("detail_loaded_scrolled_80x24", scrolled, 80, 24);
}

#[test]
fn overlays() {
    let mut help = session_state();
    press(&mut help, &[ch('?')]);
    snap!("help_80x24", help, 80, 24);

    let mut menu = findings_state();
    press(&mut menu, &[ch('c')]);
    snap!("status_menu_80x24", menu, 80, 24);

    // A bulk change: read, previewed (a dismissal asks why), running, and
    // its report with a failure and its request id.
    let mut reading = findings_state();
    press(&mut reading, &[ch('t')]);
    snap!("bulk_reading_80x24", reading, 80, 24);

    let mut preview = findings_state();
    preview.findings.rows[1].set_status(krafter::api::model::FindingStatus::Resolved);
    let (request, pick, change) = request_of(&press(&mut preview, &[ch('d')]));
    let krafter::engine::bulk::plan::Pick::Ids(ids) = pick else {
        panic!("marked rows are picked by id")
    };
    let p = preview_of(&preview, &ids, &change);
    update(
        &mut preview,
        Action::BulkPlanned {
            request,
            result: Ok(Box::new(p)),
        },
    );
    press(
        &mut preview,
        &[key(KeyCode::Down), ch('d'), ch('u'), ch('p')],
    );
    snap!("bulk_preview_80x24", preview, 80, 24);

    let mut running = findings_state();
    press(&mut running, &[ch('U')]);
    let ids = start_bulk(&mut running, 3);
    progress(&mut running, 1, 3);
    snap!("bulk_80x24", running.clone(), 80, 24);

    finish(
        &mut running,
        vec![
            item(0, &ids[0], updated()),
            item(1, &ids[1], failed()),
            item(2, &ids[2], updated()),
        ],
        krafter::journal::JobState::Done,
    );
    snap!("bulk_report_80x24", running, 80, 24);

    // Error toasts come from real client errors: tests/tui_error_snapshots.rs.

    let mut scan = session_state();
    press(&mut scan, &[ch('s')]);
    snap!("scan_prompt_80x24", scan, 80, 24);
}

#[test]
fn too_small_says_so() {
    let mut s = session_state();
    let buffer = draw(&mut s, 39, 11);
    assert!(text(&buffer).contains("terminal too small"));
    snap!("too_small_39x11", session_state(), 39, 11);
}

#[test]
fn no_color_has_no_colour_but_keeps_meaning() {
    let mut s = findings_state();
    let buffer = draw_no_color(&mut s, 120, 40);
    for cell in buffer.content() {
        assert_eq!(
            cell.fg,
            ratatui::style::Color::Reset,
            "no foreground colour"
        );
        assert_eq!(
            cell.bg,
            ratatui::style::Color::Reset,
            "no background colour"
        );
    }
    let shown = text(&buffer);
    assert!(
        shown.contains("‼ critical") && shown.contains("▲ high"),
        "severity in symbol and word"
    );
}

#[test]
fn no_panic_at_any_size() {
    let states = [
        session_state(),
        findings_state(),
        detail_state(),
        {
            let mut s = findings_state();
            press(&mut s, &[ch('?')]);
            s
        },
        {
            let mut s = findings_state();
            press(&mut s, &[ch('a'), ch('j'), key(KeyCode::Enter)]);
            s
        },
        {
            let mut s = findings_state();
            press(&mut s, &[ch('t')]);
            s.toast(
                "a long error message that needs wrapping over several lines of the toast",
                true,
            );
            s
        },
    ];
    for base in states {
        for w in (1..=130).step_by(13).chain([1, 2, 39, 40, 80]) {
            for h in (1..=45).step_by(6).chain([1, 2, 11, 12, 24]) {
                let mut s = base.clone();
                draw(&mut s, w, h);
            }
        }
    }
}

#[test]
fn hostile_strings_are_inert() {
    let mut s = findings_state();
    let id = s.findings.rows[0].id().to_string();
    s.change_finding(&id, |f| {
        f.title = "Evil\x1b[2J\x1b]0;pwned\x07 \u{202E}gpj.exe".into();
        f.owner_id = Some("\x1b[1mboss".into());
        // Also called on the top priority's few fields: it has no assets.
        if let Some(a) = f.affected_assets.first_mut() {
            a.value = "https://x/\x1b[H".into();
        }
    });
    press(&mut s, &[ch('g')]);
    for pane in [false, true] {
        if pane {
            press(&mut s, &[key(KeyCode::Enter)]);
            // The list keeps no description: the detail's finding has one.
            let shown = s.detail.as_mut().and_then(|d| d.finding.as_mut());
            shown.expect("the detail shows the row").description = "line\x1b[31m red\nnext".into();
        }
        let buffer = draw(&mut s, 120, 40);
        let shown = text(&buffer);
        assert!(shown.contains("Evil"));
        for bad in ['\x1b', '\x07', '\u{202E}'] {
            assert!(!shown.contains(bad), "{bad:?} reached the screen");
        }
    }
}

#[test]
fn read_only_hides_changes_from_help_and_hints() {
    let mut sess = session();
    sess.read_only = true;
    let mut s = state_with(sess, &[]);
    load(&mut s, 5, 5);
    press(&mut s, &[key(KeyCode::Tab)]);
    let shown = text(&draw(&mut s, 120, 40));
    assert!(shown.contains("READ-ONLY"));
    assert!(
        !shown.contains("t triage") && !shown.contains("a assign"),
        "{shown}"
    );
    press(&mut s, &[ch('?')]);
    let shown = text(&draw(&mut s, 120, 40));
    assert!(shown.contains("move down"));
    for hidden in [
        "triage",
        "dismiss",
        "assign owner",
        "start a scan",
        "override severity",
    ] {
        assert!(!shown.contains(hidden), "{hidden} shown in read-only help");
    }
}

#[test]
fn band_shows_command_center_and_findings_together_on_a_roomy_terminal() {
    let mut s = session_state();
    let id = s.findings.rows[0].id().to_string();
    s.change_finding(&id, |f| {
        if let Some(a) = f.affected_assets.first_mut() {
            a.value = "https://example.com/checkout".into();
        }
    });
    let roomy = text(&draw(&mut s, 120, 40));
    assert!(roomy.contains("Health") && roomy.contains("Findings row 1 of 120 · 40 loaded"));
    let first_priority = roomy
        .lines()
        .find(|l| l.contains("1. ‼ critical"))
        .expect("top priorities in the band");
    assert!(first_priority.contains("/checkout"), "{first_priority}");
    // Tab moves the focus from the band to the list, both staying visible.
    press(&mut s, &[key(KeyCode::Tab)]);
    let after = text(&draw(&mut s, 120, 40));
    assert!(after.contains("Health") && after.contains("Findings row 1 of 120"));
    // A small terminal keeps the tabs: one pane at a time.
    let small = text(&draw(&mut s, 80, 24));
    assert!(!small.contains("Health") && small.contains("Findings row 1 of 120"));
}

#[test]
fn owners_are_shown_by_name_from_people() {
    let mut session = session();
    session.people =
        krafter::engine::people::People::new(vec![("alice".into(), OTHER.into())], Some(ME.into()));
    let mut s = state_with(session, &[]);
    load(&mut s, 40, 120);
    press(&mut s, &[key(KeyCode::Tab)]);
    let screen = text(&draw(&mut s, 120, 40));
    assert!(screen.contains(" alice "), "{screen}");
    assert!(!screen.contains("9d2a5b6c"));
}

#[test]
fn switcher_and_quit_overlays() {
    let mut switcher = findings_state();
    switcher.targets = vec![
        krafter::app::switch::SwitchTarget::Profile("default".into()),
        krafter::app::switch::SwitchTarget::Profile("staging".into()),
    ];
    press(&mut switcher, &[ch('P')]);
    snap!("switcher_80x24", switcher, 80, 24);

    let mut quit = findings_state();
    press(&mut quit, &[ch('U')]);
    start_bulk(&mut quit, 2);
    progress(&mut quit, 1, 2);
    press(&mut quit, &[key(KeyCode::Esc), ch('q')]);
    snap!("confirm_quit_80x24", quit, 80, 24);
}

#[test]
fn the_project_stays_on_the_status_bar_beside_a_scan_and_an_error() {
    let mut s = findings_state();
    s.scan = Some(krafter::app::state::ScanProgress {
        id: Some("scan-1".into()),
        status: krafter::api::model::ScanStatus::Running,
        ..krafter::app::state::ScanProgress::new(
            "https://www.example-with-a-long-name.com/landing/page",
            s.now,
        )
    });
    s.in_flight = 2;
    let generation = s.findings.generation;
    let offset = s.findings.rows.len() as u64;
    update(
        &mut s,
        Action::FindingsPage {
            generation,
            offset,
            result: Err(http_error(503, "unavailable", "try again later")),
        },
    );
    // Answers count down the requests in flight: two others still are.
    s.in_flight = 2;
    let status = |b: &Buffer| text(b).lines().nth(22).unwrap_or_default().to_string();
    let buffer = draw(&mut s, 80, 24);
    let line = status(&buffer);
    assert!(
        line.contains("3b6f0c2e/production-website") && line.contains("127.0.0.1"),
        "{line}"
    );
    assert!(line.contains("online"), "{line}");
    insta::assert_debug_snapshot!("scan_and_error_80x24", buffer);
    for w in [40u16, 60, 100] {
        let line = status(&draw(&mut s, w, 24));
        assert!(
            line.contains("production-website"),
            "at {w} columns: {line}"
        );
    }
    let line = status(&draw(&mut s, 160, 24));
    assert!(line.contains("scan https://www.example"), "roomy: {line}");
    // Shortened before it is dropped: with no budget it fits at 80.
    s.in_flight = 0;
    s.budget = BudgetSnapshot::default();
    let line = status(&draw(&mut s, 80, 24));
    assert!(
        line.contains("scan running") && line.contains("production-website"),
        "{line}"
    );
}

#[test]
fn dialogs_show_their_own_keys_and_a_text_filter_counts_loaded_rows() {
    let footer = |s: &mut AppState| {
        let b = draw(s, 80, 24);
        text(&b).lines().nth(23).unwrap_or_default().to_string()
    };
    let mut s = findings_state();
    press(&mut s, &[ch('U'), ch('d')]);
    assert!(matches!(
        s.modal,
        Some(krafter::app::state::Modal::ConfirmDismiss { .. })
    ));
    let line = footer(&mut s);
    assert!(
        line.contains("y dismiss") && !line.contains("↑/↓"),
        "{line}"
    );

    let mut s = session_state();
    press(&mut s, &[ch('?')]);
    let line = footer(&mut s);
    assert!(
        line.contains("scroll") && !line.contains("enter confirm"),
        "{line}"
    );

    let mut s = session_state();
    press(&mut s, &[ch('s')]);
    let line = footer(&mut s);
    assert!(line.contains("enter start the scan"), "{line}");

    let mut s = findings_state();
    s.toast("[keys] x: keeping the default", true);
    let screen = text(&draw(&mut s, 120, 40));
    assert!(screen.contains("· esc to dismiss"), "{screen}");
    assert!(!screen.contains("(esc)"), "{screen}");

    let mut s = findings_state();
    press(&mut s, &[ch('/'), ch('z'), ch('q'), ch('x')]);
    let header = text(&draw(&mut s, 80, 24));
    assert!(
        header.contains("0 matches · filter over 40 of 120 loaded"),
        "{header}"
    );
}

#[test]
fn the_top_line_says_where_a_loading_switch_goes() {
    let mut s = findings_state();
    s.targets = vec![
        krafter::app::switch::SwitchTarget::Profile("default".into()),
        krafter::app::switch::SwitchTarget::Profile("staging".into()),
    ];
    press(&mut s, &[ch('P'), ch('j'), key(KeyCode::Enter)]);
    let screen = text(&draw(&mut s, 80, 24));
    let top = screen.lines().next().unwrap_or_default();
    assert!(top.contains("switching to profile staging…"), "{top}");
}
