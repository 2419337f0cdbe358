//! The real binary's config, completion and refusal paths: everything that
//! must work (or refuse) before any request is sent.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A home of its own per test: the binary never sees the real user's files.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        Home {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn config(&self, text: &str) -> PathBuf {
        let path = self.path("xdg-config/krafter/config.toml");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        path
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_krafter"));
        c.args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.path("xdg-config"))
            .env("XDG_DATA_HOME", self.path("xdg-data"))
            .env("XDG_STATE_HOME", self.path("xdg-state"));
        c
    }
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const CONFIG: &str = r#"
[profiles.work]
base_url = "http://127.0.0.1:9/api/v1"
org_id = "11111111-1111-1111-1111-111111111111"
project_id = "production-website"
read_only = true
"#;

#[test]
fn config_path_prints_every_path() {
    let home = Home::new();
    let out = home.cmd(&["config", "path"]).output().unwrap();
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(0));
    let expect = |label: &str, p: &Path| {
        assert!(
            stdout.contains(&format!("{label}{}", p.display())),
            "{label} {p:?} in {stdout}"
        )
    };
    expect(
        "config file  ",
        &home.path("xdg-config/krafter/config.toml"),
    );
    expect("log file     ", &home.path("xdg-state/krafter/krafter.log"));
    expect("data dir     ", &home.path("xdg-data/krafter"));
}

#[test]
fn config_check_shows_the_source_not_the_key_and_honours_precedence() {
    let home = Home::new();
    home.config(CONFIG);
    let out = home
        .cmd(&["config", "check", "--project", "from-flag"])
        .env("KRAFTER_API_KEY", "kr_live_supersecret")
        .env("KRAFTER_PROJECT_ID", "from-env")
        .env("KRAFTER_ORG_ID", "org-from-env")
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("api key      from environment variable KRAFTER_API_KEY (not shown)"),
        "{stdout}"
    );
    assert!(stdout.contains("project      from-flag"), "{stdout}");
    assert!(stdout.contains("org          org-from-env"), "{stdout}");
    assert!(
        stdout.contains("base url     http://127.0.0.1:9/api/v1"),
        "{stdout}"
    );
    assert!(stdout.contains("read only    yes"), "{stdout}");
    assert!(!stdout.contains("supersecret") && !stderr.contains("supersecret"));
}

#[test]
fn config_check_without_a_key_says_where_it_looked() {
    let home = Home::new();
    home.config(CONFIG);
    let out = home.cmd(&["config", "check"]).output().unwrap();
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no API key found"), "{stderr}");
    assert!(
        stderr.contains("KRAFTER_API_KEY") && stderr.contains("api_key_command"),
        "{stderr}"
    );
}

#[test]
fn remote_http_base_url_is_refused() {
    let home = Home::new();
    let out = home
        .cmd(&[
            "config",
            "check",
            "--base-url",
            "http://krafter.example.com/api/v1",
            "--org",
            "o",
            "--project",
            "p",
        ])
        .env("KRAFTER_API_KEY", "k")
        .output()
        .unwrap();
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("refusing plain http://"), "{stderr}");
}

#[test]
fn read_only_refuses_writes_before_any_request() {
    let home = Home::new();
    home.config(CONFIG);
    // Port 9 on loopback: had a request been sent, the error would be a
    // connection error, not the refusal.
    for args in [
        &["update", "f-1", "--status", "triaged"][..],
        &["scan", "https://example.com"][..],
    ] {
        let out = home.cmd(args).env("KRAFTER_API_KEY", "k").output().unwrap();
        let (_, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains("is read-only"), "{stderr}");
    }
    let out = home
        .cmd(&[
            "update",
            "f-1",
            "--status",
            "triaged",
            "--read-only",
            "--profile",
            "work",
        ])
        .env("KRAFTER_API_KEY", "k")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn bad_arguments_exit_2_listing_the_choices() {
    let home = Home::new();
    home.config(&CONFIG.replace("read_only = true", ""));
    let run = |args: &[&str]| {
        let out = home.cmd(args).env("KRAFTER_API_KEY", "k").output().unwrap();
        let (_, stderr) = text(&out);
        (out.status.code(), stderr)
    };
    let (code, err) = run(&["findings", "--severity", "urgent"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("critical, high, medium, low"), "{err}");
    let (code, err) = run(&["findings", "--domain", "perf"]);
    assert_eq!(code, Some(2), "{err}");
    let (code, err) = run(&["update", "f-1", "--status", "resolved"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("verification"), "{err}");
    let (code, err) = run(&["update", "f-1", "--owner", "me"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("me = "), "{err}");
    let (code, err) = run(&["scan", "https://example.com", "--trigger", "cron"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("post_deploy"), "{err}");
}

#[test]
fn help_documents_exit_codes_and_completions_generate() {
    let home = Home::new();
    let out = home.cmd(&["--help"]).output().unwrap();
    let (stdout, _) = text(&out);
    assert!(
        stdout.contains("3 health score below --fail-under"),
        "{stdout}"
    );
    let out = home.cmd(&["update", "--help"]).output().unwrap();
    assert!(text(&out).0.contains("4 some ids skipped"));
    let out = home.cmd(&["health", "--help"]).output().unwrap();
    assert!(text(&out).0.contains("3 health score below --fail-under"));
    let out = home.cmd(&["completions", "bash"]).output().unwrap();
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout.contains("_krafter()"),
        "{}",
        &stdout[..stdout.len().min(200)]
    );
}

#[test]
fn logs_go_to_the_state_file_without_the_key() {
    let home = Home::new();
    home.config(CONFIG);
    let out = home
        .cmd(&[
            "update",
            "f-1",
            "--status",
            "triaged",
            "--log-level",
            "debug",
        ])
        .env("KRAFTER_API_KEY", "kr_live_never_logged")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let log = std::fs::read_to_string(home.path("xdg-state/krafter/krafter.log")).unwrap();
    assert!(log.contains("read-only"), "{log}");
    assert!(!log.contains("kr_live_never_logged"));
}

#[test]
fn config_check_fails_on_broken_keys_and_colours_naming_each() {
    let home = Home::new();
    // Line numbers below count from the first line of this text.
    home.config(&format!(
        "{CONFIG}
[ui.colors]
critical = \"notacolour\"
sparkle = \"red\"

[keys]
triage = \"ctrl-\"
frobnicate = \"x\"
refresh = \"q\"
"
    ));
    let out = home
        .cmd(&["config", "check"])
        .env("KRAFTER_API_KEY", "kr_live_supersecret")
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(!stdout.contains("\nok"), "{stdout}");
    let line = |n: usize| format!("(line {n})");
    let warning = |needle: &str| {
        stdout
            .lines()
            .find(|l| l.starts_with("warning: ") && l.contains(needle))
            .unwrap_or_else(|| panic!("no warning about {needle} in {stdout}"))
            .to_string()
    };
    let colour = warning("[ui.colors] critical ");
    assert!(
        colour.contains("notacolour")
            && colour.contains("not a colour")
            && colour.contains(&line(9)),
        "{colour}"
    );
    let role = warning("[ui.colors] sparkle ");
    assert!(
        role.contains("unknown role") && role.contains(&line(10)),
        "{role}"
    );
    assert!(warning("[keys] triage ").contains(&line(13)), "{stdout}");
    let unknown = warning("[keys] frobnicate ");
    assert!(
        unknown.contains("unknown action") && unknown.contains(&line(14)),
        "{unknown}"
    );
    let conflict = warning("[keys] refresh ");
    assert!(
        conflict.contains("already bound to quit") && conflict.contains(&line(15)),
        "{conflict}"
    );
    assert!(stderr.contains("5 problem(s)"), "{stderr}");
}

#[test]
fn config_check_passes_good_keys_and_colours() {
    let home = Home::new();
    home.config(&format!(
        "{CONFIG}\n[ui.colors]\ncritical = \"#ff5555\"\n\n[keys]\ntriage = \"T\"\n"
    ));
    let out = home
        .cmd(&["config", "check"])
        .env("KRAFTER_API_KEY", "kr_live_supersecret")
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("ok (offline"), "{stdout}");
    assert!(!stdout.contains("warning:"), "{stdout}");
}

#[test]
fn config_check_counts_people_and_key_overrides() {
    let home = Home::new();
    home.config(&format!(
        "{CONFIG}
[profiles.work.people]
carol = \"33333333-3333-3333-3333-333333333333\"

[people]
alice = \"11111111-1111-1111-1111-111111111111\"
bob = \"22222222-2222-2222-2222-222222222222\"

[keys]
triage = \"T\"
refresh = \"ctrl-r\"
"
    ));
    let out = home
        .cmd(&["config", "check"])
        .env("KRAFTER_API_KEY", "kr_live_supersecret")
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    let row = |label: &str| {
        stdout
            .lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("no {label} line in {stdout}"))
            .to_string()
    };
    assert!(row("people ").contains(" 3 people "), "{stdout}");
    assert!(row("keys ").contains(" 2 overrides in [keys]"), "{stdout}");

    // Without the tables, the same lines say none were found.
    let bare = Home::new();
    bare.config(CONFIG);
    let out = bare
        .cmd(&["config", "check"])
        .env("KRAFTER_API_KEY", "kr_live_supersecret")
        .output()
        .unwrap();
    let (stdout, _) = text(&out);
    assert!(stdout.contains("people       no people"), "{stdout}");
    assert!(stdout.contains("keys         no overrides"), "{stdout}");
}
