//! Reducer tests of grouping the findings list (`z`): groups by check and
//! by page, opening one, marking a whole group for one bulk change, the
//! rest of a partly loaded list loading, `:group`, and views that group.

mod tui_fixtures;

use crossterm::event::KeyCode;
use krafter::api::model::{Finding, FindingRow, FindingStatus, Interner, Severity};
use krafter::app::action::Action;
use krafter::app::effect::Effect;
use krafter::app::state::{AppState, GroupBy, Pane, ViewsState};
use krafter::app::update::update;
use krafter::config::views::ViewSpec;
use krafter::engine::bulk::plan::Pick;
use tui_fixtures::*;

const CHECKS: [(&str, &str); 3] = [
    (
        "security.csp_missing",
        "Missing Content-Security-Policy header",
    ),
    ("a11y.img_alt", "Images without alt text"),
    ("seo.meta_description", "Missing meta description"),
];

/// Finding `i` as a scan reports it: one of three checks (the same title
/// for every finding of a check), on one of four pages.
fn scanned(i: usize) -> Finding {
    let mut f = finding(i);
    let (check, title) = CHECKS[i % 3];
    f.title = title.to_string();
    f.extra.insert("check".into(), serde_json::json!(check));
    f.affected_assets[0].value = format!("https://shop.test/p{}", i % 4);
    f.status = if i.is_multiple_of(5) {
        FindingStatus::Triaged
    } else {
        FindingStatus::New
    };
    f
}

/// The findings pane with `rows` of `total` loaded (one page).
fn list(rows: usize, total: u64) -> AppState {
    let mut s = state();
    for effect in krafter::app::update::start(&mut s) {
        if let Effect::LoadFindings {
            generation, offset, ..
        } = effect
        {
            update(
                &mut s,
                Action::FindingsPage {
                    generation,
                    offset,
                    result: Ok(page((0..rows).map(scanned).collect(), total)),
                },
            );
        }
    }
    s.toasts.clear();
    press(&mut s, &[key(KeyCode::Tab)]);
    assert_eq!(s.pane, Pane::Findings);
    s
}

fn labels(s: &AppState) -> Vec<(String, usize)> {
    s.findings
        .grouping
        .groups
        .iter()
        .map(|g| (g.label.clone(), g.positions.len()))
        .collect()
}

fn toast(s: &AppState) -> String {
    s.toasts.last().map(|t| t.text.clone()).unwrap_or_default()
}

#[test]
fn z_groups_by_check_then_page_then_not_at_all() {
    let mut s = list(12, 12);
    press(&mut s, &[ch('z')]);
    assert_eq!(s.findings.grouping.by, Some(GroupBy::Check));
    assert_eq!(
        labels(&s),
        vec![
            (CHECKS[0].1.to_string(), 4),
            (CHECKS[1].1.to_string(), 4),
            (CHECKS[2].1.to_string(), 4)
        ],
        "one row per check, in the order of their first finding"
    );
    let csp = &s.findings.grouping.groups[0];
    // Findings 0, 3, 6, 9: critical, low, medium, high.
    assert_eq!(csp.worst, Severity::Critical, "the worst severity");
    assert!(s.findings.selected().is_none(), "a group row is no finding");

    press(&mut s, &[ch('z')]);
    assert_eq!(s.findings.grouping.by, Some(GroupBy::Page));
    assert_eq!(
        labels(&s),
        (0..4)
            .map(|p| (format!("https://shop.test/p{p}"), 3))
            .collect::<Vec<_>>()
    );
    press(&mut s, &[ch('z')]);
    assert_eq!(s.findings.grouping.by, None);
    assert!(s.findings.grouping.groups.is_empty());
    assert_eq!(s.findings.visible.len(), 12, "the plain list again");
    assert!(s.findings.selected().is_some());
}

#[test]
fn statuses_and_worst_severity_of_a_group() {
    let mut s = list(12, 12);
    press(&mut s, &[ch('z')]);
    // The CSP check: findings 0, 3, 6 and 9; 0 is triaged (0 % 5 == 0).
    let csp = &s.findings.grouping.groups[0];
    assert_eq!(csp.positions, vec![0, 3, 6, 9]);
    assert_eq!(csp.statuses_text(), "new 3 · triaged 1");
    // The alt-text check: 1, 4, 7, 10 (high, critical... by i % 4).
    let alt = &s.findings.grouping.groups[1];
    assert_eq!(alt.worst, Severity::Critical, "finding 4 is critical");
    assert_eq!(alt.statuses_text(), "new 3 · triaged 1", "10 is triaged");
}

#[test]
fn enter_opens_a_group_and_esc_comes_back_to_it() {
    let mut s = list(12, 12);
    press(&mut s, &[ch('z'), ch('j')]);
    assert_eq!(s.findings.grouping.cursor, 1);
    press(&mut s, &[key(KeyCode::Enter)]);
    assert_eq!(s.pane, Pane::Findings, "enter on a group opens no detail");
    let shown: Vec<String> = s
        .findings
        .visible
        .iter()
        .map(|&p| s.findings.row_at(p).unwrap().id().to_string())
        .collect();
    assert_eq!(shown, ["f-001", "f-004", "f-007", "f-010"]);
    // In the group, the keys are the list's: enter opens the detail.
    press(&mut s, &[ch('j')]);
    assert_eq!(s.findings.selected().unwrap().id(), "f-004");
    press(&mut s, &[key(KeyCode::Esc)]);
    assert!(
        s.findings.grouping.open.is_none(),
        "esc: back to the groups"
    );
    assert_eq!(s.findings.grouping.cursor, 1, "on the group it left");
    // → opens too, ← goes back.
    press(&mut s, &[key(KeyCode::Right)]);
    assert!(s.findings.grouping.open.is_some());
    press(&mut s, &[key(KeyCode::Left)]);
    assert!(s.findings.grouping.open.is_none());
    // The last group, then the first.
    press(&mut s, &[ch('G')]);
    assert_eq!(s.findings.grouping.cursor, 2);
    press(&mut s, &[ch('g')]);
    assert_eq!(s.findings.grouping.cursor, 0);
}

#[test]
fn space_marks_a_whole_group_and_one_bulk_change_covers_it() {
    let mut s = list(12, 12);
    press(&mut s, &[ch('z'), ch(' ')]);
    let marked: Vec<&str> = ["f-000", "f-003", "f-006", "f-009"].to_vec();
    for id in &marked {
        let row = s.findings.rows.iter().find(|r| r.id() == *id).unwrap();
        assert!(s.findings.marks.contains(row), "{id} marked");
    }
    assert_eq!(s.findings.marks.count(), 4, "only that group's findings");
    assert!(toast(&s).contains("marked the 4 findings"), "{}", toast(&s));
    assert_eq!(
        s.findings.grouping.cursor, 1,
        "space moves on, as in the list"
    );
    // One key changes the whole group: the bulk preview of 4, whose sample
    // names their shared title once, with the count.
    let (request, pick, change) = tui_fixtures::bulk::request_of(&press(&mut s, &[ch('t')]));
    let Pick::Ids(ids) = pick else {
        panic!("{pick:?}")
    };
    assert_eq!(ids.len(), 4);
    let preview = tui_fixtures::bulk::preview_of(&s, &ids, &change);
    update(
        &mut s,
        Action::BulkPlanned {
            request,
            result: Ok(Box::new(preview)),
        },
    );
    let screen = text(&draw(&mut s, 120, 40));
    assert!(
        screen.contains("“Missing Content-Security-Policy header” ×3"),
        "{screen}"
    );
    // Space again on the same group unmarks it.
    let mut s = list(12, 12);
    press(&mut s, &[ch('z'), ch(' '), ch('k'), ch(' ')]);
    assert!(s.findings.marks.is_empty());
}

#[test]
fn a_change_key_on_a_group_row_says_what_to_do() {
    let mut s = list(12, 12);
    press(&mut s, &[ch('z')]);
    for k in ['t', 'a', 'y'] {
        s.toasts.clear();
        let effects = press(&mut s, &[ch(k)]);
        assert!(
            !effects
                .iter()
                .any(|e| matches!(e, Effect::Patch { .. } | Effect::PlanBulk { .. })),
            "{k}: nothing is sent"
        );
        assert!(s.modal.is_none(), "{k}: no dialog");
        assert!(
            toast(&s).contains("enter opens it, space marks"),
            "{k}: {}",
            toast(&s)
        );
    }
}

#[test]
fn grouping_a_partly_loaded_list_loads_the_rest_and_marks_arrivals() {
    let mut s = list(50, 120);
    assert!(!s.findings.all_loaded());
    let effects = press(&mut s, &[ch('z')]);
    let offsets: Vec<u64> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::LoadFindings { offset, .. } => Some(*offset),
            _ => None,
        })
        .collect();
    assert_eq!(offsets, vec![50], "the next page of the list is asked for");
    // The first group marked now: 17 of its loaded findings.
    press(&mut s, &[ch(' ')]);
    assert_eq!(s.findings.marks.count(), 17);
    assert!(toast(&s).contains("as they arrive"), "{}", toast(&s));
    // The pages come: each asks for the next, the group's findings in them
    // are marked as they arrive.
    let mut offset = 50u64;
    while offset < 120 {
        let generation = s.findings.generation;
        let rows: Vec<Finding> = (offset as usize..(offset as usize + 50).min(120))
            .map(scanned)
            .collect();
        let effects = update(
            &mut s,
            Action::FindingsPage {
                generation,
                offset,
                result: Ok(page(rows, 120)),
            },
        );
        s.findings.settle();
        offset += 50;
        if offset < 120 {
            assert!(
                effects
                    .iter()
                    .any(|e| matches!(e, Effect::LoadFindings { offset: o, .. } if *o == offset)),
                "page at {offset} asked for: {effects:?}"
            );
        }
    }
    assert!(s.findings.all_loaded());
    assert_eq!(s.findings.marks.count(), 40, "every CSP finding of 120");
    let counted: usize = labels(&s).iter().map(|(_, n)| n).sum();
    assert_eq!(counted, 120, "the groups count the whole list");
}

#[test]
fn the_text_filter_narrows_the_groups() {
    let mut s = list(12, 12);
    press(&mut s, &[ch('z'), ch('/')]);
    for c in "alt".chars() {
        press(&mut s, &[ch(c)]);
    }
    press(&mut s, &[key(KeyCode::Enter)]);
    assert_eq!(labels(&s), vec![(CHECKS[1].1.to_string(), 4)]);
}

#[test]
fn group_command_and_its_errors() {
    let mut s = list(12, 12);
    press(&mut s, &[ch(':')]);
    for c in "group page".chars() {
        press(&mut s, &[ch(c)]);
    }
    press(&mut s, &[key(KeyCode::Enter)]);
    assert_eq!(s.findings.grouping.by, Some(GroupBy::Page));
    press(&mut s, &[ch(':')]);
    for c in "group owner".chars() {
        press(&mut s, &[ch(c)]);
    }
    press(&mut s, &[key(KeyCode::Enter)]);
    assert_eq!(s.findings.grouping.by, Some(GroupBy::Page), "unchanged");
    assert!(
        s.toasts
            .iter()
            .any(|t| t.error && t.text.contains("`owner` is not check, page or none")),
        "{:?}",
        s.toasts
    );
    press(&mut s, &[ch(':')]);
    for c in "group none".chars() {
        press(&mut s, &[ch(c)]);
    }
    press(&mut s, &[key(KeyCode::Enter)]);
    assert_eq!(s.findings.grouping.by, None);
}

#[test]
fn a_view_that_groups_opens_grouped_and_z_changes_it() {
    let mut s = list(12, 12);
    s.views = ViewsState::new(vec![
        ViewSpec {
            name: "All".into(),
            ..ViewSpec::default()
        },
        ViewSpec {
            name: "By check".into(),
            group_by: Some("check".into()),
            ..ViewSpec::default()
        },
    ]);
    let effects = press(&mut s, &[ch('2')]);
    assert_eq!(s.findings.grouping.by, Some(GroupBy::Check));
    // The view's rows come.
    for e in effects {
        if let Effect::LoadFindings {
            generation, offset, ..
        } = e
        {
            update(
                &mut s,
                Action::FindingsPage {
                    generation,
                    offset,
                    result: Ok(page((0..12).map(scanned).collect(), 12)),
                },
            );
        }
    }
    s.findings.settle();
    assert_eq!(s.findings.grouping.groups.len(), 3);
    assert_eq!(s.views.current, Some(1));
    press(&mut s, &[ch('z')]);
    assert_eq!(s.views.current, None, "grouped by page: the view changed");
    assert!(s.views.label().contains("(changed)"));
    press(&mut s, &[ch('1')]);
    assert_eq!(s.findings.grouping.by, None, "All does not group");
}

#[test]
fn the_check_key_groups_and_the_title_stands_in_without_one() {
    // The list's rows keep the check key (interned) and the page.
    let mut strings = Interner::default();
    let with = FindingRow::new(scanned(0), &mut strings);
    assert_eq!(GroupBy::Check.key_of(&with), "security.csp_missing");
    let mut without = scanned(0);
    without.extra.clear();
    let without = FindingRow::new(without, &mut strings);
    assert_eq!(GroupBy::Check.key_of(&without), CHECKS[0].1);
    assert_eq!(GroupBy::Page.key_of(&with), "https://shop.test/p0");
}
