//! `health --format json` and `scan --format json` write what the server
//! sent: its bytes' values and key order, with integers kept integers (the
//! typed model holds percentages as floats and would write `14.0`).

mod support;

use std::process::Command;

use serde_json::Value;
use support::{KEY, Reply, ScriptedServer, fixture};

/// Runs the binary against `server` in a home of its own.
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
        .env("KRAFTER_BASE_URL", &server.base_url)
        .env("KRAFTER_ORG_ID", "org-1")
        .env("KRAFTER_PROJECT_ID", "proj-1")
        .env("KRAFTER_API_KEY", KEY);
    // The scripted server runs on this runtime: wait for the binary on a
    // blocking thread so it keeps answering.
    let out = tokio::task::spawn_blocking(move || command.output().expect("the binary runs"))
        .await
        .expect("joined");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The output is the server's `data`, exactly: same text as serde_json
/// writes it pretty, which keeps key order and number forms.
fn assert_written_as_sent(stdout: &str, sent: &Value) {
    let expected = serde_json::to_string_pretty(&sent["data"]).expect("json") + "\n";
    assert_eq!(stdout, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_json_is_the_command_center_as_sent() {
    let server = ScriptedServer::start().await;
    let body = fixture("quickstart_command_center.json");
    assert_eq!(body["data"]["expected_impact"]["cwv_improvement_pct"], 14);
    server.push(Reply::json(200, body.clone()));
    let (code, stdout, stderr) = krafter(&server, &["health", "--format", "json"]).await;
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("\"cwv_improvement_pct\": 14,"), "{stdout}");
    assert_written_as_sent(&stdout, &body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_json_is_the_scan_as_sent() {
    let server = ScriptedServer::start().await;
    let mut body = fixture("quickstart_scan_202.json");
    // A field the model does not name, and a summary with integers.
    body["data"]["summary"] = serde_json::json!({"findings": 3, "score": 14});
    body["data"]["zz_unknown"] = serde_json::json!({"b": 1, "a": 2});
    server.push(Reply::json(202, body.clone()));
    let (code, stdout, stderr) = krafter(
        &server,
        &["scan", "https://www.example.com/", "--format", "json"],
    )
    .await;
    assert_eq!(code, Some(0), "{stderr}");
    assert_written_as_sent(&stdout, &body);
}

/// `findings --all --format json` lays each finding out again from the
/// page's bytes; what the server wrote in another form than serde_json
/// would (escapes, floats, `-0`, integers over 64 bits, spaces) still comes
/// out as decoding and encoding again gives.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn findings_json_is_the_list_as_sent_however_the_server_wrote_it() {
    let server = ScriptedServer::start().await;
    let body = r#"{ "data" : [
        {"id":"f-1","title":"caf\u00e9 \"quoted\" \/ tab\there","score":1.50,
         "big":18446744073709551616,"neg":-0,"exp":1E5,"ok":true,
         "nested":{ "empty" : [ ] , "obj":{} , "list":[1 , -2 , null]}},
        {"id":"f-2","owner_id":null,"emoji":"\ud83d\ude00 😀"}
      ], "meta": {"total": 2}, "error": null }"#;
    let sent: Value = serde_json::from_str(body).expect("the body is JSON");
    server.push(Reply::raw(200, "application/json", body));
    let (code, stdout, stderr) = krafter(&server, &["findings", "--all", "--format", "json"]).await;
    assert_eq!(code, Some(0), "{stderr}");
    assert_written_as_sent(&stdout, &sent);

    server.push(Reply::raw(200, "application/json", body));
    let (code, stdout, stderr) =
        krafter(&server, &["findings", "--all", "--format", "ndjson"]).await;
    assert_eq!(code, Some(0), "{stderr}");
    let lines: Vec<String> = sent["data"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|f| serde_json::to_string(f).expect("json") + "\n")
        .collect();
    assert_eq!(stdout, lines.concat());
}

/// A page whose list holds something other than a finding object is an
/// error that says so, not a half-written file taken for the whole list.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_finding_that_is_not_an_object_is_a_clear_error() {
    let server = ScriptedServer::start().await;
    server.push(Reply::raw(
        200,
        "application/json",
        r#"{"data":[{"id":"f-1"},42],"meta":{"total":2},"error":null}"#,
    ));
    let (code, stdout, stderr) = krafter(&server, &["findings", "--all", "--format", "json"]).await;
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stderr.contains("not a JSON object"), "{stderr}");
    assert!(
        !stdout.trim_end().ends_with(']'),
        "no closed array: {stdout}"
    );
}
