//! Tasks, verifications and regressions of `krafter serve`: creation, SLA,
//! lifecycle, mirroring onto findings, approval effects, cursor paging.

mod support_sandbox;

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use support_sandbox::Api;
use support_sandbox::fixture::{F, R1, R2, T1, T2, T3, U1, U2, V1, V2, V3, small_options};

fn time(v: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(v.as_str().expect("a time"))
        .expect("RFC 3339")
        .with_timezone(&Utc)
}

#[tokio::test]
async fn a_new_task_starts_in_backlog_with_an_sla_from_the_policy() {
    let (options, _dir) = small_options();
    let api = Api::start(options).await;
    let reply = api
        .post(
            "/tasks",
            json!({"finding_id": F[1], "title": "Mark the cookie Secure", "owner_id": U2}),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    let task = &reply.body["data"];
    assert_eq!(task["status"], "backlog");
    assert_eq!(task["priority"], "medium");
    assert_eq!(task["owner_id"], U2);
    assert!(task["external_ticket_key"].is_null() && task["pr_url"].is_null());
    // F1 is critical: 24 hours.
    let due = time(&task["sla_due_at"]) - time(&task["created_at"]);
    assert_eq!(due, Duration::hours(24));
    // A changed policy changes the SLA of the next task.
    let config = json!({"sla_hours": {"critical": 4, "high": 8, "medium": 16, "low": 32}});
    assert_eq!(
        api.put("/policies/current", json!({"config": config}))
            .await
            .status,
        200
    );
    let reply = api
        .post("/tasks", json!({"finding_id": F[4], "title": "Canonical"}))
        .await;
    let task = &reply.body["data"];
    assert_eq!(
        time(&task["sla_due_at"]) - time(&task["created_at"]),
        Duration::hours(32)
    );
    // An explicit due date wins.
    let reply = api
        .post("/tasks", json!({"finding_id": F[4], "title": "x", "priority": "low", "sla_due_at": "2030-01-01T00:00:00Z"}))
        .await;
    assert_eq!(reply.body["data"]["sla_due_at"], "2030-01-01T00:00:00Z");
    assert_eq!(
        api.get(&format!(
            "/tasks/{}",
            reply.body["data"]["id"].as_str().unwrap()
        ))
        .await
        .status,
        200
    );
}

#[tokio::test]
async fn task_creation_validates_its_body() {
    let (options, _dir) = small_options();
    let api = Api::start(options).await;
    let cases = [
        (json!({"title": "no finding"}), 422, "invalid_params"),
        (json!({"finding_id": F[1]}), 422, "invalid_params"),
        (
            json!({"finding_id": F[1], "title": "  "}),
            422,
            "invalid_params",
        ),
        (
            json!({"finding_id": "nope", "title": "t"}),
            422,
            "invalid_params",
        ),
        (
            json!({"finding_id": "00000000-0000-4000-8000-000000000000", "title": "t"}),
            422,
            "invalid_params",
        ),
        (
            json!({"finding_id": F[1], "title": "t", "priority": "urgent"}),
            422,
            "invalid_params",
        ),
        (
            json!({"finding_id": F[1], "title": "t", "sla_due_at": "tomorrow"}),
            422,
            "invalid_params",
        ),
        (json!({"finding_id": F[1], "title": 7}), 400, "bad_request"),
        (
            json!({"finding_id": F[1], "title": "t", "priority": 1}),
            400,
            "bad_request",
        ),
    ];
    for (body, status, code) in cases {
        let reply = api.post("/tasks", body.clone()).await;
        assert_eq!((reply.status, reply.code()), (status, Some(code)), "{body}");
    }
    let reply = api
        .send_raw(
            "POST",
            &api.url("/tasks"),
            Some(&api.key),
            Some("{oops".into()),
        )
        .await;
    assert_eq!(reply.status, 400);
}

#[tokio::test]
async fn task_moves_are_mirrored_onto_the_finding_when_legal() {
    let (options, _dir) = small_options();
    let api = Api::start(options).await;
    let finding = |n: usize| format!("/findings/{}", F[n]);
    let t1 = format!("/tasks/{T1}");
    // T1's finding F2 is triaged.
    let reply = api
        .patch(
            &t1,
            json!({"status": "in_progress", "pr_url": "https://git.example/pr/1"}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.body["data"]["pr_url"], "https://git.example/pr/1");
    assert_eq!(
        api.get(&finding(2)).await.body["data"]["status"],
        "in_progress"
    );
    api.patch(&t1, json!({"status": "ready_verify"})).await;
    assert_eq!(
        api.get(&finding(2)).await.body["data"]["status"],
        "ready_verify"
    );
    api.patch(&t1, json!({"status": "in_progress"})).await;
    assert_eq!(
        api.get(&finding(2)).await.body["data"]["status"],
        "in_progress"
    );
    // A blocked task leaves its finding alone.
    api.patch(&t1, json!({"status": "blocked"})).await;
    assert_eq!(
        api.get(&finding(2)).await.body["data"]["status"],
        "in_progress"
    );

    // F4 is new: new -> in_progress is not a legal finding move, so the
    // task moves and the finding stays.
    let task = api
        .post("/tasks", json!({"finding_id": F[4], "title": "t"}))
        .await;
    let path = format!("/tasks/{}", task.body["data"]["id"].as_str().unwrap());
    let reply = api.patch(&path, json!({"status": "in_progress"})).await;
    assert_eq!(reply.body["data"]["status"], "in_progress");
    assert_eq!(api.get(&finding(4)).await.body["data"]["status"], "new");
}

#[tokio::test]
async fn illegal_task_moves_name_the_allowed_ones() {
    let (options, _dir) = small_options();
    let api = Api::start(options).await;
    let reply = api
        .patch(&format!("/tasks/{T1}"), json!({"status": "ready_verify"}))
        .await;
    assert_eq!(reply.status, 422);
    assert_eq!(reply.code(), Some("invalid_transition"));
    assert!(
        reply.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("in_progress, blocked")
    );
    let reply = api
        .patch(&format!("/tasks/{T3}"), json!({"status": "done"}))
        .await;
    assert_eq!(reply.code(), Some("invalid_transition"));
    let reply = api
        .patch(&format!("/tasks/{T2}"), json!({"status": "in_progress"}))
        .await;
    assert_eq!(reply.code(), Some("invalid_transition"), "done is final");
    let reply = api
        .patch(&format!("/tasks/{T1}"), json!({"status": "later"}))
        .await;
    assert_eq!(reply.code(), Some("invalid_params"));
    let reply = api
        .patch(
            &format!("/tasks/{T1}"),
            json!({"owner_id": U1, "priority": "critical", "external_ticket_key": "SEC-9"}),
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body["data"]["external_ticket_key"], "SEC-9");
    assert_eq!(reply.body["data"]["priority"], "critical");
}

#[tokio::test]
async fn approving_a_passed_verification_closes_the_loop() {
    let (options, _dir) = small_options();
    let api = Api::start(options).await;
    let reply = api
        .post(&format!("/verifications/{V2}/approve"), json!({}))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let v = reply.body["data"].clone();
    assert_eq!(v["verified_by_id"], api.sandbox.me.clone().unwrap());
    assert!(v["verified_at"].is_string());
    assert_eq!(
        api.get(&format!("/tasks/{T3}")).await.body["data"]["status"],
        "done"
    );
    assert_eq!(
        api.get(&format!("/findings/{}", F[3])).await.body["data"]["status"],
        "resolved"
    );
    let open = api.get("/regressions?status=open").await;
    let open_ids: Vec<&str> = open.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(open_ids, vec![R2], "F3's regression is closed, F8's is not");
    let closed = api.get("/regressions?status=closed").await;
    assert_eq!(closed.body["data"][0]["id"], R1);
    assert!(closed.body["data"][0]["closed_at"].is_string());
    // Approving twice changes nothing.
    let again = api
        .post(
            &format!("/verifications/{V2}/approve"),
            json!({"verified_by_id": U2}),
        )
        .await;
    assert_eq!(again.status, 200);
    assert_eq!(again.body["data"]["verified_at"], v["verified_at"]);
    assert_eq!(again.body["data"]["verified_by_id"], v["verified_by_id"]);
    // The health score counts the resolved finding out.
    assert_eq!(
        api.get("/command-center").await.body["data"]["health_score"],
        72
    );
}

#[tokio::test]
async fn only_passed_verifications_can_be_approved() {
    let (options, _dir) = small_options();
    let api = Api::start(options).await;
    let reply = api
        .post(&format!("/verifications/{V3}/approve"), json!({}))
        .await;
    assert_eq!(reply.status, 422);
    assert_eq!(reply.code(), Some("verification_not_passed"));
    assert_eq!(
        api.get(&format!("/tasks/{T1}")).await.body["data"]["status"],
        "backlog"
    );
    let reply = api
        .post(
            "/verifications/00000000-0000-4000-8000-000000000000/approve",
            json!({}),
        )
        .await;
    assert_eq!(reply.status, 404);
    // An approver who is not a UUID is refused.
    let reply = api
        .post(
            &format!("/verifications/{V2}/approve"),
            json!({"verified_by_id": "me"}),
        )
        .await;
    assert_eq!(reply.code(), Some("invalid_params"));
}

#[tokio::test]
async fn verification_runs_answer_202_pending_and_validate_the_task() {
    let (options, _dir) = small_options();
    let api = Api::start(options).await;
    let reply = api.post("/verifications/run", json!({"task_id": T1})).await;
    assert_eq!(reply.status, 202, "{}", reply.body);
    assert_eq!(reply.body["data"]["result"], "pending");
    assert_eq!(reply.body["data"]["task_id"], T1);
    let id = reply.body["data"]["id"].as_str().unwrap().to_string();
    assert_eq!(api.get(&format!("/verifications/{id}")).await.status, 200);
    for body in [
        json!({}),
        json!({"task_id": "nope"}),
        json!({"task_id": F[1]}),
    ] {
        let reply = api.post("/verifications/run", body.clone()).await;
        assert_eq!(reply.code(), Some("invalid_params"), "{body}");
    }
    assert_eq!(
        api.post("/verifications/run", json!({"task_id": 1}))
            .await
            .code(),
        Some("bad_request")
    );
}

#[tokio::test]
async fn cursor_lists_page_to_the_end() {
    let (options, _dir) = small_options();
    let api = Api::start(options).await;
    for n in 0..7 {
        let reply = api
            .post(
                "/tasks",
                json!({"finding_id": F[1 + n % 9], "title": format!("task {n}")}),
            )
            .await;
        assert_eq!(reply.status, 201);
    }
    for (path, expected) in [
        ("/tasks", 10),
        ("/verifications", 3),
        ("/regressions", 2),
        ("/tasks?status=backlog", 8),
    ] {
        for limit in [1, 3, 100] {
            let (rows, totals) = api.all_pages(path, limit).await;
            assert_eq!(rows.len(), expected, "{path} limit {limit}");
            assert!(
                totals.iter().all(|t| *t == expected as u64),
                "{path}: {totals:?}"
            );
            let unique: HashSet<&str> = rows.iter().filter_map(|r| r["id"].as_str()).collect();
            assert_eq!(unique.len(), expected, "{path}: no row twice");
        }
    }
    // Newest first.
    let (tasks, _) = api.all_pages("/tasks", 4).await;
    assert_eq!(tasks[0]["title"], "task 6");
    let (verifications, _) = api.all_pages("/verifications", 2).await;
    let order: Vec<&str> = verifications
        .iter()
        .map(|v| v["id"].as_str().unwrap())
        .collect();
    assert_eq!(order, vec![V3, V2, V1]);
    for path in ["/tasks", "/verifications", "/regressions", "/scans"] {
        let reply = api.get(&format!("{path}?cursor=bogus")).await;
        assert_eq!(reply.status, 422, "{path}");
        assert_eq!(reply.code(), Some("invalid_params"));
        let reply = api.get(&format!("{path}?limit=-2")).await;
        assert_eq!(reply.status, 422, "{path}");
    }
    assert_eq!(api.get("/regressions?status=reopened").await.status, 422);
}
