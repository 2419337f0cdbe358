//! The client on the remediation path, against a scripted server: an
//! approval is sent once and a failed answer is checked by reading the
//! verification back; a missing `GET /verifications/{id}` is remembered;
//! a 404 on a sandbox route names the feature, not the ids; a finding's
//! newest task is found without walking every task each time.

mod support;

use krafter::api::ApiError;
use krafter::api::remediation::{ApprovalError, approve, read_verification};
use krafter::engine::task_index::TaskIndex;
use serde_json::{Value, json};
use support::{KEY, Reply, ScriptedServer, audit};

fn verification(approved: bool) -> Value {
    json!({
        "id": "v-1", "task_id": "t-1", "result": "passed",
        "checks": [{"key": "security.csp_missing", "before": "", "after": "default-src 'self'", "status": "passed"}],
        "verified_by_id": if approved { json!("u-1") } else { Value::Null },
        "verified_at": if approved { json!("2025-06-15T10:00:00Z") } else { Value::Null },
        "created_at": "2025-06-15T09:59:00Z"
    })
}

fn seen(server: &ScriptedServer) -> Vec<(String, String)> {
    server
        .requests()
        .iter()
        .map(|r| (r.method.to_string(), r.path.clone()))
        .collect()
}

fn post_approve() -> (String, String) {
    ("POST".into(), audit("/verifications/v-1/approve"))
}

fn get_one() -> (String, String) {
    ("GET".into(), audit("/verifications/v-1"))
}

#[tokio::test]
async fn an_approval_answered_502_after_the_server_applied_it_is_reported_approved() {
    let server = ScriptedServer::start().await;
    server
        .push(Reply::error(
            502,
            "bad_gateway",
            "upstream timed out",
            "req-502",
        ))
        .push(Reply::data(
            200,
            verification(true),
            json!({"request_id": "req-read"}),
        ));
    // Retries allowed: the approval must still be sent once.
    let approval = approve(&server.client(), "v-1").await.expect("approved");
    assert!(approval.verification.typed.verified_at.is_some());
    assert_eq!(approval.verification.raw["verified_by_id"], "u-1");
    let despite = approval.despite.expect("the failed answer is kept");
    assert_eq!(despite.status(), Some(502));
    assert_eq!(
        seen(&server),
        [post_approve(), get_one()],
        "sent once, then read back"
    );
}

#[tokio::test]
async fn an_approval_not_applied_says_so_and_approving_again_is_safe() {
    let server = ScriptedServer::start().await;
    server
        .push(Reply::error(503, "unavailable", "try again", "req-503"))
        .push(Reply::data(200, verification(false), json!({})));
    let err = approve(&server.client(), "v-1").await.unwrap_err();
    assert!(matches!(err, ApprovalError::NotApplied { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("still unapproved") && text.contains("HTTP 503"),
        "{text}"
    );
    assert_eq!(seen(&server), [post_approve(), get_one()]);
}

#[tokio::test]
async fn a_dropped_connection_then_a_failed_read_back_leaves_the_outcome_unknown() {
    let server = ScriptedServer::start().await;
    server
        .push(Reply::drop_connection())
        .push(Reply::error(500, "internal", "boom", "req-500"));
    let err = approve(&server.client(), "v-1").await.unwrap_err();
    assert!(err.outcome_unknown(), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("unknown") && text.contains("krafter verifications"),
        "{text}"
    );
    assert!(!text.contains(KEY));
    let got = seen(&server);
    assert_eq!(got[0], post_approve());
    assert_eq!(
        got.iter().filter(|r| **r == post_approve()).count(),
        1,
        "never resent blindly: {got:?}"
    );
}

#[tokio::test]
async fn a_refused_approval_is_not_read_back() {
    let server = ScriptedServer::start().await;
    server.push(Reply::error(
        422,
        "verification_not_passed",
        "only a passed verification can be approved",
        "req-422",
    ));
    let err = approve(&server.client(), "v-1").await.unwrap_err();
    assert!(matches!(err, ApprovalError::Refused(_)), "{err:?}");
    assert_eq!(seen(&server), [post_approve()]);
}

#[tokio::test]
async fn a_missing_single_verification_route_is_remembered_for_the_session() {
    let server = ScriptedServer::start().await;
    let list = |result: &str| {
        let mut v = verification(false);
        v["result"] = json!(result);
        Reply::data(200, json!([v]), json!({"next_cursor": null, "total": 1}))
    };
    server
        .push(Reply::raw(404, "text/html", "<h1>Not Found</h1>"))
        .push(list("pending"))
        .push(list("passed"));
    let client = server.client();
    let first = read_verification(&client, "v-1")
        .await
        .expect("from the list");
    assert_eq!(first.result.as_str(), "pending");
    // The next poll goes straight to the list.
    let second = read_verification(&client, "v-1")
        .await
        .expect("from the list");
    assert_eq!(second.result.as_str(), "passed");
    assert_eq!(
        seen(&server),
        [
            get_one(),
            ("GET".into(), audit("/verifications")),
            ("GET".into(), audit("/verifications")),
        ]
    );
    // Another client (another session) finds out for itself.
    server.push(Reply::data(200, verification(false), json!({})));
    read_verification(&server.client(), "v-1")
        .await
        .expect("read");
    assert_eq!(seen(&server).last(), Some(&get_one()));
}

#[tokio::test]
async fn a_404_on_a_sandbox_route_says_the_service_does_not_offer_it() {
    let server = ScriptedServer::start().await;
    server.push(Reply::error(404, "not_found", "no such route", "req-404"));
    let err: ApiError = server
        .client()
        .list_regressions(None, None, None)
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(err.is_not_found() && err.is_not_offered(), "{err:?}");
    assert!(text.contains("does not offer regressions"), "{text}");
    assert!(!text.contains("org and project"), "{text}");
    assert!(text.contains("req-404"), "{text}");

    // A 404 on a route of the documented contract keeps its own advice.
    server.push(Reply::error(404, "not_found", "no such finding", "req-405"));
    let err = server.client().get_finding("f-9").await.unwrap_err();
    assert!(!err.is_not_offered());
    assert!(err.to_string().contains("org and project"), "{err}");
}

fn task(id: &str, finding: &str, created: &str) -> Value {
    json!({"id": id, "finding_id": finding, "title": "x", "status": "backlog",
           "priority": "medium", "created_at": created})
}

fn tasks_page(items: Vec<Value>, next: Option<&str>) -> Reply {
    Reply::data(200, json!(items), json!({"next_cursor": next, "total": 5}))
}

#[tokio::test]
async fn the_task_index_reads_only_new_tasks_once_it_has_looked() {
    let server = ScriptedServer::start().await;
    let client = server.client();
    let mut index = TaskIndex::new();
    // First look: pages from the top until the finding turns up.
    server
        .push(tasks_page(
            vec![
                task("t-5", "f-5", "2025-06-15T05:00:00Z"),
                task("t-4", "f-4", "2025-06-15T04:00:00Z"),
            ],
            Some("c1"),
        ))
        .push(tasks_page(
            vec![
                task("t-3", "f-3", "2025-06-15T03:00:00Z"),
                task("t-2", "f-2", "2025-06-15T02:00:00Z"),
            ],
            Some("c2"),
        ));
    let t = index.newest_task_of(&client, "f-3").await.unwrap();
    assert_eq!(t.map(|t| t.id), Some("t-3".into()));
    assert_eq!(server.requests().len(), 2, "stops where it found it");

    // A finding already seen: one short page of what is new, nothing more.
    server.push(tasks_page(
        vec![
            task("t-6", "f-4", "2025-06-15T06:00:00Z"),
            task("t-5", "f-5", "2025-06-15T05:00:00Z"),
        ],
        Some("c3"),
    ));
    let t = index.newest_task_of(&client, "f-4").await.unwrap();
    assert_eq!(t.map(|t| t.id), Some("t-6".into()), "the newer task wins");
    let got = server.requests();
    assert_eq!(got.len(), 3);
    assert_eq!(got[2].param("cursor"), None, "from the top");
    assert_eq!(got[2].param("limit").as_deref(), Some("20"));

    // An older finding: the new tasks, then on from where the walk stopped.
    server
        .push(tasks_page(
            vec![task("t-6", "f-4", "2025-06-15T06:00:00Z")],
            Some("c4"),
        ))
        .push(tasks_page(
            vec![task("t-1", "f-1", "2025-06-15T01:00:00Z")],
            None,
        ));
    let t = index.newest_task_of(&client, "f-1").await.unwrap();
    assert_eq!(t.map(|t| t.id), Some("t-1".into()));
    let got = server.requests();
    assert_eq!(got.len(), 5);
    assert_eq!(
        got[4].param("cursor").as_deref(),
        Some("c2"),
        "resumed, not restarted"
    );

    // A finding with no task, once every page is read: only the new ones.
    server.push(tasks_page(
        vec![task("t-6", "f-4", "2025-06-15T06:00:00Z")],
        None,
    ));
    assert!(
        index
            .newest_task_of(&client, "f-0")
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(server.requests().len(), 6);
}
