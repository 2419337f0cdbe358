//! Reducer tests of saved views (the digits, counts, remembering), the
//! multi-key sort, the `:` command line and its history, the searchable
//! help, and copying or opening from the list.

mod tui_fixtures;

use crossterm::event::KeyCode;
use krafter::api::model::{FindingStatus, Severity};
use krafter::app::action::Action;
use krafter::app::effect::Effect;
use krafter::app::state::{AppState, Modal, Pane, Remembered, SortKey, ViewCount, ViewsState};
use krafter::app::update::{start, update};
use krafter::config::views::ViewSpec;
use tui_fixtures::*;

fn findings_pane(rows: usize, total: u64) -> AppState {
    let mut s = loaded(rows, total);
    press(&mut s, &[key(KeyCode::Tab)]);
    assert_eq!(s.pane, Pane::Findings);
    s
}

fn typed(s: &mut AppState, text: &str) -> Vec<Effect> {
    let keys: Vec<Action> = text.chars().map(ch).collect();
    press(s, &keys)
}

/// Runs a command line as typed: `:`, the text, enter.
fn command(s: &mut AppState, line: &str) -> Vec<Effect> {
    press(s, &[ch(':')]);
    typed(s, line);
    press(s, &[key(KeyCode::Enter)])
}

fn loads(effects: &[Effect]) -> Option<&krafter::api::model::FindingQuery> {
    effects.iter().find_map(|e| match e {
        Effect::LoadFindings { query, .. } => Some(query),
        _ => None,
    })
}

#[test]
fn digits_pick_a_view_in_the_list_and_a_pane_elsewhere() {
    let mut s = findings_pane(30, 120);
    assert_eq!(s.views.current, Some(0), "the first view shows at start");
    let effects = press(&mut s, &[ch('3')]);
    assert_eq!(s.views.current, Some(2));
    assert_eq!(s.pane, Pane::Findings, "the list keeps the focus");
    let query = loads(&effects).expect("the list reloads for the view");
    assert_eq!(query.status, Some(FindingStatus::New));
    assert!(s.findings.rows.is_empty(), "the old view's rows are gone");
    let effects = press(&mut s, &[ch('2')]);
    assert_eq!(
        loads(&effects).and_then(|q| q.owner_id.clone()).as_deref(),
        Some(ME),
        "Mine asks for the profile's me"
    );
    // Away from the list, digits are the panes' again.
    press(&mut s, &[key(KeyCode::BackTab)]);
    assert_eq!(s.pane, Pane::CommandCenter, "shift-tab goes back a pane");
    press(&mut s, &[ch('3')]);
    assert_eq!(s.pane, Pane::Tasks);
    assert_eq!(s.views.current, Some(1), "the view did not change");
}

#[test]
fn a_digit_past_the_views_says_how_many_there_are() {
    let mut s = findings_pane(5, 5);
    press(&mut s, &[ch('7')]);
    assert_eq!(s.views.current, Some(0));
    assert!(
        s.toasts
            .iter()
            .any(|t| t.text.contains("there are 4 views"))
    );
}

#[test]
fn counts_come_from_the_servers_total_and_stale_ones_are_dropped() {
    let s = loaded(30, 120);
    for (i, view) in s.views.views.iter().enumerate() {
        assert_eq!(view.count, ViewCount::Known(view_count(i, 120)));
    }
    let mut s = s;
    let effects = press(&mut s, &[ch('r')]);
    let asks: Vec<(u64, usize)> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::CountView {
                generation, index, ..
            } => Some((*generation, *index)),
            _ => None,
        })
        .collect();
    assert_eq!(asks.len(), 4, "r counts every view again");
    assert_eq!(
        s.views.views[1].count,
        ViewCount::Asking(Some(60)),
        "the last count stays shown meanwhile"
    );
    update(
        &mut s,
        Action::ViewCounted {
            generation: asks[0].0 - 1,
            index: 1,
            result: Ok(999),
        },
    );
    assert_eq!(s.views.views[1].count, ViewCount::Asking(Some(60)));
    update(
        &mut s,
        Action::ViewCounted {
            generation: asks[0].0,
            index: 1,
            result: Ok(7),
        },
    );
    assert_eq!(s.views.views[1].count, ViewCount::Known(7));
    assert_eq!(s.views.views[1].count.text(), "7");
    assert_eq!(ViewCount::Unknown.text(), "?", "an unknown count says so");
}

#[test]
fn a_view_of_mine_without_me_cannot_be_counted_and_says_why() {
    let mut session = session();
    session.people = krafter::engine::people::People::new(Vec::new(), None);
    let mut s = state_with(session, &[]);
    let effects = start(&mut s);
    let counted: Vec<usize> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::CountView { index, .. } => Some(*index),
            _ => None,
        })
        .collect();
    assert_eq!(counted, [0, 2, 3]);
    assert!(matches!(&s.views.views[1].count, ViewCount::Failed(why) if why.contains("`me`")));
    press(&mut s, &[key(KeyCode::Tab), ch('2')]);
    assert_eq!(s.views.current, Some(0));
    assert!(s.toasts.iter().any(|t| t.error && t.text.contains("Mine")));
}

#[test]
fn a_views_sort_orders_by_its_keys_in_turn() {
    let mut s = state();
    s.views = ViewsState::new(vec![ViewSpec {
        name: "By severity then age".into(),
        sort: vec!["severity".into(), "age".into()],
        ..ViewSpec::default()
    }]);
    load(&mut s, 12, 12);
    assert_eq!(s.findings.sort, SortKey::Severity);
    assert_eq!(s.findings.sort_then, [SortKey::Age]);
    assert_eq!(s.findings.sort_text(), "sort: severity ↓, age ↑");
    let shown: Vec<(u8, i64)> = s
        .findings
        .visible
        .iter()
        .map(|&i| {
            let f = &s.findings.rows[i];
            (f.severity().rank(), f.created().unwrap().timestamp())
        })
        .collect();
    let mut expected = shown.clone();
    expected.sort();
    assert_eq!(shown, expected, "severity first, then oldest first");
    assert_eq!(
        *s.findings.rows[s.findings.visible[0]].severity(),
        Severity::Critical
    );
    // The oldest critical (the fixtures' rows get older with their index).
    assert_eq!(
        s.findings.rows[s.findings.visible[0]].id().to_string(),
        "f-008"
    );
}

#[test]
fn sort_from_the_command_line_and_the_view_it_leaves() {
    let mut s = findings_pane(12, 12);
    command(&mut s, "sort status, severity");
    assert_eq!(s.findings.sort_keys(), [SortKey::Status, SortKey::Severity]);
    assert_eq!(s.views.current, None, "the list is no longer the view's");
    assert_eq!(s.views.label(), "All (changed)");
    command(&mut s, "sort priority");
    assert_eq!(s.views.current, Some(0), "back to the view's own sort");
    command(&mut s, "sort colour");
    assert!(
        s.toasts
            .iter()
            .any(|t| t.text.contains("colour is not a sort key"))
    );
    // `o` changes the first key and leaves the view too.
    press(&mut s, &[ch('o')]);
    assert_eq!(s.findings.sort, SortKey::Severity);
    assert_eq!(s.views.current, None);
}

#[test]
fn filter_goto_and_view_from_the_command_line() {
    let mut s = findings_pane(30, 120);
    let effects = command(&mut s, "filter severity=critical status=new");
    let query = loads(&effects).expect("the list reloads");
    assert_eq!(query.severity, Some(Severity::Critical));
    assert_eq!(query.status, Some(FindingStatus::New));
    command(&mut s, "filter clear");
    assert_eq!(s.views.current, Some(0), "no filter is the All view");

    let mut s = findings_pane(30, 120);
    let effects = command(&mut s, "goto 40");
    assert_eq!(
        s.findings.cursor, 39,
        "the windowed list goes to row 40 at once, a placeholder until its page is in"
    );
    // Row 40's page is asked for now, or was already on its way.
    let asked = effects
        .iter()
        .any(|e| matches!(e, Effect::LoadFindings { offset: 30, .. }));
    let on_its_way = s
        .findings
        .window
        .as_ref()
        .is_some_and(|w| w.in_flight.contains(&30));
    assert!(asked || on_its_way, "{effects:?}");
    let generation = s.findings.generation;
    update(
        &mut s,
        Action::FindingsPage {
            generation,
            offset: 30,
            result: Ok(page(findings(30..60), 120)),
        },
    );
    assert_eq!(s.findings.cursor, 39, "row 40 once it is loaded");

    let effects = command(&mut s, "view untr");
    assert_eq!(s.views.current, Some(2), "a unique prefix names a view");
    assert!(loads(&effects).is_some());
    command(&mut s, "view Nope");
    assert!(
        s.toasts
            .iter()
            .any(|t| t.error && t.text.contains("no view Nope"))
    );
}

#[test]
fn unknown_commands_suggest_the_closest() {
    let mut s = findings_pane(5, 5);
    command(&mut s, "veiw All");
    assert!(
        s.toasts.iter().any(|t| t
            .text
            .contains("unknown command :veiw; did you mean :view?")),
        "{:?}",
        s.toasts
    );
    command(&mut s, "gto 3");
    assert!(
        s.toasts
            .iter()
            .any(|t| t.text.contains("did you mean :goto?"))
    );
}

#[test]
fn tab_completes_commands_and_their_arguments() {
    let mut s = findings_pane(5, 5);
    press(&mut s, &[ch(':')]);
    typed(&mut s, "vi");
    press(&mut s, &[key(KeyCode::Tab)]);
    let line = |s: &AppState| match &s.modal {
        Some(Modal::CommandLine { input, .. }) => input.value().to_string(),
        other => panic!("{other:?}"),
    };
    assert_eq!(line(&s), "view ");
    typed(&mut s, "cr");
    press(&mut s, &[key(KeyCode::Tab)]);
    assert_eq!(line(&s), "view Critical open ");
    press(&mut s, &[key(KeyCode::Esc)]);
    press(&mut s, &[ch(':')]);
    typed(&mut s, "filter sev");
    press(&mut s, &[key(KeyCode::Tab)]);
    assert_eq!(line(&s), "filter severity=");
    press(&mut s, &[key(KeyCode::Tab)]);
    match &s.modal {
        Some(Modal::CommandLine { completions, .. }) => {
            assert!(
                completions.contains(&"severity=critical".to_string()),
                "{completions:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    press(&mut s, &[key(KeyCode::Esc)]);
    assert!(s.modal.is_none());
}

#[test]
fn the_history_recalls_and_is_kept_on_disk() {
    let mut s = findings_pane(5, 5);
    let dir = tempfile::tempdir().unwrap();
    s.session.state_dir = Some(dir.path().to_path_buf());
    let effects = command(&mut s, "sort severity");
    assert!(
        effects.iter().any(|e| matches!(e,
            Effect::SaveHistory { path, lines }
                if path.ends_with("command_history") && lines == &["sort severity".to_string()])),
        "{effects:?}"
    );
    command(&mut s, "goto 2");
    command(&mut s, "goto 2");
    assert_eq!(s.command_history, ["sort severity", "goto 2"], "no repeats");
    press(&mut s, &[ch(':'), key(KeyCode::Up)]);
    let line = |s: &AppState| match &s.modal {
        Some(Modal::CommandLine { input, .. }) => input.value().to_string(),
        other => panic!("{other:?}"),
    };
    assert_eq!(line(&s), "goto 2");
    press(&mut s, &[key(KeyCode::Up)]);
    assert_eq!(line(&s), "sort severity");
    press(&mut s, &[key(KeyCode::Up)]);
    assert_eq!(line(&s), "sort severity", "the oldest stays");
    press(&mut s, &[key(KeyCode::Down), key(KeyCode::Down)]);
    assert_eq!(line(&s), "", "past the newest: an empty line");
}

#[test]
fn help_opens_on_the_panes_keys_and_typing_filters_it() {
    let mut s = findings_pane(5, 5);
    press(&mut s, &[ch('?')]);
    typed(&mut s, "copy");
    match &s.modal {
        Some(Modal::Help { filter, .. }) => assert_eq!(filter, "copy"),
        other => panic!("{other:?}"),
    }
    press(&mut s, &[key(KeyCode::Backspace)]);
    assert!(matches!(&s.modal, Some(Modal::Help { filter, .. }) if filter == "cop"));
    press(&mut s, &[key(KeyCode::Esc)]);
    assert!(s.modal.is_none());
    // ? on an empty filter closes, as it opened.
    press(&mut s, &[ch('?'), ch('?')]);
    assert!(s.modal.is_none());
    command(&mut s, "help sort");
    assert!(matches!(&s.modal, Some(Modal::Help { filter, .. }) if filter == "sort"));
}

#[test]
fn y_copies_the_id_and_capital_y_the_url_as_effects() {
    let mut s = findings_pane(5, 5);
    press(&mut s, &[ch('j')]);
    let effects = press(&mut s, &[ch('y')]);
    assert_eq!(
        effects,
        [Effect::Copy {
            text: "f-001".into()
        }]
    );
    assert!(s.toasts.iter().any(|t| t.text == "copied the id f-001"));
    let effects = press(&mut s, &[ch('Y')]);
    assert_eq!(
        effects,
        [Effect::Copy {
            text: "https://example.com/".into()
        }]
    );
    assert!(s.toasts.iter().any(|t| t.text.contains("copied the URL")));
}

#[test]
fn capital_o_opens_the_browser_or_copies_over_ssh() {
    let mut s = findings_pane(5, 5);
    let effects = press(&mut s, &[ch('O')]);
    assert_eq!(
        effects,
        [Effect::OpenUrl {
            url: "https://example.com/".into()
        }]
    );
    s.session.web_url = Some("https://app.krafter.dev/".into());
    let effects = press(&mut s, &[ch('O')]);
    assert_eq!(
        effects,
        [Effect::OpenUrl {
            url: "https://app.krafter.dev/projects/production-website/findings/f-000".into()
        }]
    );
    s.session.over_ssh = true;
    let effects = press(&mut s, &[ch('O')]);
    assert!(matches!(&effects[..], [Effect::Copy { text }] if text.ends_with("/findings/f-000")));
    assert!(s.toasts.iter().any(|t| t.text.contains("over SSH")));
    update(
        &mut s,
        Action::OpenFailed {
            url: "https://x".into(),
            why: "no browser".into(),
        },
    );
    assert!(
        s.toasts
            .iter()
            .any(|t| t.error && t.text.contains("no browser"))
    );
}

#[test]
fn the_last_view_and_position_are_remembered_per_project() {
    let mut s = findings_pane(30, 30);
    let dir = tempfile::tempdir().unwrap();
    s.session.state_dir = Some(dir.path().to_path_buf());
    press(&mut s, &[ch('3')]);
    let Some(Effect::LoadFindings { generation, .. }) = loads_effect(&press(&mut s, &[ch('r')]))
    else {
        panic!("r reloads");
    };
    update(
        &mut s,
        Action::FindingsPage {
            generation,
            offset: 0,
            result: Ok(page(findings(0..30), 30)),
        },
    );
    press(&mut s, &[ch('j'), ch('j'), ch('j')]);
    let effects = press(&mut s, &[ch('q')]);
    assert!(s.quit);
    let Some(Effect::Remember { path, remembered }) = effects.first() else {
        panic!("quitting remembers the list: {effects:?}");
    };
    assert!(path.ends_with("views.json"));
    let key = s.remember_key();
    assert_eq!(
        remembered.get(&key),
        Some(&Remembered {
            view: "Untriaged".into(),
            position: 3
        })
    );
    // The next start opens there.
    let mut next = state();
    next.remembered = remembered.clone().into_iter().collect();
    let effects = start(&mut next);
    assert_eq!(next.views.current, Some(2));
    assert_eq!(
        loads(&effects).and_then(|q| q.status.clone()),
        Some(FindingStatus::New)
    );
    assert_eq!(next.views.pending_cursor, Some(3));
}

fn loads_effect(effects: &[Effect]) -> Option<Effect> {
    effects
        .iter()
        .find(|e| matches!(e, Effect::LoadFindings { .. }))
        .cloned()
}

#[test]
fn w_types_the_save_command_and_a_saved_view_becomes_a_tab() {
    let mut s = findings_pane(5, 5);
    s.session.config_file = Some("/tmp/krafter-test-config.toml".into());
    command(&mut s, "filter severity=high");
    press(&mut s, &[ch('W')]);
    assert!(
        matches!(&s.modal, Some(Modal::CommandLine { input, .. }) if input.value() == "save-view ")
    );
    typed(&mut s, "High ones");
    let effects = press(&mut s, &[key(KeyCode::Enter)]);
    let Some(Effect::SaveView { path, view, .. }) = effects
        .iter()
        .find(|e| matches!(e, Effect::SaveView { .. }))
        .cloned()
    else {
        panic!("{effects:?}");
    };
    assert_eq!(
        path,
        std::path::PathBuf::from("/tmp/krafter-test-config.toml")
    );
    assert_eq!(view.name, "High ones");
    assert_eq!(view.severity, Some(Severity::High));
    update(
        &mut s,
        Action::ViewSaved {
            view,
            result: Ok("/tmp/krafter-test-config.toml".into()),
        },
    );
    assert_eq!(s.views.views.len(), 5);
    assert_eq!(s.views.current, Some(4));
    assert_eq!(s.views.label(), "High ones");
}

#[test]
fn the_sort_menu_adds_and_drops_secondary_keys() {
    let mut s = findings_pane(12, 12);
    let ctrl_o = Action::Key(crossterm::event::KeyEvent::new(
        KeyCode::Char('o'),
        crossterm::event::KeyModifiers::CONTROL,
    ));
    press(&mut s, &[ch('o'), ctrl_o.clone()]);
    assert!(matches!(s.modal, Some(Modal::SortMenu { .. })));
    // The menu lists priority, severity, age, status, sla: age is third.
    press(&mut s, &[ch('j'), key(KeyCode::Enter)]);
    assert_eq!(s.findings.sort_keys(), [SortKey::Severity, SortKey::Age]);
    assert_eq!(s.findings.sort_text(), "sort: severity ↓, age ↑");
    assert_eq!(
        s.findings.rows[s.findings.visible[0]].id().to_string(),
        "f-008",
        "the oldest critical first"
    );
    // Choosing it again drops it.
    press(&mut s, &[ctrl_o, ch('j'), key(KeyCode::Enter)]);
    assert_eq!(s.findings.sort_keys(), [SortKey::Severity]);
}

#[test]
fn mine_shows_open_findings_only_and_counts_the_open_statuses() {
    let mut s = findings_pane(30, 120);
    let effects = press(&mut s, &[ch('2')]);
    assert!(s.findings.open_only, "Mine keeps open findings only");
    let query = loads(&effects).expect("the list reloads").clone();
    assert_eq!(
        query.status, None,
        "the service filters one status: none asked"
    );
    // A page of mine: some of them closed.
    let rows: Vec<_> = findings(0..10)
        .into_iter()
        .enumerate()
        .map(|(i, mut f)| {
            f.owner_id = Some(ME.into());
            f.status = match i % 5 {
                0 => FindingStatus::Resolved,
                1 => FindingStatus::Dismissed,
                2 => FindingStatus::Triaged,
                3 => FindingStatus::InProgress,
                _ => FindingStatus::New,
            };
            f
        })
        .collect();
    let generation = s.findings.generation;
    update(
        &mut s,
        Action::FindingsPage {
            generation,
            offset: 0,
            result: Ok(page(rows, 10)),
        },
    );
    s.findings.settle();
    assert_eq!(
        s.findings.rows.len(),
        6,
        "resolved and dismissed are dropped"
    );
    assert!(s.findings.rows.iter().all(|f| f.status().is_unresolved()));
    assert_eq!(
        s.findings.total,
        Some(6),
        "the list's count is what it keeps"
    );
    assert!(
        s.findings.window.is_none(),
        "not a window over the server's pages"
    );
    let screen = text(&draw(&mut s, 120, 40));
    assert!(screen.contains("status=open"), "{screen}");
    // Its tab counts the open statuses, one request each.
    let effects = press(&mut s, &[ch('r')]);
    let statuses = effects
        .iter()
        .find_map(|e| match e {
            Effect::CountView {
                index: 1, statuses, ..
            } => Some(statuses.clone()),
            _ => None,
        })
        .expect("Mine is counted");
    assert_eq!(
        statuses,
        [
            FindingStatus::New,
            FindingStatus::Triaged,
            FindingStatus::InProgress,
            FindingStatus::ReadyVerify
        ]
    );
    // A status of its own replaces "open"; `x` clears it.
    command(&mut s, "filter status=resolved");
    assert!(!s.findings.shows_open_only());
    assert_eq!(s.views.current, None, "the view changed");
    command(&mut s, "filter status=open");
    assert!(s.findings.shows_open_only());
    assert_eq!(s.views.current, Some(1), "Mine again");
    press(&mut s, &[ch('x')]);
    assert!(!s.findings.open_only);
}
