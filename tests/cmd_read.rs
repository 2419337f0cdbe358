//! Read-only headless commands end to end: the real binary against the
//! sandbox (`krafter::sandbox::spawn`), checking output formats and exit codes
//! as a script would see them.

mod cmd_support;

use std::process::Command;

use cmd_support::{json, krafter, krafter_env, sandbox, sandbox_with};
use krafter::sandbox::DataSource;

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
        lines
            .iter()
            .all(|l| krafter::commands::layout::width(l) <= 100),
        "{}",
        table.stdout
    );
    sb.shutdown().await;
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
async fn the_table_fits_columns_when_stdout_is_not_a_terminal() {
    let sb = sandbox().await;
    let width = |run: &cmd_support::Run| {
        // The table's rows; the footer is a sentence, not laid out.
        run.stdout
            .lines()
            .filter(|l| !l.contains(" findings"))
            .map(unicode_width::UnicodeWidthStr::width)
            .max()
            .unwrap_or(0)
    };
    for columns in [70, 160] {
        let cols = columns.to_string();
        let run = krafter_env(
            &sb,
            &sb.write_key,
            &[("COLUMNS", &cols)],
            &["findings", "--limit", "5"],
        );
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        assert!(width(&run) <= columns, "COLUMNS={columns}:\n{}", run.stdout);
        assert!(width(&run) > 40, "COLUMNS={columns}:\n{}", run.stdout);
    }
    let wide = krafter_env(&sb, &sb.write_key, &[("COLUMNS", "160")], &["findings"]);
    assert!(
        width(&wide) > 100,
        "titles use the room COLUMNS gives:\n{}",
        wide.stdout
    );
    sb.shutdown().await;
}
