//! Hostile strings from the server in every headless output: escape
//! sequences (clear screen, set title, OSC 52 clipboard, cursor moves), C0
//! and C1 controls, bidi overrides, zero-width and wide characters, long
//! words. Outputs meant for a terminal (table, text, and the messages on
//! stderr) hold no control or bidi character; JSON and NDJSON are valid and
//! carry the strings escaped, with no raw C0 control; CSV quotes what it
//! must and writes no raw control either.

mod support;
mod tui_fixtures;

use std::process::Command;

use serde_json::{Value, json};
use support::{KEY, Reply, ScriptedServer};
use tui_fixtures::huge;

fn hostile(tag: &str) -> String {
    format!(
        "{tag}\x1b[2J\x1b[H\x1b]0;owned\x07\x1b]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07\x1b[10A\
         \u{9b}31m\u{85}\u{202E}txt.exe\u{2066}\u{200B}\u{FEFF}\r\n\t\x08\x7f \
         漢字テキスト👩‍💻 مرحبا {}",
        "W".repeat(200)
    )
}

/// Checks that a table printed for a terminal keeps its columns: every
/// line's cells start at the display offsets (measured with unicode-width)
/// where the header's labels start, after the two-space gap, and no line
/// is wider than the width asked for. The `rows` lines after the header
/// are the table's (a summary may follow).
fn assert_aligned(what: &str, out: &str, labels: &[&str], rows: usize, total: usize) {
    use unicode_width::UnicodeWidthStr;
    let mut lines = out.lines();
    let header = lines.next().expect("a header line");
    // The header is ASCII: byte offsets are display offsets.
    let starts: Vec<usize> = labels
        .iter()
        .filter_map(|l| {
            header
                .match_indices(l)
                .find(|(i, _)| *i == 0 || header[..*i].ends_with("  "))
                .map(|(i, _)| i)
        })
        .collect();
    assert!(
        starts.len() >= 3,
        "{what}: the header {header:?} has {labels:?}"
    );
    let mut seen = 0;
    for line in lines.take(rows) {
        assert!(
            line.width() <= total,
            "{what}: a line {} wide, more than {total}: {line:?}",
            line.width()
        );
        // Display offset of every char boundary.
        let mut boundaries = std::collections::HashMap::new();
        for (i, _) in line.char_indices().chain([(line.len(), ' ')]) {
            boundaries.entry(line[..i].width()).or_insert(i);
        }
        for &b in &starts[1..] {
            if line.width() < b {
                // The row ends before this column: its cells are empty.
                continue;
            }
            let at = boundaries.get(&b).copied().unwrap_or_else(|| {
                panic!("{what}: no cell starts at column {b} in\n{header}\n{line}")
            });
            assert!(
                line[..at].ends_with("  "),
                "{what}: the column at {b} does not follow the gap in\n{header}\n{line}"
            );
        }
        seen += 1;
    }
    assert_eq!(seen, rows, "{what}: rows under the header");
}

fn forbidden(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{2028}' | '\u{2029}')
}

fn assert_inert(what: &str, out: &str) {
    if let Some((at, c)) = out.char_indices().find(|(_, c)| forbidden(*c)) {
        let from = out[..at].char_indices().rev().nth(40).map_or(0, |(i, _)| i);
        panic!("{what}: {c:?} at byte {at}, after {:?}", &out[from..at]);
    }
}

fn hostile_finding(i: usize) -> Value {
    let mut f = tui_fixtures::finding(i);
    f.id = format!("0000000{i}-1111-4111-8111-111111111111");
    f.title = hostile(&format!("title{i}"));
    f.description = hostile("description");
    f.owner_id = Some(hostile("owner"));
    // Cells wider as a string than as characters (emoji presentation).
    if i == 2 {
        f.title = format!("title2 {}", "☺\u{FE0F}".repeat(200));
        f.owner_id = Some("☺\u{FE0F}".repeat(40));
    }
    // Strings of 100 KB.
    if i == 1 {
        f.title = huge("title1");
        f.description = huge("description");
        f.owner_id = Some(huge("owner"));
    }
    f.affected_assets[0].value = hostile("https://asset/");
    f.evidence[0].label = Some(hostile("label"));
    f.evidence[0].value = Some(hostile("value"));
    f.recommended_fix.summary = hostile("summary");
    f.recommended_fix.steps = vec![hostile("step")];
    serde_json::to_value(f).unwrap()
}

fn page(items: Vec<Value>) -> Reply {
    let total = items.len();
    Reply::data(
        200,
        json!(items),
        json!({"request_id": "r-1", "total": total}),
    )
}

/// The width the tables are asked to fit.
const COLUMNS: usize = 120;

async fn krafter(server: &ScriptedServer, args: &[&str]) -> (Option<i32>, String, String) {
    let home = tempfile::tempdir().expect("temp dir");
    let mut command = Command::new(env!("CARGO_BIN_EXE_krafter"));
    command
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("KRAFTER_BASE_URL", &server.base_url)
        .env("KRAFTER_ORG_ID", "org-1")
        .env("KRAFTER_PROJECT_ID", "proj-1")
        .env("KRAFTER_API_KEY", KEY)
        .env("COLUMNS", COLUMNS.to_string());
    let out = tokio::task::spawn_blocking(move || command.output().expect("the binary runs"))
        .await
        .expect("joined");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// One command against one scripted answer.
async fn run(reply: Reply, args: &[&str]) -> (String, String) {
    let server = ScriptedServer::start().await;
    server.push(reply);
    let (code, stdout, stderr) = krafter(&server, args).await;
    assert_eq!(code, Some(0), "{args:?}: {stderr}");
    assert_inert(&format!("{args:?} stderr"), &stderr);
    (stdout, stderr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn findings_in_every_format() {
    let started = std::time::Instant::now();
    let items: Vec<Value> = (0..3).map(hostile_finding).collect();
    for format in ["table", "csv"] {
        let (out, _) = run(page(items.clone()), &["findings", "--format", format]).await;
        assert!(out.contains("title1"), "{format}: {out}");
        assert_inert(&format!("findings --format {format}"), &out);
        if format == "table" {
            assert_aligned(
                "findings --format table",
                &out,
                &[
                    "ID", "SEVERITY", "STATUS", "DOMAIN", "SCORE", "OWNER", "TITLE",
                ],
                items.len(),
                COLUMNS,
            );
        }
    }
    let (out, _) = run(page(items.clone()), &["findings", "--format", "json"]).await;
    let parsed: Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(parsed[1]["title"], items[1]["title"], "the strings as sent");
    assert!(
        !out.chars().any(|c| (c as u32) < 0x20 && c != '\n'),
        "no raw C0"
    );
    let (out, _) = run(page(items.clone()), &["findings", "--format", "ndjson"]).await;
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[2]["description"], items[2]["description"]);
    assert_eq!(lines[1]["title"], items[1]["title"], "100 KB as sent");
    // Four formats of 100 KB strings: no time to speak of.
    let took = started.elapsed();
    assert!(took < std::time::Duration::from_secs(30), "took {took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_finding_as_text_and_json() {
    let f = hostile_finding(0);
    let id = f["id"].as_str().unwrap().to_string();
    let one = || Reply::data(200, f.clone(), json!({"request_id": "r-2"}));
    let (out, _) = run(one(), &["finding", &id]).await;
    assert!(out.contains("step"), "{out}");
    assert_inert("finding", &out);
    // A finding of 100 KB strings, as text: wrapped within the width.
    let big = hostile_finding(1);
    let big_id = big["id"].as_str().unwrap().to_string();
    let (out, _) = run(
        Reply::data(200, big.clone(), json!({"request_id": "r-2b"})),
        &["finding", &big_id],
    )
    .await;
    assert!(out.contains("title1"), "{out}");
    assert_inert("finding of 100 KB strings", &out);
    for line in out.lines() {
        let w = unicode_width::UnicodeWidthStr::width(line);
        assert!(w <= COLUMNS, "a line {w} wide: {line:?}");
    }
    let (out, _) = run(
        Reply::data(200, big.clone(), json!({"request_id": "r-2c"})),
        &["finding", &big_id, "--format", "json"],
    )
    .await;
    let parsed: Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(parsed["description"], big["description"]);
    let (out, _) = run(one(), &["finding", &id, "--format", "json"]).await;
    let parsed: Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(parsed["title"], f["title"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_tasks_as_text() {
    let mut cc = serde_json::to_value(tui_fixtures::command_center()).unwrap();
    for p in cc["top_priorities"].as_array_mut().unwrap() {
        p["title"] = json!(hostile("priority"));
    }
    let (out, _) = run(
        Reply::data(200, cc, json!({"request_id": "r-3"})),
        &["health"],
    )
    .await;
    assert!(out.contains("priority"), "{out}");
    assert_inert("health", &out);

    let tasks: Vec<Value> = (0..3)
        .map(|i| {
            let mut t = tui_fixtures::remediation::task(i);
            t.title = if i == 1 {
                huge("task")
            } else {
                hostile("task")
            };
            t.external_ticket_key = Some(hostile("ticket"));
            t.pr_url = Some(hostile("https://pr/"));
            t.owner_id = Some(hostile("owner"));
            serde_json::to_value(t).unwrap()
        })
        .collect();
    for format in ["table", "csv"] {
        let (out, _) = run(page(tasks.clone()), &["tasks", "--format", format]).await;
        assert!(out.contains("task"), "{format}: {out}");
        assert_inert(&format!("tasks --format {format}"), &out);
        if format == "table" {
            assert_aligned(
                "tasks --format table",
                &out,
                &[
                    "ID", "TITLE", "STATUS", "PRIORITY", "OWNER", "SLA", "TICKET", "PR",
                ],
                tasks.len(),
                COLUMNS,
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_error_worded_by_the_server_is_inert_on_stderr() {
    let server = ScriptedServer::start().await;
    server.push(Reply::error(
        422,
        &hostile("code"),
        &hostile("message"),
        &hostile("rid"),
    ));
    let (code, stdout, stderr) = krafter(&server, &["findings"]).await;
    assert_ne!(code, Some(0));
    assert!(stderr.contains("message"), "{stderr}");
    assert_inert("stderr of a failure", &stderr);
    assert_inert("stdout of a failure", &stdout);
}
