//! `krafter update` refuses bad input with exit 2, a clear message, and no
//! request: the server behind it records every request it gets.

mod support;

use std::io::Write;
use std::process::{Command, Stdio};

use support::{KEY, ScriptedServer};

const A: &str = "11111111-1111-4111-8111-111111111111";

struct Run {
    code: Option<i32>,
    stderr: String,
}

fn krafter(server: &ScriptedServer, args: &[&str], stdin: &str) -> Run {
    let home = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_krafter"))
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
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(mut input) = child.stdin.take() {
        input.write_all(stdin.as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_before_any_request() {
    let server = ScriptedServer::start().await;
    let cases: &[(&[&str], &str, &str)] = &[
        (&["update", A], "", "nothing to change: give --status"),
        (
            &["update", A, "--status", "triaged", "--status", "new"],
            "",
            "cannot be used multiple times",
        ),
        (
            &["update", A, "--severity", "low", "--severity", "high"],
            "",
            "cannot be used multiple times",
        ),
        (
            &["update", A, "--owner", A, "--unassign"],
            "",
            "cannot be used with",
        ),
        (
            &["update", "f1", A, "--status", "triaged"],
            "",
            "not a finding id (a UUID): `f1`",
        ),
        (
            &["update", "--stdin", "--status", "triaged"],
            "# from the export\n11111111-1111-4111-8111-111111111111\n\nnot-a-uuid\n",
            "`not-a-uuid` (stdin line 4)",
        ),
        (
            &["update", A, "--where-status", "new", "--status", "triaged"],
            "",
            "give finding ids (arguments or --stdin) or --where-* filters, not both",
        ),
        (
            &[
                "update",
                "--stdin",
                "--where-domain",
                "seo",
                "--status",
                "triaged",
            ],
            &format!("{A}\n"),
            "not both",
        ),
        (
            &["update", "--where-status", "new", "--status", "dismissed"],
            "",
            "dismissing needs a reason, kept in the local journal with the change: \
             --reason one of false_positive, wont_fix, accepted_risk, duplicate, other",
        ),
        (
            &["update", A, "--status", "dismissed", "--reason", "bored"],
            "",
            "unknown reason `bored`",
        ),
        (&["update", "--status", "triaged"], "", "no findings given"),
        (
            &["update", A, "--status", "resolved"],
            "",
            "does not set `resolved` by hand",
        ),
        (
            &["update", "--where-status", "later", "--status", "triaged"],
            "",
            "unknown status `later`",
        ),
        (
            &["update", "--resume", "--status", "triaged"],
            "",
            "cannot be used with",
        ),
        (&["update", "--undo", A, A], "", "cannot be used with"),
    ];
    for (args, stdin, needle) in cases {
        let run = krafter(&server, args, stdin);
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains(needle),
            "{args:?} should say {needle:?}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains(KEY), "{}", run.stderr);
    }
    assert!(
        server.requests().is_empty(),
        "no request before the input is checked: {:?}",
        server.requests()
    );
}
