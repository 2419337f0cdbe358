use std::time::UNIX_EPOCH;

use super::*;
use crate::api::enums::Severity;

fn current(status: FindingStatus, owner: Option<&str>, updated: &str) -> Current {
    Current {
        title: format!("finding {status}"),
        before: Before {
            values: Values {
                status,
                owner_id: owner.map(str::to_string),
                severity: Severity::High,
            },
            updated_at: Some(updated.into()),
        },
    }
}

fn target(id: &str, change: Change) -> Target {
    Target {
        id: id.into(),
        change,
        guard: None,
        title: None,
    }
}

fn to(status: FindingStatus) -> Change {
    Change {
        status: Some(status),
        ..Change::default()
    }
}

fn budget(limit: u32, remaining: u32, window: u64) -> (BudgetSnapshot, SystemTime) {
    let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
    (
        BudgetSnapshot {
            limit: Some(limit),
            remaining: Some(remaining),
            reset_at: Some(now + Duration::from_secs(window)),
            window: Duration::from_secs(window),
            ..BudgetSnapshot::default()
        },
        now,
    )
}

#[test]
fn each_finding_is_sent_unchanged_or_skipped_with_its_reason() {
    use FindingStatus::*;
    let mut now_values = HashMap::new();
    now_values.insert("a".to_string(), current(New, None, "t1"));
    now_values.insert("b".to_string(), current(Dismissed, None, "t1"));
    now_values.insert("c".to_string(), current(Resolved, None, "t1"));
    now_values.insert("d".to_string(), current(InProgress, None, "t1"));
    now_values.insert("e".to_string(), current(Other("frozen".into()), None, "t1"));
    let targets: Vec<Target> = ["a", "b", "c", "d", "e", "gone"]
        .iter()
        .map(|id| target(id, to(Dismissed)))
        .collect();
    let (b, now) = budget(100, 100, 60);
    let p = preview(&targets, &now_values, &b, now);
    let verdicts: Vec<&Verdict> = p.items.iter().map(|i| &i.verdict).collect();
    assert_eq!(
        verdicts,
        [
            &Verdict::Send,
            &Verdict::Unchanged,
            &Verdict::Skip(Skip::Resolved),
            &Verdict::Send,
            &Verdict::Skip(Skip::UnknownStatus("frozen".into())),
            &Verdict::Skip(Skip::NotFound),
        ]
    );
    assert_eq!(p.requests(), 2);
    assert_eq!(p.unchanged(), 1);
    assert_eq!(
        p.skipped_by_group(),
        [("resolved", 1), ("unknown status", 1), ("not found", 1)]
    );
    assert_eq!(p.sample(), [("finding new", 1), ("finding in_progress", 1)]);

    let illegal = preview(&[target("a", to(InProgress))], &now_values, &b, now);
    let Verdict::Skip(skip) = &illegal.items[0].verdict else {
        panic!("{illegal:?}");
    };
    assert_eq!(
        skip.reason(),
        "cannot move a finding from new to in_progress; allowed: triaged, dismissed"
    );
}

#[test]
fn only_the_fields_a_change_sets_decide_whether_it_is_needed() {
    let mut values = HashMap::new();
    values.insert(
        "a".to_string(),
        current(FindingStatus::New, Some("u1"), "t"),
    );
    let (b, now) = budget(100, 100, 60);
    let same_owner = Change {
        owner: Some(Some("u1".into())),
        ..Change::default()
    };
    assert_eq!(
        preview(&[target("a", same_owner)], &values, &b, now).items[0].verdict,
        Verdict::Unchanged
    );
    let unassign = Change {
        owner: Some(None),
        ..Change::default()
    };
    assert_eq!(
        preview(&[target("a", unassign)], &values, &b, now).items[0].verdict,
        Verdict::Send
    );
    // An owner change on a resolved finding is not a status move.
    values.insert("r".to_string(), current(FindingStatus::Resolved, None, "t"));
    let assign = Change {
        owner: Some(Some("u2".into())),
        ..Change::default()
    };
    assert_eq!(
        preview(&[target("r", assign)], &values, &b, now).items[0].verdict,
        Verdict::Send
    );
}

#[test]
fn an_undo_skips_findings_someone_changed_since() {
    let mut values = HashMap::new();
    values.insert(
        "ours".to_string(),
        current(FindingStatus::Dismissed, None, "t2"),
    );
    values.insert(
        "theirs".to_string(),
        current(FindingStatus::Dismissed, None, "t9"),
    );
    let guarded = |id: &str| Target {
        guard: Some(Guard {
            updated_at: Some("t2".into()),
            after: current(FindingStatus::Dismissed, None, "t2").before.values,
        }),
        ..target(id, to(FindingStatus::New))
    };
    let (b, now) = budget(100, 100, 60);
    let p = preview(&[guarded("ours"), guarded("theirs")], &values, &b, now);
    assert_eq!(p.items[0].verdict, Verdict::Send);
    let Verdict::Skip(skip) = &p.items[1].verdict else {
        panic!("{p:?}");
    };
    assert_eq!(
        skip.reason(),
        "changed by someone else since (updated_at t9, ours t2)"
    );
    // A change within the same second as ours shows in the values.
    values.insert(
        "same_second".to_string(),
        current(FindingStatus::Dismissed, Some("u9"), "t2"),
    );
    let p = preview(&[guarded("same_second")], &values, &b, now);
    assert!(
        matches!(p.items[0].verdict, Verdict::Skip(Skip::ChangedSince { .. })),
        "{p:?}"
    );
}

#[test]
fn the_cost_is_said_in_requests_and_time_at_the_current_budget() {
    let mut values = HashMap::new();
    let mut targets = Vec::new();
    for i in 0..2000 {
        values.insert(format!("f{i}"), current(FindingStatus::New, None, "t"));
        targets.push(target(&format!("f{i}"), to(FindingStatus::Triaged)));
    }
    // A fresh window of 100 a minute: 1,900 more need 19 more windows.
    let (b, now) = budget(100, 100, 60);
    let p = preview(&targets, &values, &b, now);
    assert_eq!(p.requests(), 2000);
    assert_eq!(p.cost_text(), "2,000 changes, about 19m00s at 100/min");
    let (b, now) = budget(100, 100, 60);
    let small = preview(&targets[..3], &values, &b, now);
    assert_eq!(
        small.cost_text(),
        "3 changes, within the current window at 100/min"
    );
    let unknown = preview(&targets[..1], &values, &BudgetSnapshot::default(), now);
    assert_eq!(
        unknown.cost_text(),
        "1 change, at most 100/min (the documented limit)"
    );
    let journal = small.journal_items();
    assert_eq!(journal.len(), 3);
    assert!(journal.iter().all(|i| i.outcome == Outcome::Pending));
}

#[test]
fn the_sample_names_each_title_once_with_its_count_in_sending_order() {
    // Eight findings: the first five share a title, as the findings of one
    // check do; then six more titles, one a repeat.
    let titles = ["CSP", "CSP", "CSP", "CSP", "CSP", "HSTS", "alt", "HSTS"];
    let titles: Vec<&str> = titles
        .into_iter()
        .chain(["lang", "meta", "cache"])
        .collect();
    let mut now_values = HashMap::new();
    let mut targets = Vec::new();
    for (i, title) in titles.iter().enumerate() {
        let id = format!("f{i}");
        let mut c = current(FindingStatus::New, None, "2026-01-01T00:00:00Z");
        c.title = (*title).to_string();
        now_values.insert(id.clone(), c);
        targets.push(target(&id, to(FindingStatus::Triaged)));
    }
    let (b, now) = budget(100, 100, 60);
    let p = preview(&targets, &now_values, &b, now);
    assert_eq!(
        p.sample(),
        [
            ("CSP", 5),
            ("HSTS", 2),
            ("alt", 1),
            ("lang", 1),
            ("meta", 1)
        ]
    );
}
