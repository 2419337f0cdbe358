//! Pagination to the end over real HTTP, for both kinds of list, and
//! tolerant decoding of what a newer server may send.

mod support;

use krafter::api::model::*;
use krafter::api::paginate::*;
use serde_json::{Value, json};
use support::{Reply, ScriptedServer, audit};

fn finding(id: &str) -> Value {
    json!({"id": id, "title": format!("finding {id}"), "severity": "high", "status": "new",
           "domain": "security", "priority": {"score": 50}})
}

fn findings(ids: &[&str], total: Option<u64>, cursor: Option<&str>) -> Reply {
    let rows: Vec<Value> = ids.iter().map(|id| finding(id)).collect();
    let mut meta = json!({"request_id": "r", "next_cursor": cursor});
    if let Some(t) = total {
        meta["total"] = json!(t);
    }
    Reply::data(200, Value::Array(rows), meta)
}

fn rows(ids: &[&str], cursor: Option<&str>, total: u64) -> Reply {
    let rows: Vec<Value> = ids.iter().map(|id| json!({"id": id})).collect();
    Reply::data(
        200,
        Value::Array(rows),
        json!({"next_cursor": cursor, "total": total}),
    )
}

fn ids(items: &[Finding]) -> Vec<&str> {
    items.iter().map(|f| f.id.as_str()).collect()
}

#[tokio::test]
async fn offset_pages_follow_rows_received_until_total() {
    let server = ScriptedServer::start().await;
    // Asked for 5 a page, the server sends at most 2: pages of 2, 2, 1.
    server.push(findings(&["a", "b"], Some(5), None));
    server.push(findings(&["c", "d"], Some(5), None));
    server.push(findings(&["e"], Some(5), None));
    let query = FindingQuery {
        status: Some(FindingStatus::New),
        ..FindingQuery::default()
    };
    let mut seen = Vec::new();

    let all = fetch_all_findings(&server.client(), &query, 5, |p| seen.push(p))
        .await
        .unwrap();

    assert_eq!(ids(&all), ["a", "b", "c", "d", "e"]);
    let got = server.requests();
    assert_eq!(got.len(), 3, "no request after the total is reached");
    let offsets: Vec<_> = got.iter().map(|r| r.param("offset").unwrap()).collect();
    assert_eq!(offsets, ["0", "2", "4"]);
    assert!(got.iter().all(|r| r.param("limit").as_deref() == Some("5")));
    assert!(
        got.iter()
            .all(|r| r.param("status").as_deref() == Some("new"))
    );
    let fetched: Vec<_> = seen.iter().map(|p| (p.fetched, p.total)).collect();
    assert_eq!(fetched, [(2, Some(5)), (4, Some(5)), (5, Some(5))]);
}

#[tokio::test]
async fn without_a_total_an_empty_page_ends_the_walk() {
    let server = ScriptedServer::start().await;
    server.push(findings(&["a", "b"], None, None));
    server.push(findings(&["c"], None, None));
    server.push(findings(&[], None, None));
    let all = fetch_all_findings(&server.client(), &FindingQuery::default(), 2, |_| {})
        .await
        .unwrap();
    assert_eq!(ids(&all), ["a", "b", "c"]);
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_next_cursor_on_findings_is_followed() {
    let server = ScriptedServer::start().await;
    server.push(findings(&["a", "b"], Some(4), Some("opaque/+=1")));
    server.push(findings(&["c", "d"], Some(4), None));
    let client = server.client();

    // Page by page, as the TUI loads lazily.
    let mut pager = FindingsPager::new(FindingQuery::default(), 2);
    let first = pager.next_page(&client).await.unwrap().unwrap();
    assert_eq!(ids(&first.items), ["a", "b"]);
    assert_eq!(
        pager.next_position(),
        Some(&FindingsPosition::Cursor("opaque/+=1".into()))
    );
    let second = pager.next_page(&client).await.unwrap().unwrap();
    assert_eq!(ids(&second.items), ["c", "d"]);
    assert!(pager.is_done());
    assert!(pager.next_page(&client).await.unwrap().is_none());

    let got = server.requests();
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].param("cursor").as_deref(), Some("opaque/+=1"));
    assert_eq!(got[1].param("offset"), None);
}

#[tokio::test]
async fn cursor_lists_are_walked_to_the_end() {
    let server = ScriptedServer::start().await;
    server.push(rows(&["t1", "t2"], Some("c1"), 5));
    server.push(rows(&["t3", "t4"], Some("c2"), 5));
    server.push(rows(&["t5"], None, 5));
    let client = server.client();
    let mut last = None;

    let tasks = fetch_all_tasks(&client, Some(&TaskStatus::Blocked), 2, |p| last = Some(p))
        .await
        .unwrap();

    let got_ids: Vec<_> = tasks.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(got_ids, ["t1", "t2", "t3", "t4", "t5"]);
    assert_eq!(
        last,
        Some(Progress {
            fetched: 5,
            total: Some(5)
        })
    );
    let got = server.requests();
    let cursors: Vec<_> = got.iter().map(|r| r.param("cursor")).collect();
    assert_eq!(cursors, [None, Some("c1".into()), Some("c2".into())]);
    assert!(got.iter().all(|r| r.path == audit("/tasks")));
    assert!(
        got.iter()
            .all(|r| r.param("status").as_deref() == Some("blocked"))
    );
    assert!(got.iter().all(|r| r.param("limit").as_deref() == Some("2")));
}

#[tokio::test]
async fn every_cursor_list_uses_its_route() {
    let server = ScriptedServer::start().await;
    for _ in 0..3 {
        server.push(rows(&["x"], None, 1));
    }
    let client = server.client();
    assert_eq!(
        fetch_all_verifications(&client, 50, |_| {})
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(fetch_all_scans(&client, 50, |_| {}).await.unwrap().len(), 1);
    let open = RegressionStatus::Open;
    assert_eq!(
        fetch_all_regressions(&client, Some(&open), 50, |_| {})
            .await
            .unwrap()
            .len(),
        1
    );
    let paths: Vec<_> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        [
            audit("/verifications"),
            audit("/scans"),
            audit("/regressions")
        ]
    );
}

#[tokio::test]
async fn a_sandbox_route_missing_on_the_real_service_is_not_found() {
    let server = ScriptedServer::start().await;
    server.push(Reply::json(404, json!({"error": "Not Found"})));
    let err = fetch_all_regressions(&server.client(), None, 50, |_| {})
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "callers degrade on this: {err}");
}

#[tokio::test]
async fn unknown_enum_values_are_kept_and_shown_as_sent() {
    let server = ScriptedServer::start().await;
    let mut row = finding("f1");
    row["severity"] = json!("catastrophic");
    row["domain"] = json!("privacy");
    row["status"] = json!("quarantined");
    server.push(Reply::data(200, json!([row]), json!({"total": 1})));

    let page = server
        .client()
        .list_findings(&FindingQuery::default(), 0, 50)
        .await
        .unwrap();
    let f = &page.items[0];
    assert_eq!(f.severity, Severity::Other("catastrophic".into()));
    assert_eq!(f.severity.to_string(), "catastrophic");
    assert_eq!(f.domain.as_str(), "privacy");
    assert_eq!(f.status.as_str(), "quarantined");
    let back = serde_json::to_value(f).unwrap();
    assert_eq!(back["severity"], "catastrophic");
}

#[tokio::test]
async fn unknown_fields_survive_into_an_export() {
    let server = ScriptedServer::start().await;
    let mut row = finding("f1");
    row["cvss"] = json!(9.8);
    row["tags"] = json!(["pci", "edge"]);
    row["check"] = json!("security.csp_missing");
    row["recommended_fix"] = json!({"summary": "s", "steps": [], "docs_url": "https://d"});
    row["affected_assets"] = json!([{"type": "url", "value": "https://e", "port": 443}]);
    row["evidence"] = json!([{"type": "header", "label": "csp", "value": "none", "seen": 3}]);
    server.push(Reply::data(200, json!([row]), json!({"total": 1})));

    let all = fetch_all_findings(&server.client(), &FindingQuery::default(), 50, |_| {})
        .await
        .unwrap();
    let exported = serde_json::to_value(&all[0]).unwrap();
    assert_eq!(exported["cvss"], 9.8);
    assert_eq!(exported["tags"], json!(["pci", "edge"]));
    assert_eq!(exported["check"], "security.csp_missing");
    assert_eq!(exported["recommended_fix"]["docs_url"], "https://d");
    assert_eq!(exported["affected_assets"][0]["port"], 443);
    assert_eq!(exported["evidence"][0]["seen"], 3);
}

#[tokio::test]
async fn a_server_that_ignores_the_offset_is_not_walked_forever() {
    let server = ScriptedServer::start().await;
    server.push(findings(&["a", "b"], None, None));
    server.push(findings(&["a", "b"], None, None));
    server.push(findings(&["a", "b"], None, None));
    let all = fetch_all_findings(&server.client(), &FindingQuery::default(), 2, |_| {})
        .await
        .unwrap();
    assert_eq!(
        ids(&all),
        ["a", "b"],
        "the repeated page is not added twice"
    );
    assert_eq!(server.requests().len(), 2);
}
