//! `krafter verify`: the path from a scanned problem to a resolved finding,
//! through the real binary. Against the sandbox and its demo storefront the
//! check fails until the fix is shipped, then passes and, approved, resolves
//! the finding; against a service without `GET /verifications/{id}` the
//! result is read from the verification list.

mod cmd_support;
mod support;

use std::process::Command;

use cmd_support::{Run, krafter, krafter_with};
use krafter::api::Client;
use krafter::api::enums::FindingStatus;
use krafter::api::model::{Finding, FindingQuery};
use krafter::sandbox::{SandboxOptions, spawn};
use serde_json::json;
use support::{KEY, Reply, ScriptedServer, audit};

fn check_of(f: &Finding) -> &str {
    f.extra
        .get("check")
        .and_then(|c| c.as_str())
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shipped_fix_verified_and_approved_resolves_the_finding() {
    let sb = spawn(SandboxOptions {
        demo_site: true,
        allow_private_targets: false,
        ..SandboxOptions::for_tests()
    })
    .await
    .expect("sandbox starts");
    let client = Client::new(sb.client_settings(&sb.projects[0])).expect("client");
    let url = sb.demo_site_url.clone().expect("a demo site");
    let run = krafter(&sb, &["scan", &url, "--wait", "--timeout", "60"]);
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    let csp = client
        .list_findings(&FindingQuery::default(), 0, 100)
        .await
        .expect("findings")
        .items
        .into_iter()
        .find(|f| check_of(f) == "security.csp_missing")
        .expect("a CSP finding");

    // A read-only key's user is refused before anything is sent.
    let run = krafter(&sb, &["--read-only", "verify", &csp.id]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert!(run.stderr.contains("read-only"), "{}", run.stderr);
    let tasks = client.list_tasks(None, None, None).await.expect("tasks");
    assert!(tasks.items.is_empty(), "no task was created");

    // Before the fix: a task is created and the check still fails.
    let run = krafter(&sb, &["verify", &csp.id, "--approve", "--timeout", "60"]);
    assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains(" failed\n"), "{}", run.stdout);
    assert!(
        run.stdout.contains("check security.csp_missing: failed"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("  before: "), "{}", run.stdout);
    assert!(run.stderr.contains("created task"), "{}", run.stderr);
    assert!(
        run.stderr.contains("still failing: security.csp_missing"),
        "{}",
        run.stderr
    );
    let after_failure = client.get_finding(&csp.id).await.expect("finding");
    assert_ne!(after_failure.status, FindingStatus::Resolved);

    // Ship the fix, then verify and approve through the same task.
    let fix = sb.demo_site_fix_url("csp").expect("a fix URL");
    let shipped = reqwest::Client::new()
        .post(&fix)
        .send()
        .await
        .expect("the site answers");
    assert!(shipped.status().is_success(), "{}", shipped.status());
    let run = krafter(&sb, &["verify", &csp.id, "--approve", "--timeout", "60"]);
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains(" passed\n"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains(&format!("approved: finding {} is now resolved", csp.id)),
        "{}",
        run.stdout
    );
    assert!(run.stderr.contains("through its task"), "{}", run.stderr);
    let tasks = client.list_tasks(None, None, None).await.expect("tasks");
    assert_eq!(tasks.items.len(), 1, "the task was reused");
    let resolved = client.get_finding(&csp.id).await.expect("finding");
    assert_eq!(resolved.status, FindingStatus::Resolved);

    // Nothing more to do for a resolved finding.
    let run = krafter_with(&sb, &sb.write_key, &["verify", &csp.id]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.contains("already resolved"), "{}", run.stderr);
    sb.shutdown().await;
}

/// Runs the binary against a scripted server.
async fn krafter_at(server: &ScriptedServer, args: &[&str]) -> Run {
    let home = tempfile::tempdir().expect("tempdir");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_krafter"));
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("KRAFTER_BASE_URL", &server.base_url)
        .env("KRAFTER_ORG_ID", "org-1")
        .env("KRAFTER_PROJECT_ID", "proj-1")
        .env("KRAFTER_API_KEY", KEY);
    let out = tokio::task::spawn_blocking(move || cmd.output())
        .await
        .expect("joined")
        .expect("krafter runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn verification(result: &str) -> serde_json::Value {
    json!({
        "id": "v-1", "task_id": "t-1", "result": result,
        "checks": if result == "pending" { json!([]) } else {
            json!([{"key": "security.csp_missing", "before": "", "after": "default-src 'self'", "status": "passed"}])
        },
        "verified_by_id": null, "verified_at": null
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_single_verification_route_the_list_is_read() {
    let server = ScriptedServer::start().await;
    let page = |items: serde_json::Value| {
        Reply::data(200, items, json!({"next_cursor": null, "total": 1}))
    };
    server
        .push(Reply::data(
            200,
            json!({"id": "f-1", "title": "No CSP", "severity": "high", "status": "in_progress",
                   "domain": "security", "description": "", "priority": {"score": 80}}),
            json!({}),
        ))
        .push(page(json!([
            {"id": "t-0", "finding_id": "other", "title": "x", "status": "backlog", "priority": "low"},
            {"id": "t-1", "finding_id": "f-1", "title": "No CSP", "status": "ready_verify", "priority": "high"}
        ])))
        .push(Reply::data(202, verification("pending"), json!({})))
        .push(Reply::error(404, "not_found", "no such route", "req-1"))
        .push(page(json!([verification("passed")])));

    let run = krafter_at(&server, &["verify", "f-1", "--format", "json"]).await;
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    let shown: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(shown["result"], "passed");
    assert_eq!(shown["checks"][0]["after"], "default-src 'self'");

    let got = server.requests();
    let seen: Vec<(String, String)> = got
        .iter()
        .map(|r| (r.method.to_string(), r.path.clone()))
        .collect();
    assert_eq!(
        seen,
        [
            ("GET".into(), audit("/findings/f-1")),
            ("GET".into(), audit("/tasks")),
            ("POST".into(), audit("/verifications/run")),
            ("GET".into(), audit("/verifications/v-1")),
            ("GET".into(), audit("/verifications")),
        ],
        "no task was created and nothing was approved"
    );
    assert_eq!(got[2].json()["task_id"], "t-1");
}
