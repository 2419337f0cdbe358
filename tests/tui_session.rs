//! Reducer tests of the second round: switching profile/project, stopping
//! a bulk job, quitting while one runs, and people by name.

mod tui_fixtures;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use krafter::app::action::Action;
use krafter::app::effect::Effect;
use krafter::app::state::{AppState, Modal, Pane};
use krafter::app::switch::{SessionChange, SwitchTarget};
use krafter::app::update::update;
use krafter::engine::people::People;
use tui_fixtures::*;

const ALICE: &str = "a11ce000-0000-4000-8000-000000000001";

fn findings_pane(rows: usize, total: u64) -> AppState {
    let mut s = loaded(rows, total);
    press(&mut s, &[key(KeyCode::Tab)]);
    assert_eq!(s.pane, Pane::Findings);
    s
}

fn with_projects(mut s: AppState) -> AppState {
    s.targets = vec![
        SwitchTarget::Project("production-website".into()),
        SwitchTarget::Project("customer-portal".into()),
    ];
    s
}

fn portal() -> SessionChange {
    SessionChange {
        profile: "demo".into(),
        base_url: "http://127.0.0.1:8787/api/v1".into(),
        org_id: "3b6f0c2e-5d1a-4c39-9e7b-2f8a1d4c6e90".into(),
        project_id: "customer-portal".into(),
        people: People::new(Vec::new(), Some(ME.into())),
        ..SessionChange::default()
    }
}

fn ctrl_c() -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL))
}

#[test]
fn switching_project_resets_the_session_and_drops_stale_answers() {
    let mut s = with_projects(findings_pane(30, 120));
    press(&mut s, &[ch(' ')]);
    press(&mut s, &[key(KeyCode::Enter)]);
    assert!(s.detail.is_some());
    let old_cc = s.command_center.generation;
    let old_list = s.findings.generation;
    let old_detail = s.detail.as_ref().unwrap().generation;

    let generation = choose_portal(&mut s);
    let effects = update(
        &mut s,
        Action::Switched {
            generation,
            target: SwitchTarget::Project("customer-portal".into()),
            result: Ok(portal()),
        },
    );
    assert_eq!(s.session.project_id, "customer-portal", "shown at once");
    assert!(s.findings.rows.is_empty() && s.findings.marks.is_empty());
    assert!(s.detail.is_none() && s.command_center.data.is_none());
    assert_eq!(s.pane, Pane::Findings);
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::LoadCommandCenter { generation } if *generation > old_cc))
    );
    assert!(effects.iter().any(
        |e| matches!(e, Effect::LoadFindings { generation, offset: 0, .. } if *generation > old_list)
    ));

    // Late answers for the old project are dropped.
    update(
        &mut s,
        Action::FindingsPage {
            generation: old_list,
            offset: 0,
            result: Ok(page(findings(0..10), 120)),
        },
    );
    update(
        &mut s,
        Action::CommandCenterLoaded {
            generation: old_cc,
            result: Ok(command_center()),
        },
    );
    assert!(s.findings.rows.is_empty());
    assert!(s.command_center.data.is_none());
    // A detail opened after the switch does not take the old detail's answer.
    let new_list = s.findings.generation;
    update(
        &mut s,
        Action::FindingsPage {
            generation: new_list,
            offset: 0,
            result: Ok(page(findings(0..3), 3)),
        },
    );
    press(&mut s, &[key(KeyCode::Enter)]);
    let mut stale = finding(0);
    stale.title = "from the old project".into();
    update(
        &mut s,
        Action::FindingLoaded {
            generation: old_detail,
            result: Ok(stale),
        },
    );
    let shown = s.detail.as_ref().and_then(|d| d.finding.as_ref()).unwrap();
    assert_ne!(shown.title, "from the old project");
}

#[test]
fn a_failed_switch_keeps_the_session_and_says_why() {
    let mut s = with_projects(findings_pane(5, 5));
    let generation = choose_portal(&mut s);
    update(
        &mut s,
        Action::Switched {
            generation,
            target: SwitchTarget::Project("customer-portal".into()),
            result: Err("profile `staging` not opened: no API key found".into()),
        },
    );
    assert_eq!(s.session.project_id, "production-website");
    assert_eq!(s.findings.rows.len(), 5);
    let toast = s.toasts.last().unwrap();
    assert!(toast.error && toast.text.contains("still on"), "{toast:?}");
}

#[test]
fn switcher_without_targets_says_how_to_get_some() {
    let mut s = findings_pane(3, 3);
    press(&mut s, &[ch('P')]);
    assert!(s.modal.is_none());
    assert!(s.toasts.last().unwrap().text.contains("[profiles.NAME]"));
}

#[test]
fn quit_without_a_bulk_job_is_immediate() {
    let mut s = findings_pane(3, 3);
    update(&mut s, ctrl_c());
    assert!(s.quit && s.exit_report.is_none());
}

#[test]
fn assign_menu_lists_people_and_assigns_by_name() {
    let mut session = session();
    session.people = People::new(vec![("alice".into(), ALICE.into())], Some(ME.into()));
    let mut s = state_with(session, &[]);
    load(&mut s, 5, 5);
    press(&mut s, &[key(KeyCode::Tab)]);
    // me, alice, a typed UUID, unassigned
    let effects = press(&mut s, &[ch('a'), ch('j'), key(KeyCode::Enter)]);
    assert!(
        matches!(&effects[0], Effect::Patch { patch, .. } if patch.owner_id == Some(Some(ALICE.into()))),
        "{effects:?}"
    );
    assert_eq!(s.session.people.short(Some(ALICE)), "alice");
    assert_eq!(s.session.people.short(Some(OTHER)), "9d2a5b6c");
}

#[test]
fn project_switch_keeps_the_service_and_changes_only_the_project() {
    use krafter::api::{ApiKey, Client, ClientSettings};
    use krafter::runtime::Switcher;
    let settings = ClientSettings::new(
        "http://127.0.0.1:8787/api/v1",
        "3b6f0c2e-5d1a-4c39-9e7b-2f8a1d4c6e90",
        "production-website",
        ApiKey::new("kr_test_key").unwrap(),
    );
    let client = Client::new(settings).unwrap();
    let base = SessionChange {
        profile: "demo".into(),
        people: People::new(vec![("alice".into(), ALICE.into())], None),
        ..SessionChange::of(&client)
    };
    let switcher = Switcher::Projects {
        client,
        base: Box::new(base),
    };
    let (client, change) = switcher
        .switch(&SwitchTarget::Project("customer-portal".into()))
        .unwrap();
    assert_eq!(client.project_id(), "customer-portal");
    assert_eq!(change.project_id, "customer-portal");
    assert_eq!(change.profile, "demo");
    assert_eq!(change.people.len(), 1, "people carry over");
    assert!(
        switcher
            .switch(&SwitchTarget::Profile("staging".into()))
            .is_err()
    );
}

#[test]
fn owner_filter_offers_people_by_name() {
    let mut session = session();
    session.people = People::new(vec![("me-too".into(), ALICE.into())], Some(ME.into()));
    let mut s = state_with(session, &[]);
    load(&mut s, 5, 5);
    press(&mut s, &[key(KeyCode::Tab)]);
    // filter menu → owner → (any), me, unassigned, me-too
    let effects = press(
        &mut s,
        &[
            ch('f'),
            ch('j'),
            ch('j'),
            ch('j'),
            key(KeyCode::Enter),
            ch('j'),
            ch('j'),
            ch('j'),
            key(KeyCode::Enter),
        ],
    );
    assert_eq!(s.findings.query.owner_id.as_deref(), Some(ALICE));
    assert!(
        matches!(&effects[0], Effect::LoadFindings { query, .. } if query.owner_id.as_deref() == Some(ALICE))
    );
}

/// Chooses the portal in the switcher; returns the switch's generation.
fn choose_portal(s: &mut AppState) -> u64 {
    let effects = press(s, &[ch('P'), ch('j'), key(KeyCode::Enter)]);
    let [Effect::Switch { generation, target }] = effects.as_slice() else {
        panic!("expected a switch, got {effects:?}");
    };
    assert_eq!(*target, SwitchTarget::Project("customer-portal".into()));
    *generation
}

fn last_toast(s: &AppState) -> String {
    s.toasts.last().map(|t| t.text.clone()).unwrap_or_default()
}

#[test]
fn nothing_that_changes_data_starts_while_a_switch_is_loading() {
    let mut s = with_projects(findings_pane(10, 10));
    choose_portal(&mut s);
    assert!(s.switching.is_some());
    // A single change, the menus that lead to one, a scan and a bulk job
    // would all go to the old project, or land in the new one with old ids.
    for keys in [
        vec![ch('t')],
        vec![ch('d')],
        vec![ch('a')],
        vec![ch('S')],
        vec![ch('c')],
        vec![ch('s')],
        vec![ch(' '), ch(' '), ch('t')],
    ] {
        let effects = press(&mut s, &keys);
        assert!(effects.is_empty(), "{keys:?} sent {effects:?}");
        assert!(s.modal.is_none(), "{keys:?} opened {:?}", s.modal);
        assert!(
            last_toast(&s).contains("switching to project customer-portal"),
            "{keys:?}: {}",
            last_toast(&s)
        );
    }
    assert!(s.bulk.is_none());
    // A second switch waits too: the first one chosen is the one that opens.
    assert!(press(&mut s, &[ch('P')]).is_empty());
    assert!(s.modal.is_none());
    assert!(last_toast(&s).contains("switching to project customer-portal"));
    // Looking around is fine meanwhile.
    press(&mut s, &[ch('j'), ch('?')]);
    assert!(matches!(s.modal, Some(Modal::Help { .. })));
}

#[test]
fn a_landed_switch_closes_what_was_open_and_lets_changes_through() {
    let mut s = with_projects(findings_pane(10, 10));
    let generation = choose_portal(&mut s);
    press(&mut s, &[ch('f')]);
    assert!(s.modal.is_some(), "the filter menu opens while loading");
    update(
        &mut s,
        Action::Switched {
            generation,
            target: SwitchTarget::Project("customer-portal".into()),
            result: Ok(portal()),
        },
    );
    assert!(s.switching.is_none());
    assert!(s.modal.is_none(), "menus of the old session are closed");
    assert_eq!(s.session.project_id, "customer-portal");
    // The new project's rows can be changed.
    let list = s.findings.generation;
    update(
        &mut s,
        Action::FindingsPage {
            generation: list,
            offset: 0,
            result: Ok(page(findings(0..3), 3)),
        },
    );
    let effects = press(&mut s, &[ch('t')]);
    assert!(
        matches!(effects.as_slice(), [Effect::Patch { .. }]),
        "{effects:?}"
    );
}

#[test]
fn a_switch_answer_for_an_earlier_request_is_dropped() {
    let mut s = with_projects(findings_pane(10, 10));
    let generation = choose_portal(&mut s);
    let effects = update(
        &mut s,
        Action::Switched {
            generation: generation - 1,
            target: SwitchTarget::Project("customer-portal".into()),
            result: Ok(portal()),
        },
    );
    assert!(effects.is_empty());
    assert_eq!(s.session.project_id, "production-website");
    assert_eq!(s.findings.rows.len(), 10);
    assert!(s.switching.is_some(), "still waiting for the one chosen");
    update(
        &mut s,
        Action::Switched {
            generation,
            target: SwitchTarget::Project("customer-portal".into()),
            result: Ok(portal()),
        },
    );
    assert_eq!(s.session.project_id, "customer-portal");
}

#[test]
fn a_failed_switch_lets_changes_through_again() {
    let mut s = with_projects(findings_pane(10, 10));
    let generation = choose_portal(&mut s);
    update(
        &mut s,
        Action::Switched {
            generation,
            target: SwitchTarget::Project("customer-portal".into()),
            result: Err("project `customer-portal` not opened: connection refused".into()),
        },
    );
    assert!(s.switching.is_none());
    assert!(s.toasts.last().unwrap().text.contains("still on"));
    let effects = press(&mut s, &[ch('t')]);
    assert!(
        matches!(effects.as_slice(), [Effect::Patch { .. }]),
        "{effects:?}"
    );
}
