//! The quickstart's documented bodies, served over real HTTP, decode through
//! the client with every field reachable, and serialise back to what the
//! server sent (exports lose nothing).

mod support;

use krafter::api::model::*;
use krafter::api::paginate::fetch_all_findings;
use serde_json::Value;
use support::{Reply, ScriptedServer, fixture};

/// Exactly the same JSON: the same values with numbers in the same form
/// (`14` is not `14.0`), and the same key order (compared as text, since
/// map equality ignores order).
fn assert_same_json(got: &Value, sent: &Value) {
    assert_eq!(got, sent);
    assert_eq!(
        serde_json::to_string(got).unwrap(),
        serde_json::to_string(sent).unwrap()
    );
}

#[test]
fn the_comparison_tells_14_from_14_0_and_key_order() {
    let int = serde_json::json!({"a": 14, "b": 1});
    let float: Value = serde_json::from_str(r#"{"a": 14.0, "b": 1}"#).unwrap();
    let swapped: Value = serde_json::from_str(r#"{"b": 1, "a": 14}"#).unwrap();
    for other in [float, swapped] {
        let same = std::panic::catch_unwind(|| assert_same_json(&int, &other));
        assert!(same.is_err(), "{int} passed as {other}");
    }
}

#[tokio::test]
async fn scan_202_decodes_with_every_field() {
    let server = ScriptedServer::start().await;
    let body = fixture("quickstart_scan_202.json");
    server.push(Reply::json(202, body.clone()));
    let client = server.client();

    let scan = client
        .get_scan("a1b2c3d4-5e6f-7a8b-9c0d-1e2f3a4b5c6d")
        .await
        .unwrap();

    assert_eq!(scan.id, "a1b2c3d4-5e6f-7a8b-9c0d-1e2f3a4b5c6d");
    assert_eq!(
        scan.org_id.as_deref(),
        Some("11111111-1111-1111-1111-111111111111")
    );
    assert_eq!(scan.project_id.as_deref(), Some("production-website"));
    assert_eq!(scan.trigger, ScanTrigger::Manual);
    assert_eq!(scan.status, ScanStatus::Queued);
    assert_eq!(scan.summary, serde_json::json!({}));
    assert_eq!(
        scan.started_at.as_ref().unwrap().raw(),
        "2025-06-15T10:00:00Z"
    );
    assert!(
        scan.finished_at.as_ref().unwrap().get().is_none(),
        "null finished_at"
    );
    assert!(scan.inserted_at.as_ref().unwrap().get().is_some());
    assert!(
        scan.created().is_some(),
        "inserted_at counts as the creation time"
    );
    assert!(scan.updated_at.as_ref().unwrap().get().is_some());
    assert!(
        scan.extra.is_empty(),
        "no field left unnamed: {:?}",
        scan.extra
    );
    // The typed view writes back the same values, numbers in the same form.
    assert_eq!(serde_json::to_value(&scan).unwrap(), body["data"]);
    server.push(Reply::json(202, body.clone()));
    let sent = client
        .get_scan_as_sent("a1b2c3d4-5e6f-7a8b-9c0d-1e2f3a4b5c6d")
        .await
        .unwrap();
    assert_same_json(&serde_json::to_value(&sent).unwrap(), &body["data"]);
}

#[tokio::test]
async fn command_center_decodes_with_every_field() {
    let server = ScriptedServer::start().await;
    let body = fixture("quickstart_command_center.json");
    server.push(Reply::json(200, body.clone()));

    server.push(Reply::json(200, body.clone()));
    let client = server.client();
    let cc = client.command_center().await.unwrap();

    assert_eq!(
        cc.org_id.as_deref(),
        Some("11111111-1111-1111-1111-111111111111")
    );
    assert_eq!(cc.project_id.as_deref(), Some("production-website"));
    assert_eq!(cc.period.from_date().unwrap().to_string(), "2025-06-09");
    assert_eq!(cc.period.to_date().unwrap().to_string(), "2025-06-15");
    assert_eq!(cc.health_score, Some(67));
    assert_eq!(cc.unresolved_findings, Some(11));
    assert_eq!(cc.critical_findings, Some(2));
    let top = &cc.top_priorities[0];
    assert_eq!(top.id, "d4e5f6a7-8b9c-0d1e-2f3a-4b5c6d7e8f9a");
    assert_eq!(top.title, "Missing Content-Security-Policy header");
    assert_eq!(top.severity, Severity::Critical);
    assert_eq!(top.status, FindingStatus::New);
    assert_eq!(top.domain, Domain::Security);
    let p = &top.priority;
    assert_eq!(
        (p.impact, p.effort, p.risk, p.score),
        (Some(80), Some(20), Some(90), Some(88))
    );
    let impact = &cc.expected_impact;
    assert_eq!(impact.cwv_improvement_pct, Some(14.0));
    assert_eq!(impact.security_risk_reduction_pct, Some(27.0));
    assert_eq!(impact.regression_risk_pct, Some(16.0));
    assert!(cc.extra.is_empty() && top.extra.is_empty());
    // The typed view holds the percentages as floats, so exports write
    // the answer as sent, which keeps `14` an integer.
    let sent = client.command_center_as_sent().await.unwrap();
    assert_same_json(&serde_json::to_value(&sent).unwrap(), &body["data"]);
}

#[tokio::test]
async fn findings_list_decodes_with_every_field_and_meta() {
    let server = ScriptedServer::start().await;
    let body = fixture("quickstart_findings.json");
    server.push(Reply::json(200, body.clone()));
    let client = server.client();
    let query = FindingQuery {
        severity: Some(Severity::Critical),
        ..FindingQuery::default()
    };

    let page = client.list_findings(&query, 0, 10).await.unwrap();

    assert_eq!(page.total, Some(1));
    assert_eq!(page.next_cursor, None);
    assert_eq!(page.request_id.as_deref(), Some("H-pzd9tQM3wYgSCCCFVl"));
    let f = &page.items[0];
    assert_eq!(f.id, "d4e5f6a7-8b9c-0d1e-2f3a-4b5c6d7e8f9a");
    assert_eq!(
        f.org_id.as_deref(),
        Some("11111111-1111-1111-1111-111111111111")
    );
    assert_eq!(f.project_id.as_deref(), Some("production-website"));
    assert_eq!(f.domain, Domain::Security);
    assert_eq!(f.title, "Missing Content-Security-Policy header");
    assert!(f.description.starts_with("The application does not set"));
    assert_eq!(f.severity, Severity::Critical);
    assert_eq!(f.status, FindingStatus::New);
    assert_eq!(f.confidence, Some(0.95));
    assert_eq!(f.score(), 88);
    assert_eq!(f.priority.impact, Some(80));
    assert_eq!(f.owner_id, None);
    assert_eq!(f.primary_url(), Some("https://example.com"));
    assert_eq!(f.affected_assets[0].kind, "url");
    assert!(f.evidence.is_empty());
    assert!(
        f.recommended_fix
            .summary
            .starts_with("Add a Content-Security-Policy")
    );
    assert_eq!(f.recommended_fix.steps.len(), 3);
    assert_eq!(f.recommended_fix.estimated_minutes, Some(60));
    assert!(f.created().is_some());
    assert_eq!(f.updated_at.as_ref().unwrap().raw(), "2025-06-15T10:05:00Z");
    assert!(f.extra.is_empty());
    assert_eq!(serde_json::to_value(f).unwrap(), body["data"][0]);

    let sent = &server.requests()[0];
    assert_eq!(sent.path, support::audit("/findings"));
    assert_eq!(sent.param("severity").as_deref(), Some("critical"));
    assert_eq!(sent.param("limit").as_deref(), Some("10"));
    assert_eq!(sent.param("offset").as_deref(), Some("0"));

    // The same body ends a "fetch all" after one page: total reached.
    server.push(Reply::json(200, body.clone()));
    let all = fetch_all_findings(&client, &query, 100, |_| {})
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(server.requests().len(), 2);

    // What `krafter findings --format json` writes: the rows as sent.
    server.push(Reply::json(200, body.clone()));
    let exported = fetch_all_findings_as_sent(&client, &query).await;
    assert_same_json(&serde_json::to_value(&exported).unwrap(), &body["data"]);
}

async fn fetch_all_findings_as_sent(
    client: &krafter::api::Client,
    query: &FindingQuery,
) -> Vec<AsSent<Finding>> {
    let page = client
        .findings_page::<AsSent<Finding>>(
            query,
            &krafter::api::paginate::FindingsPosition::Offset(0),
            100,
        )
        .await
        .unwrap();
    page.items
}

#[tokio::test]
async fn a_gzip_encoded_page_is_decoded() {
    use std::io::Write;
    let body = fixture("quickstart_findings.json").to_string();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(body.as_bytes()).unwrap();
    let server = ScriptedServer::start().await;
    server.push(
        Reply::raw(200, "application/json", gz.finish().unwrap())
            .header("content-encoding", "gzip"),
    );

    let page = server
        .client()
        .list_findings(&FindingQuery::default(), 0, 10)
        .await
        .unwrap();
    assert_eq!(page.items[0].score(), 88);
}
