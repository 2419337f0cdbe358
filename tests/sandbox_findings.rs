//! `/findings` of `krafter serve`: offset paging, order, filters,
//! validation and the manual lifecycle.

mod support_sandbox;

use std::collections::HashSet;

use krafter::sandbox::{DataSource, SandboxOptions};
use serde_json::{Value, json};
use support_sandbox::Api;
use support_sandbox::fixture::{F, U1, U2, small_options};

fn ids(reply: &Value) -> Vec<String> {
    reply["data"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|f| f["id"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn offset_paging_walks_every_demo_finding_in_priority_order() {
    let api = Api::start(SandboxOptions::for_tests().with_data(DataSource::Demo)).await;
    let mut rows: Vec<Value> = Vec::new();
    let mut total = None;
    loop {
        let reply = api
            .get(&format!("/findings?limit=7&offset={}", rows.len()))
            .await;
        assert_eq!(reply.status, 200);
        assert!(reply.body["meta"]["next_cursor"].is_null());
        let t = reply.body["meta"]["total"].as_u64().expect("total");
        assert_eq!(*total.get_or_insert(t), t, "total is stable");
        let page = reply.body["data"].as_array().expect("a list").clone();
        if page.is_empty() {
            break;
        }
        rows.extend(page);
    }
    let total = total.expect("one page") as usize;
    assert!(total > 40, "the demo project has many findings ({total})");
    assert_eq!(rows.len(), total);
    let unique: HashSet<&str> = rows.iter().filter_map(|f| f["id"].as_str()).collect();
    assert_eq!(unique.len(), total);
    let keys: Vec<(u64, String)> = rows
        .iter()
        .map(|f| {
            (
                f["priority"]["score"].as_u64().unwrap(),
                f["created_at"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        keys.windows(2).all(|w| w[0] >= w[1]),
        "score desc, then created desc"
    );
    // Every domain, severity and status is present in the demo's projects.
    let mut seen = HashSet::new();
    for project in &api.sandbox.projects {
        let reply = api.get_in(project, "/findings?limit=100").await;
        for f in reply.body["data"].as_array().unwrap() {
            for field in ["domain", "severity", "status"] {
                seen.insert(f[field].as_str().unwrap().to_string());
            }
        }
    }
    for value in [
        "security",
        "performance",
        "seo",
        "accessibility",
        "critical",
        "high",
        "medium",
        "low",
        "new",
        "triaged",
        "in_progress",
        "ready_verify",
        "resolved",
        "dismissed",
    ] {
        assert!(seen.contains(value), "the demo has no {value}");
    }
}

#[tokio::test]
async fn limit_is_clamped_and_bad_numbers_are_refused() {
    let api = Api::start(SandboxOptions::for_tests().with_data(DataSource::Generate(400))).await;
    let reply = api.get("/findings").await;
    assert_eq!(
        reply.body["data"].as_array().unwrap().len(),
        50,
        "default limit"
    );
    let total = reply.body["meta"]["total"].as_u64().unwrap();
    let reply = api.get("/findings?limit=1000").await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.body["data"].as_array().unwrap().len(),
        100,
        "clamped to 100"
    );
    let last = api
        .get(&format!("/findings?limit=100&offset={}", total - 3))
        .await;
    assert_eq!(last.body["data"].as_array().unwrap().len(), 3);
    for query in ["limit=-1", "limit=abc", "offset=-3", "offset=x", "limit=0"] {
        let reply = api.get(&format!("/findings?{query}")).await;
        assert_eq!(reply.status, 422, "{query}");
        assert_eq!(reply.code(), Some("invalid_params"));
        reply.assert_request_id();
    }
}

#[tokio::test]
async fn generated_data_sets_are_deterministic_and_sized() {
    let a = Api::start(SandboxOptions::for_tests().with_data(DataSource::Generate(120))).await;
    let b = Api::start(SandboxOptions::for_tests().with_data(DataSource::Generate(120))).await;
    let mut total = 0;
    for project in &a.sandbox.projects {
        total += a.get_in(project, "/findings?limit=1").await.body["meta"]["total"]
            .as_u64()
            .unwrap();
    }
    assert_eq!(total, 120);
    assert_eq!(
        ids(&a.get("/findings?limit=20").await.body),
        ids(&b.get("/findings?limit=20").await.body)
    );
}

#[tokio::test]
async fn filters_narrow_the_list_and_count() {
    let (options, _dir) = small_options();
    let api = Api::start(options).await;
    let by_owner = format!("owner_id={U1}");
    let cases: Vec<(&str, Vec<&str>)> = vec![
        ("severity=critical", vec![F[7], F[1]]),
        ("status=new", vec![F[7], F[1], F[4], F[8]]),
        ("domain=performance", vec![F[3], F[9]]),
        ("owner_id=none", vec![F[7], F[1], F[6], F[4], F[8]]),
        (&by_owner, vec![F[2], F[5]]),
        ("q=COOKIE", vec![F[1]]),
        ("q=description%20of%20finding%209", vec![F[9]]),
        ("severity=low&status=triaged", vec![F[9]]),
    ];
    for (query, expected) in cases {
        let reply = api.get(&format!("/findings?{query}")).await;
        assert_eq!(reply.status, 200, "{query}");
        assert_eq!(ids(&reply.body), expected, "{query}");
        assert_eq!(reply.body["meta"]["total"], expected.len(), "{query}");
    }
    for query in [
        "severity=catastrophic",
        "status=done",
        "domain=legal",
        "owner_id=bob",
    ] {
        let reply = api.get(&format!("/findings?{query}")).await;
        assert_eq!(reply.status, 422, "{query}");
        assert_eq!(reply.code(), Some("invalid_params"));
    }
}

#[tokio::test]
async fn one_finding_has_the_documented_shape() {
    let (options, _dir) = small_options();
    let api = Api::start(options).await;
    let reply = api.get(&format!("/findings/{}", F[2])).await;
    assert_eq!(reply.status, 200);
    let f = &reply.body["data"];
    for field in [
        "id",
        "org_id",
        "project_id",
        "domain",
        "title",
        "description",
        "severity",
        "status",
        "confidence",
        "priority",
        "owner_id",
        "affected_assets",
        "evidence",
        "recommended_fix",
        "created_at",
        "updated_at",
        "check",
        "first_seen_at",
        "last_seen_at",
    ] {
        assert!(f.get(field).is_some(), "missing {field}");
    }
    assert_eq!(f["owner_id"], U1);
    assert_eq!(
        f["affected_assets"][0],
        json!({"type": "url", "value": "https://shop.example.com/page-2"})
    );
    assert_eq!(f["evidence"][0]["type"], "header");
    assert!(f["created_at"].as_str().unwrap().ends_with('Z'));
}

#[tokio::test]
async fn patch_follows_the_lifecycle_and_names_the_allowed_moves() {
    let (options, _dir) = small_options();
    let api = Api::start(options).await;
    let path = format!("/findings/{}", F[4]);
    let reply = api.patch(&path, json!({"status": "in_progress"})).await;
    assert_eq!(reply.status, 422);
    assert_eq!(reply.code(), Some("invalid_transition"));
    let message = reply.body["error"]["message"].as_str().unwrap();
    assert!(message.contains("triaged, dismissed"), "{message}");
    let reply = api.patch(&path, json!({"status": "resolved"})).await;
    assert_eq!(reply.code(), Some("invalid_transition"));
    assert!(
        reply.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("verification")
    );
    // Nothing changed by the refused patches.
    assert_eq!(api.get(&path).await.body["data"]["status"], "new");

    let reply = api
        .patch(
            &path,
            json!({"status": "triaged", "owner_id": U2, "severity": "high"}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let f = &reply.body["data"];
    assert_eq!(
        (
            f["status"].as_str(),
            f["owner_id"].as_str(),
            f["severity"].as_str()
        ),
        (Some("triaged"), Some(U2), Some("high"))
    );
    // Setting the current status again is a no-op 200; null unassigns.
    let reply = api
        .patch(&path, json!({"status": "triaged", "owner_id": null}))
        .await;
    assert_eq!(reply.status, 200);
    assert!(reply.body["data"]["owner_id"].is_null());
    assert_eq!(api.get(&path).await.body["data"]["owner_id"], Value::Null);
    // Resolved findings cannot be moved by hand.
    let reply = api
        .patch(&format!("/findings/{}", F[5]), json!({"status": "new"}))
        .await;
    assert_eq!(reply.code(), Some("invalid_transition"));
    // Dismissed findings can be reopened.
    let reply = api
        .patch(&format!("/findings/{}", F[6]), json!({"status": "new"}))
        .await;
    assert_eq!(reply.status, 200);
}

#[tokio::test]
async fn malformed_bodies_are_400_and_bad_values_422() {
    let (options, _dir) = small_options();
    let api = Api::start(options).await;
    let url = api.url(&format!("/findings/{}", F[4]));
    for body in ["{", "[1,2]", "\"status\"", ""] {
        let reply = api
            .send_raw("PATCH", &url, Some(&api.key), Some(body.into()))
            .await;
        assert_eq!(reply.status, 400, "{body:?}");
        assert_eq!(reply.code(), Some("bad_request"));
        reply.assert_request_id();
    }
    let cases = [
        (json!({"status": 5}), 400, "bad_request"),
        (json!({"owner_id": 12}), 400, "bad_request"),
        (json!({"status": "done"}), 422, "invalid_params"),
        (json!({"severity": "catastrophic"}), 422, "invalid_params"),
        (json!({"owner_id": "not-a-uuid"}), 422, "invalid_params"),
    ];
    for (body, status, code) in cases {
        let reply = api
            .patch(&format!("/findings/{}", F[4]), body.clone())
            .await;
        assert_eq!((reply.status, reply.code()), (status, Some(code)), "{body}");
    }
}
