//! The API key never leaks: the headless commands run at `KRAFTER_LOG=trace`
//! (every dependency's tracing on: hyper, reqwest, rustls) against servers
//! that fail in every way (401, 500, a dropped connection, an answer that
//! echoes the key back in its body and headers), and nothing they write
//! (stdout, stderr, the log file, any file in their home) holds the key.

mod support;

use std::path::Path;
use std::process::Command;

use krafter::sandbox::{DataSource, SandboxOptions, chaos, spawn};
use serde_json::json;
use support::{KEY, Reply, ScriptedServer};

/// What one run left behind: its output and every file of its home.
struct Trace {
    what: String,
    text: String,
}

/// Runs the binary with `args` against `base_url` with [`KEY`], at trace
/// level, and gathers everything it wrote.
async fn run(base_url: &str, org: &str, project: &str, args: &[&str]) -> Trace {
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
        .env("KRAFTER_BASE_URL", base_url)
        .env("KRAFTER_ORG_ID", org)
        .env("KRAFTER_PROJECT_ID", project)
        .env("KRAFTER_API_KEY", KEY)
        .env("KRAFTER_LOG", "trace")
        .env("RUST_BACKTRACE", "1");
    let out = tokio::task::spawn_blocking(move || command.output().expect("the binary runs"))
        .await
        .expect("joined");
    let mut text = format!(
        "{}\n{}\n",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let mut files = 0;
    collect(home.path(), &mut text, &mut files);
    assert!(files >= 1, "{args:?} wrote no log file");
    Trace {
        what: format!("{args:?} against {base_url}"),
        text,
    }
}

fn collect(dir: &Path, text: &mut String, files: &mut usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, text, files);
        } else if let Ok(bytes) = std::fs::read(&path) {
            *files += 1;
            text.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
}

fn assert_no_key(trace: &Trace) {
    // The key, and the part after its prefix (in case something trims it).
    let body = KEY.trim_start_matches("kr_live_");
    assert!(
        !trace.text.contains(KEY) && !trace.text.contains(body),
        "{} leaked the key:\n{}",
        trace.what,
        trace.text
    );
}

const COMMANDS: &[&[&str]] = &[
    &["health"],
    &["health", "--format", "json"],
    &["findings", "--format", "json"],
    &["finding", "00000000-0000-4000-8000-000000000001"],
    &["scan", "https://www.example.com/"],
    &[
        "update",
        "00000000-0000-4000-8000-000000000001",
        "--status",
        "triaged",
    ],
    &["verify", "00000000-0000-4000-8000-000000000001"],
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sandbox_refusing_the_key_or_failing_never_sees_it_logged() {
    // 401: the sandbox knows other keys only. 500 and dropped connections:
    // fault mode. The trace logs of the run must not hold the key.
    let refusing = spawn(SandboxOptions::for_tests().with_data(DataSource::Demo))
        .await
        .expect("starts");
    let failing = spawn(SandboxOptions {
        keys: vec![(KEY.to_string(), krafter::sandbox::Scope::Write)],
        chaos: Some(chaos::parse("500=0.5,reset=0.5").expect("spec")),
        ..SandboxOptions::for_tests().with_data(DataSource::Demo)
    })
    .await
    .expect("starts");
    for sandbox in [&refusing, &failing] {
        for args in COMMANDS {
            let trace = run(
                &sandbox.base_url,
                &sandbox.org_id,
                &sandbox.projects[0],
                args,
            )
            .await;
            assert_no_key(&trace);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_echoing_the_key_back_never_gets_it_written() {
    let server = ScriptedServer::start().await;
    let echo = format!("Bearer {KEY}");
    for args in COMMANDS {
        // Every answer repeats the key: in an error message, in a header,
        // in a 200's data, in a proxy's HTML page, then a dropped line.
        for _ in 0..4 {
            server.push(
                Reply::json(
                    401,
                    json!({"error": format!("Invalid key {KEY}"), "key": KEY}),
                )
                .header("x-echo-authorization", &echo)
                .header("www-authenticate", &echo),
            );
            server.push(
                Reply::data(
                    200,
                    json!({"id": KEY, "title": KEY, "status": KEY, "health_score": KEY}),
                    json!({"request_id": KEY}),
                )
                .header("x-request-id", KEY),
            );
            server.push(
                Reply::raw(
                    502,
                    "text/html",
                    format!("<html><title>{KEY}</title><body>{echo}</body></html>"),
                )
                .header("x-echo-authorization", &echo),
            );
            server.push(Reply::drop_connection());
        }
        let trace = run(&server.base_url, "org-1", "proj-1", args).await;
        assert_no_key(&trace);
    }
    // The key did reach the server each time, as the bearer token: the test
    // checked the real path, not one that stopped before sending.
    let sent = server.requests();
    assert!(sent.len() >= COMMANDS.len());
    assert!(
        sent.iter()
            .all(|r| r.headers["authorization"] == echo.as_str())
    );
}
