//! Computed views of `krafter serve` on a data set with known numbers:
//! command center, report summary, policies and integrations.

mod support_sandbox;

use chrono::{Duration, Utc};
use serde_json::json;
use support_sandbox::Api;
use support_sandbox::fixture::{F, ORG, small_options};

#[tokio::test]
async fn command_center_scores_and_ranks_the_unresolved_findings() {
    let (options, _dir) = small_options();
    let api = Api::start(options).await;
    let reply = api.get("/command-center").await;
    assert_eq!(reply.status, 200);
    let cc = &reply.body["data"];
    assert_eq!(cc["org_id"], ORG);
    assert_eq!(cc["project_id"], "shop");
    // 7 unresolved, 2 of them critical: 100 - 10*2 - 2*5.
    assert_eq!(cc["unresolved_findings"], 7);
    assert_eq!(cc["critical_findings"], 2);
    assert_eq!(cc["health_score"], 70);
    let top: Vec<&str> = cc["top_priorities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(top, vec![F[7], F[1], F[2], F[3], F[4]]);
    assert_eq!(cc["top_priorities"][0]["priority"]["score"], 95);
    assert_eq!(cc["top_priorities"][0]["severity"], "critical");
    // Performance impact: F3 (70) of F3 + F9 (70 + 30). Security risk:
    // F7 + F1 + F2 (265) of those + F8 (305). Regressions: F3's of F3's and F8's.
    assert_eq!(
        cc["expected_impact"],
        json!({"cwv_improvement_pct": 70, "security_risk_reduction_pct": 87, "regression_risk_pct": 50})
    );
    let today = Utc::now().date_naive();
    assert_eq!(cc["period"]["to"], today.to_string());
    assert_eq!(
        cc["period"]["from"],
        (today - Duration::days(6)).to_string()
    );
}

#[tokio::test]
async fn health_score_follows_triage_and_never_goes_below_zero() {
    let (options, _dir) = small_options();
    let api = Api::start(options).await;
    // Dismissing a critical finding removes its 10 points.
    let reply = api
        .patch(
            &format!("/findings/{}", F[7]),
            json!({"status": "dismissed"}),
        )
        .await;
    assert_eq!(reply.status, 200);
    let cc = api.get("/command-center").await.body["data"].clone();
    assert_eq!(cc["health_score"], 80);
    assert_eq!(cc["top_priorities"][0]["id"], F[1]);
    // Many unresolved findings floor the score at zero.
    let busy = Api::start(
        krafter::sandbox::SandboxOptions::for_tests()
            .with_data(krafter::sandbox::DataSource::Generate(300)),
    )
    .await;
    assert_eq!(
        busy.get("/command-center").await.body["data"]["health_score"],
        0
    );
}

#[tokio::test]
async fn report_summary_burns_down_over_seven_days() {
    let (options, _dir) = small_options();
    let api = Api::start(options).await;
    let reply = api
        .get("/reports/summary?date_from=2020-01-01&date_to=2020-01-02")
        .await;
    assert_eq!(reply.status, 200);
    let r = &reply.body["data"];
    assert_eq!(r["open_findings"], 7);
    // V1 and V2 passed, V3 failed.
    assert_eq!(r["verification_pass_rate"], 0.667);
    // F3 and F8 regressed, of 9 findings.
    assert_eq!(r["regression_rate"], 0.222);
    let points = r["risk_burn_down"].as_array().unwrap();
    assert_eq!(points.len(), 7);
    let today = Utc::now().date_naive();
    for (i, p) in points.iter().enumerate() {
        assert_eq!(
            p["date"],
            (today - Duration::days(6 - i as i64)).to_string()
        );
    }
    // Six days ago: F5 (70, resolved two days ago), F8 (10), F9 (20).
    assert_eq!(points[0]["open_risk_score"], 100);
    // Yesterday: F1, F2, F3, F4, F8, F9 (F5 and F6 closed by then).
    assert_eq!(points[5]["open_risk_score"], 290);
    // Today: every unresolved finding.
    assert_eq!(
        points[6]["open_risk_score"],
        90 + 80 + 60 + 30 + 95 + 10 + 20
    );
}

#[tokio::test]
async fn report_rates_are_zero_without_verifications() {
    let api = Api::start(krafter::sandbox::SandboxOptions::for_tests()).await;
    let r = api.get("/reports/summary").await.body["data"].clone();
    assert_eq!(r["verification_pass_rate"], 0.0);
    assert_eq!(r["regression_rate"], 0.0);
    assert_eq!(r["open_findings"], 0);
    assert_eq!(r["risk_burn_down"].as_array().unwrap().len(), 7);
}

#[tokio::test]
async fn the_policy_is_created_on_the_fly_and_stored_as_given() {
    let (options, _dir) = small_options();
    let api = Api::start(options).await;
    let first = api.get("/policies/current").await;
    assert_eq!(first.status, 200);
    let policy = &first.body["data"];
    assert_eq!(
        policy["config"]["sla_hours"],
        json!({"critical": 24, "high": 72, "medium": 168, "low": 336})
    );
    for key in ["severity_rules", "alert_routing"] {
        assert!(policy["config"][key].is_object(), "{key}");
    }
    // The same policy on the next read.
    assert_eq!(
        api.get("/policies/current").await.body["data"]["id"],
        policy["id"]
    );
    let config = json!({"sla_hours": {"critical": 48, "high": 96, "medium": 200, "low": 400}, "custom": [1, 2]});
    let put = api
        .put(
            "/policies/current",
            json!({"name": "Relaxed", "config": config}),
        )
        .await;
    assert_eq!(put.status, 200, "{}", put.body);
    let got = api.get("/policies/current").await.body["data"].clone();
    assert_eq!(got["name"], "Relaxed");
    assert_eq!(got["config"], config);
    // Wrong types and empty bodies are refused.
    assert_eq!(
        api.put("/policies/current", json!({"config": [1]}))
            .await
            .status,
        400
    );
    assert_eq!(
        api.put("/policies/current", json!({"name": 3}))
            .await
            .status,
        400
    );
    assert_eq!(api.put("/policies/current", json!({})).await.status, 422);
}

#[tokio::test]
async fn integrations_list_every_provider() {
    let (options, _dir) = small_options();
    let api = Api::start(options).await;
    let reply = api.get("/integrations").await;
    assert_eq!(reply.status, 200);
    let rows = reply.body["data"].as_array().unwrap();
    let providers: Vec<&str> = rows
        .iter()
        .map(|r| r["provider"].as_str().unwrap())
        .collect();
    assert_eq!(
        providers,
        [
            "ga4",
            "gsc",
            "sentry",
            "github",
            "gitlab",
            "jira",
            "linear",
            "cloudflare"
        ]
    );
    for row in rows {
        if row["provider"] == "github" {
            assert_eq!(row["status"], "connected");
            assert!(row["id"].is_string() && row["created_at"].is_string());
        } else {
            assert!(row["id"].is_null(), "{row}");
            assert_eq!(row["status"], "disconnected");
            assert!(row["inserted_at"].is_string() && row.get("created_at").is_none());
        }
        assert!(row.get("credentials").is_none() && row.get("token").is_none());
    }
}
