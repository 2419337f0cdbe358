//! Model values and helpers shared by the TUI tests: no server needed.
#![allow(dead_code)]

pub mod bulk;
pub mod remediation;

use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use krafter::api::model::*;
use krafter::api::{ApiError, Page, StatusError};
use krafter::app::action::Action;
use krafter::app::effect::Effect;
use krafter::app::state::{AppState, SessionInfo};
use krafter::app::switch::SessionChange;
use krafter::app::update::{start, update};
use krafter::config::{KeyOverride, UiSettings};
use krafter::engine::people::People;
use krafter::runtime::{Runtime, Switcher};
use krafter::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

pub const ME: &str = "7c1e2f4a-0000-4000-8000-00000000000a";
pub const OTHER: &str = "9d2a5b6c-1111-4111-8111-11111111111b";

pub fn wall() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 15, 12, 0, 0).unwrap()
}

pub fn session() -> SessionInfo {
    SessionInfo {
        base_url: "http://127.0.0.1:8787/api/v1".into(),
        org_id: "3b6f0c2e-5d1a-4c39-9e7b-2f8a1d4c6e90".into(),
        project_id: "production-website".into(),
        profile: "default".into(),
        read_only: false,
        refresh_interval: Duration::from_secs(60),
        page_size: 50,
        default_scan_url: Some("https://example.com".into()),
        allow_private_targets: false,
        people: People::new(Vec::new(), Some(ME.into())),
        ..SessionInfo::default()
    }
}

pub fn state_with(session: SessionInfo, keys: &[KeyOverride]) -> AppState {
    let mut s = AppState::for_session(session, keys, Vec::new());
    s.wall = wall();
    s
}

/// The colours of `ui`, as the runtime would draw with them.
pub fn theme(ui: &UiSettings) -> Theme {
    Theme::from_settings(ui).0
}

pub fn state() -> AppState {
    state_with(session(), &[])
}

const TITLES: [&str; 6] = [
    "Missing Content-Security-Policy header",
    "Largest Contentful Paint above 4 s",
    "Images without alt text",
    "HSTS max-age too short",
    "Missing meta description",
    "Render-blocking stylesheet in head",
];

pub fn finding(i: usize) -> Finding {
    let severity = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ][i % 4]
        .clone();
    let domain = Domain::KNOWN[i % 4].clone();
    Finding {
        id: format!("f-{i:03}"),
        title: format!("{} #{i}", TITLES[i % TITLES.len()]),
        description: "The response does not set the header.\nBrowsers then allow inline scripts."
            .into(),
        severity,
        status: FindingStatus::New,
        domain,
        confidence: Some(0.9),
        priority: Priority {
            impact: Some(80),
            effort: Some(20),
            risk: Some(70),
            score: Some(95 - i as i64 % 90),
            ..Priority::default()
        },
        owner_id: if i.is_multiple_of(3) {
            Some(OTHER.into())
        } else {
            None
        },
        affected_assets: vec![Asset {
            kind: "url".into(),
            value: "https://example.com/".into(),
            ..Asset::default()
        }],
        evidence: vec![Evidence {
            kind: Some("header".into()),
            label: Some("content-security-policy".into()),
            value: Some("(absent)".into()),
            ..Evidence::default()
        }],
        recommended_fix: RecommendedFix {
            summary: "Send a Content-Security-Policy header.".into(),
            steps: vec![
                "Start with default-src 'self'.".into(),
                "Report violations before enforcing.".into(),
            ],
            estimated_minutes: Some(45),
            ..RecommendedFix::default()
        },
        created_at: Some(Timestamp::from_datetime(
            wall() - chrono::Duration::hours(3 + 7 * i as i64),
        )),
        updated_at: Some(Timestamp::new("2025-06-15T11:00:00Z")),
        ..Finding::default()
    }
}

pub fn findings(range: std::ops::Range<usize>) -> Vec<Finding> {
    range.map(finding).collect()
}

pub fn command_center() -> CommandCenter {
    CommandCenter {
        period: Period {
            from: Some("2025-06-09".into()),
            to: Some("2025-06-15".into()),
            ..Period::default()
        },
        health_score: Some(62),
        unresolved_findings: Some(12),
        critical_findings: Some(2),
        top_priorities: (0..5)
            .map(|i| {
                let f = finding(i);
                TopPriority {
                    id: f.id,
                    title: f.title,
                    severity: f.severity,
                    status: f.status,
                    domain: f.domain,
                    priority: f.priority,
                    ..TopPriority::default()
                }
            })
            .collect(),
        expected_impact: ExpectedImpact {
            cwv_improvement_pct: Some(18.5),
            security_risk_reduction_pct: Some(42.0),
            regression_risk_pct: Some(9.0),
            ..ExpectedImpact::default()
        },
        ..CommandCenter::default()
    }
}

pub fn page(items: Vec<Finding>, total: u64) -> Page<Finding> {
    Page {
        items,
        total: Some(total),
        next_cursor: None,
        request_id: Some("req-1".into()),
    }
}

pub fn http_error(status: u16, code: &str, message: &str) -> ApiError {
    ApiError::Status(StatusError {
        status,
        code: Some(code.into()),
        message: message.into(),
        request_id: Some("req-err-42".into()),
        retry_after: if status == 429 { Some(17) } else { None },
    })
}

/// Runs `start` and answers its requests with `rows` of `total` and the
/// command center.
pub fn loaded(rows: usize, total: u64) -> AppState {
    let mut s = state();
    load(&mut s, rows, total);
    s
}

pub fn load(s: &mut AppState, rows: usize, total: u64) {
    for effect in start(s) {
        match effect {
            Effect::LoadCommandCenter { generation } => {
                update(
                    s,
                    Action::CommandCenterLoaded {
                        generation,
                        result: Ok(command_center()),
                    },
                );
            }
            Effect::LoadFindings {
                generation, offset, ..
            } => {
                update(
                    s,
                    Action::FindingsPage {
                        generation,
                        offset,
                        result: Ok(page(findings(0..rows), total)),
                    },
                );
            }
            Effect::FindUnfinished => {
                update(s, Action::UnfinishedFound { result: Ok(None) });
            }
            Effect::CountView {
                generation, index, ..
            } => {
                update(
                    s,
                    Action::ViewCounted {
                        generation,
                        index,
                        result: Ok(view_count(index, total)),
                    },
                );
            }
            other => panic!("unexpected effect at start: {other:?}"),
        }
    }
    s.toasts.clear();
}

/// What the fixtures' server counts for saved view `index` of a list of
/// `total`: all of them for the first, fewer for the next.
pub fn view_count(index: usize, total: u64) -> u64 {
    total / (index as u64 + 1)
}

pub fn key(code: KeyCode) -> Action {
    Action::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ch(c: char) -> Action {
    key(KeyCode::Char(c))
}

/// Presses keys in order, returning the effects of the last one. A frame
/// is drawn after each key (the list's text filter is recomputed then, as
/// the event loop does before drawing); `type_fast` presses keys with no
/// frame between them.
pub fn press(s: &mut AppState, keys: &[Action]) -> Vec<Effect> {
    let mut last = Vec::new();
    for k in keys {
        last = update(s, k.clone());
        s.findings.settle();
    }
    last
}

/// Presses keys faster than frames are drawn: no frame between them.
pub fn type_fast(s: &mut AppState, keys: &[Action]) -> Vec<Effect> {
    let mut effects = Vec::new();
    for k in keys {
        effects.extend(update(s, k.clone()));
    }
    effects
}

/// The TUI's own runtime on `client`, started: what the event loop runs,
/// without a terminal. Its switcher opens projects of the same service.
pub fn runtime(state: AppState, client: krafter::api::Client) -> Runtime {
    let switcher = Switcher::Projects {
        client: client.clone(),
        base: Box::new(SessionChange::of(&client)),
    };
    let mut rt = Runtime::new(state, client, switcher, Ok(journal()));
    rt.start();
    rt
}

/// A journal of bulk jobs of its own, in a directory left for the OS to
/// clean (tests run in parallel, each with its journal).
pub fn journal() -> krafter::journal::Journal {
    let dir = tempfile::tempdir().expect("a temporary directory").keep();
    krafter::journal::Journal::open(&dir.join("journal.sqlite3"))
        .expect("a new journal opens")
        .journal
}

/// Driving a runtime from a test.
pub trait Drive {
    /// Presses keys in order.
    fn press(&mut self, keys: &[Action]);
    /// Feeds answers back until nothing is in flight.
    async fn settled(&mut self);
    /// Feeds answers back until `done` holds (polls wait between requests,
    /// so "nothing in flight" is not always the end).
    async fn until(&mut self, done: impl Fn(&AppState) -> bool);
}

impl Drive for Runtime {
    fn press(&mut self, keys: &[Action]) {
        for k in keys {
            self.dispatch(k.clone());
            // A frame between keys, as in the terminal.
            self.state.findings.settle();
        }
    }

    async fn settled(&mut self) {
        self.settle(Duration::from_secs(30))
            .await
            .expect("the app settles");
    }

    async fn until(&mut self, done: impl Fn(&AppState) -> bool) {
        self.run_until(done, Duration::from_secs(30))
            .await
            .expect("the app gets there");
    }
}

/// Draws `state` at `w`×`h` through the real renderer (after the resize
/// the runtime would send).
pub fn draw(state: &mut AppState, w: u16, h: u16) -> Buffer {
    update(state, Action::Resize(w, h));
    let theme = theme(&UiSettings::default());
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal
        .draw(|f| krafter::ui::render(f, state, &theme))
        .unwrap();
    terminal.backend().buffer().clone()
}

/// The buffer's characters, one line a row.
pub fn text(buffer: &Buffer) -> String {
    let area = buffer.area;
    (0..area.height)
        .map(|y| {
            (0..area.width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A hostile string of 100,000 characters and more: escapes, C0 and C1
/// controls, bidi overrides, zero-width, combining and double-width
/// characters, emoji sequences, mostly without a space to break at.
pub fn huge(tag: &str) -> String {
    let chunk = "\x1b[2J\x1b]52;c;AAAA\x07\u{9b}6n\u{202E}漢字\u{200B}\u{200D}e\u{301}\u{FEFF}👩‍💻☺\u{FE0F}\r\t\x08مرحبا\u{2066}Ｗｉｄｅ";
    let per_chunk = chunk.chars().count();
    let mut out = format!("{tag} ");
    let mut n = 0;
    while n * per_chunk < 100_000 {
        out.push_str(chunk);
        n += 1;
        if n % 50 == 0 {
            out.push(' ');
        }
    }
    out
}
