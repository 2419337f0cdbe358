//! The bulk engine against a server that refuses some moves and fails some
//! requests (500s, a dropped connection, a storm of 429s): the report says
//! exactly what happened to each finding, and a resume finishes the job.

mod support;

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use krafter::api::enums::FindingStatus;
use krafter::engine::bulk::{self, Current, Event, Report, StartOptions, Target, WhenSpent};
use krafter::journal::{Before, Change, JobState, Journal, NewJob, Outcome, Selection, Values};
use serde_json::json;
use support::{Reply, ScriptedServer, audit};

fn id(n: u8) -> String {
    format!("00000000-0000-4000-8000-0000000000{n:02}")
}

fn finding(n: u8, updated: &str) -> Reply {
    Reply::data(
        200,
        json!({"id": id(n), "title": format!("finding {n}"), "status": "triaged",
               "severity": "high", "domain": "security", "updated_at": updated}),
        json!({"request_id": format!("ok-{n}")}),
    )
}

fn throttled() -> Reply {
    Reply::json(
        429,
        json!({"error": "Rate limit exceeded", "retry_after": 0}),
    )
    .header("retry-after", 0)
}

async fn run(started: &mut bulk::Started) -> Report {
    loop {
        let event = tokio::time::timeout(Duration::from_secs(30), started.events.recv())
            .await
            .expect("the job moves on")
            .expect("a report comes before the end");
        if let Event::Finished(report) = event {
            return *report;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_is_exact_and_a_resume_finishes_the_job() {
    let server = ScriptedServer::start().await;
    let client = server.client();
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(&dir.path().join("journal.sqlite3"))
        .unwrap()
        .journal;
    let change = Change {
        status: Some(FindingStatus::Triaged),
        ..Change::default()
    };
    let ids: Vec<String> = (1..=6).map(id).collect();
    let targets: Vec<Target> = ids
        .iter()
        .map(|id| Target {
            id: id.clone(),
            change: change.clone(),
            guard: None,
            title: None,
        })
        .collect();
    let current: HashMap<String, Current> = ids
        .iter()
        .map(|id| {
            let c = Current {
                title: format!("title {id}"),
                before: Before {
                    values: Values {
                        status: FindingStatus::New,
                        ..Values::default()
                    },
                    updated_at: Some("2026-01-01T00:00:00Z".into()),
                },
            };
            (id.clone(), c)
        })
        .collect();
    let preview = bulk::preview(&targets, &current, &client.budget(), SystemTime::now());
    assert_eq!(preview.requests(), 6);
    let job = journal
        .create_job(
            &NewJob {
                profile: "default".into(),
                scope: bulk::scope_of(&client),
                selection: Selection::Ids { count: 6 },
                change: change.clone(),
                reason: None,
                comment: None,
                undo_of: None,
            },
            &preview.journal_items(),
        )
        .unwrap();

    // 1 applied; 2 refused by the lifecycle; 3 fails three times (the first
    // try and two retries), and since a 500 may come after the change
    // landed, it is read again: still new, so it failed; 4 loses its
    // connection once, then lands; 5 meets a 429 storm the client waits out
    // four times, then gives up.
    server.push(finding(1, "2026-01-01T00:00:01Z"));
    server.push(Reply::error(
        422,
        "invalid_transition",
        "cannot move a finding from resolved to triaged; allowed: none",
        "req-2",
    ));
    for attempt in ["req-3a", "req-3b", "req-3c"] {
        server.push(Reply::error(500, "internal", "the store is down", attempt));
    }
    server.push(Reply::data(
        200,
        json!({"id": id(3), "title": "finding 3", "status": "new",
               "severity": "high", "domain": "security", "updated_at": "2026-01-01T00:00:00Z"}),
        json!({"request_id": "read-3"}),
    ));
    server.push(Reply::drop_connection());
    server.push(finding(4, "2026-01-01T00:00:04Z"));
    for _ in 0..5 {
        server.push(throttled());
    }
    let options = StartOptions {
        when_spent: WhenSpent::Stop,
        ..StartOptions::default()
    };
    let mut started = bulk::start(client.clone(), journal.clone(), &job, options).unwrap();
    let report = run(&mut started).await;

    let outcomes: Vec<Outcome> = report.items.iter().map(|i| i.outcome.clone()).collect();
    let failed_500 = match &outcomes[2] {
        Outcome::Failed { reason, .. } => reason.clone(),
        other => panic!("item 3: {other:?}"),
    };
    assert!(
        failed_500.starts_with("HTTP 500 internal: the store is down")
            && failed_500.ends_with("read again, the finding does not hold the change"),
        "{failed_500}"
    );
    assert_eq!(
        outcomes,
        vec![
            Outcome::Updated {
                updated_at: Some("2026-01-01T00:00:01Z".into())
            },
            Outcome::Skipped {
                reason: "cannot move a finding from resolved to triaged; allowed: none".into()
            },
            Outcome::Failed {
                reason: failed_500,
                http_status: Some(500),
                request_id: Some("req-3c".into()),
            },
            Outcome::Updated {
                updated_at: Some("2026-01-01T00:00:04Z".into())
            },
            Outcome::Pending,
            Outcome::Pending,
        ]
    );
    assert_eq!(report.job.state, JobState::Interrupted);
    let message = report.job.message.clone().unwrap_or_default();
    assert!(message.contains("rate limit stayed spent"), "{message}");
    assert_eq!(
        (
            report.counts.updated,
            report.counts.skipped,
            report.counts.failed,
            report.left()
        ),
        (2, 1, 1, 2)
    );
    // The journal says the same.
    let journalled: Vec<Outcome> = journal
        .items(&job)
        .unwrap()
        .into_iter()
        .map(|i| i.outcome)
        .collect();
    assert_eq!(journalled, outcomes);

    // Requests: one PATCH per try, the 429 storm stopped at five, nothing
    // sent for item 6, and every body the same change; one read of item 3.
    let requests = server.requests();
    let reads: Vec<_> = requests.iter().filter(|r| r.method == "GET").collect();
    assert_eq!(reads.len(), 1);
    assert_eq!(reads[0].path, audit(&format!("/findings/{}", id(3))));
    let patches: Vec<_> = requests.iter().filter(|r| r.method == "PATCH").collect();
    assert_eq!(patches.len() + 1, requests.len(), "only PATCHes besides");
    let per_id = |n: u8| {
        patches
            .iter()
            .filter(|r| r.path == audit(&format!("/findings/{}", id(n))))
            .count()
    };
    assert_eq!((1..=6).map(per_id).collect::<Vec<_>>(), [1, 1, 3, 2, 5, 0]);
    assert!(
        patches
            .iter()
            .all(|r| r.json() == json!({"status": "triaged"}))
    );

    // A resume sends what is left, once each.
    server.push(finding(5, "2026-01-01T00:00:05Z"));
    server.push(finding(6, "2026-01-01T00:00:06Z"));
    let mut started = bulk::start(client, journal.clone(), &job, options).unwrap();
    let report = run(&mut started).await;
    assert_eq!(report.job.state, JobState::Done);
    assert_eq!(
        (
            report.counts.updated,
            report.counts.skipped,
            report.counts.failed,
            report.left()
        ),
        (4, 1, 1, 0)
    );
    let patches: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.method == "PATCH")
        .collect();
    assert_eq!(patches.len(), 12 + 2);
    assert!(
        patches
            .iter()
            .all(|r| r.json() == json!({"status": "triaged"}))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spent_budget_pauses_the_job_until_it_is_resumed() {
    let server = ScriptedServer::start().await;
    let client = server.client();
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(&dir.path().join("journal.sqlite3"))
        .unwrap()
        .journal;
    let change = Change {
        status: Some(FindingStatus::Triaged),
        ..Change::default()
    };
    let targets = vec![Target {
        id: id(1),
        change: change.clone(),
        guard: None,
        title: None,
    }];
    let mut current = HashMap::new();
    let mut new = Current::default();
    new.before.values.status = FindingStatus::New;
    current.insert(id(1), new);
    let preview = bulk::preview(&targets, &current, &client.budget(), SystemTime::now());
    let job = journal
        .create_job(
            &NewJob {
                profile: "default".into(),
                scope: bulk::scope_of(&client),
                selection: Selection::Ids { count: 1 },
                change,
                reason: None,
                comment: None,
                undo_of: None,
            },
            &preview.journal_items(),
        )
        .unwrap();
    for _ in 0..5 {
        server.push(throttled());
    }
    // The default for the TUI: pause, and let the user resume.
    let mut started = bulk::start(client, journal.clone(), &job, StartOptions::default()).unwrap();
    loop {
        match started.events.recv().await.expect("events") {
            Event::Paused(bulk::PauseCause::BudgetSpent(why)) => {
                assert!(why.contains("rate limit stayed spent"), "{why}");
                break;
            }
            Event::Finished(r) => panic!("finished instead of pausing: {r:?}"),
            _ => {}
        }
    }
    assert_eq!(journal.find_job(&job).unwrap().state, JobState::Paused);
    assert_eq!(journal.items(&job).unwrap()[0].outcome, Outcome::Pending);
    server.push(finding(1, "2026-01-01T00:00:01Z"));
    started.handle.resume();
    let report = run(&mut started).await;
    assert_eq!(report.job.state, JobState::Done);
    assert_eq!(report.counts.updated, 1);
    assert_eq!(server.requests().len(), 6);
}

/// A job of `n` findings, all new, to triage.
fn triage_job(client: &krafter::api::Client, journal: &Journal, n: u8) -> String {
    let change = Change {
        status: Some(FindingStatus::Triaged),
        ..Change::default()
    };
    let targets: Vec<Target> = (1..=n)
        .map(|i| Target {
            id: id(i),
            change: change.clone(),
            guard: None,
            title: None,
        })
        .collect();
    let current: HashMap<String, Current> = (1..=n)
        .map(|i| {
            let mut c = Current::default();
            c.before.values.status = FindingStatus::New;
            (id(i), c)
        })
        .collect();
    let preview = bulk::preview(&targets, &current, &client.budget(), SystemTime::now());
    journal
        .create_job(
            &NewJob {
                profile: "default".into(),
                scope: bulk::scope_of(client),
                selection: Selection::Ids { count: n as usize },
                change,
                reason: None,
                comment: None,
                undo_of: None,
            },
            &preview.journal_items(),
        )
        .unwrap()
}

/// An answer cut off mid-body after the server applied the change (as a
/// network can): the finding is read again and the item is reported
/// updated, not failed. When the read fails too, the outcome is unknown
/// and the job stops for a resume, instead of claiming a failure.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreadable_answer_is_settled_by_reading_the_finding_again() {
    let server = ScriptedServer::start().await;
    let client = server.client();
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(&dir.path().join("journal.sqlite3"))
        .unwrap()
        .journal;
    let job = triage_job(&client, &journal, 2);
    let cut_off = || Reply::raw(200, "application/json", r#"{"data":{"id":"3f2c9a1e-"#);
    // 1: cut off, and read again it is triaged.
    server.push(cut_off());
    server.push(finding(1, "2026-01-01T00:00:01Z"));
    // 2: cut off, and every read of it is cut off too.
    for _ in 0..4 {
        server.push(cut_off());
    }
    let mut started = bulk::start(client, journal.clone(), &job, StartOptions::default()).unwrap();
    let report = run(&mut started).await;
    let outcomes: Vec<Outcome> = report.items.iter().map(|i| i.outcome.clone()).collect();
    assert_eq!(
        outcomes,
        vec![
            Outcome::Updated {
                updated_at: Some("2026-01-01T00:00:01Z".into())
            },
            Outcome::InFlight,
        ]
    );
    assert_eq!(report.job.state, JobState::Interrupted);
    let message = report.job.message.clone().unwrap_or_default();
    assert!(
        message.contains("may or may not have been applied"),
        "{message}"
    );
    let methods: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.method.to_string())
        .collect();
    assert_eq!(methods, ["PATCH", "GET", "PATCH", "GET", "GET", "GET"]);
}
