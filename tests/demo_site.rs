//! The demo storefront: a real scan of it through the client completes with
//! the problems it really has, a shipped fix makes a verification pass, and
//! the SSRF protection stays in force for everything but its name and port.

mod support_sandbox;

use std::collections::BTreeSet;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use krafter::api::model::*;
use krafter::api::{ApiError, Client};
use krafter::sandbox::scanner::Resolver;
use krafter::sandbox::{DataSource, RunningSandbox, SandboxOptions, spawn};
use serde_json::json;
use support_sandbox::Api;

/// What the home page gets wrong, as check keys.
const HOME_PROBLEMS: [&str; 11] = [
    "accessibility.img_alt_missing",
    "performance.uncompressed",
    "security.cookie_insecure",
    "security.cookie_no_httponly",
    "security.cookie_no_samesite",
    "security.csp_missing",
    "security.hsts_missing",
    "security.no_https_redirect",
    "security.permissions_policy_missing",
    "security.server_version_disclosure",
    "seo.meta_description_missing",
];

/// The demo's own options, with the SSRF protection on, minus rate limits.
fn demo_options(data: DataSource) -> SandboxOptions {
    SandboxOptions {
        rate_default: None,
        rate_strict: None,
        ..SandboxOptions::demo().with_data(data)
    }
}

async fn start(data: DataSource) -> (RunningSandbox, Client) {
    let sandbox = spawn(demo_options(data)).await.expect("sandbox starts");
    let client = Client::new(sandbox.client_settings(&sandbox.projects[0])).expect("client");
    (sandbox, client)
}

async fn scan_until_finished(client: &Client, url: &str) -> Scan {
    let scan = client
        .run_scan(&ScanRequest {
            url: url.into(),
            trigger: ScanTrigger::Manual,
        })
        .await
        .expect("the scan is accepted");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let now = client.get_scan(&scan.id).await.expect("scan readable");
        if now.status.is_finished() {
            return now;
        }
        assert!(Instant::now() < deadline, "scan still {:?}", now.status);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn findings(client: &Client) -> Vec<Finding> {
    client
        .list_findings(&FindingQuery::default(), 0, 100)
        .await
        .expect("findings")
        .items
}

fn check_of(f: &Finding) -> String {
    f.extra
        .get("check")
        .and_then(|c| c.as_str())
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn the_demo_site_scans_to_completion_with_its_real_problems() {
    let (sandbox, client) = start(DataSource::Empty).await;
    let url = sandbox
        .demo_site_url
        .clone()
        .expect("the demo serves a site");
    assert!(url.starts_with("http://shop.northwind.test:"), "{url}");

    let scan = scan_until_finished(&client, &url).await;
    assert_eq!(scan.status, ScanStatus::Completed, "{:?}", scan.summary);

    let found = findings(&client).await;
    let checks: BTreeSet<String> = found.iter().map(check_of).collect();
    let expected: BTreeSet<String> = HOME_PROBLEMS.iter().map(|s| s.to_string()).collect();
    assert_eq!(checks, expected);
    assert_eq!(scan.summary["new"], 11, "{}", scan.summary);
    let cookie = found
        .iter()
        .find(|f| check_of(f) == "security.cookie_insecure")
        .expect("cookie finding");
    assert_eq!(
        cookie.severity,
        Severity::Critical,
        "a session cookie without Secure"
    );
    assert!(found.iter().all(|f| f.status == FindingStatus::New));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn shipping_a_fix_on_the_demo_site_makes_its_verification_pass() {
    let (sandbox, client) = start(DataSource::Empty).await;
    let url = sandbox.demo_site_url.clone().expect("site");
    scan_until_finished(&client, &url).await;
    let csp = findings(&client)
        .await
        .into_iter()
        .find(|f| check_of(f) == "security.csp_missing")
        .expect("csp finding");
    let task = client
        .create_task(&NewTask {
            finding_id: csp.id.clone(),
            title: "Add a Content-Security-Policy".into(),
            ..NewTask::default()
        })
        .await
        .expect("task");

    let fix_url = format!(
        "{}__demo/fix/csp",
        url.replace("shop.northwind.test", "127.0.0.1")
    );
    let shipped = reqwest::Client::new()
        .post(&fix_url)
        .send()
        .await
        .expect("fix");
    assert!(shipped.status().is_success());

    let verification = client.run_verification(&task.id).await.expect("verify");
    let deadline = Instant::now() + Duration::from_secs(30);
    let done = loop {
        let v = client
            .get_verification(&verification.id)
            .await
            .expect("read");
        if v.result != VerificationResult::Pending {
            break v;
        }
        assert!(Instant::now() < deadline, "verification still pending");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(done.result, VerificationResult::Passed, "{done:?}");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn with_the_demo_site_on_other_local_targets_stay_refused() {
    let (sandbox, client) = start(DataSource::Empty).await;
    let url = sandbox.demo_site_url.clone().expect("site");
    let port = url
        .trim_end_matches('/')
        .rsplit(':')
        .next()
        .expect("a port")
        .to_string();
    // The client's own pre-check refuses loopback literals and local names.
    for refused in [
        format!("http://127.0.0.1:{port}/"),
        format!("http://localhost:{port}/"),
        format!("http://[::1]:{port}/"),
    ] {
        let err = client
            .run_scan(&ScanRequest {
                url: refused.clone(),
                trigger: ScanTrigger::Manual,
            })
            .await
            .unwrap_err();
        assert!(matches!(err, ApiError::Refused(_)), "{refused}: {err:?}");
    }
    // The demo name on another port, or over https, is refused by the
    // sandbox; another name is never pinned to loopback.
    let api_port = sandbox.addr.port();
    for refused in [
        format!("http://shop.northwind.test:{api_port}/"),
        format!("https://shop.northwind.test:{port}/"),
    ] {
        let err = client
            .run_scan(&ScanRequest {
                url: refused.clone(),
                trigger: ScanTrigger::Manual,
            })
            .await
            .unwrap_err();
        assert!(
            err.to_string().contains("only served at"),
            "{refused}: {err}"
        );
    }
    let other = scan_until_finished(&client, &format!("http://admin.northwind.test:{port}/")).await;
    assert_eq!(other.status, ScanStatus::Failed, "{:?}", other.summary);
    assert!(findings(&client).await.is_empty());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_demo_data_offers_its_people_and_tests_run_without_a_site() {
    let (sandbox, _client) = start(DataSource::Demo).await;
    let names: Vec<&str> = sandbox.people.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names.len(), 5);
    assert!(names[0].starts_with("Priya Raman"), "{names:?}");
    assert_eq!(sandbox.people[0].1, sandbox.me.clone().expect("me"));
    sandbox.shutdown().await;

    let plain = spawn(SandboxOptions::for_tests()).await.expect("starts");
    assert_eq!(plain.demo_site_url, None);
    plain.shutdown().await;
}

/// Open findings, critical open findings, all findings and the health score
/// of one project.
async fn backlog(client: &Client) -> (usize, usize, usize, i64) {
    let mut all = Vec::new();
    loop {
        let page = client
            .list_findings(&FindingQuery::default(), all.len() as u64, 100)
            .await
            .expect("findings");
        if page.items.is_empty() {
            break;
        }
        all.extend(page.items);
    }
    let open: Vec<&Finding> = all.iter().filter(|f| f.status.is_unresolved()).collect();
    let critical = open
        .iter()
        .filter(|f| f.severity == Severity::Critical)
        .count();
    let health = client
        .command_center()
        .await
        .expect("command center")
        .health_score
        .expect("a health score");
    (open.len(), critical, all.len(), health)
}

#[tokio::test]
async fn the_project_the_demo_opens_on_is_a_live_backlog_and_the_others_differ() {
    let (sandbox, client) = start(DataSource::Demo).await;
    let (open, critical, total, health) = backlog(&client).await;
    assert!(
        open * 10 >= total * 4 && open * 10 <= total * 7,
        "about half open: {open} of {total}"
    );
    assert!(
        critical >= 2,
        "a couple of critical findings open: {critical}"
    );
    assert!(health < 80, "not in the good band: {health}");
    let mut healths = vec![health];
    for project in &sandbox.projects[1..] {
        healths.push(backlog(&client.with_project(project)).await.3);
    }
    healths.dedup();
    assert_eq!(healths.len(), sandbox.projects.len(), "{healths:?}");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_sandbox_itself_refuses_loopback_by_any_other_way_with_the_demo_site_on() {
    // A public-looking name that resolves to loopback, as a DNS rebinding
    // attacker would arrange: only the demo's own name is let through.
    let loopback: IpAddr = [127, 0, 0, 1].into();
    let api = Api::start(SandboxOptions {
        scan_resolver: Resolver::fixed([("rebind.example.com", loopback)]),
        ..demo_options(DataSource::Empty)
    })
    .await;
    let site = api.sandbox.demo_site_url.clone().expect("site");
    let port = site.trim_end_matches('/').rsplit(':').next().expect("port");
    for url in [
        format!("http://127.0.0.1:{port}/"),
        format!("http://0x7f000001:{port}/"),
        format!("http://localhost:{port}/"),
        format!("http://[::ffff:127.0.0.1]:{port}/"),
        format!("http://rebind.example.com:{port}/"),
    ] {
        let reply = api.post("/scans/run", json!({ "url": url })).await;
        assert!(
            (400..500).contains(&reply.status),
            "{url}: {} {}",
            reply.status,
            reply.body
        );
        let message = reply.body["error"]["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("refused") || message.contains("not allowed"),
            "{url}: {message}"
        );
    }
    let scans = api.get("/scans").await;
    assert_eq!(scans.body["meta"]["total"], 0, "no scan was created");
}

#[tokio::test]
async fn the_storefront_login_sets_a_session_cookie_a_browser_would_send_back() {
    let site = krafter::sandbox::demo_site::DemoSite::start()
        .await
        .expect("site starts");
    let base = format!("http://{}", site.addr);
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let login = format!("{base}/account/login");

    let wrong = http
        .post(&login)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("email=ana%40example.com&password=guess")
        .send()
        .await
        .expect("answers");
    assert_eq!(wrong.status(), 401);
    assert!(wrong.headers().get("set-cookie").is_none());

    let right = http
        .post(&login)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("email=ana%40example.com&password=northwind")
        .send()
        .await
        .expect("answers");
    assert_eq!(right.status(), 303);
    let cookie = right.headers()["set-cookie"]
        .to_str()
        .expect("text")
        .to_string();
    assert!(cookie.starts_with("nw_session=signed-in."), "{cookie}");
    assert!(
        !cookie.contains("Secure") && !cookie.contains("HttpOnly"),
        "{cookie}"
    );

    let pair = cookie.split(';').next().expect("name=value");
    let account = http
        .get(format!("{base}/account"))
        .header("cookie", pair)
        .send()
        .await
        .expect("answers");
    assert_eq!(account.status(), 200);
    let page = account.text().await.expect("body");
    assert!(page.contains("Signed in as ana@example.com"), "{page}");

    let anonymous = http
        .get(format!("{base}/account"))
        .send()
        .await
        .expect("answers");
    assert!(anonymous.status().is_redirection());
    site.shutdown().await;
}
