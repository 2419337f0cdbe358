//! Pages of findings fetched ahead (`FindingsStream`): in order, several in
//! flight when the budget allows, never more than it allows, and one at a
//! time behind a `next_cursor`.

mod support;
mod support_contract;

use krafter::api::model::{Finding, FindingQuery, Identified};
use krafter::api::paginate::{FindingsStream, MAX_AHEAD, fetch_all_findings};
use krafter::sandbox::{DataSource, RateWindow, SandboxOptions};
use serde_json::{Value, json};
use support::{Reply, ScriptedServer};
use support_contract::{Relay, client, client_with, per_window, sandbox};

fn generated(n: usize, rate: Option<RateWindow>) -> SandboxOptions {
    SandboxOptions {
        rate_default: rate,
        ..SandboxOptions::for_tests().with_data(DataSource::Generate(n))
    }
}

async fn ids_of(stream: &mut FindingsStream<Finding>) -> Vec<String> {
    let mut ids = Vec::new();
    while let Some(page) = stream.next_page().await.expect("a page") {
        ids.extend(page.items.iter().map(|f| f.id().to_string()));
    }
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_next_pages_are_requested_while_one_is_handed_out() {
    let sb = sandbox(generated(3_000, None)).await;
    let client = client(&sb);
    let mut stream =
        FindingsStream::<Finding>::new(&client, FindingQuery::default(), 100, None, MAX_AHEAD);
    let first = stream.next_page().await.unwrap().unwrap();
    assert_eq!(first.items.len(), 100);
    assert_eq!(
        stream.in_flight(),
        MAX_AHEAD,
        "with no limit announced, the next pages travel at once"
    );
    let mut ids: Vec<String> = first.items.iter().map(|f| f.id.clone()).collect();
    ids.extend(ids_of(&mut stream).await);
    let sequential = fetch_all_findings(&client, &FindingQuery::default(), 100, |_| {})
        .await
        .unwrap();
    let expected: Vec<String> = sequential.into_iter().map(|f| f.id).collect();
    assert_eq!(ids, expected, "the same rows in the same order");
    assert_eq!(stream.in_flight(), 0);
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_window_smaller_than_the_pages_in_flight_is_never_overspent() {
    // Three requests a second, fewer than the pages a stream may have in
    // flight: 600 findings, six pages.
    let sb = sandbox(generated(1_800, Some(RateWindow::new(3, 1)))).await;
    let relay = Relay::start(sb.addr).await;
    let client = client_with(&sb, &relay.base_url, &sb.write_key);
    let mut stream =
        FindingsStream::<Finding>::new(&client, FindingQuery::default(), 100, None, MAX_AHEAD);
    let ids = ids_of(&mut stream).await;
    assert_eq!(ids.len(), 600);
    assert_eq!(
        relay.count_status(429),
        0,
        "a request the window could not pay for"
    );
    let seen = relay.seen();
    assert_eq!(seen.len(), 6);
    for (reset, count) in per_window(&seen) {
        assert!(count <= 3, "{count} requests in the window ending {reset}");
    }
    sb.shutdown().await;
}

fn page(ids: &[&str], cursor: Option<&str>) -> Reply {
    let rows: Vec<Value> = ids.iter().map(|id| json!({"id": id})).collect();
    Reply::data(
        200,
        Value::Array(rows),
        json!({"next_cursor": cursor, "total": 6}),
    )
}

#[tokio::test]
async fn a_next_cursor_is_followed_one_page_at_a_time() {
    let server = ScriptedServer::start().await;
    server.push(page(&["a", "b"], Some("c1")));
    server.push(page(&["c", "d"], Some("c2")));
    server.push(page(&["e", "f"], None));
    let client = server.client();
    let mut stream =
        FindingsStream::<Finding>::new(&client, FindingQuery::default(), 2, None, MAX_AHEAD);
    let mut ids = Vec::new();
    while let Some(page) = stream.next_page().await.unwrap() {
        assert!(
            stream.in_flight() <= 1,
            "a cursor is known only from its page"
        );
        ids.extend(page.items.iter().map(|f| f.id.clone()));
    }
    assert_eq!(ids, ["a", "b", "c", "d", "e", "f"]);
    let got = server.requests();
    assert_eq!(got.len(), 3);
    assert_eq!(got[0].param("offset").as_deref(), Some("0"));
    assert_eq!(got[1].param("cursor").as_deref(), Some("c1"));
    assert_eq!(got[2].param("cursor").as_deref(), Some("c2"));
    assert_eq!(got[2].param("offset"), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_limit_stops_the_walk_and_its_requests() {
    let sb = sandbox(generated(1_500, None)).await;
    let relay = Relay::start(sb.addr).await;
    let client = client_with(&sb, &relay.base_url, &sb.write_key);
    let mut stream =
        FindingsStream::<Finding>::new(&client, FindingQuery::default(), 100, Some(250), MAX_AHEAD);
    let ids = ids_of(&mut stream).await;
    assert_eq!(ids.len(), 250);
    let limits: Vec<String> = relay
        .seen()
        .iter()
        .map(|s| s.path.split("limit=").nth(1).unwrap_or("").to_string())
        .collect();
    assert_eq!(limits.len(), 3, "{limits:?}");
    assert!(
        limits.iter().any(|l| l.starts_with("50")),
        "the last page asks for 50: {limits:?}"
    );
    sb.shutdown().await;
}
