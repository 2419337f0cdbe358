use super::*;
use crate::api::enums::{FindingStatus, Severity};
use std::path::Path;

fn scope(project: &str) -> Scope {
    Scope {
        base_url: "http://127.0.0.1:1/api/v1".into(),
        org_id: "org-1".into(),
        project_id: project.into(),
    }
}

fn dismiss() -> Change {
    Change {
        status: Some(FindingStatus::Dismissed),
        ..Change::default()
    }
}

fn new_job(project: &str, change: Change) -> NewJob {
    NewJob {
        profile: "default".into(),
        scope: scope(project),
        selection: Selection::Ids { count: 2 },
        change,
        reason: Some(Reason::FalsePositive),
        comment: Some("scanner misread the header".into()),
        undo_of: None,
    }
}

fn before(status: FindingStatus) -> Before {
    Before {
        values: Values {
            status,
            owner_id: Some("u-1".into()),
            severity: Severity::High,
        },
        updated_at: Some("2026-01-01T00:00:00Z".into()),
    }
}

fn item(id: &str, change: &Change, outcome: Outcome) -> NewItem {
    NewItem {
        finding_id: id.into(),
        title: format!("title of {id}"),
        before: Some(before(FindingStatus::New)),
        change: change.clone(),
        outcome,
    }
}

fn open(path: &Path) -> Journal {
    let opened = Journal::open(path).expect("journal opens");
    assert_eq!(opened.set_aside, None);
    opened.journal
}

#[test]
fn a_job_and_its_outcomes_survive_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = default_path(dir.path());
    let change = dismiss();
    let id = {
        let j = open(&path);
        let id = j
            .create_job(
                &new_job("p", change.clone()),
                &[
                    item("f1", &change, Outcome::Pending),
                    item("f2", &change, Outcome::Pending),
                ],
            )
            .unwrap();
        j.record(&id, 0, &Outcome::InFlight).unwrap();
        j.record(
            &id,
            0,
            &Outcome::Updated {
                updated_at: Some("2026-01-02T00:00:00Z".into()),
            },
        )
        .unwrap();
        id
    };
    let j = open(&path);
    let job = j.find_job(&id).unwrap();
    assert_eq!(job.change, change);
    assert_eq!(job.reason, Some(Reason::FalsePositive));
    assert_eq!(job.selection, Selection::Ids { count: 2 });
    let items = j.items(&id).unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(
        items[0].outcome,
        Outcome::Updated {
            updated_at: Some("2026-01-02T00:00:00Z".into())
        }
    );
    assert_eq!(items[0].before, Some(before(FindingStatus::New)));
    assert_eq!(items[1].outcome, Outcome::Pending);
}

#[test]
fn a_job_left_running_by_a_dead_process_reads_as_interrupted() {
    let dir = tempfile::tempdir().unwrap();
    let j = open(&default_path(dir.path()));
    let change = dismiss();
    let id = j
        .create_job(
            &new_job("p", change.clone()),
            &[item("f1", &change, Outcome::Pending)],
        )
        .unwrap();
    {
        let _lock = j.lock_job(&id).unwrap();
        // Marked before the request; the "process" dies before the answer.
        j.record(&id, 0, &Outcome::InFlight).unwrap();
        assert_eq!(j.find_job(&id).unwrap().state, JobState::Running);
        assert!(matches!(j.lock_job(&id), Err(JournalError::Busy(_))));
    }
    let job = j.find_job(&id).unwrap();
    assert_eq!(job.state, JobState::Interrupted);
    assert_eq!(j.items(&id).unwrap()[0].outcome, Outcome::InFlight);
    assert_eq!(j.newest_unfinished(None).unwrap().map(|j| j.id), Some(id));
    assert_eq!(j.newest_unfinished(Some(&scope("other"))).unwrap(), None);
}

#[test]
fn a_write_cut_short_leaves_the_last_committed_state() {
    let dir = tempfile::tempdir().unwrap();
    let path = default_path(dir.path());
    let change = dismiss();
    let j = open(&path);
    let id = j
        .create_job(
            &new_job("p", change.clone()),
            &[item("f1", &change, Outcome::Pending)],
        )
        .unwrap();
    j.record(&id, 0, &Outcome::InFlight).unwrap();
    // Another writer dies inside its transaction: nothing of it remains.
    {
        let raw = rusqlite::Connection::open(&path).unwrap();
        raw.execute_batch(
            "BEGIN; UPDATE items SET outcome = 'updated'; UPDATE jobs SET state = 'done';",
        )
        .unwrap();
        std::mem::forget(raw);
    }
    drop(j);
    let j = open(&path);
    assert_eq!(j.items(&id).unwrap()[0].outcome, Outcome::InFlight);
    assert_eq!(j.find_job(&id).unwrap().state, JobState::Interrupted);
}

#[test]
fn a_file_that_is_not_a_journal_is_set_aside_never_emptied() {
    let dir = tempfile::tempdir().unwrap();
    let path = default_path(dir.path());
    std::fs::write(&path, b"this is not a database, but someone's notes").unwrap();
    let opened = Journal::open(&path).unwrap();
    let aside = opened.set_aside.expect("the file was set aside");
    assert_eq!(aside.path, path);
    assert!(
        aside.moved_to.to_string_lossy().contains(".corrupt-"),
        "{aside:?}"
    );
    assert_eq!(
        std::fs::read(&aside.moved_to).unwrap(),
        b"this is not a database, but someone's notes"
    );
    let text = aside.to_string();
    assert!(text.contains(&path.display().to_string()), "{text}");
    assert!(
        text.contains(&aside.moved_to.display().to_string()),
        "{text}"
    );
    // The new journal works.
    let change = dismiss();
    opened
        .journal
        .create_job(
            &new_job("p", change.clone()),
            &[item("f", &change, Outcome::Pending)],
        )
        .unwrap();
    assert_eq!(opened.journal.jobs().unwrap().len(), 1);
}

#[test]
fn a_damaged_journal_is_set_aside_with_its_log() {
    let dir = tempfile::tempdir().unwrap();
    let path = default_path(dir.path());
    {
        let j = open(&path);
        let change = dismiss();
        let items: Vec<NewItem> = (0..400)
            .map(|i| item(&format!("f{i}"), &change, Outcome::Pending))
            .collect();
        j.create_job(&new_job("p", change), &items).unwrap();
    }
    // Scribble over the middle of the file, past the header.
    let mut bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 8192, "{}", bytes.len());
    for b in &mut bytes[4096..8192] {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();
    let opened = Journal::open(&path).unwrap();
    let aside = opened.set_aside.expect("set aside");
    assert_eq!(std::fs::read(&aside.moved_to).unwrap(), bytes);
    assert!(opened.journal.jobs().unwrap().is_empty());
}

#[test]
fn another_programs_database_is_not_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let path = default_path(dir.path());
    {
        let raw = rusqlite::Connection::open(&path).unwrap();
        raw.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');")
            .unwrap();
    }
    let opened = Journal::open(&path).unwrap();
    let aside = opened.set_aside.expect("set aside");
    assert!(aside.why.contains("notes"), "{}", aside.why);
    let raw = rusqlite::Connection::open(&aside.moved_to).unwrap();
    let body: String = raw
        .query_row("SELECT body FROM notes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(body, "mine");
}

#[test]
fn a_journal_of_a_newer_krafter_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = default_path(dir.path());
    {
        let raw = rusqlite::Connection::open(&path).unwrap();
        raw.execute_batch("PRAGMA user_version = 99;").unwrap();
    }
    let err = Journal::open(&path).unwrap_err();
    assert!(
        matches!(err, JournalError::TooNew { found: 99, .. }),
        "{err}"
    );
    assert!(err.to_string().contains(&path.display().to_string()));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("corrupt"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn history_lists_applied_changes_of_one_finding_in_one_project() {
    let dir = tempfile::tempdir().unwrap();
    let j = open(&default_path(dir.path()));
    let change = dismiss();
    let first = j
        .create_job(
            &new_job("p", change.clone()),
            &[
                item("f1", &change, Outcome::Pending),
                item("f2", &change, Outcome::Pending),
            ],
        )
        .unwrap();
    j.record(&first, 0, &Outcome::Updated { updated_at: None })
        .unwrap();
    j.record(
        &first,
        1,
        &Outcome::Skipped {
            reason: "no".into(),
        },
    )
    .unwrap();
    // The same id in another project is another finding.
    let elsewhere = j
        .create_job(
            &new_job("q", change.clone()),
            &[item("f1", &change, Outcome::Pending)],
        )
        .unwrap();
    j.record(&elsewhere, 0, &Outcome::Updated { updated_at: None })
        .unwrap();
    let reopen = Change {
        status: Some(FindingStatus::New),
        ..Change::default()
    };
    let mut undo = new_job("p", reopen.clone());
    undo.undo_of = Some(first.clone());
    undo.reason = None;
    undo.comment = None;
    let mut undo_item = item("f1", &reopen, Outcome::Pending);
    undo_item.before = Some(before(FindingStatus::Dismissed));
    let second = j.create_job(&undo, &[undo_item]).unwrap();
    j.record(&second, 0, &Outcome::Updated { updated_at: None })
        .unwrap();

    let history = j.history("org-1", "p", "f1").unwrap();
    assert_eq!(history.len(), 2, "{history:?}");
    assert_eq!(history[0].job_id, first);
    assert_eq!(history[0].from.status, FindingStatus::New);
    assert_eq!(history[0].to.status, FindingStatus::Dismissed);
    assert_eq!(history[0].to.owner_id.as_deref(), Some("u-1"));
    assert_eq!(history[0].reason, Some("false_positive"));
    assert_eq!(
        history[0].comment.as_deref(),
        Some("scanner misread the header")
    );
    assert_eq!(history[1].job_id, second);
    assert_eq!(history[1].undo_of.as_deref(), Some(first.as_str()));
    assert_eq!(history[1].to.status, FindingStatus::New);
    assert!(j.history("org-1", "p", "f2").unwrap().is_empty());
}

#[test]
fn jobs_are_found_by_a_unique_prefix_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let j = open(&default_path(dir.path()));
    let change = dismiss();
    let id = j
        .create_job(
            &new_job("p", change.clone()),
            &[
                item("f1", &change, Outcome::Unchanged),
                item("f2", &change, Outcome::Pending),
                item(
                    "f3",
                    &change,
                    Outcome::Skipped {
                        reason: "resolved".into(),
                    },
                ),
            ],
        )
        .unwrap();
    assert_eq!(j.find_job(&id[..8]).unwrap().id, id);
    assert!(matches!(
        j.find_job("zzzz"),
        Err(JournalError::NoSuchJob(_))
    ));
    assert!(matches!(j.find_job(""), Err(JournalError::NoSuchJob(_))));
    let jobs = j.jobs().unwrap();
    assert_eq!(
        jobs[0].counts,
        Counts {
            total: 3,
            unchanged: 1,
            skipped: 1,
            open: 1,
            ..Counts::default()
        }
    );
    j.set_state(&id, JobState::Done, None).unwrap();
    assert_eq!(j.find_job(&id).unwrap().state, JobState::Done);
    assert_eq!(j.newest_unfinished(None).unwrap(), None);
}

#[test]
fn reasons_parse_as_people_type_them() {
    assert_eq!(Reason::parse("false-positive"), Some(Reason::FalsePositive));
    assert_eq!(Reason::parse("Won't fix"), Some(Reason::WontFix));
    assert_eq!(Reason::parse("accepted_risk"), Some(Reason::AcceptedRisk));
    assert_eq!(Reason::parse("because"), None);
    assert_eq!(
        Reason::list(),
        "false_positive, wont_fix, accepted_risk, duplicate, other"
    );
}

mod roundtrip {
    use super::*;
    use proptest::prelude::*;

    fn text() -> impl Strategy<Value = String> {
        // Any text, including NUL, quotes and the empty string.
        proptest::collection::vec(any::<char>(), 0..12).prop_map(|c| c.into_iter().collect())
    }

    fn outcome() -> impl Strategy<Value = Outcome> {
        prop_oneof![
            Just(Outcome::Pending),
            Just(Outcome::InFlight),
            Just(Outcome::Unchanged),
            proptest::option::of(text()).prop_map(|u| Outcome::Updated { updated_at: u }),
            text().prop_map(|r| Outcome::Skipped { reason: r }),
            text().prop_map(|r| Outcome::NotSent { reason: r }),
            (
                text(),
                proptest::option::of(any::<u16>()),
                proptest::option::of(text())
            )
                .prop_map(|(reason, http_status, request_id)| Outcome::Failed {
                    reason,
                    http_status,
                    request_id
                }),
        ]
    }

    fn change() -> impl Strategy<Value = Change> {
        let status = proptest::option::of(prop_oneof![
            Just(FindingStatus::New),
            Just(FindingStatus::Dismissed),
            text().prop_map(|t| FindingStatus::parse(&t)),
        ]);
        let owner = proptest::option::of(proptest::option::of(text()));
        let severity = proptest::option::of(text().prop_map(|t| Severity::parse(&t)));
        (status, owner, severity).prop_map(|(status, owner, severity)| Change {
            status,
            owner,
            severity,
        })
    }

    fn before() -> impl Strategy<Value = Option<Before>> {
        proptest::option::of(
            (
                text(),
                proptest::option::of(text()),
                text(),
                proptest::option::of(text()),
            )
                .prop_map(|(s, o, v, u)| Before {
                    values: Values {
                        status: FindingStatus::parse(&s),
                        owner_id: o,
                        severity: Severity::parse(&v),
                    },
                    updated_at: u,
                }),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// Whatever is written (first at creation, then any sequence of
        /// outcomes) reads back exactly, after the journal is reopened.
        #[test]
        fn what_is_written_reads_back(
            items in proptest::collection::vec((text(), before(), change(), outcome()), 1..6),
            later in proptest::collection::vec((any::<prop::sample::Index>(), outcome()), 0..10),
            job_change in change(),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let path = default_path(dir.path());
            let new_items: Vec<NewItem> = items
                .iter()
                .enumerate()
                .map(|(i, (title, before, change, outcome))| NewItem {
                    finding_id: format!("f{i}"),
                    title: title.clone(),
                    before: before.clone(),
                    change: change.clone(),
                    outcome: outcome.clone(),
                })
                .collect();
            let mut expected: Vec<Outcome> = items.iter().map(|i| i.3.clone()).collect();
            let id = {
                let j = open(&path);
                let id = j.create_job(&new_job("p", job_change.clone()), &new_items).unwrap();
                for (at, outcome) in &later {
                    let seq = at.index(expected.len());
                    j.record(&id, seq as u32, outcome).unwrap();
                    expected[seq] = outcome.clone();
                }
                id
            };
            let j = open(&path);
            prop_assert_eq!(j.find_job(&id).unwrap().change, job_change);
            let read = j.items(&id).unwrap();
            prop_assert_eq!(read.len(), new_items.len());
            for (got, (want, outcome)) in read.iter().zip(new_items.iter().zip(&expected)) {
                prop_assert_eq!(&got.title, &want.title);
                prop_assert_eq!(&got.before, &want.before);
                prop_assert_eq!(&got.change, &want.change);
                prop_assert_eq!(&got.outcome, outcome);
            }
        }
    }
}

#[test]
fn processes_starting_at_once_on_a_new_journal_share_it() {
    for _ in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        let path = default_path(dir.path());
        let openers: Vec<_> = (0..6)
            .map(|_| {
                let path = path.clone();
                std::thread::spawn(move || Journal::open(&path).map(|o| o.set_aside))
            })
            .collect();
        for opener in openers {
            let set_aside = opener.join().unwrap().expect("opens");
            assert_eq!(set_aside, None, "a new journal was called damaged");
        }
    }
}

#[test]
fn recent_changes_are_those_of_the_project_since_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let j = open(&default_path(dir.path()));
    let change = dismiss();
    let before_jobs = chrono::Utc::now() - chrono::Duration::seconds(1);
    let job = j
        .create_job(
            &new_job("p", change.clone()),
            &[
                item("f1", &change, Outcome::Pending),
                item("f2", &change, Outcome::Pending),
            ],
        )
        .unwrap();
    j.record(&job, 0, &Outcome::Updated { updated_at: None })
        .unwrap();
    let other = j
        .create_job(
            &new_job("q", change.clone()),
            &[item("f9", &change, Outcome::Pending)],
        )
        .unwrap();
    j.record(&other, 0, &Outcome::Updated { updated_at: None })
        .unwrap();

    let recent = j.changes_since("org-1", "p", before_jobs).unwrap();
    assert_eq!(
        recent.len(),
        1,
        "only applied changes of project p: {recent:?}"
    );
    assert_eq!(recent[0].finding_id, "f1");
    assert_eq!(recent[0].title, "title of f1");
    assert_eq!(recent[0].entry.to.status, FindingStatus::Dismissed);
    let later = chrono::Utc::now() + chrono::Duration::seconds(5);
    assert!(j.changes_since("org-1", "p", later).unwrap().is_empty());
}
