//! Scans and verifications of `krafter serve` through the real scanner,
//! against a tiny site served on loopback: the whole remediation loop.

mod support_sandbox;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use krafter::sandbox::SandboxOptions;
use krafter::sandbox::scanner::Resolver;
use serde_json::{Value, json};
use support_sandbox::Api;

const PAGE: &str = "<!doctype html><html lang=\"en\"><head><title>Shop</title>\
<meta name=\"description\" content=\"A small test shop\">\
<link rel=\"canonical\" href=\"/\"></head><body><h1>Shop</h1></body></html>";

/// A site whose Content-Security-Policy can be shipped and removed.
struct Site {
    url: String,
    csp: Arc<AtomicBool>,
}

async fn page(State(csp): State<Arc<AtomicBool>>) -> Response {
    let mut response = ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], PAGE).into_response();
    if csp.load(Ordering::SeqCst) {
        response.headers_mut().insert(
            header::CONTENT_SECURITY_POLICY,
            header::HeaderValue::from_static("default-src 'self'; frame-ancestors 'none'"),
        );
    }
    response
}

async fn serve_site() -> Site {
    let csp = Arc::new(AtomicBool::new(false));
    let app = Router::new().route("/", get(page)).with_state(csp.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Site {
        url: format!("http://{addr}/"),
        csp,
    }
}

async fn scan(api: &Api, url: &str) -> Value {
    let reply = api
        .post("/scans/run", json!({"url": url, "trigger": "post_deploy"}))
        .await;
    assert_eq!(reply.status, 202, "{}", reply.body);
    let scan = &reply.body["data"];
    assert_eq!(scan["status"], "queued");
    assert_eq!(scan["trigger"], "post_deploy");
    assert!(scan.get("url").is_none(), "the url is not echoed back");
    let id = scan["id"].as_str().unwrap().to_string();
    api.poll_until(&format!("/scans/{id}"), |s| {
        s["status"] == "completed" || s["status"] == "failed"
    })
    .await
}

async fn verify(api: &Api, task_id: &str) -> Value {
    let reply = api
        .post("/verifications/run", json!({"task_id": task_id}))
        .await;
    assert_eq!(reply.status, 202, "{}", reply.body);
    assert_eq!(reply.body["data"]["result"], "pending");
    let id = reply.body["data"]["id"].as_str().unwrap().to_string();
    api.poll_until(&format!("/verifications/{id}"), |v| {
        v["result"] != "pending"
    })
    .await
}

async fn csp_finding(api: &Api) -> Value {
    let reply = api.get("/findings?limit=100&domain=security").await;
    reply.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == "security.csp_missing")
        .cloned()
        .expect("a CSP finding")
}

#[tokio::test]
async fn the_remediation_loop_runs_end_to_end() {
    let site = serve_site().await;
    let api = Api::start(SandboxOptions::for_tests()).await;

    // Scan: the missing CSP is found.
    let done = scan(&api, &site.url).await;
    assert_eq!(done["status"], "completed", "{done}");
    let summary = &done["summary"];
    assert!(summary["findings"].as_u64().unwrap() >= 1);
    assert_eq!(summary["new"], summary["findings"]);
    assert_eq!(summary["regressions"], 0);
    assert!(summary["by_severity"]["high"].as_u64().unwrap() >= 1);
    assert!(summary["by_domain"]["security"].as_u64().unwrap() >= 1);
    assert!(done["started_at"].is_string() && done["finished_at"].is_string());
    let finding = csp_finding(&api).await;
    let fid = finding["id"].as_str().unwrap().to_string();
    assert_eq!(finding["status"], "new");
    assert_eq!(finding["affected_assets"][0]["value"], site.url.as_str());
    assert_eq!(finding["scan_id"], done["id"]);

    // Triage, task, work.
    let path = format!("/findings/{fid}");
    assert_eq!(
        api.patch(&path, json!({"status": "triaged"})).await.status,
        200
    );
    let task = api
        .post("/tasks", json!({"finding_id": fid, "title": "Ship a CSP"}))
        .await;
    let tid = task.body["data"]["id"].as_str().unwrap().to_string();
    let tpath = format!("/tasks/{tid}");
    api.patch(&tpath, json!({"status": "in_progress"})).await;
    assert_eq!(api.get(&path).await.body["data"]["status"], "in_progress");

    // Verifying before the fix fails, and cannot be approved.
    let early = verify(&api, &tid).await;
    assert_eq!(early["result"], "failed", "{early}");
    assert_eq!(early["checks"][0]["status"], "failed");
    let vid = early["id"].as_str().unwrap();
    let reply = api
        .post(&format!("/verifications/{vid}/approve"), json!({}))
        .await;
    assert_eq!(reply.code(), Some("verification_not_passed"));

    // The site ships the fix; the verification passes.
    site.csp.store(true, Ordering::SeqCst);
    api.patch(&tpath, json!({"status": "ready_verify"})).await;
    assert_eq!(api.get(&path).await.body["data"]["status"], "ready_verify");
    let passed = verify(&api, &tid).await;
    assert_eq!(passed["result"], "passed", "{passed}");
    let check = &passed["checks"][0];
    assert_eq!(check["key"], "security.csp_missing");
    assert_eq!(check["status"], "passed");
    assert!(
        check["before"].is_string() && check["after"].is_string(),
        "{check}"
    );
    assert_ne!(check["before"], check["after"]);

    // Approve: task done, finding resolved.
    let vid = passed["id"].as_str().unwrap();
    let reply = api
        .post(&format!("/verifications/{vid}/approve"), json!({}))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(api.get(&tpath).await.body["data"]["status"], "done");
    assert_eq!(api.get(&path).await.body["data"]["status"], "resolved");
    // A scan of the fixed site does not reopen it.
    let calm = scan(&api, &site.url).await;
    assert_eq!(calm["summary"]["regressions"], 0);
    assert_eq!(api.get(&path).await.body["data"]["status"], "resolved");

    // The header is removed again: the next scan reopens it as a regression.
    site.csp.store(false, Ordering::SeqCst);
    let again = scan(&api, &site.url).await;
    assert_eq!(again["status"], "completed");
    assert_eq!(again["summary"]["regressions"], 1, "{}", again["summary"]);
    assert_eq!(
        again["summary"]["new"], 0,
        "the finding is updated, not duplicated"
    );
    assert_eq!(api.get(&path).await.body["data"]["status"], "new");
    let open = api.get("/regressions?status=open").await;
    assert_eq!(open.body["meta"]["total"], 1);
    assert_eq!(open.body["data"][0]["finding_id"], fid.as_str());
    assert_eq!(open.body["data"][0]["scan_id"], again["id"]);

    // Scans list newest first, through the cursor.
    let (scans, _) = api.all_pages("/scans", 1).await;
    assert_eq!(scans.len(), 3);
    assert_eq!(scans[0]["id"], again["id"]);
}

#[tokio::test]
async fn a_scan_that_cannot_fetch_fails_with_the_reason() {
    let api = Api::start(SandboxOptions::for_tests()).await;
    // Nothing listens on a freshly closed port.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let done = scan(&api, &format!("http://127.0.0.1:{port}/")).await;
    assert_eq!(done["status"], "failed");
    assert!(
        !done["summary"]["error"].as_str().unwrap_or("").is_empty(),
        "{done}"
    );
}

#[tokio::test]
async fn scan_requests_are_validated_and_private_targets_refused() {
    let resolver = Resolver::fixed([
        ("intranet.shop.test", "10.20.30.40".parse().unwrap()),
        ("www.shop.test", "203.0.113.7".parse().unwrap()),
    ]);
    let api = Api::start(SandboxOptions {
        allow_private_targets: false,
        scan_resolver: resolver,
        ..SandboxOptions::for_tests()
    })
    .await;
    for url in [
        "http://127.0.0.1/",
        "http://localhost:8080/",
        "http://10.1.2.3/",
        "http://192.168.0.10/",
        "http://[::1]/",
        "http://metadata.internal/",
        "ftp://example.com/",
        "http://user:pass@example.com/",
        "not a url",
    ] {
        let reply = api.post("/scans/run", json!({"url": url})).await;
        assert_eq!(reply.status, 422, "{url}: {}", reply.body);
        assert_eq!(reply.code(), Some("invalid_params"), "{url}");
    }
    assert_eq!(
        api.post("/scans/run", json!({})).await.code(),
        Some("invalid_params")
    );
    let reply = api
        .post(
            "/scans/run",
            json!({"url": "https://example.com/", "trigger": "hourly"}),
        )
        .await;
    assert_eq!(reply.code(), Some("invalid_params"));
    assert_eq!(
        api.post("/scans/run", json!({"url": 5})).await.code(),
        Some("bad_request")
    );
    // Nothing was queued.
    assert_eq!(api.get("/scans").await.body["meta"]["total"], 0);
    // A name that resolves to a public address is accepted.
    let reply = api
        .post("/scans/run", json!({"url": "https://www.shop.test/"}))
        .await;
    assert_eq!(reply.status, 202, "{}", reply.body);
}
