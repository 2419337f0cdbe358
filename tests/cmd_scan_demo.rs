//! The quickstart a newcomer follows: `krafter serve` prints the demo site
//! and the command to scan it, and `krafter scan <demo url> --wait` through
//! the real binary completes and prints what it found.

mod cmd_support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use cmd_support::{Run, krafter};
use krafter::sandbox::{SandboxOptions, spawn};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scanning_the_demo_site_with_the_binary_prints_its_new_findings() {
    let sb = spawn(SandboxOptions {
        demo_site: true,
        allow_private_targets: false,
        ..SandboxOptions::for_tests()
    })
    .await
    .expect("sandbox starts");
    let url = sb.demo_site_url.clone().expect("a demo site");

    let run = krafter(&sb, &["scan", &url, "--wait", "--timeout", "60"]);
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    assert!(run.stdout.contains(" completed\n"), "{}", run.stdout);
    assert!(
        run.stdout.contains("findings 11, new 11, regressions 0"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("critical 1"), "{}", run.stdout);

    // The same site by its loopback address is still refused.
    let port = sb
        .demo_site_url
        .as_deref()
        .and_then(|u| u.rsplit(':').next());
    let literal = format!("http://127.0.0.1:{}", port.unwrap_or("80/"));
    let run = krafter(&sb, &["scan", &literal, "--wait"]);
    assert_ne!(run.code, Some(0), "{}", run.stdout);
    assert!(run.stderr.contains("refused scan URL"), "{}", run.stderr);
    sb.shutdown().await;
}

/// `krafter serve` in the background; killed when dropped.
struct Served {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Served {
    fn start(args: &[&str]) -> Served {
        let home = tempfile::tempdir().expect("tempdir");
        let mut child = Command::new(env!("CARGO_BIN_EXE_krafter"))
            .arg("serve")
            .args(["--addr", "127.0.0.1:0"])
            .args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", home.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("krafter serve starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Served { child, lines }
    }

    /// Lines up to and including "Press Ctrl-C to stop.".
    fn banner(&self) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut seen = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let done = line.starts_with("Press Ctrl-C");
                    seen.push(line);
                    if done {
                        return seen;
                    }
                }
                Err(_) => break,
            }
        }
        panic!("no complete banner from krafter serve: {seen:?}");
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs the binary with the environment `krafter serve` suggested.
fn run_suggested(command: &str) -> Run {
    let mut env = Vec::new();
    let mut args = Vec::new();
    for word in command.split_whitespace() {
        match word.split_once('=') {
            Some((k, v)) if k.starts_with("KRAFTER_") && args.is_empty() => env.push((k, v)),
            _ => args.push(word),
        }
    }
    assert_eq!(args.first(), Some(&"krafter"), "{command}");
    let home = tempfile::tempdir().expect("tempdir");
    let out = Command::new(env!("CARGO_BIN_EXE_krafter"))
        .args(&args[1..])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .envs(env)
        .output()
        .expect("krafter runs");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_prints_the_demo_site_and_a_scan_command_that_works() {
    let served = Served::start(&[]);
    let banner = served.banner();
    let site = banner
        .iter()
        .find_map(|l| l.trim().strip_prefix("demo site:"))
        .map(str::trim)
        .unwrap_or_else(|| panic!("no demo site line: {banner:?}"));
    assert!(site.starts_with("http://shop.northwind.test:"), "{site}");
    let command = banner
        .iter()
        .map(|l| l.trim())
        .find(|l| l.starts_with("KRAFTER_BASE_URL="))
        .unwrap_or_else(|| panic!("no suggested scan: {banner:?}"));
    assert!(
        command.ends_with(&format!("krafter scan {site} --wait")),
        "{command}"
    );

    // The demo data already holds the home page's problems: the scan finds
    // them again, and only the one no plain-http site can fix is new.
    let run = run_suggested(command);
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    let found = findings_count(&run.stdout);
    assert!(found >= 2, "{}", run.stdout);
    assert!(
        run.stdout.contains(&format!("findings {found}, new 1,")),
        "{}",
        run.stdout
    );

    // The hinted fix is shipped: the next scan finds one problem fewer.
    let fix = banner
        .iter()
        .find_map(|l| l.split("curl -X POST ").nth(1))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no fix hint: {banner:?}"));
    let shipped = reqwest::Client::new()
        .post(fix)
        .send()
        .await
        .expect("the site answers");
    assert!(shipped.status().is_success(), "{}", shipped.status());
    let run = run_suggested(command);
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains(&format!("findings {}, new 0", found - 1)),
        "{}",
        run.stdout
    );
}

/// N of the "findings N, new M" line.
fn findings_count(stdout: &str) -> usize {
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("findings "))
        .and_then(|rest| rest.split(',').next())
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no findings line: {stdout}"))
}

#[test]
fn serve_without_the_demo_site_does_not_offer_one() {
    let served = Served::start(&["--no-demo-site"]);
    let banner = served.banner();
    assert!(
        !banner.iter().any(|l| l.contains("demo site")),
        "{banner:?}"
    );
}
