//! The remediation commands through the real binary: usage errors, what a
//! service without a sandbox route is told, `krafter approve` after a
//! failed answer, and the profile's `allow_private_targets`.

mod cmd_support;
mod support;
mod support_contract;

use std::process::Command;

use cmd_support::{Run, krafter, krafter_env};
use krafter::sandbox::{SandboxOptions, spawn};
use serde_json::{Value, json};
use support::{KEY, Reply, ScriptedServer, audit};
use support_contract::Site;

/// Runs the binary against a scripted server, in a home of its own.
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

fn verification(approved: bool) -> Value {
    json!({
        "id": "v-1", "task_id": "t-1", "result": "passed",
        "checks": [{"key": "security.csp_missing", "before": "", "after": "default-src 'self'", "status": "passed"}],
        "verified_by_id": if approved { json!("u-1") } else { Value::Null },
        "verified_at": if approved { json!("2025-06-15T10:00:00Z") } else { Value::Null }
    })
}

fn posts(server: &ScriptedServer) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.method == "POST")
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approve_answered_502_after_it_was_applied_exits_0_and_says_so() {
    let server = ScriptedServer::start().await;
    server
        .push(Reply::error(
            502,
            "bad_gateway",
            "upstream timed out",
            "req-502",
        ))
        .push(Reply::data(200, verification(true), json!({})));
    let run = krafter_at(&server, &["approve", "v-1"]).await;
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("reads back approved"), "{}", run.stderr);
    assert!(
        run.stdout.contains("approved 2025-06-15T10:00:00Z"),
        "{}",
        run.stdout
    );
    assert_eq!(posts(&server), 1, "sent once");
    assert_eq!(server.requests()[1].path, audit("/verifications/v-1"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn approve_not_applied_exits_1_and_says_approving_again_is_safe() {
    let server = ScriptedServer::start().await;
    server
        .push(Reply::error(503, "unavailable", "try again", "req-503"))
        .push(Reply::data(200, verification(false), json!({})));
    let run = krafter_at(&server, &["approve", "v-1", "--format", "json"]).await;
    assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout.is_empty(),
        "nothing approved to print: {}",
        run.stdout
    );
    assert!(
        run.stderr.contains("was not approved") && run.stderr.contains("safe"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains(KEY));
    assert_eq!(posts(&server), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_without_regressions_is_told_so_not_to_check_its_ids() {
    let server = ScriptedServer::start().await;
    server.push(Reply::json(404, json!({"error": "Not Found"})));
    let run = krafter_at(&server, &["regressions"]).await;
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert!(
        run.stderr.contains("does not offer regressions"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("org and project"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_errors_name_what_is_accepted() {
    let server = ScriptedServer::start().await;
    let cases: [(&[&str], &str); 6] = [
        (
            &["tasks", "--status", "open"],
            "backlog, in_progress, blocked",
        ),
        (&["task", "set", "t-1"], "nothing to change"),
        (&["task", "set", "t-1", "--status", "done"], "approved"),
        (
            &["task", "create", "f-1", "--sla-due", "tomorrow"],
            "RFC 3339",
        ),
        (
            &["task", "create", "f-1", "--priority", "urgent"],
            "low, medium, high, critical",
        ),
        (&["regressions", "--status", "reopened"], "open, closed"),
    ];
    for (args, says) in cases {
        let run = krafter_at(&server, args).await;
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
    }
    assert!(server.requests().is_empty(), "nothing was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_only_refuses_task_changes_and_approvals_before_sending() {
    let server = ScriptedServer::start().await;
    for args in [
        &["--read-only", "task", "create", "f-1"][..],
        &["--read-only", "task", "set", "t-1", "--ticket", "X-1"],
        &["--read-only", "approve", "v-1"],
    ] {
        let run = krafter_at(&server, args).await;
        assert_eq!(run.code, Some(1), "{args:?}");
        assert!(run.stderr.contains("read-only"), "{args:?}: {}", run.stderr);
    }
    assert!(server.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_profiles_allow_private_targets_lets_a_local_site_be_scanned() {
    let site = Site::start().await;
    let sb = spawn(SandboxOptions::for_tests()).await.expect("sandbox");
    let refused = tokio::task::block_in_place(|| krafter(&sb, &["scan", &site.loopback_url]));
    assert_eq!(refused.code, Some(2), "{}", refused.stderr);

    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[profiles.local]\nallow_private_targets = true\n").expect("written");
    let config = config.to_string_lossy().into_owned();
    let run = tokio::task::block_in_place(|| {
        krafter_env(
            &sb,
            &sb.write_key,
            &[("KRAFTER_CONFIG", config.as_str())],
            &["scan", &site.loopback_url, "--wait", "--timeout", "60"],
        )
    });
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("completed"), "{}", run.stdout);
    sb.shutdown().await;
}
