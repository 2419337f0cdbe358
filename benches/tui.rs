//! The TUI at 100,000 loaded findings: one frame of the findings list and of
//! the command center, the `/` text filter, the sorts, decoding a page and
//! the reducer appending a page.
//!
//! The findings come from a sandbox of generated data, loaded once through
//! the real client, so titles, URLs and timestamps look like the service's.

mod common;

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::LazyLock;

use krafter::api::Page;
use krafter::api::model::{CommandCenter, Finding};
use krafter::app::action::Action;
use krafter::app::state::{AppState, Pane, SessionInfo, SortKey};
use krafter::app::update::update;
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use tui_input::Input;

/// What the benches share: every finding, the command center and one raw
/// page of JSON, all as the sandbox sent them.
struct Loaded {
    rows: Vec<Finding>,
    command_center: CommandCenter,
    raw_page: String,
}

static LOADED: LazyLock<Loaded> = LazyLock::new(|| {
    let rt = common::runtime();
    rt.block_on(async {
        let (sandbox, _) = common::sandbox(common::GENERATE_FOR_ONE_PROJECT, None).await;
        let client = common::client(&sandbox, &sandbox.base_url);
        let rows = common::load_all(&client).await;
        assert_eq!(rows.len(), common::FINDINGS, "every finding loads");
        let command_center = match client.command_center().await {
            Ok(cc) => cc,
            Err(e) => panic!("bench set-up: no command center: {e}"),
        };
        let raw_page = common::raw_page(&sandbox, 50_000).await;
        sandbox.shutdown().await;
        Loaded {
            rows,
            command_center,
            raw_page,
        }
    })
});

const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;

fn main() {
    // Load before timing starts, so no bench pays for it.
    LazyLock::force(&LOADED);
    divan::main();
}

/// A session with every finding loaded and the command center shown.
fn loaded_state() -> AppState {
    let session = SessionInfo {
        base_url: "http://127.0.0.1:8787/api/v1".into(),
        org_id: "bench".into(),
        project_id: "bench".into(),
        profile: "bench".into(),
        page_size: common::PAGE,
        ..SessionInfo::default()
    };
    let mut state = AppState::for_session(session, &[], Vec::new());
    state.findings.set_all(LOADED.rows.clone());
    state.command_center.data = Some(LOADED.command_center.clone());
    update(&mut state, Action::Resize(WIDTH, HEIGHT));
    state
}

fn terminal() -> Terminal<TestBackend> {
    match Terminal::new(TestBackend::new(WIDTH, HEIGHT)) {
        Ok(t) => t,
        Err(e) => panic!("bench set-up: no test terminal: {e}"),
    }
}

fn draw(terminal: &mut Terminal<TestBackend>, state: &AppState) {
    let theme = krafter::ui::theme::Theme::default();
    if let Err(e) = terminal.draw(|f| krafter::ui::render(f, state, &theme)) {
        panic!("drawing failed: {e}");
    }
}

/// One frame of the findings list at 120x40, cursor at the top, the middle
/// or the last row.
#[divan::bench(args = ["top", "middle", "end"])]
fn render_findings(bencher: divan::Bencher, at: &str) {
    let mut state = loaded_state();
    state.pane = Pane::Findings;
    let last = state.findings.visible.len() - 1;
    state.findings.cursor = match at {
        "top" => 0,
        "middle" => last / 2,
        _ => last,
    };
    update(&mut state, Action::Resize(WIDTH, HEIGHT));
    let mut terminal = terminal();
    bencher.bench_local(|| draw(&mut terminal, &state));
}

/// Paging down through the middle of the list: every frame shows other rows,
/// so the terminal diff cannot skip any of them.
#[divan::bench]
fn render_findings_paging(bencher: divan::Bencher) {
    let mut state = loaded_state();
    state.pane = Pane::Findings;
    let start = state.findings.visible.len() / 2;
    let mut terminal = terminal();
    let mut step = 0usize;
    bencher.bench_local(|| {
        step = (step + 1) % 1000;
        let cursor = start + step * 36;
        state.findings.cursor = cursor;
        state.findings.scroll = cursor;
        draw(&mut terminal, &state);
    });
}

/// One frame of the command center at 120x40.
#[divan::bench]
fn render_command_center(bencher: divan::Bencher) {
    let mut state = loaded_state();
    state.pane = Pane::CommandCenter;
    let mut terminal = terminal();
    bencher.bench_local(|| draw(&mut terminal, &state));
}

/// One keystroke of the `/` filter with nothing to narrow from (the first
/// key, or a text the last one does not extend): every loaded title is
/// matched (`recompute_visible` with no memo).
#[divan::bench(args = ["c", "cont", "missing header"])]
fn filter_keystroke(bencher: divan::Bencher, text: &str) {
    let mut state = loaded_state();
    state.findings.filter_input = Some(Input::new(text.to_string()));
    bencher.bench_local(|| {
        state.findings.filter_memo = None;
        state.findings.recompute_visible();
        state.findings.visible.len()
    });
}

/// One keystroke that extends the text (`cont` typed after `con`): only the
/// rows the shorter text matched are matched again. Each sample starts
/// from the shorter text's matches (restored outside the timing).
#[divan::bench(args = ["co", "cont", "missing header"])]
fn filter_keystroke_narrowing(bencher: divan::Bencher, text: &str) {
    let shorter = &text[..text.len() - 1];
    let mut base = loaded_state();
    base.findings.filter_input = Some(Input::new(shorter.to_string()));
    base.findings.recompute_visible();
    let memo = base.findings.filter_memo.clone();
    base.findings.filter_input = Some(Input::new(text.to_string()));
    let state = RefCell::new(base);
    bencher
        .with_inputs(|| state.borrow_mut().findings.filter_memo = memo.clone())
        .bench_local_values(|()| {
            let mut s = state.borrow_mut();
            s.findings.recompute_visible();
            s.findings.visible.len()
        });
}

/// The same keystroke with each distinct title matched once (titles repeat:
/// one per check). A reference for `filter_keystroke`, not what the TUI does
/// today.
#[divan::bench(args = ["c", "cont", "missing header"])]
fn filter_titles_matched_once(bencher: divan::Bencher, text: &str) {
    let rows = &LOADED.rows;
    bencher.bench_local(|| {
        let pattern = Pattern::parse(text, CaseMatching::Ignore, Normalization::Smart);
        let mut matcher = Matcher::new(Config::DEFAULT);
        let mut buf = Vec::new();
        let mut seen: HashMap<&str, bool> = HashMap::new();
        rows.iter()
            .enumerate()
            .filter(|(_, row)| {
                *seen.entry(row.title.as_str()).or_insert_with(|| {
                    pattern
                        .score(Utf32Str::new(&row.title, &mut buf), &mut matcher)
                        .is_some()
                })
            })
            .map(|(i, _)| i)
            .collect::<Vec<usize>>()
    });
}

/// Re-sorting every loaded row (the `s` key), with no text filter.
#[divan::bench(args = [SortKey::Severity, SortKey::Age, SortKey::Priority])]
fn sort(bencher: divan::Bencher, key: SortKey) {
    let mut state = loaded_state();
    state.findings.sort = key;
    bencher.bench_local(|| state.findings.recompute_visible());
}

/// Decoding the `data` array of one 100-finding page.
#[divan::bench]
fn decode_page(bencher: divan::Bencher) {
    let raw = LOADED.raw_page.as_str();
    bencher
        .counter(divan::counter::BytesCount::new(raw.len()))
        .bench(
            || match serde_json::from_str::<Vec<Finding>>(divan::black_box(raw)) {
                Ok(rows) => rows,
                Err(e) => panic!("the page does not decode: {e}"),
            },
        );
}

/// Age order from keys read once into (key, index) pairs, with nothing else:
/// the lower bound the TUI's `sort(Age)` is measured against.
#[divan::bench]
fn sort_age_keys_read_once(bencher: divan::Bencher) {
    let state = loaded_state();
    let rows = &state.findings.rows;
    bencher.bench_local(|| {
        let mut keyed: Vec<_> = (0..rows.len()).map(|i| (rows[i].created(), i)).collect();
        keyed.sort_by_key(|&(created, _)| created);
        keyed.into_iter().map(|(_, i)| i).collect::<Vec<usize>>()
    });
}

/// The reducer taking the page that follows `loaded` rows, in server order
/// and sorted by age (at 0 it is the first page, which opens the window over
/// every position of the list). Each sample starts from exactly `loaded` rows
/// (restored outside the timing).
#[divan::bench(
    args = [(0, SortKey::Priority), (99_900, SortKey::Priority), (99_900, SortKey::Age)],
    sample_size = 1,
    sample_count = 40
)]
fn page_loaded(bencher: divan::Bencher, (loaded, sort): (usize, SortKey)) {
    let mut base = loaded_state();
    base.pane = Pane::Findings;
    base.findings.sort = sort;
    base.findings.keep_first(loaded);
    base.findings.total = Some(common::FINDINGS as u64);
    base.findings.recompute_visible();
    let page: Vec<Finding> = LOADED.rows[loaded..loaded + common::PAGE as usize].to_vec();
    let state = RefCell::new(base);
    bencher
        .with_inputs(|| {
            let mut s = state.borrow_mut();
            let f = &mut s.findings;
            f.keep_first(loaded);
            // A fresh pager each sample: the same page fed twice to one pager
            // reads as a server repeating itself and ends the walk.
            f.pager = krafter::api::paginate::FindingsPager::new(Default::default(), common::PAGE);
            f.loading = true;
            let generation = f.generation;
            Action::FindingsPage {
                generation,
                offset: loaded as u64,
                result: Ok(Page {
                    items: page.clone(),
                    total: Some(common::FINDINGS as u64),
                    next_cursor: None,
                    request_id: None,
                }),
            }
        })
        .bench_local_values(|action| {
            let mut s = state.borrow_mut();
            let effects = update(&mut s, action);
            assert_eq!(s.findings.rows.len(), loaded + common::PAGE as usize);
            effects
        });
}
