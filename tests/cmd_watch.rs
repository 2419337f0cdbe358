//! `krafter watch` end to end: the real binary watches a sandbox; a scan of
//! a worse site (a session cookie without `Secure`, no CSP) lowers the
//! health, adds a critical finding and brings back a resolved one, and the
//! watch prints one JSON object per alert.

mod cmd_support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::response::IntoResponse;
use axum::routing::get;
use chrono::Utc;
use krafter::sandbox::{DataSource, RunningSandbox, SandboxOptions, Scope, spawn};
use serde_json::{Value, json};

const RESOLVED: &str = "f0000001-0000-4000-8000-000000000001";

/// A page that fails several checks, one of them critical.
async fn worse_page() -> impl IntoResponse {
    (
        [
            ("set-cookie", "session=abc123; Path=/"),
            ("content-type", "text/html; charset=utf-8"),
        ],
        "<!doctype html><html lang=\"en\"><head><title>Shop</title></head><body><h1>Shop</h1></body></html>",
    )
}

async fn serve_site() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, Router::new().route("/", get(worse_page))).await;
    });
    format!("http://{addr}/")
}

/// One resolved finding whose check the site will fail again (a
/// regression), and one low finding so the health starts high.
fn data_set(site: &str) -> Value {
    let ago = (Utc::now() - chrono::Duration::days(3)).to_rfc3339();
    let fix =
        json!({"summary": "Send a CSP.", "steps": ["Add the header."], "estimated_minutes": 30});
    json!({
        "org": {"id": "3f0c9a52-6a8e-4d1b-9c47-1e2d3b4a5c6d", "name": "Watch org"},
        "projects": [{
            "id": "shop", "name": "Shop",
            "findings": [
                {"id": RESOLVED, "check": "security.csp_missing", "domain": "security",
                 "title": "Missing Content-Security-Policy header", "severity": "high",
                 "status": "resolved", "url": site, "recommended_fix": fix,
                 "created_at": ago, "closed_at": ago},
                {"id": "f0000002-0000-4000-8000-000000000002", "check": "seo.canonical_missing",
                 "domain": "seo", "title": "No canonical link", "severity": "low", "status": "new",
                 "url": "https://shop.example.com/", "created_at": ago},
            ],
        }],
    })
}

/// `krafter watch` against `sb`, its output read line by line.
struct Watch {
    child: Child,
    stdout: mpsc::Receiver<String>,
    stderr: mpsc::Receiver<String>,
    _home: tempfile::TempDir,
}

fn lines(reader: impl std::io::Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(reader).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

fn start_watch(sb: &RunningSandbox) -> Watch {
    start_watch_at(&sb.base_url, &sb.org_id, &sb.projects[0], &sb.read_key)
}

fn start_watch_at(base_url: &str, org: &str, project: &str, key: &str) -> Watch {
    let home = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_krafter"))
        .args(["watch", "--interval", "1", "--format", "json"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("KRAFTER_BASE_URL", base_url)
        .env("KRAFTER_ORG_ID", org)
        .env("KRAFTER_PROJECT_ID", project)
        .env("KRAFTER_API_KEY", key)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("krafter watch starts");
    let stdout = lines(child.stdout.take().unwrap());
    let stderr = lines(child.stderr.take().unwrap());
    Watch {
        child,
        stdout,
        stderr,
        _home: home,
    }
}

impl Watch {
    /// Waits for a stderr line containing `text`.
    fn wait_stderr(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut seen = Vec::new();
        while Instant::now() < deadline {
            match self.stderr.recv_timeout(Duration::from_millis(200)) {
                Ok(line) if line.contains(text) => return line,
                Ok(line) => seen.push(line),
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        }
        panic!("no stderr line with {text:?}; saw {seen:#?}");
    }

    /// Collects alerts until every kind in `kinds` was seen.
    fn alerts_until(&self, kinds: &[&str]) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut alerts: Vec<Value> = Vec::new();
        while Instant::now() < deadline {
            let have = |k: &&str| alerts.iter().any(|a| a["kind"] == **k);
            if kinds.iter().all(have) {
                return alerts;
            }
            if let Ok(line) = self.stdout.recv_timeout(Duration::from_millis(200)) {
                let alert: Value = serde_json::from_str(&line)
                    .unwrap_or_else(|e| panic!("not one JSON object per line ({e}): {line}"));
                alerts.push(alert);
            }
        }
        panic!("alerts {kinds:?} not all seen; got {alerts:#?}");
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        // The watch runs until stopped: stop the one this test started.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scan_of_a_worse_site_raises_the_alerts() {
    let site = serve_site().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data.json");
    std::fs::write(&path, data_set(&site).to_string()).unwrap();
    let sb = cmd_support::sandbox_with(DataSource::File(path)).await;

    let watch = start_watch(&sb);
    let baseline = watch.wait_stderr("watching shop");
    assert!(
        baseline.contains("health 98, 0 critical open"),
        "{baseline}"
    );

    let scan = reqwest::Client::new()
        .post(format!(
            "{}/orgs/{}/projects/{}/audit/scans/run",
            sb.base_url, sb.org_id, sb.projects[0]
        ))
        .bearer_auth(&sb.write_key)
        .json(&json!({"url": site}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        scan.status(),
        202,
        "{}",
        scan.text().await.unwrap_or_default()
    );

    let alerts = watch.alerts_until(&["health_drop", "new_critical", "regression_opened"]);
    let fell = alerts.iter().find(|a| a["kind"] == "health_drop").unwrap();
    assert_eq!(fell["from"], 98);
    assert!(fell["to"].as_i64().unwrap() <= 93, "{fell}");
    let critical = alerts.iter().find(|a| a["kind"] == "new_critical").unwrap();
    assert_eq!(critical["url"], site.as_str(), "{critical}");
    assert!(
        critical["message"]
            .as_str()
            .unwrap()
            .contains("new critical finding")
    );
    let regression = alerts
        .iter()
        .find(|a| a["kind"] == "regression_opened")
        .unwrap();
    assert_eq!(regression["finding_id"], RESOLVED);
    assert_eq!(
        alerts
            .iter()
            .filter(|a| a["kind"] == "regression_opened")
            .count(),
        1,
        "one alert per regression: {alerts:#?}"
    );
    drop(watch);
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_is_one_line_and_its_end_another() {
    let key = "kr_live_watch_outage_test";
    let mut options = SandboxOptions::for_tests().with_data(DataSource::Empty);
    options.keys = vec![(key.to_string(), Scope::Read)];
    // Learn the address and ids, then take the service away.
    let first = spawn(options.clone()).await.unwrap();
    let (addr, base) = (first.addr, first.base_url.clone());
    let (org, project) = (first.org_id.clone(), first.projects[0].clone());
    first.shutdown().await;

    let watch = start_watch_at(&base, &org, &project, key);
    let line = watch.wait_stderr("offline since");
    assert!(line.contains("retrying in 10s"), "{line}");
    // The same service comes back on the same address.
    options.addr = addr;
    let second = spawn(options).await.unwrap();
    let back = watch.wait_stderr("back online");
    assert!(back.contains("offline since"), "{back}");
    watch.wait_stderr("watching production-website");
    // Nothing on stdout: an outage is not an alert.
    assert!(watch.stdout.try_recv().is_err());
    drop(watch);
    second.shutdown().await;
}
