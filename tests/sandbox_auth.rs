//! Keys, scopes, teams, unknown routes and rate limits of `krafter serve`.

mod support_sandbox;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use krafter::sandbox::{DataSource, RateWindow, SandboxOptions};
use serde_json::json;
use support_sandbox::Api;

#[tokio::test]
async fn missing_or_wrong_keys_get_the_flat_401() {
    let api = Api::start(SandboxOptions::for_tests()).await;
    let url = api.url("/findings");
    for key in [None, Some("kr_live_wrong"), Some("")] {
        let reply = api.send_raw("GET", &url, key, None).await;
        assert_eq!(reply.status, 401);
        assert_eq!(reply.body, json!({"error": "Invalid or missing API key"}));
    }
    // A key that is a prefix of a real one is not accepted.
    let prefix = &api.sandbox.write_key[..20];
    assert_eq!(
        api.send_raw("GET", &url, Some(prefix), None).await.status,
        401
    );
}

#[tokio::test]
async fn generated_keys_have_the_documented_form() {
    let api = Api::start(SandboxOptions::for_tests()).await;
    for key in [&api.sandbox.write_key, &api.sandbox.read_key] {
        let body = key.strip_prefix("kr_live_").expect("kr_live_ prefix");
        assert_eq!(body.len(), 43);
    }
    assert!(api.sandbox.keys_generated);
    let shown = format!("{:?}", api.sandbox);
    assert!(!shown.contains(&api.sandbox.write_key) && !shown.contains(&api.sandbox.read_key));
}

#[tokio::test]
async fn a_read_key_reads_but_cannot_write() {
    let api = Api::start(SandboxOptions::for_tests()).await;
    let read = api.sandbox.read_key.clone();
    let reply = api
        .send_raw("GET", &api.url("/findings"), Some(&read), None)
        .await;
    assert_eq!(reply.status, 200);
    let reply = api
        .send_raw(
            "PUT",
            &api.url("/policies/current"),
            Some(&read),
            Some(r#"{"name":"x"}"#.into()),
        )
        .await;
    assert_eq!(reply.status, 403);
    assert_eq!(reply.body, json!({"error": "Insufficient scope"}));
    let reply = api
        .send_raw(
            "POST",
            &api.url("/scans/run"),
            Some(&read),
            Some(r#"{"url":"http://127.0.0.1:9/"}"#.into()),
        )
        .await;
    assert_eq!(reply.status, 403);
}

#[tokio::test]
async fn keys_given_on_the_command_line_are_bound_to_their_scope() {
    let options = SandboxOptions {
        keys: vec![
            ("kr_live_w".into(), krafter::sandbox::Scope::Write),
            ("kr_live_r".into(), krafter::sandbox::Scope::Read),
        ],
        ..SandboxOptions::for_tests()
    };
    let api = Api::start(options).await;
    assert!(!api.sandbox.keys_generated);
    assert_eq!(api.sandbox.write_key, "kr_live_w");
    let body = Some(r#"{"name":"Strict"}"#.to_string());
    let url = api.url("/policies/current");
    assert_eq!(
        api.send_raw("PUT", &url, Some("kr_live_w"), body.clone())
            .await
            .status,
        200
    );
    assert_eq!(
        api.send_raw("PUT", &url, Some("kr_live_r"), body)
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn another_teams_key_finds_nothing_here() {
    let options = SandboxOptions {
        other_team_key: Some("kr_live_other_team".into()),
        ..SandboxOptions::for_tests().with_data(DataSource::Demo)
    };
    let api = Api::start(options).await;
    let other = "kr_live_other_team";
    let finding = api.get("/findings?limit=1").await.body["data"][0]["id"]
        .as_str()
        .expect("a demo finding")
        .to_string();
    for path in [
        "/findings",
        "/command-center",
        &format!("/findings/{finding}"),
    ] {
        let reply = api.send_raw("GET", &api.url(path), Some(other), None).await;
        assert_eq!(reply.status, 404, "{path}: {}", reply.body);
        assert_eq!(reply.code(), Some("not_found"));
        reply.assert_request_id();
    }
    // Its own org works.
    let own = format!(
        "{}/orgs/{}/projects/{}/audit/findings",
        api.sandbox.base_url,
        api.sandbox.other_org_id.as_deref().expect("other org"),
        api.sandbox
            .other_project_id
            .as_deref()
            .expect("other project"),
    );
    let reply = api.send_raw("GET", &own, Some(other), None).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body["meta"]["total"], 0);
    // And the main team cannot see the other org either.
    assert_eq!(
        api.send_raw("GET", &own, Some(&api.key), None).await.status,
        404
    );
}

#[tokio::test]
async fn unknown_orgs_projects_and_routes_are_enveloped_404s() {
    let api = Api::start(SandboxOptions::for_tests()).await;
    let base = &api.sandbox.base_url;
    let urls = [
        format!(
            "{base}/orgs/00000000-0000-0000-0000-000000000000/projects/{}/audit/findings",
            api.project
        ),
        format!(
            "{base}/orgs/{}/projects/no-such-project/audit/findings",
            api.sandbox.org_id
        ),
        api.url("/no-such-route"),
        format!("{base}/nothing/here"),
        api.url("/findings/not-a-uuid"),
        api.url("/tasks/6f1c2a7e-0000-4000-8000-000000000000"),
    ];
    for url in urls {
        let reply = api.send_raw("GET", &url, Some(&api.key), None).await;
        assert_eq!(reply.status, 404, "{url}: {}", reply.body);
        assert_eq!(reply.code(), Some("not_found"), "{url}");
        assert!(reply.body["data"].is_null());
        reply.assert_request_id();
    }
    // A known path with a method it does not take.
    let reply = api
        .send_raw("DELETE", &api.url("/findings"), Some(&api.key), None)
        .await;
    assert_eq!(reply.status, 404);
    reply.assert_request_id();
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[tokio::test]
async fn the_default_bucket_refuses_with_a_flat_429_then_resets() {
    let options = SandboxOptions {
        rate_default: Some(RateWindow::new(3, 2)),
        ..SandboxOptions::for_tests()
    };
    let api = Api::start(options).await;
    // Spend the window; a window boundary may pass meanwhile, so keep going
    // until refused.
    let refused = loop {
        let reply = api.get("/findings").await;
        assert_eq!(reply.header("x-ratelimit-limit").as_deref(), Some("3"));
        let reset: u64 = reply.header("x-ratelimit-reset").unwrap().parse().unwrap();
        assert_eq!(
            reset % 2,
            0,
            "windows start at floor(now / window) * window"
        );
        if reply.status == 429 {
            break reply;
        }
        assert_eq!(reply.status, 200);
    };
    assert_eq!(refused.body["error"], "Rate limit exceeded");
    let body_wait = refused.body["retry_after"].as_u64().expect("retry_after");
    let header_wait: u64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert_eq!(body_wait, header_wait);
    assert!((1..=2).contains(&header_wait));
    assert_eq!(
        refused.header("x-ratelimit-remaining").as_deref(),
        Some("0")
    );
    // Another route shares the team's bucket.
    assert_eq!(api.get("/command-center").await.status, 429);
    // After the reset, requests go through again.
    let reset: u64 = refused
        .header("x-ratelimit-reset")
        .unwrap()
        .parse()
        .unwrap();
    while now_secs() < reset {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let reply = api.get("/findings").await;
    assert_eq!(reply.status, 200);
    assert!(
        reply
            .header("x-ratelimit-remaining")
            .unwrap()
            .parse::<u32>()
            .unwrap()
            <= 2
    );
}

#[tokio::test]
async fn scans_run_shows_and_enforces_the_strict_bucket() {
    let options = SandboxOptions {
        rate_default: Some(RateWindow::new(100, 3600)),
        rate_strict: Some(RateWindow::new(1, 3600)),
        ..SandboxOptions::for_tests()
    };
    let api = Api::start(options).await;
    // Port 9 (discard) on loopback: the scan itself will fail, which is fine.
    let first = api
        .post("/scans/run", json!({"url": "http://127.0.0.1:9/"}))
        .await;
    assert_eq!(first.status, 202, "{}", first.body);
    assert_eq!(first.header("x-ratelimit-limit").as_deref(), Some("1"));
    assert_eq!(first.header("x-ratelimit-remaining").as_deref(), Some("0"));
    let second = api
        .post("/scans/run", json!({"url": "http://127.0.0.1:9/"}))
        .await;
    assert_eq!(second.status, 429);
    assert_eq!(second.body["error"], "Rate limit exceeded");
    // Other routes still answer, from the default bucket.
    let other = api.get("/scans").await;
    assert_eq!(other.status, 200);
    assert_eq!(other.header("x-ratelimit-limit").as_deref(), Some("100"));
}

#[tokio::test]
async fn every_envelope_carries_a_request_id_and_errors_too() {
    let api = Api::start(SandboxOptions {
        rate_default: Some(RateWindow::new(1000, 3600)),
        ..SandboxOptions::for_tests()
    })
    .await;
    let ok = api.get("/integrations").await;
    ok.assert_request_id();
    assert_eq!(
        ok.header("x-request-id").as_deref(),
        ok.body["meta"]["request_id"].as_str()
    );
    let bad = api
        .patch(
            "/findings/00000000-0000-4000-8000-000000000000",
            json!({"status": "triaged"}),
        )
        .await;
    assert_eq!(bad.status, 404);
    bad.assert_request_id();
    assert_ne!(
        ok.body["meta"]["request_id"],
        bad.body["meta"]["request_id"]
    );
}

/// Contract section 4: every response carries the rate-limit headers, also
/// those that counted nothing: a 401, an unknown route, a 404 inside the
/// audit routes.
#[tokio::test]
async fn every_answer_carries_the_rate_limit_headers() {
    let api = Api::start(SandboxOptions {
        rate_default: Some(RateWindow::new(50, 3600)),
        ..SandboxOptions::for_tests()
    })
    .await;
    let unknown_route = format!("{}/nothing/here", api.sandbox.base_url);
    let unknown_audit_route = api.url("/no-such-route");
    let findings = api.url("/findings");
    let cases: Vec<(&str, String, Option<&str>, u16)> = vec![
        ("GET", findings.clone(), None, 401),
        ("GET", findings.clone(), Some("kr_live_wrong"), 401),
        ("GET", unknown_route.clone(), Some(&api.key), 404),
        ("GET", unknown_route, None, 404),
        ("GET", unknown_audit_route, Some(&api.key), 404),
        (
            "GET",
            api.url("/findings/00000000-0000-4000-8000-000000000000"),
            Some(&api.key),
            404,
        ),
        ("GET", findings, Some(&api.key), 200),
    ];
    for (method, url, key, status) in cases {
        let reply = api.send_raw(method, &url, key, None).await;
        assert_eq!(reply.status, status, "{method} {url}: {}", reply.body);
        for name in [
            "x-ratelimit-limit",
            "x-ratelimit-remaining",
            "x-ratelimit-reset",
        ] {
            assert!(
                reply.header(name).is_some(),
                "{method} {url} ({status}) has no {name}"
            );
        }
        assert_eq!(reply.header("x-ratelimit-limit").as_deref(), Some("50"));
    }
    // Answers that counted nothing spent nothing: only the one 200 and the
    // 404 of an unknown finding (a real route) were counted.
    let last = api.get("/integrations").await;
    assert_eq!(
        last.header("x-ratelimit-remaining").as_deref(),
        Some("47"),
        "{:?}",
        last.headers
    );
}
