//! The job state machine, against a real sandbox on loopback.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use super::*;
use crate::api::ClientSettings;
use crate::api::enums::FindingStatus;
use crate::api::model::FindingQuery;
use crate::journal::{Change, Counts, NewJob, Outcome, Selection};
use crate::sandbox::{DataSource, RateWindow, RunningSandbox, SandboxOptions};

struct Setup {
    sb: RunningSandbox,
    client: Client,
    journal: Journal,
    _dir: tempfile::TempDir,
}

async fn setup(rate: Option<RateWindow>) -> Setup {
    let mut options = SandboxOptions::for_tests().with_data(DataSource::Demo);
    options.rate_default = rate;
    let sb = crate::sandbox::spawn(options)
        .await
        .expect("sandbox starts");
    let client = Client::new(sb.client_settings(&sb.projects[0])).expect("client");
    let dir = tempfile::tempdir().unwrap();
    let journal = Journal::open(&crate::journal::default_path(dir.path()))
        .unwrap()
        .journal;
    Setup {
        sb,
        client,
        journal,
        _dir: dir,
    }
}

fn triage() -> Change {
    Change {
        status: Some(FindingStatus::Triaged),
        ..Change::default()
    }
}

/// Records a job over `n` findings in status `new`, moving them to triaged.
async fn record_job(s: &Setup, n: usize) -> (String, Vec<String>) {
    let query = FindingQuery {
        status: Some(FindingStatus::New),
        ..FindingQuery::default()
    };
    let mut found = current::by_filter(&s.client, &query, &mut |_, _| {})
        .await
        .unwrap();
    found.truncate(n);
    assert_eq!(found.len(), n, "the demo has {n} new findings");
    let targets: Vec<Target> = found
        .iter()
        .map(|(id, _)| Target {
            id: id.clone(),
            change: triage(),
            guard: None,
            title: None,
        })
        .collect();
    let current: HashMap<String, Current> = found.iter().cloned().collect();
    let p = preview(&targets, &current, &s.client.budget(), SystemTime::now());
    let job = NewJob {
        profile: "test".into(),
        scope: scope_of(&s.client),
        selection: Selection::Ids { count: n },
        change: triage(),
        reason: None,
        comment: None,
        undo_of: None,
    };
    let id = s.journal.create_job(&job, &p.journal_items()).unwrap();
    (id, found.into_iter().map(|(id, _)| id).collect())
}

/// Every event until the job finishes.
async fn drain(started: &mut Started) -> (Vec<Event>, Report) {
    let mut events = Vec::new();
    loop {
        let event = tokio::time::timeout(Duration::from_secs(30), started.events.recv())
            .await
            .expect("the job moves on")
            .expect("the job reports before it ends");
        if let Event::Finished(report) = event {
            return (events, *report);
        }
        events.push(event);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_runs_to_done_and_journals_every_item() {
    let s = setup(None).await;
    let (id, ids) = record_job(&s, 3).await;
    let mut started = start(
        s.client.clone(),
        s.journal.clone(),
        &id,
        StartOptions::default(),
    )
    .unwrap();
    let (events, report) = drain(&mut started).await;
    assert_eq!(report.job.state, JobState::Done);
    assert_eq!(report.counts.updated, 3);
    assert!(report.all_applied());
    let items: Vec<&str> = events
        .iter()
        .filter_map(|e| match e {
            Event::Item(i) => Some(i.finding_id.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(items, ids.iter().map(String::as_str).collect::<Vec<_>>());
    let last_progress = events.iter().rev().find_map(|e| match e {
        Event::Progress(p) => Some(p.clone()),
        _ => None,
    });
    assert_eq!(last_progress.map(|p| p.remaining()), Some(0));
    assert_eq!(s.journal.find_job(&id).unwrap().state, JobState::Done);
    for item in s.journal.items(&id).unwrap() {
        assert!(
            matches!(
                item.outcome,
                Outcome::Updated {
                    updated_at: Some(_)
                }
            ),
            "{item:?}"
        );
        let f = s.client.get_finding(&item.finding_id).await.unwrap();
        assert_eq!(f.status, FindingStatus::Triaged);
    }
    // Done is final.
    let again = start(
        s.client.clone(),
        s.journal.clone(),
        &id,
        StartOptions::default(),
    );
    assert!(
        matches!(again, Err(StartError::Finished { .. })),
        "{again:?}"
    );
    s.sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pause_holds_the_job_and_resume_finishes_it() {
    let s = setup(None).await;
    let (id, _) = record_job(&s, 3).await;
    let mut started = start(
        s.client.clone(),
        s.journal.clone(),
        &id,
        StartOptions::default(),
    )
    .unwrap();
    started.handle.pause();
    // At most the item already on its way completes; then nothing moves.
    let mut paused = false;
    while !paused {
        match started.events.recv().await.expect("events") {
            Event::Paused(PauseCause::User) => paused = true,
            Event::Finished(r) => panic!("finished while paused: {r:?}"),
            _ => {}
        }
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let counts = Counts::of(s.journal.items(&id).unwrap().iter().map(|i| &i.outcome));
    assert!(counts.open >= 2, "{counts:?}");
    assert_eq!(s.journal.find_job(&id).unwrap().state, JobState::Paused);
    started.handle.resume();
    let (events, report) = drain(&mut started).await;
    assert!(events.contains(&Event::Resumed));
    assert_eq!(report.job.state, JobState::Done);
    assert_eq!(report.counts.updated, 3);
    s.sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_reports_the_items_not_sent() {
    // Two requests a second: the job spends most of its time waiting, and a
    // cancel is seen during the wait.
    let s = setup(Some(RateWindow::new(2, 1))).await;
    let (id, _) = record_job(&s, 6).await;
    let mut started = start(
        s.client.clone(),
        s.journal.clone(),
        &id,
        StartOptions::default(),
    )
    .unwrap();
    loop {
        if let Some(Event::Item(_)) = started.events.recv().await {
            break;
        }
    }
    started.handle.cancel();
    let (_, report) = drain(&mut started).await;
    assert_eq!(report.job.state, JobState::Cancelled);
    assert!(report.counts.updated >= 1, "{:?}", report.counts);
    assert!(report.counts.not_sent >= 1, "{:?}", report.counts);
    assert_eq!(report.counts.open, 0);
    assert_eq!(
        report.counts.updated + report.counts.not_sent,
        6,
        "{:?}",
        report.counts
    );
    let journalled = Counts::of(s.journal.items(&id).unwrap().iter().map(|i| &i.outcome));
    assert_eq!(journalled, report.counts);
    assert_eq!(s.journal.find_job(&id).unwrap().state, JobState::Cancelled);
    s.sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resume_resends_the_item_in_flight_with_the_same_value() {
    let s = setup(None).await;
    let (id, ids) = record_job(&s, 3).await;
    // As a crash leaves it: item 0 applied and recorded, item 1 sent with no
    // recorded answer (and applied on the server), item 2 never sent.
    s.client
        .patch_finding(&ids[0], &triage().to_patch())
        .await
        .unwrap();
    s.journal
        .record(&id, 0, &Outcome::Updated { updated_at: None })
        .unwrap();
    s.client
        .patch_finding(&ids[1], &triage().to_patch())
        .await
        .unwrap();
    s.journal.record(&id, 1, &Outcome::InFlight).unwrap();
    assert_eq!(
        s.journal.find_job(&id).unwrap().state,
        JobState::Interrupted
    );

    let mut started = start(
        s.client.clone(),
        s.journal.clone(),
        &id,
        StartOptions::default(),
    )
    .unwrap();
    let (events, report) = drain(&mut started).await;
    let sent: Vec<&str> = events
        .iter()
        .filter_map(|e| match e {
            Event::Item(i) => Some(i.finding_id.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(sent, [ids[1].as_str(), ids[2].as_str()]);
    assert_eq!(report.counts.updated, 3);
    assert_eq!(report.job.state, JobState::Done);
    s.sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_key_stops_the_job_and_leaves_it_resumable() {
    let s = setup(None).await;
    let (id, _) = record_job(&s, 3).await;
    let mut read_only: ClientSettings = s.sb.client_settings(&s.sb.projects[0]);
    read_only.api_key = crate::api::ApiKey::new(s.sb.read_key.clone()).unwrap();
    let reader = Client::new(read_only).unwrap();
    let mut started = start(reader, s.journal.clone(), &id, StartOptions::default()).unwrap();
    let (_, report) = drain(&mut started).await;
    assert_eq!(report.job.state, JobState::Interrupted);
    let message = report.job.message.clone().unwrap_or_default();
    assert!(message.contains("HTTP 403"), "{message}");
    assert_eq!(report.counts.failed, 1, "only one request was spent");
    assert_eq!(report.counts.open, 2);

    let mut started = start(
        s.client.clone(),
        s.journal.clone(),
        &id,
        StartOptions::default(),
    )
    .unwrap();
    let (_, report) = drain(&mut started).await;
    // The failed one stays failed (a resume sends what was never answered).
    assert_eq!(report.counts.updated, 2);
    assert_eq!(report.counts.failed, 1);
    assert_eq!(report.job.state, JobState::Done);
    s.sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_runs_in_one_place_at_a_time_and_only_against_its_project() {
    let s = setup(Some(RateWindow::new(1, 1))).await;
    let (id, _) = record_job(&s, 3).await;
    let mut started = start(
        s.client.clone(),
        s.journal.clone(),
        &id,
        StartOptions::default(),
    )
    .unwrap();
    let twice = start(
        s.client.clone(),
        s.journal.clone(),
        &id,
        StartOptions::default(),
    );
    assert!(
        matches!(twice, Err(StartError::Journal(JournalError::Busy(_)))),
        "{twice:?}"
    );
    started.handle.cancel();
    drain(&mut started).await;

    let (other, _) = record_job(&s, 1).await;
    let elsewhere = s.client.with_project(&s.sb.projects[1]);
    let refused = start(
        elsewhere,
        s.journal.clone(),
        &other,
        StartOptions::default(),
    );
    let Err(e @ StartError::OtherScope { .. }) = refused else {
        panic!("{refused:?}");
    };
    assert!(e.to_string().contains("profile `test`"), "{e}");
    s.sb.shutdown().await;
}
