//! `krafter gate` end to end: the real binary against a sandbox with a
//! known data set. Exit codes for a clean run, a crossed threshold, a
//! baseline that suppresses, and errors (server down, bad baseline); the
//! SARIF output validated against the SARIF 2.1.0 schema.

mod cmd_support;
mod support_sandbox;
mod support_schema;

use cmd_support::{json, krafter, krafter_env, sandbox_with};
use krafter::sandbox::DataSource;
use serde_json::Value;
use support_sandbox::fixture::{F, small_data_set};

async fn small() -> (krafter::sandbox::RunningSandbox, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data.json");
    std::fs::write(&path, small_data_set().to_string()).unwrap();
    (sandbox_with(DataSource::File(path)).await, dir)
}

fn schema() -> Value {
    let text = include_str!("fixtures/sarif-schema-2.1.0.json");
    serde_json::from_str(text).expect("the vendored schema is JSON")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clean_and_crossed_exit_0_and_3_and_say_why() {
    let (sb, _dir) = small().await;
    // Performance holds a medium and a low finding: nothing at high.
    let run = krafter(
        &sb,
        &["gate", "--fail-on", "high", "--domain", "performance"],
    );
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.starts_with("gate passed"), "{}", run.stdout);

    // F1 and F7 (critical, new) and F2 (high, triaged) count; F6 (medium,
    // dismissed) and F5 (resolved) never do.
    let run = krafter(&sb, &["gate", "--fail-on", "high"]);
    assert_eq!(run.code, Some(3), "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .starts_with("gate FAILED: 3 open findings at high or above count"),
        "{}",
        run.stdout
    );
    for title in [
        "Session cookie without Secure",
        "CORS wildcard",
        "Missing CSP header",
    ] {
        assert!(run.stdout.contains(title), "{title} in {}", run.stdout);
    }
    assert!(
        run.stdout.contains("2 dismissed or resolved"),
        "{}",
        run.stdout
    );

    let run = krafter(&sb, &["gate", "--fail-on", "low", "--format", "json"]);
    assert_eq!(run.code, Some(3));
    let out = json(&run);
    assert_eq!(out["counts"]["counted"], 7, "{out}");
    assert_eq!(out["counts"]["closed"], 2);
    assert!(run.stderr.contains("gate failed"), "{}", run.stderr);
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_baseline_suppresses_what_it_holds_and_only_that() {
    let (sb, dir) = small().await;
    let baseline = dir.path().join("baseline.json");
    let path = baseline.to_str().unwrap();
    let run = krafter(&sb, &["gate", "--fail-on", "low", "--write-baseline", path]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stderr.contains("7 open finding(s)"), "{}", run.stderr);
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&baseline).unwrap()).unwrap();
    assert_eq!(written["findings"][F[1]], "security.check_1");

    let run = krafter(&sb, &["gate", "--fail-on", "low", "--baseline", path]);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("7 in the baseline"), "{}", run.stdout);

    // F6 was dismissed when the baseline was written; reopened, it counts.
    let url = format!(
        "{}/orgs/{}/projects/{}/audit/findings/{}",
        sb.base_url, sb.org_id, sb.projects[0], F[6]
    );
    let reopened = reqwest::Client::new()
        .patch(&url)
        .bearer_auth(&sb.write_key)
        .json(&serde_json::json!({"status": "new"}))
        .send()
        .await
        .unwrap();
    assert_eq!(reopened.status(), 200);
    let run = krafter(
        &sb,
        &[
            "gate",
            "--fail-on",
            "low",
            "--baseline",
            path,
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    let out = json(&run);
    assert_eq!(out["counts"]["counted"], 1, "{out}");
    let counted: Vec<&Value> = out["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["verdict"] == "counts")
        .collect();
    assert_eq!(counted[0]["id"], F[6]);
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_exit_1_and_never_look_like_a_pass_or_a_fail() {
    let (sb, dir) = small().await;
    // A bad baseline file: not JSON, and missing.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "id,check\n").unwrap();
    let run = krafter(
        &sb,
        &[
            "gate",
            "--fail-on",
            "high",
            "--baseline",
            bad.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("not a krafter baseline"),
        "{}",
        run.stderr
    );
    let missing = dir.path().join("missing.json");
    let run = krafter(
        &sb,
        &[
            "gate",
            "--fail-on",
            "high",
            "--baseline",
            missing.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);

    // The service down: a port nothing listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let down = format!("http://127.0.0.1:{port}/api/v1");
    let run = krafter_env(
        &sb,
        &sb.write_key,
        &[("KRAFTER_BASE_URL", &down)],
        &["gate", "--fail-on", "critical"],
    );
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.is_empty(),
        "no verdict is printed: {}",
        run.stdout
    );
    assert!(
        run.stderr.contains("gate was not checked"),
        "{}",
        run.stderr
    );

    // Usage errors: 2.
    let run = krafter(&sb, &["gate", "--fail-on", "extreme"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    let run = krafter(&sb, &["gate", "--fail-on", "high", "--domain", "weather"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sarif_is_valid_sarif_2_1_0_and_junit_and_markdown_are_whole() {
    let (sb, _dir) = small().await;
    let run = krafter(&sb, &["gate", "--fail-on", "high", "--format", "sarif"]);
    assert_eq!(run.code, Some(3), "{}", run.stderr);
    let log = json(&run);
    let schema = schema();
    let errors = support_schema::validate(&schema, &log);
    assert!(errors.is_empty(), "SARIF schema errors: {errors:#?}");
    let results = log["runs"][0]["results"].as_array().unwrap();
    // Eight findings but the resolved one: F6 dismissed is a suppressed result.
    assert_eq!(results.len(), 8, "{log}");
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert_eq!(rules.len(), 8, "one rule per check key");

    // The fingerprints are the same on a second run.
    let again = json(&krafter(
        &sb,
        &["gate", "--fail-on", "high", "--format", "sarif"],
    ));
    let prints = |log: &Value| -> Vec<Value> {
        log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["partialFingerprints"].clone())
            .collect()
    };
    assert_eq!(prints(&log), prints(&again));

    // The validator is not vacuous: a broken log fails it.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    broken.as_object_mut().unwrap().remove("version");
    assert!(support_schema::validate(&schema, &broken).len() >= 2);

    let run = krafter(&sb, &["gate", "--fail-on", "high", "--format", "junit"]);
    assert_eq!(run.code, Some(3));
    assert!(run.stdout.starts_with("<?xml"), "{}", run.stdout);
    assert!(
        run.stdout.contains("tests=\"9\" failures=\"3\""),
        "{}",
        run.stdout
    );
    assert!(run.stdout.trim_end().ends_with("</testsuites>"));

    let run = krafter(
        &sb,
        &["gate", "--fail-on", "critical", "--format", "markdown"],
    );
    assert_eq!(run.code, Some(3));
    assert!(
        run.stdout.contains("### ❌ krafter gate failed"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("| ‼ critical | 2 | 0 | 0 | 0 |"),
        "{}",
        run.stdout
    );
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn findings_writes_sarif_junit_and_markdown_with_open_findings_counting() {
    let (sb, _dir) = small().await;
    let all = json(&krafter(&sb, &["findings", "--all", "--format", "json"]));
    let all = all.as_array().unwrap();
    let open = all
        .iter()
        .filter(|f| {
            matches!(
                f["status"].as_str(),
                Some("new" | "triaged" | "in_progress" | "ready_verify")
            )
        })
        .count();
    let resolved = all.iter().filter(|f| f["status"] == "resolved").count();
    assert!(open > 0 && resolved > 0, "the data set has both: {all:?}");

    let run = krafter(&sb, &["findings", "--all", "--format", "sarif"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let log = json(&run);
    let errors = support_schema::validate(&schema(), &log);
    assert!(errors.is_empty(), "SARIF schema errors: {errors:#?}");
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), all.len() - resolved, "{log}");

    let run = krafter(&sb, &["findings", "--all", "--format", "junit"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let head = format!("tests=\"{}\" failures=\"{open}\"", all.len());
    assert!(run.stdout.contains(&head), "{head} in {}", run.stdout);
    assert!(run.stdout.trim_end().ends_with("</testsuites>"));

    let run = krafter(&sb, &["findings", "--limit", "2", "--format", "markdown"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let rows = run.stdout.lines().filter(|l| l.starts_with("| ")).count();
    assert_eq!(rows, 3, "a header and two rows: {}", run.stdout);
    assert!(
        run.stdout.contains(&format!(
            "2 of {} findings; use --limit N or --all",
            all.len()
        )),
        "{}",
        run.stdout
    );
    sb.shutdown().await;
}
