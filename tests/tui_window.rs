//! The findings list as a window over the server's offset pages: jumps
//! load only the pages the screen needs, placeholders stand for rows still
//! loading, late and stale pages, the text filter and the sort over a
//! partly loaded list, and `/` asked of the server. Reducer tests (feed
//! actions, assert state and effects) and snapshots of the list with
//! placeholders and the scrollbar.

mod tui_fixtures;

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use insta::assert_debug_snapshot;
use krafter::api::model::{FindingQuery, Severity};
use krafter::app::action::Action;
use krafter::app::effect::Effect;
use krafter::app::state::{AppState, MAX_PAGES_IN_FLIGHT, Pane, SEARCH_DEBOUNCE};
use krafter::app::update::update;
use krafter::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use tui_fixtures::*;

/// Findings in the project of these tests.
const TOTAL: u64 = 20_000;
/// Rows of a page as the server sends them.
const PAGE: u64 = 50;

/// The list pane with the first page of `TOTAL` loaded, at 120x40.
fn windowed() -> AppState {
    windowed_at(120, 40)
}

fn windowed_at(w: u16, h: u16) -> AppState {
    let mut s = state();
    load(&mut s, PAGE as usize, TOTAL);
    update(&mut s, Action::Resize(w, h));
    press(&mut s, &[key(KeyCode::Tab)]);
    assert_eq!(s.pane, Pane::Findings);
    assert!(s.findings.window.is_some(), "a total and offset paging");
    s
}

/// The offsets of the page requests among `effects`.
fn offsets(effects: &[Effect]) -> Vec<u64> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::LoadFindings { offset, .. } => Some(*offset),
            _ => None,
        })
        .collect()
}

/// The page at `offset` of the generated list, as the server answers it.
fn answer(s: &mut AppState, generation: u64, offset: u64) -> Vec<Effect> {
    let to = (offset + PAGE).min(TOTAL) as usize;
    update(
        s,
        Action::FindingsPage {
            generation,
            offset,
            result: Ok(page(findings(offset as usize..to), TOTAL)),
        },
    )
}

fn ctrl(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn draw(s: &mut AppState, w: u16, h: u16) -> Buffer {
    update(s, Action::Resize(w, h));
    s.findings.settle();
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    let theme = Theme::default();
    terminal
        .draw(|f| krafter::ui::render(f, s, &theme))
        .unwrap();
    terminal.backend().buffer().clone()
}

#[test]
fn the_end_key_shows_the_real_last_finding_after_one_page() {
    let mut s = windowed();
    let e = press(&mut s, &[ch('G')]);
    assert_eq!(
        s.findings.cursor,
        TOTAL as usize - 1,
        "the last row of the total"
    );
    let asked = offsets(&e);
    assert_eq!(asked[0], TOTAL - PAGE, "the last page, directly: {asked:?}");
    assert!(
        asked.len() <= MAX_PAGES_IN_FLIGHT,
        "only what the screen needs: {asked:?}"
    );
    let generation = s.findings.generation;
    for offset in asked {
        answer(&mut s, generation, offset);
    }
    let last = s.findings.selected().expect("the last row is loaded");
    assert_eq!(last.id().to_string(), format!("f-{}", TOTAL - 1));
    assert!(
        s.findings.rows.len() <= 3 * PAGE as usize,
        "the pages between were never loaded: {} rows",
        s.findings.rows.len()
    );
}

#[test]
fn rows_still_loading_are_placeholders() {
    let mut s = windowed();
    press(&mut s, &[ch('G')]);
    assert_eq!(
        s.findings.visible.len(),
        TOTAL as usize,
        "every position shown"
    );
    assert!(s.findings.selected().is_none(), "its page is on its way");
    assert!(s.findings.loading);
    let screen = text(&draw(&mut s, 120, 40));
    assert!(screen.contains("loading…"), "{screen}");
    assert!(
        screen.contains(&format!("row 20,000 of 20,000 · {PAGE} loaded")),
        "{screen}"
    );
    // Enter and space on a placeholder do nothing.
    let e = press(&mut s, &[key(KeyCode::Enter)]);
    assert!(e.is_empty() && s.pane == Pane::Findings, "{e:?}");
}

#[test]
fn a_page_for_a_window_the_user_left_is_kept_without_moving_the_cursor() {
    let mut s = windowed();
    let e = press(&mut s, &[ch('G')]);
    let generation = s.findings.generation;
    // Back to the top before the last page arrives.
    press(&mut s, &[ch('g')]);
    assert_eq!(s.findings.cursor, 0);
    for offset in offsets(&e) {
        answer(&mut s, generation, offset);
    }
    assert_eq!(s.findings.cursor, 0, "the cursor stays where the user is");
    assert_eq!(s.findings.selected().unwrap().id().to_string(), "f-000");
    let last = s
        .findings
        .row_at(TOTAL as usize - 1)
        .expect("the page is kept");
    assert_eq!(last.id().to_string(), format!("f-{}", TOTAL - 1));
    // Going back there asks for nothing more.
    let e = press(&mut s, &[ch('G')]);
    assert!(!offsets(&e).contains(&(TOTAL - PAGE)), "{e:?}");
    assert_eq!(
        s.findings.selected().unwrap().id().to_string(),
        format!("f-{}", TOTAL - 1)
    );
}

#[test]
fn a_page_of_the_list_before_a_filter_change_is_dropped() {
    let mut s = windowed();
    let e = press(&mut s, &[ch('G')]);
    let old = s.findings.generation;
    // Filter by severity high: a new generation, the list starts over.
    press(
        &mut s,
        &[
            ch('f'),
            key(KeyCode::Enter),
            ch('j'),
            ch('j'),
            key(KeyCode::Enter),
        ],
    );
    assert_eq!(s.findings.query.severity, Some(Severity::High));
    assert!(s.findings.generation > old);
    for offset in offsets(&e) {
        let more = answer(&mut s, old, offset);
        assert!(more.is_empty(), "a stale page asks for nothing: {more:?}");
    }
    assert!(
        s.findings.rows.is_empty(),
        "the old list's rows are dropped"
    );
    assert_eq!(s.findings.cursor, 0);
}

#[test]
fn holding_page_down_sends_only_what_may_be_in_flight() {
    let mut s = windowed();
    let mut asked = Vec::new();
    for _ in 0..200 {
        asked.extend(offsets(&press(&mut s, &[key(KeyCode::PageDown)])));
    }
    assert!(s.findings.cursor >= 4_000, "{}", s.findings.cursor);
    assert!(
        asked.len() <= MAX_PAGES_IN_FLIGHT,
        "200 screens passed, {} pages asked: {asked:?}",
        asked.len()
    );
    // The answers for the screens passed bring the current screen's pages.
    let generation = s.findings.generation;
    let mut next = asked;
    let mut rounds = 0;
    while let Some(offset) = next.pop() {
        next.extend(offsets(&answer(&mut s, generation, offset)));
        rounds += 1;
        assert!(rounds < 20, "the list walks pages it does not show");
    }
    let id = s
        .findings
        .selected()
        .expect("the screen's rows loaded")
        .id()
        .to_string();
    assert_eq!(id, format!("f-{:03}", s.findings.cursor));
}

#[test]
fn the_text_filter_and_the_sort_over_a_partial_list_say_what_they_cover() {
    let mut s = windowed();
    press(&mut s, &[ch('/'), ch('h'), ch('s'), ch('t')]);
    assert!(!s.findings.visible.is_empty());
    assert!(
        s.findings
            .visible
            .iter()
            .all(|&p| s.findings.row_at(p).is_some()),
        "a text filter shows only loaded rows, no placeholders"
    );
    let screen = text(&draw(&mut s, 120, 40));
    assert!(
        screen.contains(&format!(
            "{} matches · filter over 50 of 20,000 loaded",
            s.findings.visible.len()
        )),
        "{screen}"
    );
    press(&mut s, &[key(KeyCode::Esc), ch('o')]);
    let screen = text(&draw(&mut s, 120, 40));
    assert!(
        screen.contains("50 shown · sorted by severity over 50 of 20,000 loaded"),
        "{screen}"
    );
}

#[test]
fn typing_filters_once_per_frame_however_fast_keys_come() {
    let mut s = windowed();
    let before = s.findings.filter_runs;
    type_fast(&mut s, &[ch('/'), ch('m'), ch('i'), ch('s'), ch('s')]);
    assert_eq!(
        s.findings.filter_runs, before,
        "keys between two frames do not filter"
    );
    s.findings.settle();
    assert_eq!(s.findings.filter_runs, before + 1, "the frame filters once");
    s.findings.settle();
    assert_eq!(
        s.findings.filter_runs,
        before + 1,
        "and not again unchanged"
    );
    assert!(
        s.findings.visible.iter().all(|&p| s
            .findings
            .row_at(p)
            .unwrap()
            .title()
            .starts_with("Missing")),
        "the frame shows the whole text's matches"
    );
}

/// The search requests among `effects`: (seq, q).
fn searches(effects: &[Effect]) -> Vec<(u64, String)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::SearchFindings { seq, query, .. } => {
                Some((*seq, query.q.clone().unwrap_or_default()))
            }
            _ => None,
        })
        .collect()
}

fn tick(s: &mut AppState, after: Duration) -> Vec<Effect> {
    let now = s.now + after;
    update(s, Action::Tick { now, wall: wall() })
}

#[test]
fn the_server_is_asked_once_typing_pauses_and_stale_answers_are_dropped() {
    let mut s = windowed();
    let e = type_fast(&mut s, &[ch('/'), ch('c'), ch('o')]);
    assert!(searches(&e).is_empty(), "nothing sent while typing: {e:?}");
    assert!(searches(&tick(&mut s, SEARCH_DEBOUNCE / 2)).is_empty());
    let sent = searches(&tick(&mut s, SEARCH_DEBOUNCE));
    assert_eq!(sent.len(), 1, "{sent:?}");
    let (old_seq, q) = sent[0].clone();
    assert_eq!(q, "co");
    // More typing while it is out: no second request in flight.
    type_fast(&mut s, &[ch('n')]);
    assert!(searches(&tick(&mut s, SEARCH_DEBOUNCE * 2)).is_empty());
    // The answer for "co" is stale: dropped, and "con" goes out.
    let e = update(
        &mut s,
        Action::SearchAnswered {
            seq: old_seq,
            query: FindingQuery {
                q: Some("co".into()),
                ..FindingQuery::default()
            },
            result: Ok(page(findings(0..3), 999)),
        },
    );
    assert!(
        s.findings.search.result.is_none(),
        "a stale answer is dropped"
    );
    let sent = searches(&e);
    assert_eq!(sent.len(), 1, "{e:?}");
    let (seq, q) = sent[0].clone();
    assert_eq!(q, "con");
    assert!(seq > old_seq);
    // The new answer counts the whole project.
    let hits: Vec<_> = findings(0..60)
        .into_iter()
        .filter(|f| f.title.to_lowercase().contains("con"))
        .collect();
    update(
        &mut s,
        Action::SearchAnswered {
            seq,
            query: FindingQuery {
                q: Some("con".into()),
                ..FindingQuery::default()
            },
            result: Ok(page(hits, 6_667)),
        },
    );
    let screen = text(&draw(&mut s, 120, 40));
    assert!(screen.contains("6,667 on the server"), "{screen}");
    // Enter keeps the server's answer as the list, with no request again
    // for its first page.
    let e = press(&mut s, &[key(KeyCode::Enter)]);
    assert_eq!(s.findings.query.q.as_deref(), Some("con"));
    assert!(s.findings.text_filter.is_empty());
    assert!(!offsets(&e).contains(&0), "{e:?}");
    assert_eq!(s.findings.total, Some(6_667));
    assert!(
        s.findings.selected().unwrap().title().contains("Con"),
        "{:?}",
        s.findings.selected()
    );
    let screen = text(&draw(&mut s, 120, 40));
    assert!(screen.contains("text=\"con\""), "{screen}");
}

#[test]
fn a_fully_loaded_list_is_not_searched_on_the_server() {
    let mut s = loaded(40, 40);
    press(&mut s, &[key(KeyCode::Tab), ch('/'), ch('h')]);
    assert!(searches(&tick(&mut s, SEARCH_DEBOUNCE * 2)).is_empty());
    press(&mut s, &[key(KeyCode::Enter)]);
    assert_eq!(s.findings.text_filter, "h", "enter keeps the local filter");
    assert_eq!(s.findings.query.q, None);
}

#[test]
fn marks_by_id_survive_jumps_and_only_loaded_rows_are_marked_at_once() {
    let mut s = windowed();
    press(&mut s, &[ch(' ')]);
    assert_eq!(s.findings.marks.count(), 1);
    let e = press(&mut s, &[ch('G')]);
    let generation = s.findings.generation;
    for offset in offsets(&e) {
        answer(&mut s, generation, offset);
    }
    press(&mut s, &[ch('g')]);
    let first = s.findings.selected().unwrap().clone();
    assert!(s.findings.marks.contains(&first), "the mark is by id");
    press(&mut s, &[ch('U'), ctrl('a')]);
    assert_eq!(
        s.findings.marks.count(),
        s.findings.rows.len() as u64,
        "ctrl-a marks the loaded rows, not the placeholders"
    );
}

#[test]
fn snapshot_placeholders_and_scrollbar() {
    for (w, h) in [(120, 40), (80, 24)] {
        let mut s = windowed_at(w, h);
        // A jump to the middle: the page is on its way.
        for _ in 0..25 {
            press(&mut s, &[key(KeyCode::PageDown)]);
        }
        let generation = s.findings.generation;
        // The screen's first page arrived, the next is still out.
        let at = s.findings.cursor as u64 / PAGE * PAGE;
        answer(&mut s, generation, at);
        assert_debug_snapshot!(format!("window_{w}x{h}"), draw(&mut s, w, h));
    }
}

#[test]
fn the_list_keeps_compact_rows_and_the_detail_fetches_the_whole_finding() {
    let mut s = windowed();
    let row = s.findings.selected().unwrap().clone();
    assert_eq!(row.title(), finding(0).title, "what the list shows is kept");
    assert_eq!(row.score(), finding(0).score());
    assert!(row.primary_url().is_some(), "the page path the list shows");
    let kept = row.to_finding();
    assert!(
        kept.description.is_empty() && kept.evidence.is_empty(),
        "the list keeps no description or evidence"
    );
    assert!(kept.recommended_fix.steps.is_empty(), "nor the fix steps");
    let e = press(&mut s, &[key(KeyCode::Enter)]);
    let Some(Effect::LoadFinding { generation, id }) = e
        .iter()
        .find(|e| matches!(e, Effect::LoadFinding { .. }))
        .cloned()
    else {
        panic!("the detail fetches the finding: {e:?}")
    };
    assert_eq!(id, "f-000");
    update(
        &mut s,
        Action::FindingLoaded {
            generation,
            result: Ok(finding(0)),
        },
    );
    let shown = s.detail.as_ref().and_then(|d| d.finding.as_ref()).unwrap();
    assert_eq!(
        shown.description,
        finding(0).description,
        "the detail has it all"
    );
    assert!(!shown.recommended_fix.steps.is_empty());
    assert!(
        s.findings.rows[0].to_finding().description.is_empty(),
        "the list's row stays compact"
    );
}

#[test]
fn a_filter_that_shrinks_the_list_below_the_cursor_shows_every_match() {
    // At the end of 60 loaded rows, the list scrolled down; a filter that
    // leaves a few matches moves the cursor to the last of them. The
    // screen must show them all, not the last alone with blank rows under it.
    let mut s = loaded(60, 60);
    press(&mut s, &[key(KeyCode::Tab), ch('G')]);
    draw(&mut s, 120, 50);
    assert!(s.findings.scroll > 0, "the list scrolled to reach the end");
    press(&mut s, &[ch('/'), ch('#'), ch('2')]);
    let screen = text(&draw(&mut s, 120, 50));
    let matches: Vec<String> = s
        .findings
        .visible
        .iter()
        .filter_map(|&pos| s.findings.row_at(pos).map(|r| r.title().to_string()))
        .collect();
    assert!(
        (2..20).contains(&matches.len()),
        "a few matches: {matches:?}"
    );
    for title in &matches {
        assert!(
            screen.contains(title.as_str()),
            "{title} is not on screen:\n{screen}"
        );
    }
    // A click picks the row drawn where it lands, not one counted from the
    // scroll kept from before the filter.
    press(&mut s, &[key(KeyCode::Enter)]);
    let screen = text(&draw(&mut s, 120, 50));
    // Below the list's header (the command center above lists titles too).
    let lines: Vec<&str> = screen.lines().collect();
    let header = lines
        .iter()
        .position(|line| line.contains("Severity") && line.contains("Title"))
        .expect("the list's header is on screen");
    let row = header
        + 1
        + lines[header + 1..]
            .iter()
            .position(|line| line.contains(matches[0].as_str()))
            .expect("the first match is on screen");
    update(
        &mut s,
        Action::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: 10,
            row: row as u16,
            modifiers: KeyModifiers::NONE,
        }),
    );
    assert_eq!(s.findings.cursor, 0, "the click selects the first match");
}
