//! Reducer tests of navigation, loading and API answers: feed actions to
//! `update`, assert state and effects. Changes to findings are in
//! `tui_changes.rs`.

mod tui_fixtures;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use krafter::api::model::*;
use krafter::app::action::Action;
use krafter::app::effect::Effect;
use krafter::app::state::{Connection, Modal, Pane, SortKey};
use krafter::app::update::update;
use tui_fixtures::*;

fn findings_pane(rows: usize, total: u64) -> krafter::app::state::AppState {
    let mut s = loaded(rows, total);
    press(&mut s, &[key(KeyCode::Tab)]);
    assert_eq!(s.pane, Pane::Findings);
    s
}

#[test]
fn start_loads_command_center_and_first_page() {
    let mut s = state();
    let effects = krafter::app::update::start(&mut s);
    assert!(matches!(effects[0], Effect::LoadCommandCenter { .. }));
    assert!(matches!(
        effects[1],
        Effect::LoadFindings {
            offset: 0,
            limit: 50,
            ..
        }
    ));
    assert!(effects.contains(&Effect::FindUnfinished));
    let counts = effects
        .iter()
        .filter(|e| matches!(e, Effect::CountView { .. }))
        .count();
    assert_eq!(counts, 4, "one count per built-in view");
    assert_eq!(s.in_flight, 3 + counts);
    for effect in effects {
        let action = match effect {
            Effect::CountView {
                generation, index, ..
            } => Action::ViewCounted {
                generation,
                index,
                result: Ok(3),
            },
            Effect::FindUnfinished => Action::UnfinishedFound { result: Ok(None) },
            Effect::LoadCommandCenter { generation } => Action::CommandCenterLoaded {
                generation,
                result: Ok(command_center()),
            },
            Effect::LoadFindings {
                generation, offset, ..
            } => Action::FindingsPage {
                generation,
                offset,
                result: Ok(page(Vec::new(), 0)),
            },
            other => panic!("{other:?}"),
        };
        update(&mut s, action);
    }
    assert_eq!(s.in_flight, 0, "answers bring the spinner back to rest");
}

#[test]
fn first_page_fills_rows_and_total() {
    let s = loaded(30, 120);
    assert_eq!(s.findings.rows.len(), 30);
    assert_eq!(s.findings.total, Some(120));
    assert_eq!(s.connection, Connection::Online);
    assert!(s.command_center.data.is_some());
}

#[test]
fn moving_keys_move_the_cursor() {
    let mut s = findings_pane(30, 30);
    press(&mut s, &[ch('j'), ch('j'), key(KeyCode::Down)]);
    assert_eq!(s.findings.cursor, 3);
    press(&mut s, &[ch('k'), key(KeyCode::Up)]);
    assert_eq!(s.findings.cursor, 1);
    press(&mut s, &[ch('G')]);
    assert_eq!(s.findings.cursor, 29);
    press(&mut s, &[ch('g')]);
    assert_eq!(s.findings.cursor, 0);
    press(&mut s, &[key(KeyCode::PageDown)]);
    assert!(s.findings.cursor > 5, "page down moves a screenful");
    press(&mut s, &[key(KeyCode::PageUp)]);
    assert_eq!(s.findings.cursor, 0);
    press(&mut s, &[ch('k')]);
    assert_eq!(s.findings.cursor, 0, "never above the first row");
}

#[test]
fn the_end_key_loads_the_last_page_directly() {
    let mut s = findings_pane(50, 120);
    let effects = press(&mut s, &[ch('G')]);
    assert_eq!(
        s.findings.cursor, 119,
        "the real last row, not the last loaded"
    );
    let offsets: Vec<u64> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::LoadFindings { offset, .. } => Some(*offset),
            _ => None,
        })
        .collect();
    assert_eq!(
        offsets[0], 100,
        "the page under the cursor first: {offsets:?}"
    );
    assert!(
        press(&mut s, &[ch('k')]).is_empty(),
        "no overlapping page requests"
    );
    let generation = s.findings.generation;
    update(
        &mut s,
        Action::FindingsPage {
            generation,
            offset: 100,
            result: Ok(page(findings(100..120), 120)),
        },
    );
    assert_eq!(s.findings.rows.len(), 70);
    assert_eq!(s.findings.cursor, 118, "the cursor stays on its row");
    assert_eq!(s.findings.selected().unwrap().id().to_string(), "f-118");
}

#[test]
fn no_request_past_the_total() {
    let mut s = findings_pane(30, 30);
    assert!(s.findings.exhausted);
    assert!(press(&mut s, &[ch('G')]).is_empty());
}

#[test]
fn stale_page_for_an_old_filter_is_dropped() {
    let mut s = findings_pane(10, 10);
    let old = s.findings.generation;
    // Filter by severity high: a new generation.
    let effects = press(
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
    let Some(Effect::LoadFindings {
        generation, query, ..
    }) = effects.first()
    else {
        panic!("filter change reloads: {effects:?}");
    };
    assert!(*generation > old);
    assert_eq!(query.severity, Some(Severity::High));
    update(
        &mut s,
        Action::FindingsPage {
            generation: old,
            offset: 0,
            result: Ok(page(findings(0..10), 10)),
        },
    );
    assert!(
        s.findings.rows.is_empty(),
        "answer for the old filter dropped"
    );
    update(
        &mut s,
        Action::FindingsPage {
            generation: *generation,
            offset: 0,
            result: Ok(page(vec![finding(1)], 1)),
        },
    );
    assert_eq!(s.findings.rows.len(), 1);
}

#[test]
fn stale_command_center_and_detail_are_dropped() {
    let mut s = findings_pane(5, 5);
    let before = s.command_center.data.clone();
    update(
        &mut s,
        Action::CommandCenterLoaded {
            generation: 0,
            result: Ok(CommandCenter::default()),
        },
    );
    assert_eq!(s.command_center.data, before);
    let effects = press(&mut s, &[key(KeyCode::Enter)]);
    let [
        Effect::LoadFinding { generation, .. },
        Effect::LoadHistory { .. },
    ] = effects.as_slice()
    else {
        panic!("{effects:?}")
    };
    let mut other = finding(4);
    other.id = "f-000".into();
    other.title = "stale copy".into();
    update(
        &mut s,
        Action::FindingLoaded {
            generation: generation - 1,
            result: Ok(other),
        },
    );
    assert_ne!(
        s.detail.as_ref().unwrap().finding.as_ref().unwrap().title,
        "stale copy"
    );
}

#[test]
fn enter_opens_detail_and_esc_goes_back() {
    let mut s = findings_pane(5, 5);
    press(&mut s, &[ch('j')]);
    let effects = press(&mut s, &[key(KeyCode::Enter)]);
    assert_eq!(s.pane, Pane::Detail);
    assert!(matches!(&effects[0], Effect::LoadFinding { id, .. } if id == "f-001"));
    assert_eq!(
        s.detail.as_ref().unwrap().finding.as_ref().unwrap().id,
        "f-001",
        "shown at once"
    );
    press(&mut s, &[ch('j'), ch('j')]);
    assert_eq!(s.detail.as_ref().unwrap().scroll, 2);
    press(&mut s, &[key(KeyCode::Esc)]);
    assert_eq!(s.pane, Pane::Findings);
    assert!(s.detail.is_none());
}

#[test]
fn selecting_a_top_priority_opens_its_detail() {
    let mut s = loaded(5, 5);
    press(&mut s, &[ch('j'), ch('j')]);
    let effects = press(&mut s, &[key(KeyCode::Enter)]);
    assert!(matches!(&effects[0], Effect::LoadFinding { id, .. } if id == "f-002"));
    press(&mut s, &[key(KeyCode::Esc)]);
    assert_eq!(
        s.pane,
        Pane::CommandCenter,
        "esc returns where the detail was opened"
    );
}

#[test]
fn rate_limit_while_paging_keeps_the_list() {
    let mut s = findings_pane(50, 200);
    let effects = press(&mut s, &[ch('G')]);
    let Effect::LoadFindings {
        generation, offset, ..
    } = &effects[0]
    else {
        panic!()
    };
    assert_eq!(*offset, 150, "the last page");
    for e in &effects {
        let Effect::LoadFindings { offset, .. } = e else {
            continue;
        };
        update(
            &mut s,
            Action::FindingsPage {
                generation: *generation,
                offset: *offset,
                result: Err(http_error(429, "rate_limited", "Rate limit exceeded")),
            },
        );
    }
    assert!(!s.findings.loading);
    assert_eq!(s.findings.rows.len(), 50);
    assert_eq!(s.findings.cursor, 199);
    let toast = s.toasts.last().unwrap();
    assert!(
        toast.error && toast.text.contains("rate limit reached; try again in 17s"),
        "{}",
        toast.text
    );
    assert!(s.last_error.as_ref().unwrap().message.contains("429"));
    // Moving again retries the page.
    let e = press(&mut s, &[ch('k')]);
    assert!(
        matches!(e.as_slice(), [Effect::LoadFindings { offset: 150, .. }, ..]),
        "{e:?}"
    );
}

#[test]
fn text_filter_is_instant_and_fuzzy() {
    let mut s = findings_pane(12, 12);
    press(&mut s, &[ch('/'), ch('h'), ch('s'), ch('t')]);
    assert!(s.findings.visible.len() < 12);
    for &i in &s.findings.visible {
        assert!(s.findings.rows[i].title().starts_with("HSTS"));
    }
    press(&mut s, &[key(KeyCode::Enter)]);
    assert_eq!(s.findings.text_filter, "hst");
    press(&mut s, &[key(KeyCode::Esc)]);
    assert_eq!(s.findings.visible.len(), 12, "esc clears the filter");
}

#[test]
fn sort_cycles_and_orders_rows() {
    let mut s = findings_pane(8, 8);
    press(&mut s, &[ch('o')]);
    assert_eq!(s.findings.sort, SortKey::Severity);
    let ranks: Vec<u8> = s
        .findings
        .visible
        .iter()
        .map(|&i| s.findings.rows[i].severity().rank())
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
    press(&mut s, &[ch('o')]);
    assert_eq!(s.findings.sort, SortKey::Age);
    let first = s.findings.selected().unwrap().id().to_string();
    assert_eq!(first, "f-000", "the cursor stays on the same finding");
    let oldest = s.findings.rows[s.findings.visible[0]].id().to_string();
    assert_eq!(oldest, "f-007");
}

#[test]
fn owner_filter_me_and_clear() {
    let mut s = findings_pane(5, 5);
    let e = press(
        &mut s,
        &[
            ch('f'),
            ch('j'),
            ch('j'),
            ch('j'),
            key(KeyCode::Enter),
            ch('j'),
            key(KeyCode::Enter),
        ],
    );
    assert!(
        matches!(&e[0], Effect::LoadFindings { query, .. } if query.owner_id.as_deref() == Some(ME))
    );
    let e = press(&mut s, &[ch('x')]);
    assert!(
        matches!(&e[0], Effect::LoadFindings { query, .. } if *query == FindingQuery::default())
    );
}

#[test]
fn auto_refresh_pauses_under_a_dialog_and_never_overlaps() {
    let mut s = loaded(5, 5);
    let e = update(&mut s, Action::RefreshDue);
    assert!(matches!(e.as_slice(), [Effect::Refresh { .. }]));
    assert!(
        update(&mut s, Action::RefreshDue).is_empty(),
        "one at a time"
    );
    let mut s = loaded(5, 5);
    press(&mut s, &[ch('?')]);
    assert!(
        update(&mut s, Action::RefreshDue).is_empty(),
        "paused under help"
    );
}

#[test]
fn help_quit_and_ctrl_c() {
    let mut s = loaded(1, 1);
    press(&mut s, &[ch('?')]);
    assert!(matches!(s.modal, Some(Modal::Help { .. })));
    press(&mut s, &[key(KeyCode::Esc)]);
    assert!(s.modal.is_none());
    press(&mut s, &[ch('d')]);
    update(
        &mut s,
        Action::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
    );
    assert!(s.quit, "ctrl-c quits even from a dialog");
    let mut s = loaded(1, 1);
    press(&mut s, &[ch('q')]);
    assert!(s.quit);
}

#[test]
fn toasts_fade_but_errors_stay_until_esc() {
    let mut s = loaded(1, 1);
    s.toast("saved", false);
    s.toast("refused", true);
    let later = s.now + std::time::Duration::from_secs(10);
    update(
        &mut s,
        Action::Tick {
            now: later,
            wall: wall(),
        },
    );
    assert_eq!(s.toasts.len(), 1);
    assert!(s.toasts[0].error);
    press(&mut s, &[key(KeyCode::Esc)]);
    assert!(s.toasts.is_empty());
}

#[test]
fn spinner_turns_only_while_requests_are_out() {
    let mut s = loaded(1, 1);
    let now = s.now;
    update(&mut s, Action::Tick { now, wall: wall() });
    assert_eq!(s.spinner, 0);
    press(&mut s, &[ch('r')]);
    assert!(s.in_flight > 0);
    update(&mut s, Action::Tick { now, wall: wall() });
    assert_eq!(s.spinner, 1);
}

#[test]
fn mouse_wheel_scrolls_and_click_selects() {
    let mut s = findings_pane(30, 30);
    update(&mut s, Action::Resize(80, 24));
    let mouse = |kind, row| {
        Action::Mouse(MouseEvent {
            kind,
            column: 10,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    update(&mut s, mouse(MouseEventKind::ScrollDown, 5));
    assert_eq!(s.findings.cursor, 3);
    // Tabs line, border, the views' tabs, the filter line and the header
    // come first: row 5 is the first finding.
    update(
        &mut s,
        mouse(MouseEventKind::Down(MouseButton::Left), 5 + 5),
    );
    assert_eq!(s.findings.cursor, 5);
    update(&mut s, mouse(MouseEventKind::Down(MouseButton::Left), 0));
    assert_eq!(s.pane, Pane::CommandCenter, "clicking a tab switches pane");

    // Roomy: the command center band (7 rows) sits above the list.
    update(&mut s, Action::Resize(120, 40));
    update(
        &mut s,
        mouse(MouseEventKind::Down(MouseButton::Left), 12 + 7),
    );
    assert_eq!(s.pane, Pane::Findings, "a click on a row focuses the list");
    assert_eq!(s.findings.cursor, 7);
    update(&mut s, mouse(MouseEventKind::Down(MouseButton::Left), 3));
    assert_eq!(
        s.pane,
        Pane::CommandCenter,
        "a click on the band focuses it"
    );
}

#[test]
fn connection_loss_is_shown() {
    let mut s = loaded(1, 1);
    let e = update(&mut s, Action::RefreshDue);
    let Effect::Refresh { generation, .. } = e[0] else {
        panic!()
    };
    update(
        &mut s,
        Action::Refreshed {
            generation,
            result: Err(krafter::api::ApiError::Connect {
                host: "127.0.0.1".into(),
                detail: "refused".into(),
            }),
        },
    );
    assert_eq!(s.connection, Connection::Offline);
    assert!(s.command_center.data.is_some(), "last data kept");
}

#[test]
fn a_text_filter_does_not_walk_every_page() {
    let mut s = findings_pane(50, 500);
    let e = type_fast(&mut s, &[ch('/'), ch('z'), ch('z'), ch('z')]);
    assert!(
        !e.iter().any(|e| matches!(e, Effect::LoadFindings { .. })),
        "few matches: the server is asked instead of walking the pages: {e:?}"
    );
    let generation = s.findings.generation;
    let e = update(
        &mut s,
        Action::FindingsPage {
            generation,
            offset: 50,
            result: Ok(page(findings(50..100), 500)),
        },
    );
    assert!(
        !e.iter().any(|e| matches!(e, Effect::LoadFindings { .. })),
        "no chained page while a text filter hides most rows"
    );
    assert_eq!(s.findings.rows.len(), 100);
}

#[test]
fn refresh_reloads_everything_shown() {
    let mut s = findings_pane(5, 5);
    press(&mut s, &[key(KeyCode::Enter)]);
    let old = s.findings.generation;
    let e = press(&mut s, &[ch('r')]);
    assert!(
        e.iter()
            .any(|e| matches!(e, Effect::LoadCommandCenter { .. }))
    );
    assert!(e.iter().any(
        |e| matches!(e, Effect::LoadFindings { offset: 0, generation, .. } if *generation > old)
    ));
    assert!(
        e.iter()
            .any(|e| matches!(e, Effect::LoadFinding { id, .. } if id == "f-000"))
    );
    assert_eq!(
        s.pane,
        Pane::Detail,
        "the detail stays open while it refreshes"
    );
}

/// Answers the one `LoadFindings` in `effects` with `items` (no total, no
/// cursor: a server that ignores `offset` looks like this).
fn answer_untotalled(
    s: &mut krafter::app::state::AppState,
    effects: Vec<Effect>,
    items: Vec<Finding>,
) -> Vec<Effect> {
    let Some(Effect::LoadFindings {
        generation, offset, ..
    }) = effects
        .into_iter()
        .find(|e| matches!(e, Effect::LoadFindings { .. }))
    else {
        panic!("no page asked for")
    };
    update(
        s,
        Action::FindingsPage {
            generation,
            offset,
            result: Ok(krafter::api::Page {
                items,
                total: None,
                next_cursor: None,
                request_id: None,
            }),
        },
    )
}

#[test]
fn a_server_repeating_the_first_page_does_not_duplicate_rows_or_loop() {
    let mut s = state();
    let e = krafter::app::update::start(&mut s);
    answer_untotalled(&mut s, e, findings(0..50));
    assert_eq!(s.findings.rows.len(), 50);
    let e = press(&mut s, &[key(KeyCode::Tab), ch('G')]);
    // The same 50 rows again, as if `offset` were ignored.
    let e = answer_untotalled(&mut s, e, findings(0..50));
    assert_eq!(s.findings.rows.len(), 50, "no duplicate rows");
    assert!(s.findings.exhausted, "the walk ends");
    assert!(
        !e.iter().any(|e| matches!(e, Effect::LoadFindings { .. })),
        "no further page: {e:?}"
    );
    assert!(
        !press(&mut s, &[ch('g'), ch('G')])
            .iter()
            .any(|e| matches!(e, Effect::LoadFindings { .. }))
    );
}

#[test]
fn rows_of_other_owners_are_dropped_when_the_server_ignores_the_owner_filter() {
    let mut s = findings_pane(50, 50);
    // filter menu → owner → unassigned
    let e = press(
        &mut s,
        &[
            ch('f'),
            ch('j'),
            ch('j'),
            ch('j'),
            key(KeyCode::Enter),
            ch('j'),
            ch('j'),
            key(KeyCode::Enter),
        ],
    );
    assert_eq!(s.findings.query.owner_id.as_deref(), Some("none"));
    let Some(Effect::LoadFindings {
        generation, offset, ..
    }) = e.into_iter().next()
    else {
        panic!("the list reloads")
    };
    // The server sends everyone's rows, as if there were no filter.
    let e = update(
        &mut s,
        Action::FindingsPage {
            generation,
            offset,
            result: Ok(page(findings(0..50), 120)),
        },
    );
    assert!(!s.findings.rows.is_empty());
    assert!(
        s.findings.rows.iter().all(|f| f.owner_id().is_none()),
        "only unassigned rows are shown"
    );
    let notes = |s: &krafter::app::state::AppState| {
        s.toasts
            .iter()
            .filter(|t| t.text.contains("ignored the owner filter"))
            .count()
    };
    assert_eq!(notes(&s), 1);
    assert!(!s.toasts.iter().any(|t| t.error), "an info, not an error");
    // The next page follows the 50 rows received, not the ones kept.
    let e = if e.is_empty() {
        press(&mut s, &[ch('G')])
    } else {
        e
    };
    let Some(Effect::LoadFindings {
        generation, offset, ..
    }) = e.into_iter().next()
    else {
        panic!("the next page is asked for")
    };
    assert_eq!(offset, 50);
    update(
        &mut s,
        Action::FindingsPage {
            generation,
            offset,
            result: Ok(page(findings(50..100), 120)),
        },
    );
    assert!(s.findings.rows.len() > 20, "the second page was taken");
    assert_eq!(notes(&s), 1, "said once");
}

/// Rows with ages that repeat (ties) and are not in server order.
fn mixed_ages(range: std::ops::Range<usize>) -> Vec<Finding> {
    findings(range)
        .into_iter()
        .enumerate()
        .map(|(n, mut f)| {
            let hours = (n * 37 % 11) as i64;
            f.created_at = Some(Timestamp::from_datetime(
                wall() - chrono::Duration::hours(hours),
            ));
            f
        })
        .collect()
}

/// What a full recompute from scratch shows.
fn from_scratch(s: &krafter::app::state::AppState) -> Vec<usize> {
    let mut f = s.findings.clone();
    f.filter_memo = None;
    f.recompute_visible();
    f.visible
}

#[test]
fn pages_merged_into_a_sorted_filtered_list_match_a_full_recompute() {
    for (sort_presses, filter) in [(2, ""), (2, "m"), (1, ""), (3, "header"), (0, "a")] {
        let mut s = state();
        let e = krafter::app::update::start(&mut s);
        let first = e
            .into_iter()
            .find(|e| matches!(e, Effect::LoadFindings { .. }));
        let Some(Effect::LoadFindings { generation, .. }) = first else {
            panic!()
        };
        press(&mut s, &[key(KeyCode::Tab)]);
        for _ in 0..sort_presses {
            press(&mut s, &[ch('s')]);
        }
        if !filter.is_empty() {
            press(&mut s, &[ch('/')]);
            for c in filter.chars() {
                press(&mut s, &[ch(c)]);
            }
            press(&mut s, &[key(KeyCode::Enter)]);
        }
        for p in 0..3 {
            let before = s.findings.selected().map(|f| f.id().to_string());
            update(
                &mut s,
                Action::FindingsPage {
                    generation,
                    offset: p * 40,
                    result: Ok(page(mixed_ages(p as usize * 40..p as usize * 40 + 40), 120)),
                },
            );
            s.findings.loading = false;
            assert_eq!(
                s.findings.visible,
                from_scratch(&s),
                "sort {:?}, filter {filter:?}, page {p}",
                s.findings.sort
            );
            if let Some(id) = before {
                assert_eq!(
                    s.findings.selected().map(|f| f.id().to_string()),
                    Some(id),
                    "the cursor stays on its finding"
                );
            }
            press(&mut s, &[ch('j'), ch('j')]);
        }
    }
}

#[test]
fn typing_and_erasing_a_filter_shows_what_a_fresh_filter_shows() {
    let mut s = findings_pane(120, 120);
    press(&mut s, &[ch('/')]);
    for c in "mis hdr".chars() {
        press(&mut s, &[ch(c)]);
        assert_eq!(s.findings.visible, from_scratch(&s), "after {c:?}");
    }
    for _ in 0..4 {
        press(&mut s, &[key(KeyCode::Backspace)]);
        assert_eq!(s.findings.visible, from_scratch(&s), "after a backspace");
    }
    // Pattern syntax: `!x` excludes, so "con" then "con !" then "con !x".
    press(&mut s, &[key(KeyCode::Esc), ch('/')]);
    for c in "con !xy".chars() {
        press(&mut s, &[ch(c)]);
        assert_eq!(s.findings.visible, from_scratch(&s), "after {c:?}");
    }
}

#[test]
fn esc_leaves_the_detail_at_once_when_only_an_info_toast_shows() {
    let mut s = findings_pane(5, 5);
    press(&mut s, &[key(KeyCode::Enter)]);
    assert_eq!(s.pane, Pane::Detail);
    s.toast("move to triaged: “x”", false);
    press(&mut s, &[key(KeyCode::Esc)]);
    assert_eq!(s.pane, Pane::Findings, "one esc leaves the detail");
    assert_eq!(s.toasts.len(), 1, "the info toast fades by itself");

    press(&mut s, &[key(KeyCode::Enter)]);
    s.toast("could not move to triaged: HTTP 422", true);
    press(&mut s, &[key(KeyCode::Esc)]);
    assert_eq!(s.pane, Pane::Detail, "the first esc dismisses the error");
    assert!(s.toasts.iter().all(|t| !t.error));
}

#[test]
fn a_row_retitled_by_the_server_is_filtered_on_its_new_title() {
    let mut s = findings_pane(12, 12);
    press(&mut s, &[ch('/')]);
    for c in "Missing".chars() {
        press(&mut s, &[ch(c)]);
    }
    press(&mut s, &[key(KeyCode::Enter)]);
    let picked = s.findings.selected().cloned().expect("a row matches");
    let e = press(&mut s, &[ch('t')]);
    let Some(Effect::Patch { request, .. }) = e.into_iter().next() else {
        panic!("triage sends a PATCH")
    };
    press(&mut s, &[ch('/')]);
    for c in " qqq".chars() {
        press(&mut s, &[ch(c)]);
    }
    press(&mut s, &[key(KeyCode::Enter)]);
    assert!(s.findings.visible.is_empty());
    let renamed = Finding {
        title: "Missing qqq header".into(),
        status: FindingStatus::Triaged,
        ..picked.to_finding()
    };
    update(
        &mut s,
        Action::Patched {
            request,
            result: Ok(renamed),
        },
    );
    assert_eq!(s.findings.visible.len(), 1, "the new title matches");
}

#[test]
fn an_unknown_severity_status_and_domain_show_in_the_list_as_sent() {
    let mut s = findings_pane(4, 4);
    let mut odd = finding(0);
    odd.severity = Severity::parse("urgent");
    odd.status = FindingStatus::parse("wontfix");
    odd.domain = Domain::parse("privacy");
    let mut rows = findings(1..4);
    rows.insert(0, odd);
    s.findings.set_all(rows);
    let row = s.findings.selected().expect("a row");
    assert_eq!(row.severity(), &Severity::Other("urgent".into()));
    assert_eq!(row.status().as_str(), "wontfix");
    assert_eq!(row.domain().as_str(), "privacy");
    let shown = text(&draw(&mut s, 120, 40));
    assert!(shown.contains("? urgent"), "{shown}");
    assert!(
        shown.contains("wontfix") && shown.contains("privacy"),
        "{shown}"
    );
    // It sorts after every known severity, as before.
    press(&mut s, &[ch('o')]);
    assert_eq!(s.findings.sort, SortKey::Severity);
    let last = *s.findings.visible.last().unwrap();
    assert_eq!(s.findings.rows[last].severity().as_str(), "urgent");
}
