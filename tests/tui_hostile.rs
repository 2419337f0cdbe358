//! Hostile strings in every field the TUI shows: escape sequences (clear
//! screen, set title, OSC 52 clipboard, cursor moves), C0 and C1 controls,
//! bidi overrides and isolates, zero-width and double-width characters,
//! right-to-left text and very long words. Every pane and overlay is drawn
//! at several sizes; no cell may hold a control or bidi character, and
//! nothing may panic.

mod tui_fixtures;

use std::time::Duration;

use chrono::FixedOffset;
use crossterm::event::KeyCode;
use krafter::api::model::*;
use krafter::api::{ApiError, StatusError};
use krafter::app::action::Action;
use krafter::app::effect::Effect;
use krafter::app::state::AppState;
use krafter::app::update::update;
use krafter::engine::alerts::Snapshot;
use krafter::engine::watch::Fetched;
use krafter::journal::{HistoryEntry, Values};
use tui_fixtures::bulk::*;
use tui_fixtures::remediation::*;
use tui_fixtures::*;

/// A hostile string, tagged so that where it lands can be told.
fn hostile(tag: &str) -> String {
    format!(
        "{tag}\x1b[2J\x1b[H\x1b]0;owned\x07\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07\x1b[10A\
         \u{9b}31m\u{85}\u{202E}txt.exe\u{2066}\u{200B}\u{200D}\u{FEFF}\r\n\t\x08\x7f \
         漢字テキスト👩‍💻 مرحبا بالعالم {}",
        "W".repeat(300)
    )
}

/// Checks that a table drawn in `buffer` keeps its columns: the row whose
/// text holds the `labels` found is the header; in every row below it down
/// to the table's end, each cell's symbol is as wide as the cells it covers
/// (so the terminal shows cell x at column x), and each column starts at
/// the header's x after a blank, whatever wide, zero-width or combining
/// characters its cells hold.
fn check_aligned(what: &str, buffer: &ratatui::buffer::Buffer, labels: &[&str]) {
    use unicode_width::UnicodeWidthStr;
    let area = buffer.area;
    let row_text =
        |y: u16| -> String { (0..area.width).map(|x| buffer[(x, y)].symbol()).collect() };
    // The header: ASCII, so a label's char index is its x.
    let (header_y, starts) = (0..area.height)
        .find_map(|y| {
            let line = row_text(y);
            let mut at = 0;
            let mut starts = Vec::new();
            for label in labels {
                if let Some(i) = line[at..].find(&format!(" {label} ")) {
                    let x = line[..at + i + 1].chars().count() as u16;
                    starts.push(x);
                    at += i + 1 + label.len();
                }
            }
            (starts.len() >= 3).then_some((y, starts))
        })
        .unwrap_or_else(|| panic!("{what}: no header with {labels:?}\n{}", text(buffer)));
    let first = starts[0];
    let mut rows = 0;
    for y in header_y + 1..area.height {
        let at_first = buffer[(first, y)].symbol();
        if at_first == "─" || at_first == "━" {
            break;
        }
        // Cell by cell as the terminal shows them.
        let mut x = 0u16;
        let mut cell_starts = Vec::new();
        while x < area.width {
            let symbol = buffer[(x, y)].symbol();
            let w = UnicodeWidthStr::width(symbol) as u16;
            assert!(
                w >= 1,
                "{what} at {}x{}: a zero-width symbol {symbol:?} fills the cell ({x}, {y})\n{}",
                area.width,
                area.height,
                text(buffer)
            );
            cell_starts.push(x);
            x += w;
        }
        assert_eq!(
            x,
            area.width,
            "{what}: row {y} is {x} columns wide\n{}",
            text(buffer)
        );
        for &b in &starts[1..] {
            assert!(
                cell_starts.contains(&b) && cell_starts.contains(&(b - 1)),
                "{what}: in row {y} the column at {b} does not start a cell\n{}",
                text(buffer)
            );
            assert_eq!(
                buffer[(b - 1, y)].symbol(),
                " ",
                "{what}: in row {y} no blank before the column at {b}\n{}",
                text(buffer)
            );
        }
        rows += 1;
    }
    assert!(
        rows > 0,
        "{what}: no rows under the header\n{}",
        text(buffer)
    );
}

/// True for a character that must never reach the screen.
fn forbidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{2028}' | '\u{2029}')
}

/// Draws `state` at several sizes and checks every cell; at 200x60 the
/// hostile text tagged `shows` is on screen (so that the check is not
/// passed by showing nothing).
fn check_shows(what: &str, state: &AppState, shows: &str) {
    check(what, state);
    let mut s = state.clone();
    let shown = text(&draw(&mut s, 200, 60));
    assert!(shown.contains(shows), "{what}: {shows} is shown\n{shown}");
}

/// Draws `state` at the sizes a table shows in and checks its columns.
fn check_table(what: &str, state: &AppState, labels: &[&str]) {
    for (w, h) in [(120u16, 40u16), (80, 24), (200, 60)] {
        let mut s = state.clone();
        // The toasts float over the table: out of the way.
        s.toasts.clear();
        let buffer = draw(&mut s, w, h);
        check_aligned(&format!("{what} at {w}x{h}"), &buffer, labels);
    }
}

/// Draws `state` at several sizes and checks every cell.
fn check(what: &str, state: &AppState) {
    for (w, h) in [(120u16, 40u16), (80, 24), (40, 12), (200, 60)] {
        let mut s = state.clone();
        let buffer = draw(&mut s, w, h);
        for y in 0..h {
            for x in 0..w {
                let symbol = buffer[(x, y)].symbol();
                if let Some(bad) = symbol.chars().find(|c| forbidden(*c)) {
                    panic!(
                        "{what} at {w}x{h}: {bad:?} in the cell at ({x}, {y})\n{}",
                        text(&buffer)
                    );
                }
            }
        }
    }
}

fn hostile_finding(i: usize) -> Finding {
    let mut f = finding(i);
    f.title = hostile(&format!("title{i}"));
    f.description = hostile("description");
    // Some strings of 100 KB.
    if i == 1 {
        f.title = huge("title1");
    }
    if i == 0 {
        f.owner_id = Some(huge("owner"));
    }
    f.owner_id = Some(hostile("owner"));
    f.affected_assets = vec![Asset {
        kind: hostile("kind"),
        value: hostile("https://asset/"),
        ..Asset::default()
    }];
    f.evidence = vec![Evidence {
        kind: Some(hostile("ekind")),
        label: Some(hostile("elabel")),
        value: Some(hostile("evalue")),
        ..Evidence::default()
    }];
    f.recommended_fix.summary = hostile("summary");
    f.recommended_fix.steps = vec![hostile("step1"), hostile("step2")];
    f
}

fn hostile_command_center() -> CommandCenter {
    let mut cc = command_center();
    for (i, p) in cc.top_priorities.iter_mut().enumerate() {
        p.title = hostile(&format!("priority{i}"));
    }
    cc
}

fn hostile_error() -> ApiError {
    ApiError::Status(StatusError {
        status: 500,
        code: Some(hostile("code")),
        message: huge("message"),
        request_id: Some(hostile("rid")),
        retry_after: None,
    })
}

/// A session whose profile, project, command center, findings, toasts and
/// errors are hostile.
fn base() -> AppState {
    let mut sess = session();
    sess.profile = hostile("profile");
    sess.project_id = hostile("project");
    sess.people = krafter::engine::people::People::new(
        vec![(hostile("person"), OTHER.into())],
        Some(ME.into()),
    );
    let mut s = state_with(sess, &[]);
    s.alerts.utc_offset = FixedOffset::east_opt(0).unwrap();
    for effect in krafter::app::update::start(&mut s) {
        match effect {
            Effect::LoadCommandCenter { generation } => {
                update(
                    &mut s,
                    Action::CommandCenterLoaded {
                        generation,
                        result: Ok(hostile_command_center()),
                    },
                );
            }
            Effect::LoadFindings {
                generation, offset, ..
            } => {
                let rows = (0..12).map(hostile_finding).collect();
                update(
                    &mut s,
                    Action::FindingsPage {
                        generation,
                        offset,
                        result: Ok(page(rows, 30)),
                    },
                );
            }
            Effect::FindUnfinished => {
                update(&mut s, Action::UnfinishedFound { result: Ok(None) });
            }
            _ => {}
        }
    }
    // An error the server worded.
    let generation = s.findings.generation;
    let offset = s.findings.rows.len() as u64;
    update(
        &mut s,
        Action::FindingsPage {
            generation,
            offset,
            result: Err(hostile_error()),
        },
    );
    s.now += Duration::from_secs(3);
    s
}

#[test]
fn every_pane_and_overlay_is_inert_with_hostile_strings() {
    let started = std::time::Instant::now();
    let s = base();
    assert!(!s.errors.is_empty() && !s.toasts.is_empty());
    check_shows("command center", &s, "priority0");

    let mut findings = s.clone();
    update(&mut findings, ch('2'));
    check_shows("findings", &findings, "title1");
    check_table(
        "findings",
        &findings,
        &[
            "Severity", "Status", "Domain", "Score", "Owner", "Age", "SLA", "Title",
        ],
    );
    let mut filtered = findings.clone();
    update(&mut filtered, ch('/'));
    for c in "title1".chars() {
        update(&mut filtered, ch(c));
    }
    check("findings, text filter", &filtered);

    // The detail, loaded, with a hostile history.
    let mut detail = findings.clone();
    update(&mut detail, key(KeyCode::Enter));
    let generation = detail.detail.as_ref().unwrap().generation;
    update(
        &mut detail,
        Action::FindingLoaded {
            generation,
            result: Ok(hostile_finding(0)),
        },
    );
    let values = |status: FindingStatus| Values {
        status,
        owner_id: Some(hostile("hist-owner")),
        severity: Severity::High,
    };
    update(
        &mut detail,
        Action::HistoryLoaded {
            generation,
            result: Ok(vec![HistoryEntry {
                at: hostile("at"),
                profile: hostile("hprofile"),
                job_id: hostile("job"),
                from: values(FindingStatus::New),
                to: values(FindingStatus::Dismissed),
                reason: Some("false_positive"),
                comment: Some(hostile("comment")),
                undo_of: Some(hostile("undo")),
            }]),
        },
    );
    check_shows("detail", &detail, "step1");
    // A detail whose description and fix step are 100 KB each.
    let mut big = findings.clone();
    update(&mut big, key(KeyCode::Enter));
    let generation = big.detail.as_ref().unwrap().generation;
    let mut f = hostile_finding(0);
    f.description = huge("description");
    f.recommended_fix.steps = vec![huge("bigstep")];
    update(
        &mut big,
        Action::FindingLoaded {
            generation,
            result: Ok(f),
        },
    );
    check_shows("detail, 100 KB description", &big, "description");
    for _ in 0..200 {
        update(&mut big, ch('j'));
    }
    check("detail, 100 KB description, scrolled", &big);
    for _ in 0..30 {
        update(&mut detail, ch('j'));
    }
    check_shows("detail, scrolled", &detail, "comment");

    // Menus that list hostile names.
    let mut assign = findings.clone();
    update(&mut assign, ch('a'));
    check_shows("assign menu", &assign, "person");
    let mut switcher = s.clone();
    update(&mut switcher, ch('P'));
    check("switcher", &switcher);

    // The errors view and the help.
    let mut errors = s.clone();
    update(&mut errors, ch('e'));
    check_shows("errors view", &errors, "rid");
    let mut help = s.clone();
    update(&mut help, ch('?'));
    check("help", &help);

    // Tasks, regressions, report.
    let mut tasks = s.clone();
    let effects = update(&mut tasks, ch('3'));
    for e in effects {
        if let Effect::LoadTasks { generation, .. } = e {
            let items: Vec<Task> = (0..6)
                .map(|i| {
                    let mut t = task(i);
                    t.title = if i == 0 {
                        huge("task0")
                    } else {
                        hostile(&format!("task{i}"))
                    };
                    t.owner_id = Some(hostile("towner"));
                    t.external_ticket_key = Some(hostile("ticket"));
                    t.pr_url = Some(hostile("https://pr/"));
                    t.finding_id = hostile("tfinding");
                    t
                })
                .collect();
            update(
                &mut tasks,
                Action::TasksPage {
                    generation,
                    result: Ok(task_page(items, None, 6)),
                },
            );
        }
    }
    assert!(!tasks.remediation.tasks.rows.is_empty(), "the tasks loaded");
    check_shows("tasks", &tasks, "task0");
    check_table(
        "tasks",
        &tasks,
        &[
            "Finding", "Status", "Priority", "Owner", "SLA", "Ticket", "PR",
        ],
    );

    let mut regressions = s.clone();
    let effects = update(&mut regressions, ch('4'));
    for e in effects {
        if let Effect::LoadRegressions { generation, .. } = e {
            let items: Vec<Regression> = (0..4)
                .map(|i| {
                    let mut r = regression(i, i % 2 == 0);
                    r.scan_id = Some(hostile("scan"));
                    r
                })
                .collect();
            update(
                &mut regressions,
                Action::RegressionsLoaded {
                    generation,
                    result: Ok(items),
                },
            );
        }
    }
    check_shows("regressions", &regressions, "Regressions");
    check_table(
        "regressions",
        &regressions,
        &["Status", "Finding", "Scan", "Detected", "Closed"],
    );

    let mut report_pane = s.clone();
    let effects = update(&mut report_pane, ch('5'));
    for e in effects {
        if let Effect::LoadReport { generation } = e {
            update(
                &mut report_pane,
                Action::ReportLoaded {
                    generation,
                    result: Err(hostile_error()),
                },
            );
        }
    }
    check_shows("report, failed", &report_pane, "message");

    // Alerts raised by the engine from hostile data.
    let mut alerts = s.clone();
    for round in 0..2 {
        let effects = update(&mut alerts, Action::RefreshDue);
        let Some(Effect::Refresh { generation, .. }) = effects.first() else {
            continue;
        };
        let generation = *generation;
        let mut critical = hostile_finding(40 + round);
        critical.severity = Severity::Critical;
        let fetched = Fetched {
            snapshot: Snapshot {
                command_center: CommandCenter {
                    health_score: Some(60 - 20 * round as i64),
                    ..hostile_command_center()
                },
                critical: Some(vec![critical]),
                ..Snapshot::default()
            },
            ..Fetched::default()
        };
        update(
            &mut alerts,
            Action::Refreshed {
                generation,
                result: Ok(fetched),
            },
        );
        alerts.now += Duration::from_secs(120);
        alerts.wall += chrono::Duration::minutes(2);
    }
    check("alerts on the status line", &alerts);
    update(&mut alerts, ch('!'));
    check_shows("alerts list", &alerts, "title4");

    // The changes view, computed by the engine from hostile findings.
    let mut changes = s.clone();
    let effects = update(&mut changes, ch('C'));
    for e in effects {
        if let Effect::LoadChanges { generation, .. } = e {
            let findings: Vec<Finding> = (0..5)
                .map(|i| {
                    let mut f = hostile_finding(i);
                    if i % 2 == 1 {
                        f.status = FindingStatus::Dismissed;
                    }
                    f.created_at = Some(Timestamp::from_datetime(wall()));
                    f.updated_at = Some(Timestamp::from_datetime(wall()));
                    f
                })
                .collect();
            let report = krafter::engine::changes::ChangeReport::compute(
                wall() - chrono::Duration::hours(24),
                wall() + chrono::Duration::minutes(1),
                krafter::engine::changes::Inputs {
                    findings,
                    notes: vec![hostile("note")],
                    ..Default::default()
                },
            );
            update(
                &mut changes,
                Action::ChangesLoaded {
                    generation,
                    result: Ok(report),
                },
            );
        }
    }
    check_shows("changes view", &changes, "title0");

    // A bulk change of hostile findings: preview, progress, report.
    let mut bulk = findings.clone();
    let ids = start_bulk(&mut bulk, 6);
    check_shows("bulk preview", &bulk, "title");
    progress(&mut bulk, 2, ids.len());
    check("bulk running", &bulk);
    finish(
        &mut bulk,
        vec![
            item(0, &ids[0], updated()),
            item(1, &ids[1], failed()),
            item(
                2,
                &ids[2],
                krafter::journal::Outcome::Skipped {
                    reason: hostile("skip"),
                },
            ),
        ],
        krafter::journal::JobState::Done,
    );
    check_shows("bulk report", &bulk, "skip");
    // Strings of 100 KB cost nothing like quadratic: every pane above, at
    // four sizes, in a debug build.
    let took = started.elapsed();
    eprintln!("every pane with hostile and 100 KB strings drawn in {took:?}");
    assert!(took < Duration::from_secs(60), "took {took:?}");
}
