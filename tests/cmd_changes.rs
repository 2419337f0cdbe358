//! `krafter changes` end to end, against a sandbox where things happened at
//! known times: a scan (new findings, and a regression of a resolved one),
//! then a triage and a dismissal through `krafter update` (the journal),
//! and the approval of a verification (a finding resolved). A period that
//! starts between the two phases sees only the second.

mod cmd_support;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use axum::Router;
use axum::response::IntoResponse;
use axum::routing::get;
use chrono::{SecondsFormat, Utc};
use krafter::sandbox::{DataSource, RunningSandbox};
use serde_json::{Value, json};

const REGRESSING: &str = "f0000001-0000-4000-8000-000000000001";
const TO_TRIAGE: &str = "f0000002-0000-4000-8000-000000000002";
const TO_APPROVE: &str = "f0000003-0000-4000-8000-000000000003";
const TO_DISMISS: &str = "f0000004-0000-4000-8000-000000000004";
const TASK: &str = "a0000001-0000-4000-8000-000000000001";
const VERIFICATION: &str = "b0000001-0000-4000-8000-000000000001";

async fn page() -> impl IntoResponse {
    (
        [("content-type", "text/html; charset=utf-8")],
        "<!doctype html><html lang=\"en\"><head><title>Shop</title></head><body><h1>Shop</h1></body></html>",
    )
}

async fn serve_site() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, Router::new().route("/", get(page))).await;
    });
    format!("http://{addr}/")
}

fn finding(id: &str, check: &str, status: &str, url: &str, days: i64) -> Value {
    let at = (Utc::now() - chrono::Duration::days(days)).to_rfc3339();
    json!({
        "id": id, "check": check, "domain": "security", "title": format!("Finding {id}"),
        "severity": "high", "status": status, "url": url, "created_at": at, "updated_at": at,
        "closed_at": if status == "resolved" { Value::String(at.clone()) } else { Value::Null },
    })
}

fn data_set(site: &str) -> Value {
    let day = (Utc::now() - chrono::Duration::days(1)).to_rfc3339();
    json!({
        "org": {"id": "3f0c9a52-6a8e-4d1b-9c47-1e2d3b4a5c6d", "name": "Changes org"},
        "projects": [{
            "id": "shop", "name": "Shop",
            "findings": [
                finding(REGRESSING, "security.csp_missing", "resolved", site, 5),
                finding(TO_TRIAGE, "security.check_2", "new", "https://shop.example.com/a", 5),
                finding(TO_APPROVE, "security.check_3", "ready_verify", "https://shop.example.com/b", 5),
                finding(TO_DISMISS, "security.check_4", "new", "https://shop.example.com/c", 5),
            ],
            "tasks": [{"id": TASK, "finding_id": TO_APPROVE, "title": "Fix 3",
                       "status": "ready_verify", "created_at": day}],
            "verifications": [{"id": VERIFICATION, "task_id": TASK, "result": "passed",
                               "created_at": day, "checks": []}],
        }],
    })
}

/// Runs the binary against `sb` in `home`, which keeps its journal between
/// runs.
fn krafter_in(home: &Path, sb: &RunningSandbox, args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_krafter"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("KRAFTER_BASE_URL", &sb.base_url)
        .env("KRAFTER_ORG_ID", &sb.org_id)
        .env("KRAFTER_PROJECT_ID", &sb.projects[0])
        .env("KRAFTER_API_KEY", &sb.write_key)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("a list: {list}"))
        .iter()
        .map(|f| {
            f["id"]
                .as_str()
                .or(f["finding_id"].as_str())
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

async fn audit(sb: &RunningSandbox, method: reqwest::Method, path: &str, body: Value) -> Value {
    let url = format!(
        "{}/orgs/{}/projects/{}/audit{path}",
        sb.base_url, sb.org_id, sb.projects[0]
    );
    let reply = reqwest::Client::new()
        .request(method, url)
        .bearer_auth(&sb.write_key)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(reply.status().is_success(), "{path}: {}", reply.status());
    reply.json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_since_a_time_sees_what_happened_after_it() {
    let site = serve_site().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data.json");
    std::fs::write(&path, data_set(&site).to_string()).unwrap();
    let sb = cmd_support::sandbox_with(DataSource::File(path)).await;
    let home = tempfile::tempdir().unwrap();
    let stamp = || Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);

    // Phase 1: a scan (new findings, and the resolved CSP finding is back).
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let before_scan = stamp();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let scan = audit(
        &sb,
        reqwest::Method::POST,
        "/scans/run",
        json!({"url": site}),
    )
    .await;
    let scan_id = scan["data"]["id"].as_str().unwrap().to_string();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let s = audit(
            &sb,
            reqwest::Method::GET,
            &format!("/scans/{scan_id}"),
            Value::Null,
        )
        .await;
        if s["data"]["status"] == "completed" {
            break;
        }
        assert!(s["data"]["status"] != "failed", "{s}");
        assert!(
            std::time::Instant::now() < deadline,
            "the scan does not finish"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Phase 2, a second later: a triage and a dismissal through krafter,
    // and an approval.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let between = stamp();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (code, _, err) = krafter_in(
        home.path(),
        &sb,
        &["update", TO_TRIAGE, "--status", "triaged"],
    );
    assert_eq!(code, Some(0), "{err}");
    let dismiss = [
        "update",
        TO_DISMISS,
        "--status",
        "dismissed",
        "--reason",
        "wont_fix",
    ];
    let (code, _, err) = krafter_in(home.path(), &sb, &dismiss);
    assert_eq!(code, Some(0), "{err}");
    audit(
        &sb,
        reqwest::Method::POST,
        &format!("/verifications/{VERIFICATION}/approve"),
        json!({}),
    )
    .await;

    // Since before the scan: everything.
    let (code, out, err) = krafter_in(
        home.path(),
        &sb,
        &["changes", "--since", &before_scan, "--format", "json"],
    );
    assert_eq!(code, Some(0), "{err}");
    let all: Value = serde_json::from_str(&out).unwrap();
    let new = ids(&all["new"]);
    assert!(!new.is_empty(), "the scan's findings are new: {all}");
    assert!(!new.contains(&TO_TRIAGE.to_string()), "{new:?}");
    assert_eq!(ids(&all["regressed"]), [REGRESSING]);
    assert_eq!(ids(&all["resolved"]), [TO_APPROVE]);
    assert_eq!(ids(&all["dismissed"]), [TO_DISMISS]);
    let changes = &all["status_changes"];
    assert_eq!(ids(changes), [TO_TRIAGE, TO_DISMISS], "{changes}");
    assert_eq!(changes[0]["from"], "new");
    assert_eq!(changes[0]["to"], "triaged");
    assert!(
        all["health"]["to"]["health_score"].is_i64(),
        "{}",
        all["health"]
    );
    assert!(
        all["health"]["from"]["open_risk_score"].is_number(),
        "{}",
        all["health"]
    );

    // Since between the phases: the scan and its regression are before it.
    let (code, out, err) = krafter_in(
        home.path(),
        &sb,
        &["changes", "--since", &between, "--format", "json"],
    );
    assert_eq!(code, Some(0), "{err}");
    let late: Value = serde_json::from_str(&out).unwrap();
    assert!(ids(&late["new"]).is_empty(), "{}", late["new"]);
    assert!(ids(&late["regressed"]).is_empty(), "{}", late["regressed"]);
    assert_eq!(ids(&late["resolved"]), [TO_APPROVE]);
    assert_eq!(ids(&late["dismissed"]), [TO_DISMISS]);
    assert_eq!(ids(&late["status_changes"]), [TO_TRIAGE, TO_DISMISS]);

    // The table names the sections; a fresh home has no journal, and says so.
    let (code, out, err) = krafter_in(home.path(), &sb, &["changes", "--since", "1h"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("Regressed (1)") && out.contains("Resolved (1)"),
        "{out}"
    );
    assert!(out.contains("Status changes through krafter (2)"), "{out}");
    let fresh = tempfile::tempdir().unwrap();
    let (code, out, _) = krafter_in(
        fresh.path(),
        &sb,
        &["changes", "--since", "1h", "--format", "markdown"],
    );
    assert_eq!(code, Some(0));
    assert!(out.contains("### Changes since"), "{out}");
    assert!(out.contains("no local journal"), "{out}");
    assert!(
        !fresh.path().join("data/krafter/journal.sqlite3").exists(),
        "no journal is created"
    );

    let (code, _, err) = krafter_in(home.path(), &sb, &["changes", "--since", "yesterday"]);
    assert_eq!(code, Some(2), "{err}");
    sb.shutdown().await;
}
