//! Contract tests: what the real sandbox refuses reaches the caller of the
//! real client as one `ApiError` with the status, the machine code, the
//! server's message and its request id, and never with the key in it.

mod support_contract;

use std::time::{SystemTime, UNIX_EPOCH};

use krafter::api::model::*;
use krafter::api::{ApiError, Client};
use krafter::sandbox::scanner::Resolver;
use krafter::sandbox::{DataSource, RateWindow, RunningSandbox, SandboxOptions};
use support_contract::{Relay, assert_key_hidden, client, client_with, sandbox};

const WRONG_KEY: &str = "kr_live_WRONGxKEYxTHATxMUSTxNEVERxBExSHOWNx0123";
const OTHER_KEY: &str = "kr_live_OTHERxTEAMxKEYxMUSTxNEVERxBExSHOWNx012";

fn demo() -> SandboxOptions {
    SandboxOptions {
        other_team_key: Some(OTHER_KEY.into()),
        ..SandboxOptions::for_tests().with_data(DataSource::Demo)
    }
}

/// The error is the server's, complete, and shows none of the keys.
fn assert_status(err: &ApiError, status: u16, code: Option<&str>, sandbox: &RunningSandbox) {
    assert_eq!(err.status(), Some(status), "{err}");
    assert_eq!(err.code(), code, "{err}");
    let rid = err
        .request_id()
        .unwrap_or_else(|| panic!("no request id: {err}"));
    assert!(!rid.is_empty());
    let shown = err.to_string();
    assert!(shown.contains(&format!("HTTP {status}")), "{shown}");
    assert!(shown.contains(rid), "the request id is not shown: {shown}");
    for key in [&sandbox.write_key, &sandbox.read_key, WRONG_KEY, OTHER_KEY] {
        assert_key_hidden(err, key);
    }
}

async fn some_new_finding(client: &Client) -> Finding {
    let new = FindingQuery {
        status: Some(FindingStatus::New),
        ..FindingQuery::default()
    };
    let page = client.list_findings(&new, 0, 1).await.expect("a page");
    page.items.first().expect("a new finding").clone()
}

#[tokio::test]
async fn a_wrong_key_is_401_and_a_read_key_writing_is_403() {
    let sandbox = sandbox(demo()).await;
    let wrong = client_with(&sandbox, &sandbox.base_url, WRONG_KEY);
    let err = wrong.command_center().await.unwrap_err();
    assert_status(&err, 401, None, &sandbox);
    assert_eq!(err.server_message(), Some("Invalid or missing API key"));
    assert!(err.to_string().contains("check the API key"), "{err}");

    let reader = client_with(&sandbox, &sandbox.base_url, &sandbox.read_key);
    let finding = some_new_finding(&reader).await;
    let patch = FindingPatch {
        status: Some(FindingStatus::Triaged),
        ..FindingPatch::default()
    };
    let err = reader.patch_finding(&finding.id, &patch).await.unwrap_err();
    assert_status(&err, 403, None, &sandbox);
    assert_eq!(err.server_message(), Some("Insufficient scope"));
    assert!(err.to_string().contains("audit:write"), "{err}");
    let task = NewTask {
        finding_id: finding.id.clone(),
        title: "t".into(),
        ..NewTask::default()
    };
    assert_eq!(
        reader.create_task(&task).await.unwrap_err().status(),
        Some(403)
    );
    // Nothing changed.
    let again = reader.get_finding(&finding.id).await.expect("read");
    assert_eq!(again.status, FindingStatus::New);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn unknown_ids_and_other_teams_are_404() {
    let sandbox = sandbox(demo()).await;
    let client = client(&sandbox);
    let err = client
        .get_finding("00000000-0000-4000-8000-000000000000")
        .await
        .unwrap_err();
    assert_status(&err, 404, Some("not_found"), &sandbox);
    assert!(err.is_not_found());
    assert!(!err.server_message().unwrap_or("").is_empty());
    assert_status(
        &client.get_task("nope").await.unwrap_err(),
        404,
        Some("not_found"),
        &sandbox,
    );

    // Our key on the other team's org, and their key on ours: not found,
    // never "forbidden", so existence is not confirmed.
    let other_org = sandbox.other_org_id.clone().expect("a second team");
    let other_project = sandbox.other_project_id.clone().expect("its project");
    let mut settings = sandbox.client_settings(&other_project);
    settings.org_id = other_org;
    let ours_on_theirs = Client::new(settings).expect("a client");
    let err = ours_on_theirs.command_center().await.unwrap_err();
    assert_status(&err, 404, Some("not_found"), &sandbox);
    let theirs_on_ours = client_with(&sandbox, &sandbox.base_url, OTHER_KEY);
    let finding = some_new_finding(&client).await;
    let err = theirs_on_ours.get_finding(&finding.id).await.unwrap_err();
    assert_status(&err, 404, Some("not_found"), &sandbox);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn illegal_moves_are_422_naming_the_allowed_ones() {
    let sandbox = sandbox(demo()).await;
    let client = client(&sandbox);
    let finding = some_new_finding(&client).await;
    let jump = FindingPatch {
        status: Some(FindingStatus::InProgress),
        ..FindingPatch::default()
    };
    let err = client.patch_finding(&finding.id, &jump).await.unwrap_err();
    assert_status(&err, 422, Some("invalid_transition"), &sandbox);
    let message = err.server_message().unwrap_or("");
    assert!(
        message.contains("triaged") && message.contains("dismissed"),
        "the allowed moves are not named: {message}"
    );
    // `resolved` is never set by hand, whatever the current status.
    for status in [FindingStatus::New, FindingStatus::Triaged] {
        let set = FindingPatch {
            status: Some(status),
            ..FindingPatch::default()
        };
        client
            .patch_finding(&finding.id, &set)
            .await
            .expect("legal");
        let resolve = FindingPatch {
            status: Some(FindingStatus::Resolved),
            ..FindingPatch::default()
        };
        let err = client
            .patch_finding(&finding.id, &resolve)
            .await
            .unwrap_err();
        assert_status(&err, 422, Some("invalid_transition"), &sandbox);
    }
    let now = client.get_finding(&finding.id).await.expect("read");
    assert_eq!(
        now.status,
        FindingStatus::Triaged,
        "refused moves change nothing"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn private_scan_targets_are_refused_by_the_client_before_sending() {
    let sandbox = sandbox(SandboxOptions {
        allow_private_targets: false,
        ..SandboxOptions::for_tests()
    })
    .await;
    let relay = Relay::start(sandbox.addr).await;
    let client = client_with(&sandbox, &relay.base_url, &sandbox.write_key);
    for url in [
        "http://127.0.0.1:8080/",
        "http://localhost/",
        "http://10.0.0.5/admin",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://printer.local/",
        "http://db.internal/",
        "ftp://example.com/",
    ] {
        let request = ScanRequest {
            url: url.into(),
            trigger: ScanTrigger::Manual,
        };
        let err = client.run_scan(&request).await.unwrap_err();
        assert!(matches!(err, ApiError::Refused(_)), "{url}: {err:?}");
        assert!(err.to_string().contains("public http(s) address"), "{err}");
        assert_key_hidden(&err, &sandbox.write_key);
    }
    assert!(
        relay.seen().is_empty(),
        "a refused scan reached the server: {:?}",
        relay.seen()
    );
    // The same client does reach the server otherwise.
    client.list_scans(None, None).await.expect("reachable");
    assert_eq!(relay.seen().len(), 1);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_name_resolving_to_a_private_address_is_refused_by_the_sandbox() {
    let resolver = Resolver::fixed([("intranet.shop.test", "10.20.30.40".parse().expect("an ip"))]);
    let sandbox = sandbox(SandboxOptions {
        allow_private_targets: false,
        scan_resolver: resolver,
        ..SandboxOptions::for_tests()
    })
    .await;
    let relay = Relay::start(sandbox.addr).await;
    let client = client_with(&sandbox, &relay.base_url, &sandbox.write_key);
    let request = ScanRequest {
        url: "https://intranet.shop.test/".into(),
        trigger: ScanTrigger::Manual,
    };
    // The name passes the client's literal checks, so it is sent...
    let err = client.run_scan(&request).await.unwrap_err();
    let posts: Vec<_> = relay
        .seen()
        .into_iter()
        .filter(|s| s.method == "POST")
        .collect();
    assert_eq!(posts.len(), 1, "the scan was sent once (never resent)");
    // ...and the sandbox, which resolves it, refuses it.
    assert_status(&err, 422, Some("invalid_params"), &sandbox);
    let message = err.server_message().unwrap_or("");
    assert!(
        message.contains("10.20.30.40") || message.contains("private"),
        "{message}"
    );
    let scans = client.list_scans(None, None).await.expect("scans");
    assert_eq!(scans.total, Some(0), "nothing was queued");
    sandbox.shutdown().await;
}

/// A window length (seconds) whose current window still has more than
/// `margin` seconds to run, so a refused request's `retry-after` is long.
/// Windows start at multiples of their length since the epoch, so some
/// length of a day or more always qualifies.
fn long_window(margin: u64) -> u64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    (0..)
        .map(|i| 86_400 + i * 1_001)
        .find(|w| w - now % w > margin)
        .unwrap_or(86_400)
}

#[tokio::test]
async fn a_429_too_long_to_wait_out_reaches_the_caller_whole() {
    // One request per long window. Another client of the team spends it; a
    // client that knows nothing yet then gets the 429, whose retry-after is
    // longer than the client will wait, so it is reported, not waited out.
    let window = long_window(1_200);
    let sandbox = sandbox(SandboxOptions {
        rate_default: Some(RateWindow::new(1, window)),
        ..SandboxOptions::for_tests().with_data(DataSource::Demo)
    })
    .await;
    let spender = client(&sandbox);
    spender.command_center().await.expect("the one request");
    let late = client_with(&sandbox, &sandbox.base_url, &sandbox.read_key);
    let err = late
        .list_findings(&FindingQuery::default(), 0, 10)
        .await
        .unwrap_err();
    assert_status(&err, 429, None, &sandbox);
    assert_eq!(err.server_message(), Some("Rate limit exceeded"));
    let ApiError::Status(status) = &err else {
        panic!("not a status error: {err:?}");
    };
    let wait = status.retry_after.expect("retry-after");
    assert!(wait > 1_000 && wait <= window, "retry-after {wait}s");
    assert!(
        err.to_string().contains(&format!("retry after {wait}s")),
        "{err}"
    );
    // Every handle of that client now holds back instead of hammering.
    let snapshot = late.budget();
    assert_eq!(snapshot.remaining, Some(0));
    let held = snapshot
        .reset_at
        .and_then(|r| r.duration_since(SystemTime::now()).ok())
        .unwrap_or_default();
    assert!(held.as_secs() >= 800, "held back for only {held:?}");
    sandbox.shutdown().await;
}
