//! The real binary in a real terminal (tmux): `krafter demo` starts, shows
//! the findings, triages one, quits, and leaves the terminal as it was.
//! Skipped with a note when tmux is not installed, except under CI (the
//! `CI` variable set), where a missing tmux fails: CI must not go green
//! without having run them.

use std::process::Command;
use std::time::{Duration, Instant};

/// Whether tmux can run. Without it the test is skipped on a developer's
/// machine, and fails under CI.
fn tmux_available() -> bool {
    let found = Command::new("tmux").arg("-V").output().is_ok();
    skip_or_fail(found, std::env::var_os("CI").is_some())
}

/// The rule on its own, so it can be tested without tmux: true to run,
/// false to skip, a panic under CI.
fn skip_or_fail(found: bool, ci: bool) -> bool {
    if !found {
        assert!(
            !ci,
            "tmux is not installed and CI is set: the end-to-end tests must run in CI \
             (install tmux; .ci/run does)"
        );
        eprintln!("tmux is not installed: skipping the terminal test");
    }
    found
}

#[test]
fn a_missing_tmux_skips_locally_but_fails_under_ci() {
    assert!(skip_or_fail(true, true));
    assert!(!skip_or_fail(false, false));
    assert!(std::panic::catch_unwind(|| skip_or_fail(false, true)).is_err());
}

/// A tmux session by name, on the default server or on a server of its
/// own (`-L SOCKET`), which no other test's sessions come and go on.
struct Session(String, Option<String>);

impl Session {
    fn tmux(&self, args: &[&str]) -> String {
        let mut command = Command::new("tmux");
        if let Some(socket) = &self.1 {
            command.args(["-L", socket]);
        }
        let out = command.args(args).output().expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", &self.0])
    }

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", "-t", &self.0, k]);
        }
    }

    /// Polls the screen until `what` is gone.
    fn wait_gone(&self, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.screen().contains(what) {
            assert!(Instant::now() < deadline, "\"{what}\" never went away");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Polls the screen until `what` shows, or fails with the last screen.
    fn wait_for(&self, what: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let screen = self.screen();
            if screen.contains(what) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "\"{what}\" never showed:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        match &self.1 {
            Some(socket) => {
                let _ = Command::new("tmux")
                    .args(["-L", socket, "kill-server"])
                    .output();
            }
            None => {
                let _ = Command::new("tmux")
                    .args(["kill-session", "-t", &self.0])
                    .output();
            }
        }
    }
}

#[test]
fn demo_in_a_real_terminal() {
    if !tmux_available() {
        return;
    }
    let name = format!("krafter-e2e-{}", std::process::id());
    let bin = env!("CARGO_BIN_EXE_krafter");
    let script = format!("{bin} demo; echo KRAFTER-EXIT=$?; sleep 30");
    let socket = name.clone();
    let status = Command::new("tmux")
        .args(["-L", &socket])
        .args([
            "new-session",
            "-d",
            "-s",
            &name,
            "-x",
            "100",
            "-y",
            "30",
            &script,
        ])
        .env_remove("NO_COLOR")
        .status()
        .expect("tmux starts");
    assert!(status.success());
    let s = Session(name, Some(socket));

    let screen = s.wait_for("online");
    assert!(screen.contains("Health"), "{screen}");
    s.keys(&["Tab"]);
    s.wait_for("┌ Findings");
    // The pane's frame shows before its rows arrive (slowly on a busy
    // machine): wait for a row to triage, not for the frame.
    let screen = s.wait_for(" new ");
    assert!(screen.contains(" of "), "N of TOTAL header: {screen}");
    assert!(
        screen.contains("Health"),
        "100x30 is roomy: the command center stays above the list: {screen}"
    );
    // Triage the first finding whose status allows it: find one that is new
    // (once the first page is on screen).
    let screen = s.wait_for(" new ");
    let row = screen
        .lines()
        .skip_while(|l| !l.contains("Severity"))
        .skip(1)
        .position(|l| l.contains(" new "))
        .expect("a new finding on the first screen");
    for _ in 0..row {
        s.keys(&["j"]);
    }
    s.keys(&["t"]);
    s.wait_for("✓ move to triaged");
    // Switch to the demo's second project: the top line names it at once.
    s.keys(&["P"]);
    s.wait_for("Switch to");
    s.keys(&["j", "Enter"]);
    let screen = s.wait_for("switched to project");
    let project = screen
        .lines()
        .find_map(|l| l.split("switched to project ").nth(1))
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the project's name")
        .to_string();
    assert!(
        screen.lines().next().unwrap_or("").contains(&project),
        "the top line shows the new project: {screen}"
    );
    s.wait_for("online");
    s.keys(&["?"]);
    s.wait_for("Keys");
    // An esc followed at once by a letter reads as alt-letter: wait between.
    s.keys(&["Escape"]);
    s.wait_gone("Keys ·");
    s.keys(&["q"]);
    let screen = s.wait_for("KRAFTER-EXIT=");
    assert!(screen.contains("KRAFTER-EXIT=0"), "{screen}");
    assert!(
        !screen.contains("Findings "),
        "the alternate screen is gone: {screen}"
    );
}

/// `kill -INT`, `-HUP` and `-TERM` end the TUI like `q`: the process exits
/// and the terminal leaves the alternate screen.
#[test]
fn signals_restore_the_terminal() {
    if !tmux_available() {
        return;
    }
    let bin = env!("CARGO_BIN_EXE_krafter");
    let dir = std::env::temp_dir();
    for signal in ["INT", "HUP", "TERM"] {
        let name = format!("krafter-e2e-sig{signal}-{}", std::process::id());
        let pid_file = dir.join(format!("{name}.pid"));
        let _ = std::fs::remove_file(&pid_file);
        // The inner shell writes its pid, then becomes krafter.
        let script = format!(
            "sh -c 'echo $$ > {}; exec {bin} demo'; echo KRAFTER-EXIT=$?; sleep 30",
            pid_file.display()
        );
        let socket = name.clone();
        let status = Command::new("tmux")
            .args(["-L", &socket])
            .args(["new-session", "-d", "-s", &name, "-x", "100", "-y", "30"])
            .arg(&script)
            .status()
            .expect("tmux starts");
        assert!(status.success());
        let s = Session(name.clone(), Some(socket));
        s.wait_for("online");
        let pid = std::fs::read_to_string(&pid_file).expect("the pid was written");
        let sent = Command::new("kill")
            .args([format!("-{signal}"), pid.trim().to_string()])
            .status()
            .expect("kill runs");
        assert!(sent.success());
        let screen = s.wait_for("KRAFTER-EXIT=");
        assert!(
            !screen.contains("online"),
            "SIG{signal}: the TUI's screen is gone: {screen}"
        );
        let alternate = s.tmux(&["display-message", "-p", "-t", &name, "#{alternate_on}"]);
        assert_eq!(alternate.trim(), "0", "SIG{signal}: alternate screen left");
        let _ = std::fs::remove_file(&pid_file);
    }
}

/// Saved views in a real terminal: a config of two views, `2` switches
/// to the second and only its rows show, `y` copies an id through OSC 52
/// into tmux's buffer, `:view` and `:goto` run from the command line.
#[test]
fn saved_views_copy_and_the_command_line_in_a_real_terminal() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "# two views\n[[views]]\nname = \"Critical\"\nseverity = \"critical\"\n\n\
         [[views]]\nname = \"Low ones\"\nseverity = \"low\"\n",
    )
    .expect("the config is written");
    let name = format!("krafter-e2e-views-{}", std::process::id());
    let bin = env!("CARGO_BIN_EXE_krafter");
    let script = format!(
        "KRAFTER_CONFIG={} XDG_STATE_HOME={} {bin} demo; echo KRAFTER-EXIT=$?; sleep 30",
        config.display(),
        dir.path().join("state").display()
    );
    // A tmux server of its own: the other tests' sessions come and go on
    // the default one, and its clipboard setting stays here.
    let socket = name.clone();
    let status = Command::new("tmux")
        .args([
            "-L",
            &socket,
            "new-session",
            "-d",
            "-s",
            &name,
            "-x",
            "110",
            "-y",
            "32",
        ])
        .arg(&script)
        .env_remove("NO_COLOR")
        .status()
        .expect("tmux starts");
    assert!(status.success());
    let s = Session(name.clone(), Some(socket));
    s.tmux(&["set-option", "-g", "set-clipboard", "on"]);
    s.wait_for("online");
    s.keys(&["Tab"]);
    s.wait_for("▸1 Critical");
    // The list's rows: the lines under its header.
    let rows = |screen: &str| -> Vec<String> {
        screen
            .lines()
            .skip_while(|l| !l.contains("Severity"))
            .skip(1)
            .filter(|l| l.contains("│"))
            .take_while(|l| !l.contains("└"))
            .map(str::to_string)
            .collect()
    };
    s.keys(&["2"]);
    s.wait_for("▸2 Low ones");
    let screen = s.wait_for("view Low ones: severity=low");
    let screen = if rows(&screen).iter().any(|l| l.contains(" low ")) {
        screen
    } else {
        s.wait_for(" low ")
    };
    let shown = rows(&screen);
    assert!(!shown.is_empty(), "{screen}");
    assert!(
        shown
            .iter()
            .all(|l| !l.contains("critical") && !l.contains(" high ")),
        "only the view's rows: {screen}"
    );
    // `y` copies the id of the row under the cursor into tmux's buffer.
    s.keys(&["y"]);
    let screen = s.wait_for("copied the id ");
    let toast_id = screen
        .lines()
        .find_map(|l| l.split("copied the id ").nth(1))
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the id in the toast")
        .trim_end_matches('│')
        .to_string();
    let deadline = Instant::now() + Duration::from_secs(10);
    let first = loop {
        let buffer = s.tmux(&["show-buffer"]);
        if !buffer.trim().is_empty() {
            break buffer.trim().to_string();
        }
        assert!(Instant::now() < deadline, "tmux's buffer stayed empty");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        first.starts_with(&toast_id) || toast_id.starts_with(&first[..first.len().min(8)]),
        "the buffer holds the copied id: {first} vs {toast_id}"
    );
    // The command line: `:view` and `:goto`.
    s.keys(&[":"]);
    s.wait_for("tab completes");
    s.keys(&["view Crit", "Enter"]);
    s.wait_for("▸1 Critical");
    s.wait_for("view Critical: severity=critical");
    s.wait_for(" critical ");
    s.keys(&[":"]);
    s.wait_for("tab completes");
    s.keys(&["goto 3", "Enter"]);
    s.wait_gone("tab completes");
    s.keys(&["y"]);
    let deadline = Instant::now() + Duration::from_secs(10);
    let third = loop {
        let buffer = s.tmux(&["show-buffer"]).trim().to_string();
        if buffer != first && !buffer.is_empty() {
            break buffer;
        }
        assert!(Instant::now() < deadline, "the second copy never arrived");
        std::thread::sleep(Duration::from_millis(100));
    };
    s.keys(&[":"]);
    s.wait_for("tab completes");
    s.keys(&["goto 1", "Enter"]);
    s.wait_gone("tab completes");
    s.keys(&["y"]);
    let deadline = Instant::now() + Duration::from_secs(10);
    let one = loop {
        let buffer = s.tmux(&["show-buffer"]).trim().to_string();
        if buffer != third {
            break buffer;
        }
        assert!(
            Instant::now() < deadline,
            "the cursor never moved back: {buffer}"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_ne!(one, third, ":goto moved the cursor between rows 1 and 3");
    // Grouping: `z` makes one row per check, enter opens one, esc comes
    // back, `z` twice more is the plain list again.
    s.keys(&["z"]);
    let screen = s.wait_for("grouped by check");
    assert!(
        screen.contains("Worst") && screen.contains("Findings") && screen.contains("group"),
        "{screen}"
    );
    s.keys(&["Enter"]);
    let screen = s.wait_for("esc: all groups");
    assert!(screen.contains("group of "), "{screen}");
    assert!(
        rows(&screen).iter().any(|l| l.contains(" critical ")),
        "{screen}"
    );
    s.keys(&["Escape"]);
    s.wait_gone("esc: all groups");
    s.keys(&["z"]);
    s.wait_for("grouped by page");
    s.keys(&["z"]);
    s.wait_gone("grouped by");
    s.keys(&["q"]);
    let screen = s.wait_for("KRAFTER-EXIT=");
    assert!(screen.contains("KRAFTER-EXIT=0"), "{screen}");
    // The command history and the last view outlive the session.
    let history = std::fs::read_to_string(dir.path().join("state/krafter/command_history"))
        .expect("the history is kept");
    assert_eq!(history, "view Crit\ngoto 3\ngoto 1\n");
    let remembered = std::fs::read_to_string(dir.path().join("state/krafter/views.json"))
        .expect("the last view is kept");
    assert!(remembered.contains("\"Critical\""), "{remembered}");
}

/// A sandbox of generated findings run by the binary (`krafter serve
/// --generate`), stopped when dropped.
struct Serve {
    child: std::process::Child,
    base_url: String,
    org_id: String,
}

impl Serve {
    fn start(generate: usize, key: &str) -> Serve {
        // A free port: bound and let go, for the sandbox to take.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_krafter"))
            .args(["serve", "--no-demo-site", "--generate"])
            .arg(generate.to_string())
            .args(["--addr", &format!("127.0.0.1:{port}")])
            .args(["--key", &format!("{key}=audit:read")])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("the sandbox starts");
        let stdout = child.stdout.take().expect("its stdout");
        let mut org_id = None;
        for line in std::io::BufRead::lines(std::io::BufReader::new(stdout)) {
            let line = line.expect("the sandbox's banner");
            if let Some(id) = line.split("org id   : ").nth(1) {
                org_id = Some(id.trim().to_string());
            }
            if line.starts_with("Press Ctrl-C") {
                break;
            }
        }
        Serve {
            child,
            base_url: format!("http://127.0.0.1:{port}/api/v1"),
            org_id: org_id.expect("the banner names the org"),
        }
    }

    /// `GET findings` of `project` at `offset`, one row: (the row, total).
    fn finding_at(&self, key: &str, project: &str, offset: u64) -> (serde_json::Value, u64) {
        let url = format!(
            "{}/orgs/{}/projects/{project}/audit/findings?limit=1&offset={offset}",
            self.base_url, self.org_id
        );
        let rt = tokio::runtime::Runtime::new().expect("a runtime");
        let body: serde_json::Value = rt.block_on(async {
            reqwest::Client::new()
                .get(url)
                .bearer_auth(key)
                .send()
                .await
                .expect("the sandbox answers")
                .json()
                .await
                .expect("JSON")
        });
        let total = body["meta"]["total"].as_u64().expect("a total");
        (body["data"][0].clone(), total)
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `G` on a large project shows the server's last finding: the list loads
/// the last page directly, not every page before it.
#[test]
fn the_end_key_shows_the_last_finding_of_a_large_project() {
    if !tmux_available() {
        return;
    }
    let key = "kr_live_e2e_window_test_key";
    let project = "production-website";
    let serve = Serve::start(20_000, key);
    let (_, total) = serve.finding_at(key, project, 0);
    assert!(total > 5_000, "a large project: {total}");
    let (last, _) = serve.finding_at(key, project, total - 1);
    let title = last["title"].as_str().expect("a title").to_string();
    let url = last["affected_assets"][0]["value"]
        .as_str()
        .expect("an affected URL");
    // The path then spaces: `/pages/12` is not `/pages/124`.
    let path = format!(
        "{} ",
        &url[url.find("/pages/").expect("a generated page")..]
    );

    let home = tempfile::tempdir().expect("a home");
    let name = format!("krafter-e2e-end-{}", std::process::id());
    let bin = env!("CARGO_BIN_EXE_krafter");
    let script = format!("{bin}; echo KRAFTER-EXIT=$?; sleep 30");
    // A tmux server of its own, as the other tests that run beside it.
    let socket = name.clone();
    let status = Command::new("tmux")
        .args(["-L", &socket])
        .args(["new-session", "-d", "-s", &name, "-x", "160", "-y", "40"])
        .args(["-e", &format!("HOME={}", home.path().display())])
        .args([
            "-e",
            &format!("XDG_CONFIG_HOME={}/config", home.path().display()),
        ])
        .args([
            "-e",
            &format!("XDG_DATA_HOME={}/data", home.path().display()),
        ])
        .args([
            "-e",
            &format!("XDG_STATE_HOME={}/state", home.path().display()),
        ])
        .args(["-e", &format!("KRAFTER_BASE_URL={}", serve.base_url)])
        .args(["-e", &format!("KRAFTER_ORG_ID={}", serve.org_id)])
        .args(["-e", &format!("KRAFTER_PROJECT_ID={project}")])
        .args(["-e", &format!("KRAFTER_API_KEY={key}")])
        .arg(&script)
        .status()
        .expect("tmux starts");
    assert!(status.success());
    let s = Session(name, Some(socket));
    s.wait_for("online");
    s.keys(&["Tab"]);
    let n = krafter::humanize::count(total);
    s.wait_for(&format!("row 1 of {n}"));
    s.keys(&["G"]);
    let screen = s.wait_for(&format!("row {n} of {n}"));
    let shown = s.wait_for(&path);
    let row = shown
        .lines()
        .find(|l| l.contains(&path))
        .expect("the last finding's row");
    assert!(
        row.contains(&title),
        "the server's last finding ({title} {path}) is on screen: {shown}"
    );
    let loaded: u64 = screen
        .lines()
        .find(|l| l.contains("┌ Findings"))
        .expect("the list's frame")
        .split(" loaded")
        .next()
        .and_then(|s| s.rsplit(" · ").next())
        .map(|s| s.replace(',', ""))
        .and_then(|s| s.trim().parse().ok())
        .expect("the loaded count");
    assert!(
        loaded <= 400,
        "only the first and last pages were loaded, not the {total} rows: {loaded}"
    );
    s.keys(&["q"]);
    s.wait_for("KRAFTER-EXIT=0");
}
