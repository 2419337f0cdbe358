//! The real binary refuses bad arguments before doing anything: exit code 2,
//! the reason said once on stderr, and no secret echoed back.

use std::process::{Command, Output};

/// Runs the binary with `args` in a home of its own (its log file included).
fn krafter(args: &[&str]) -> (Output, String) {
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_krafter"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out, stderr)
}

/// Asserts a usage error whose message, containing `needle`, is printed once.
fn assert_usage_error_once(args: &[&str], needle: &str) -> String {
    let (out, stderr) = krafter(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert_eq!(
        stderr.matches(needle).count(),
        1,
        "{args:?} should say {needle:?} once: {stderr}"
    );
    stderr
}

#[test]
fn serve_refuses_a_bad_key_scope_once_without_echoing_the_key() {
    let stderr = assert_usage_error_once(
        &[
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--key",
            "kr_live_s3cret=audit:admin",
        ],
        "unknown scope",
    );
    assert!(stderr.contains("audit:read or audit:write"), "{stderr}");
    assert!(!stderr.contains("kr_live_s3cret"), "{stderr}");
}

#[test]
fn serve_refuses_a_key_without_scope_once() {
    assert_usage_error_once(
        &["serve", "--addr", "127.0.0.1:0", "--key", "kr_live_s3cret"],
        "KEY=audit:read",
    );
}

#[test]
fn serve_refuses_an_empty_rate_once() {
    for flag in ["--rate-default", "--rate-strict"] {
        let stderr =
            assert_usage_error_once(&["serve", "--addr", "127.0.0.1:0", flag, "0/0"], "0/0");
        assert!(stderr.contains(flag), "{stderr}");
    }
}

#[test]
fn out_of_range_numbers_are_usage_errors() {
    let cases: &[&[&str]] = &[
        &["findings", "--limit", "0"],
        &["health", "--fail-under", "500"],
        &["health", "--fail-under=-1"],
        &["scan", "https://example.com/", "--wait", "--timeout", "0"],
        &["demo", "--generate", "1000001"],
    ];
    for args in cases {
        let stderr = assert_usage_error_once(args, "invalid value");
        assert!(
            stderr.contains("in range") || stderr.contains("not in"),
            "{stderr}"
        );
    }
}

#[test]
fn completions_into_a_closed_pipe_is_not_a_crash() {
    // The reading end is closed before the binary starts, as `| head` may
    // have done by the time the script is written: every write fails.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_krafter"))
        .args(["completions", "bash"])
        .env_clear()
        .env("HOME", home.path())
        .env("XDG_STATE_HOME", home.path().join("state"))
        .stdout(writer)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn completions_still_print_the_script() {
    let (out, stderr) = krafter(&["completions", "bash"]);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("_krafter()"));
}

#[test]
fn manpage_prints_roff_naming_krafter_and_survives_a_closed_pipe() {
    let (out, stderr) = krafter(&["manpage"]);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let page = String::from_utf8_lossy(&out.stdout);
    let title = page.lines().find(|l| l.starts_with(".TH"));
    assert!(
        title.is_some_and(|t| t.starts_with(".TH krafter 1")),
        "{page}"
    );
    assert!(page.contains(".SH SUBCOMMANDS") && page.contains("findings"));

    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_krafter"))
        .arg("manpage")
        .env_clear()
        .env("HOME", home.path())
        .env("XDG_STATE_HOME", home.path().join("state"))
        .stdout(writer)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn serve_refuses_a_bad_chaos_spec_naming_the_bad_part() {
    for (spec, part) in [
        ("500=0.1,boom=0.2", "boom=0.2"),
        ("500=1.5", "500=1.5"),
        ("slow=0.1", "slow=0.1"),
    ] {
        let stderr = assert_usage_error_once(
            &["serve", "--addr", "127.0.0.1:0", "--chaos", spec],
            &format!("`{part}`"),
        );
        assert!(stderr.contains("--chaos"), "{stderr}");
    }
}
