//! `POST /scans/run`: the SSRF pre-check, the strict bucket, and no blind
//! resend of a request that creates a scan.

mod support;

use std::time::{Duration, UNIX_EPOCH};

use krafter::api::ApiError;
use krafter::api::model::*;
use serde_json::json;
use support::{Reply, ScriptedServer, audit, unix_now};

fn scan_request(url: &str) -> ScanRequest {
    ScanRequest {
        url: url.into(),
        trigger: ScanTrigger::Manual,
    }
}

fn accepted() -> Reply {
    Reply::data(
        202,
        json!({"id": "s1", "status": "queued", "trigger": "manual", "summary": {}}),
        json!({"request_id": "r-scan"}),
    )
}

#[tokio::test]
async fn a_private_target_is_refused_before_anything_is_sent() {
    let server = ScriptedServer::start().await;
    let client = server.client();
    for url in [
        "http://127.0.0.1:8080/",
        "https://db.internal/",
        "ftp://example.com/",
    ] {
        let err = client.run_scan(&scan_request(url)).await.unwrap_err();
        assert!(matches!(err, ApiError::Refused(_)), "{url}: {err:?}");
        assert!(err.to_string().contains("refused scan URL"), "{err}");
        assert!(!format!("{err} {err:?}").contains(support::KEY));
    }
    assert!(server.requests().is_empty(), "nothing reached the server");
}

#[tokio::test]
async fn a_scan_is_posted_with_url_and_trigger() {
    let server = ScriptedServer::start().await;
    server.push(accepted());
    let scan = server
        .client()
        .run_scan(&scan_request("https://example.com"))
        .await
        .unwrap();
    assert_eq!(scan.status, ScanStatus::Queued);
    let req = &server.requests()[0];
    assert_eq!(req.method, "POST");
    assert_eq!(req.path, audit("/scans/run"));
    assert_eq!(
        req.json(),
        json!({"url": "https://example.com", "trigger": "manual"})
    );
}

#[tokio::test]
async fn a_500_on_run_scan_is_not_resent() {
    let server = ScriptedServer::start().await;
    server.push(Reply::error(500, "internal", "scanner crashed", "r-500"));
    server.push(accepted());
    let err = server
        .client()
        .run_scan(&scan_request("https://example.com"))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert_eq!(
        server.requests().len(),
        1,
        "a second scan might have been queued"
    );
}

#[tokio::test]
async fn the_strict_bucket_paces_scans_but_not_reads() {
    let server = ScriptedServer::start().await;
    let reset = unix_now().ceil() as u64 + 1;
    let reset_at = UNIX_EPOCH + Duration::from_secs(reset);
    server.push(accepted().rate(30, 0, reset));
    server.push(Reply::data(200, json!({"health_score": 90}), json!({})).rate(100, 98, reset + 60));
    server.push(accepted().rate(30, 29, reset + 60));
    let client = server.client();

    client
        .run_scan(&scan_request("https://example.com"))
        .await
        .unwrap();
    let snap = client.budget();
    assert_eq!(snap.strict.remaining, Some(0));
    assert_eq!(snap.strict.reset_at, Some(reset_at));

    // The default bucket still has room: a read goes at once.
    client.command_center().await.unwrap();
    // A second scan waits for the strict window to reset.
    client
        .run_scan(&scan_request("https://example.com"))
        .await
        .unwrap();

    let got = server.requests();
    assert!(got[1].at < reset_at, "the read was not held back");
    assert!(
        got[2].at >= reset_at,
        "the scan went before the strict reset"
    );
    assert_eq!(
        client.budget().remaining,
        Some(97),
        "the scan also spent a default request"
    );
}
