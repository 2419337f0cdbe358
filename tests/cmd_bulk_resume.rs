//! The headless bulk job survives `kill -9`: resumed with `krafter update
//! --resume`, every finding ends with the target value, and no finding was
//! ever sent another value. Then `--undo` puts them back, except the one
//! someone else changed meanwhile.

use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::response::Response;
use krafter::api::Client;
use krafter::api::enums::FindingStatus;
use krafter::api::model::FindingPatch;
use krafter::journal::{self, JobState, Journal, Outcome};
use krafter::sandbox::{DataSource, RateWindow, RunningSandbox, SandboxOptions};
use serde_json::{Value, json};

/// A PATCH that went through the recorder: finding id and body.
type Sent = (String, Value);

#[derive(Clone)]
struct Recorder {
    upstream: String,
    http: reqwest::Client,
    sent: Arc<Mutex<Vec<Sent>>>,
}

/// Forwards everything to the sandbox, recording PATCH bodies and holding
/// each PATCH a moment so that a kill finds one in flight.
async fn forward(State(r): State<Recorder>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let path = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    let body = to_bytes(body, 1 << 20).await.unwrap_or_default();
    if parts.method == "PATCH" {
        let id = path.rsplit('/').next().unwrap_or_default().to_string();
        let value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        r.sent.lock().unwrap().push((id, value));
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    let mut out = r
        .http
        .request(parts.method.clone(), format!("{}{path}", r.upstream))
        .body(body.to_vec());
    for name in ["authorization", "content-type", "accept"] {
        if let Some(v) = parts.headers.get(name) {
            out = out.header(name, v);
        }
    }
    let answer = out.send().await.expect("the sandbox answers");
    let mut response = Response::builder().status(answer.status());
    for (k, v) in answer.headers() {
        if !matches!(
            k.as_str(),
            "content-length" | "transfer-encoding" | "connection"
        ) {
            response = response.header(k, v);
        }
    }
    let bytes = answer.bytes().await.unwrap_or_default();
    response.body(Body::from(bytes)).unwrap()
}

async fn recorder(sb: &RunningSandbox) -> (String, Arc<Mutex<Vec<Sent>>>) {
    let sent = Arc::new(Mutex::new(Vec::new()));
    let state = Recorder {
        upstream: format!("http://{}", sb.addr),
        http: reqwest::Client::new(),
        sent: Arc::clone(&sent),
    };
    let app = Router::new().fallback(forward).with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://{addr}/api/v1"), sent)
}

/// The binary against `base`, in `home` (which keeps the journal between runs).
fn krafter(home: &std::path::Path, sb: &RunningSandbox, base: &str, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_krafter"));
    c.args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("KRAFTER_BASE_URL", base)
        .env("KRAFTER_ORG_ID", &sb.org_id)
        .env("KRAFTER_PROJECT_ID", &sb.projects[0])
        .env("KRAFTER_API_KEY", &sb.write_key)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Waits until the journal shows a request in flight after at least two
/// applied, then kills the process with SIGKILL.
fn kill_mid_job(child: &mut Child, journal_path: &std::path::Path) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        assert!(Instant::now() < deadline, "the job never got under way");
        if let Ok(opened) = Journal::open(journal_path)
            && let Ok(jobs) = opened.journal.jobs()
            && let Some(job) = jobs.first()
        {
            let items = opened.journal.items(&job.job.id).unwrap_or_default();
            let updated = items
                .iter()
                .filter(|i| matches!(i.outcome, Outcome::Updated { .. }))
                .count();
            if updated >= 2 && items.iter().any(|i| i.outcome == Outcome::InFlight) {
                // SIGKILL: no destructor, no flush, no goodbye.
                let status = Command::new("kill")
                    .args(["-9", &child.id().to_string()])
                    .status()
                    .unwrap();
                assert!(status.success());
                let _ = child.wait();
                return job.job.id.clone();
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_job_resumes_with_the_same_values_and_undoes_but_what_others_changed() {
    let mut options = SandboxOptions::for_tests().with_data(DataSource::Demo);
    // Four requests a second: the job takes a few seconds, and pacing is
    // exercised on the way.
    options.rate_default = Some(RateWindow::new(4, 1));
    let sb = krafter::sandbox::spawn(options).await.unwrap();
    let (base, sent) = recorder(&sb).await;
    let home = tempfile::tempdir().unwrap();
    let journal_path = journal::default_path(&home.path().join("data").join("krafter"));
    // The job's size is the demo project's new findings, as the data set has
    // them (read here, not written down: the demo data comes from scans).
    let new_before = Client::new(sb.client_settings(&sb.projects[0]))
        .unwrap()
        .list_findings(
            &krafter::api::model::FindingQuery {
                status: Some(FindingStatus::New),
                ..Default::default()
            },
            0,
            100,
        )
        .await
        .unwrap()
        .total
        .unwrap() as usize;
    assert!(new_before >= 3, "enough for a kill mid-job: {new_before}");

    let mut child = krafter(
        home.path(),
        &sb,
        &base,
        &["update", "--where-status", "new", "--status", "triaged"],
    )
    .spawn()
    .unwrap();
    let job = kill_mid_job(&mut child, &journal_path);

    let listed = krafter(home.path(), &sb, &base, &["jobs", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(listed.status.code(), Some(0), "{}", text(&listed));
    let listed: Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(listed[0]["job"]["id"], job.as_str());
    assert_eq!(listed[0]["job"]["state"], "interrupted");

    let resumed = krafter(home.path(), &sb, &base, &["update", "--resume"])
        .output()
        .unwrap();
    assert_eq!(resumed.status.code(), Some(0), "{}", text(&resumed));
    assert!(text(&resumed).contains(&format!("resuming job {job}")));

    // On the server: every finding of the job has the target value.
    let client = Client::new(sb.client_settings(&sb.projects[0])).unwrap();
    let j = Journal::open(&journal_path).unwrap().journal;
    assert_eq!(j.find_job(&job).unwrap().state, JobState::Done);
    let items = j.items(&job).unwrap();
    assert_eq!(
        items.len(),
        new_before,
        "every new finding of the demo project"
    );
    for item in &items {
        assert!(matches!(item.outcome, Outcome::Updated { .. }), "{item:?}");
        let f = client.get_finding(&item.finding_id).await.unwrap();
        assert_eq!(f.status, FindingStatus::Triaged, "{}", item.finding_id);
    }
    // And no finding was ever sent another value; each at most twice (once
    // more for the one in flight at the kill).
    let sent = sent.lock().unwrap().clone();
    assert!(
        sent.iter()
            .all(|(_, body)| *body == json!({"status": "triaged"})),
        "{sent:?}"
    );
    for item in &items {
        let n = sent.iter().filter(|(id, _)| *id == item.finding_id).count();
        assert!((1..=2).contains(&n), "{} sent {n} times", item.finding_id);
    }
    assert!(sent.len() <= items.len() + 1, "{sent:?}");

    // Someone else assigns one of them meanwhile; the undo leaves it alone.
    let theirs = items[3].finding_id.clone();
    client
        .patch_finding(
            &theirs,
            &FindingPatch {
                owner_id: Some(Some("99999999-9999-4999-8999-999999999999".into())),
                ..FindingPatch::default()
            },
        )
        .await
        .unwrap();
    let undo = krafter(home.path(), &sb, &base, &["update", "--undo", &job[..8]])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&undo.stdout).into_owned();
    assert_eq!(undo.status.code(), Some(4), "{}", text(&undo));
    assert!(
        out.contains(&format!("skipped  {theirs}  changed by someone else since")),
        "{out}"
    );
    assert!(
        out.ends_with(&format!(
            "updated {}, skipped 1, failed 0\n",
            new_before - 1
        )),
        "{out}"
    );
    for item in &items {
        let f = client.get_finding(&item.finding_id).await.unwrap();
        let want = if item.finding_id == theirs {
            FindingStatus::Triaged
        } else {
            FindingStatus::New
        };
        assert_eq!(f.status, want, "{}", item.finding_id);
    }
    assert_eq!(j.find_job(&job).unwrap().state, JobState::Undone);
    sb.shutdown().await;
}
