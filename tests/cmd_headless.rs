//! The headless commands end to end: the real binary against the sandbox
//! (`krafter::sandbox::spawn`, demo data), checking output formats and exit
//! codes as a script would see them.

use std::process::{Command, Output};

use krafter::sandbox::{DataSource, RunningSandbox, SandboxOptions};
use serde_json::Value;

async fn sandbox() -> RunningSandbox {
    sandbox_with(DataSource::Demo).await
}

async fn sandbox_with(data: DataSource) -> RunningSandbox {
    krafter::sandbox::spawn(SandboxOptions::for_tests().with_data(data))
        .await
        .expect("sandbox starts")
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs the binary against `sb` with `key`, in a home of its own.
fn krafter_with(sb: &RunningSandbox, key: &str, args: &[&str]) -> Run {
    let home = tempfile::tempdir().unwrap();
    let out: Output = Command::new(env!("CARGO_BIN_EXE_krafter"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("KRAFTER_BASE_URL", &sb.base_url)
        .env("KRAFTER_ORG_ID", &sb.org_id)
        .env("KRAFTER_PROJECT_ID", &sb.projects[0])
        .env("KRAFTER_API_KEY", key)
        .output()
        .unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn krafter(sb: &RunningSandbox, args: &[&str]) -> Run {
    krafter_with(sb, &sb.write_key, args)
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}\n{}", run.stdout, run.stderr))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_formats_and_fail_under() {
    let sb = sandbox().await;
    let run = krafter(&sb, &["health", "--format", "json"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let score = json(&run)["health_score"].as_i64().expect("a health_score");

    let run = krafter(&sb, &["health"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout.contains(&format!("Health score  {score} / 100")),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("Top priorities") || run.stdout.contains("No unresolved"));

    let above = (score + 1).to_string();
    let run = krafter(&sb, &["health", "--fail-under", &above]);
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("below {above}")),
        "{}",
        run.stderr
    );
    let run = krafter(&sb, &["health", "--fail-under", &score.to_string()]);
    assert_eq!(run.code, Some(0));
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn findings_json_csv_and_table_agree() {
    // Over 100 findings per project (spread over three), so --all must page.
    let sb = sandbox_with(DataSource::Generate(400)).await;
    let all = krafter(&sb, &["findings", "--all", "--format", "json"]);
    assert_eq!(all.code, Some(0), "{}", all.stderr);
    let all = json(&all);
    let all = all.as_array().unwrap();
    assert!(all.len() > 100, "the demo set pages: {}", all.len());
    let ids: std::collections::HashSet<&str> =
        all.iter().filter_map(|f| f["id"].as_str()).collect();
    assert_eq!(ids.len(), all.len(), "no finding twice across pages");
    // Fields the client does not model are exported too.
    assert!(
        all[0].get("check").is_some() || all[0].get("scan_id").is_some(),
        "{}",
        all[0]
    );

    let csv = krafter(&sb, &["findings", "--all", "--format", "csv"]);
    assert_eq!(csv.code, Some(0));
    let mut reader = csv::Reader::from_reader(csv.stdout.as_bytes());
    assert_eq!(&reader.headers().unwrap()[0], "id");
    assert_eq!(reader.records().count(), all.len());

    let table = krafter(&sb, &["findings", "--limit", "3"]);
    assert_eq!(table.code, Some(0));
    let lines: Vec<&str> = table.stdout.lines().collect();
    assert!(
        lines[0].starts_with("ID") && lines[0].contains("TITLE"),
        "{}",
        table.stdout
    );
    assert_eq!(lines.len(), 5, "header, 3 rows, footer: {}", table.stdout);
    assert_eq!(
        lines[4],
        format!(
            "3 of {} findings; use --limit N or --all for more",
            all.len()
        )
    );
    assert!(
        lines.iter().all(|l| unicode_width(l) <= 100),
        "{}",
        table.stdout
    );
    sb.shutdown().await;
}

fn unicode_width(s: &str) -> usize {
    krafter::commands::layout::width(s)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn findings_filters_reach_the_server() {
    let sb = sandbox().await;
    let all = json(&krafter(&sb, &["findings", "--all", "--format", "json"]));
    let all = all.as_array().unwrap().clone();
    // A severity and status pair the data set has, whatever its mix.
    let pick = &all[all.len() / 2];
    let (sev, status) = (
        pick["severity"].as_str().unwrap(),
        pick["status"].as_str().unwrap(),
    );
    let expected = all
        .iter()
        .filter(|f| f["severity"] == sev && f["status"] == status)
        .count();
    let run = krafter(
        &sb,
        &[
            "findings",
            "--severity",
            sev,
            "--status",
            status,
            "--all",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let rows = json(&run);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), expected);
    assert!(
        rows.iter()
            .all(|f| f["severity"] == sev && f["status"] == status)
    );
    let run = krafter(
        &sb,
        &["findings", "--owner", "none", "--all", "--format", "json"],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let unowned = json(&run);
    let unowned = unowned.as_array().unwrap();
    assert_eq!(
        unowned.len(),
        all.iter().filter(|f| f["owner_id"].is_null()).count()
    );
    assert!(unowned.iter().all(|f| f["owner_id"].is_null()));
    sb.shutdown().await;
}

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
    assert!(
        run.stdout
            .contains(&format!("failed   {missing}  HTTP 404")),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.ends_with("updated 0, skipped 1, failed 1\n"),
        "{}",
        run.stdout
    );

    let run = krafter(
        &sb,
        &["update", &id, "--status", "in_progress", "--format", "json"],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(json(&run)[0]["finding"]["status"], "in_progress");
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
async fn hostile_server_strings_reach_the_terminal_inert() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("hostile.json");
    let hostile = "Clear\u{1b}[2J\u{1b}]0;owned\u{7} screen \u{202e}gnp.exe";
    let set = serde_json::json!({
        "org": {"id": "11111111-1111-1111-1111-111111111111"},
        "projects": [{
            "id": "hostile-site",
            "findings": [{
                "id": "d4e5f6a7-8b9c-4d1e-8f3a-4b5c6d7e8f9a", "check": "security.csp_missing",
                "domain": "security", "title": hostile, "description": hostile,
                "severity": "critical", "status": "new", "url": "https://example.com/",
                "recommended_fix": {"summary": hostile, "steps": [hostile], "estimated_minutes": 5},
                "created_at": "2025-06-15T10:05:00Z"
            }]
        }]
    });
    std::fs::write(&data, set.to_string()).unwrap();
    let sb = sandbox_with(DataSource::File(data)).await;
    let id = "d4e5f6a7-8b9c-4d1e-8f3a-4b5c6d7e8f9a";
    for args in [
        &["findings"][..],
        &["health"][..],
        &["finding", id][..],
        &["update", id, "--status", "triaged"][..],
    ] {
        let run = krafter(&sb, args);
        assert_eq!(run.code, Some(0), "{args:?}: {}", run.stderr);
        assert!(run.stdout.contains("Clear"), "{args:?}: {}", run.stdout);
        for bad in ['\u{1b}', '\u{7}', '\u{202e}'] {
            assert!(
                !run.stdout.contains(bad),
                "{args:?} let {bad:?} through: {:?}",
                run.stdout
            );
        }
    }
    // JSON keeps the data exact, escaped by the encoder.
    let run = krafter(&sb, &["findings", "--format", "json"]);
    assert_eq!(json(&run)[0]["title"], hostile);
    assert!(!run.stdout.contains('\u{1b}'));
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_that_stops_early_is_not_an_error() {
    use std::io::Read;
    use std::process::Stdio;
    let sb = sandbox_with(DataSource::Generate(600)).await;
    let home = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_krafter"))
        // Far more than a pipe buffer (64 KiB) of JSON.
        .args(["findings", "--all", "--format", "json"])
        .env_clear()
        .env("HOME", home.path())
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("KRAFTER_BASE_URL", &sb.base_url)
        .env("KRAFTER_ORG_ID", &sb.org_id)
        .env("KRAFTER_PROJECT_ID", &sb.projects[0])
        .env("KRAFTER_API_KEY", &sb.write_key)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one byte, then hang up, as `| head -c1` would.
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 1];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
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
