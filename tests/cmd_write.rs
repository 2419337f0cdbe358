//! Headless commands that change things or fail, end to end: the real
//! binary against the sandbox (`krafter::sandbox::spawn`).

mod cmd_support;

use cmd_support::{json, krafter, krafter_with, sandbox};
use krafter::sandbox::{DataSource, SandboxOptions};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finding_detail_and_update_outcomes() {
    let sb = sandbox().await;
    let list = krafter(
        &sb,
        &[
            "findings", "--status", "new", "--limit", "2", "--format", "json",
        ],
    );
    let list = json(&list);
    let id = list[0]["id"].as_str().unwrap().to_string();
    let other = list[1]["id"].as_str().unwrap().to_string();

    let detail = krafter(&sb, &["finding", &id]);
    assert_eq!(detail.code, Some(0), "{}", detail.stderr);
    assert!(
        detail.stdout.contains("Recommended fix"),
        "{}",
        detail.stdout
    );
    assert!(detail.stdout.contains("   1. "), "{}", detail.stdout);
    assert!(
        detail.stdout.contains("Next statuses  triaged, dismissed"),
        "{}",
        detail.stdout
    );
    let as_json = json(&krafter(&sb, &["finding", &id, "--format", "json"]));
    assert_eq!(as_json["id"], id.as_str());

    let run = krafter(&sb, &["update", &id, &other, "--status", "triaged"]);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.ends_with("updated 2, skipped 0, failed 0\n"),
        "{}",
        run.stdout
    );
    let after = json(&krafter(&sb, &["finding", &id, "--format", "json"]));
    assert_eq!(after["status"], "triaged");

    // triaged -> ready_verify is not a legal move; the server says why.
    let missing = "00000000-0000-4000-8000-000000000000";
    let run = krafter(&sb, &["update", &id, missing, "--status", "ready_verify"]);
    assert_eq!(run.code, Some(4), "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(&format!("skipped  {id}  ")),
        "{}",
        run.stdout
    );
    // The preview reads every id first: one that is not in the project is
    // skipped without a PATCH.
    assert!(
        run.stdout.contains(&format!(
            "skipped  {missing}  no such finding in this project"
        )),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.ends_with("updated 0, skipped 2, failed 0\n"),
        "{}",
        run.stdout
    );

    let run = krafter(
        &sb,
        &["update", &id, "--status", "in_progress", "--format", "json"],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(json(&run)["items"][0]["after"]["status"], "in_progress");
    assert_eq!(json(&run)["items"][0]["result"], "updated");
    assert!(run.stderr.contains("updated 1, skipped 0, failed 0"));
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_errors_show_status_and_request_id_never_the_key() {
    let sb = sandbox().await;
    let run = krafter_with(&sb, "kr_live_wrongwrongwrong", &["health"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("HTTP 401"), "{}", run.stderr);
    assert!(!run.stderr.contains("kr_live_wrongwrongwrong"));

    let list = json(&krafter(
        &sb,
        &[
            "findings", "--status", "new", "--limit", "1", "--format", "json",
        ],
    ));
    let id = list[0]["id"].as_str().unwrap().to_string();
    let run = krafter_with(&sb, &sb.read_key, &["update", &id, "--status", "triaged"]);
    assert_eq!(run.code, Some(4), "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("HTTP 403"), "{}", run.stdout);
    assert!(run.stdout.contains("request_id"), "{}", run.stdout);

    let run = krafter(&sb, &["finding", "00000000-0000-4000-8000-000000000000"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("HTTP 404") && run.stderr.contains("request_id"),
        "{}",
        run.stderr
    );
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_refuses_private_targets_and_reports_a_failed_scan() {
    let sb = sandbox().await;
    let run = krafter(&sb, &["scan", "http://localhost:8080/"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("refused scan URL"), "{}", run.stderr);

    // `.invalid` never resolves, so the sandbox's scan fails: --wait follows
    // it to the end, prints the reason and exits 1.
    let target = "https://krafter-e2e.invalid/";
    let run = krafter(&sb, &["scan", target, "--format", "json"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let queued = json(&run);
    assert!(queued["id"].is_string());
    assert!(!queued["status"].as_str().unwrap_or("").is_empty());

    let run = krafter(&sb, &["scan", target, "--wait", "--timeout", "60"]);
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.starts_with("scan ") && run.stdout.contains(" failed"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("failed: ") && run.stderr.contains("krafter-e2e.invalid"),
        "{}",
        run.stderr
    );
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bulk_update_under_a_tight_rate_limit_loses_nothing() {
    let mut options = SandboxOptions::for_tests().with_data(DataSource::Demo);
    options.rate_default = Some(krafter::sandbox::RateWindow::new(3, 1));
    let sb = krafter::sandbox::spawn(options)
        .await
        .expect("sandbox starts");
    let list = krafter(&sb, &["findings", "--limit", "8", "--format", "json"]);
    assert_eq!(list.code, Some(0), "{}", list.stderr);
    let ids: Vec<String> = json(&list)
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 8);
    let mut args: Vec<&str> = vec!["update", "--severity", "low"];
    args.extend(ids.iter().map(String::as_str));
    // Nine requests or more in windows of three: the client must wait for
    // the windows instead of failing with 429.
    let run = krafter(&sb, &args);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.ends_with("updated 8, skipped 0, failed 0\n"),
        "{}",
        run.stdout
    );
    assert_eq!(
        run.stdout
            .lines()
            .filter(|l| l.starts_with("updated  "))
            .count(),
        8
    );
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn config_check_online_calls_the_api_once() {
    let sb = sandbox().await;
    let run = krafter(&sb, &["config", "check", "--online"]);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("online       ok: "), "{}", run.stdout);
    assert!(run.stdout.contains("health score "), "{}", run.stdout);
    assert!(!run.stdout.contains(&sb.write_key));

    let run = krafter_with(&sb, "kr_live_revoked", &["config", "check", "--online"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stdout.contains("online       failed"), "{}", run.stdout);
    assert!(run.stderr.contains("HTTP 401"), "{}", run.stderr);
    assert!(!run.stderr.contains("kr_live_revoked"));
    sb.shutdown().await;
}
