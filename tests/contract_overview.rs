//! Contract tests: the real client against the real sandbox, over HTTP. The
//! read-side routes a user looks at first (command center, findings, report,
//! policy, integrations) decode into the models with what a user sees
//! filled in, and the numbers of one view agree with the others.

mod support_contract;

use krafter::api::model::*;
use krafter::api::paginate::fetch_all_findings;
use krafter::sandbox::{DataSource, SandboxOptions};
use serde_json::json;
use support_contract::{client, sandbox};

fn demo() -> SandboxOptions {
    SandboxOptions::for_tests().with_data(DataSource::Demo)
}

#[tokio::test]
async fn command_center_and_report_agree_with_the_findings_list() {
    let sandbox = sandbox(demo()).await;
    let client = client(&sandbox);
    // A severity override makes one open finding critical, so the score's
    // heavier weight for critical findings is exercised too.
    let new = FindingQuery {
        status: Some(FindingStatus::New),
        ..FindingQuery::default()
    };
    let first = client.list_findings(&new, 0, 1).await.expect("a page");
    let pick = first.items.first().expect("a new finding");
    let raise = FindingPatch {
        severity: Some(Severity::Critical),
        ..FindingPatch::default()
    };
    client
        .patch_finding(&pick.id, &raise)
        .await
        .expect("override");
    let all = fetch_all_findings(&client, &FindingQuery::default(), 100, |_| {})
        .await
        .expect("the findings list");
    let open: Vec<&Finding> = all.iter().filter(|f| f.status.is_unresolved()).collect();
    let critical = open
        .iter()
        .filter(|f| f.severity == Severity::Critical)
        .count() as i64;
    let unresolved = open.len() as i64;
    assert!(
        unresolved > 5 && critical > 0,
        "the demo has work to show: {unresolved} open, {critical} critical"
    );

    let cc = client.command_center().await.expect("the command center");
    assert_eq!(cc.org_id.as_deref(), Some(sandbox.org_id.as_str()));
    assert_eq!(cc.project_id.as_deref(), Some(sandbox.projects[0].as_str()));
    assert_eq!(cc.unresolved_findings, Some(unresolved));
    assert_eq!(cc.critical_findings, Some(critical));
    let expected_health = (100 - 10 * critical - 2 * (unresolved - critical)).max(0);
    assert_eq!(cc.health_score, Some(expected_health));
    let (from, to) = (cc.period.from_date(), cc.period.to_date());
    assert_eq!(
        to.zip(from).map(|(t, f)| (t - f).num_days()),
        Some(6),
        "{:?}",
        cc.period
    );
    // The top priorities are the first five open findings of the list,
    // which is ordered by priority: the same rows, in the same order.
    let top: Vec<&str> = cc.top_priorities.iter().map(|t| t.id.as_str()).collect();
    let first_open: Vec<&str> = open.iter().take(5).map(|f| f.id.as_str()).collect();
    assert_eq!(top, first_open);
    for (t, f) in cc.top_priorities.iter().zip(&open) {
        assert_eq!(
            (&t.title, &t.severity, &t.status, &t.domain, &t.priority),
            (&f.title, &f.severity, &f.status, &f.domain, &f.priority)
        );
        assert!(!t.severity.is_other() && !t.domain.is_other());
    }
    let impact = &cc.expected_impact;
    for pct in [
        impact.cwv_improvement_pct,
        impact.security_risk_reduction_pct,
        impact.regression_risk_pct,
    ] {
        let pct = pct.expect("every expected impact is sent");
        assert!((0.0..=100.0).contains(&pct), "{impact:?}");
    }

    let report = client.report_summary().await.expect("the report");
    assert_eq!(report.open_findings, Some(unresolved));
    assert_eq!(report.risk_burn_down.len(), 7);
    let today = report.risk_burn_down.last().expect("seven points");
    assert_eq!(today.date, cc.period.to);
    let open_risk: i64 = open.iter().map(|f| f.score()).sum();
    assert_eq!(today.open_risk_score, Some(open_risk as f64));
    let rate = report.verification_pass_rate.expect("a pass rate");
    assert!((0.0..=1.0).contains(&rate));
    assert!(report.regression_rate.is_some());

    // The same client for another project of the org sees that project.
    let second = &sandbox.projects[1];
    let other = client.with_project(second);
    let cc = other.command_center().await.expect("the other project");
    assert_eq!(cc.project_id.as_deref(), Some(second.as_str()));
    let theirs = other
        .list_findings(&FindingQuery::default(), 0, 100)
        .await
        .expect("its findings");
    assert!(
        theirs
            .items
            .iter()
            .all(|f| f.project_id.as_deref() == Some(second.as_str()))
    );
    assert!(
        theirs
            .items
            .iter()
            .all(|f| !all.iter().any(|a| a.id == f.id))
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_finding_read_alone_is_the_row_of_the_list_with_everything_filled() {
    let sandbox = sandbox(demo()).await;
    let client = client(&sandbox);
    let page = client
        .list_findings(&FindingQuery::default(), 0, 10)
        .await
        .expect("a page");
    assert_eq!(page.items.len(), 10);
    assert!(page.request_id.is_some_and(|r| !r.is_empty()));
    for row in &page.items {
        let one = client.get_finding(&row.id).await.expect("one finding");
        assert_eq!(&one, row, "the detail differs from the list row");
        assert!(!one.title.is_empty() && !one.description.is_empty());
        assert!(!one.severity.is_other() && !one.domain.is_other());
        assert!(!one.status.is_other());
        assert_eq!(one.org_id.as_deref(), Some(sandbox.org_id.as_str()));
        assert!(one.confidence.is_some_and(|c| (0.0..=1.0).contains(&c)));
        let p = &one.priority;
        for n in [p.impact, p.effort, p.risk, p.score] {
            assert!(n.is_some_and(|n| (0..=100).contains(&n)), "{p:?}");
        }
        assert!(one.primary_url().is_some_and(|u| u.starts_with("http")));
        let ev = one.evidence.first().expect("evidence");
        assert!(ev.label.is_some() && ev.value.is_some(), "{ev:?}");
        assert!(!one.recommended_fix.summary.is_empty());
        assert!(!one.recommended_fix.steps.is_empty());
        assert!(one.recommended_fix.estimated_minutes.is_some());
        assert!(one.created().is_some() && one.updated_at.is_some());
        assert!(one.extra.get("check").is_some_and(|c| c.is_string()));
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn patching_a_finding_answers_it_whole_and_sticks() {
    let sandbox = sandbox(demo()).await;
    let client = client(&sandbox);
    let me = sandbox.me.clone().expect("the demo names a user");
    let query = FindingQuery {
        status: Some(FindingStatus::New),
        ..FindingQuery::default()
    };
    let page = client.list_findings(&query, 0, 1).await.expect("a page");
    let before = page.items.first().expect("a new finding").clone();

    let patch = FindingPatch {
        status: Some(FindingStatus::Triaged),
        owner_id: Some(Some(me.clone())),
        severity: Some(Severity::Low),
    };
    let after = client
        .patch_finding(&before.id, &patch)
        .await
        .expect("patch");
    assert_eq!(after.status, FindingStatus::Triaged);
    assert_eq!(after.owner_id.as_deref(), Some(me.as_str()));
    assert_eq!(after.severity, Severity::Low);
    assert_eq!(
        (&after.title, &after.evidence),
        (&before.title, &before.evidence)
    );
    assert_eq!(
        client.get_finding(&before.id).await.expect("read back"),
        after
    );

    // Unassigning sends an explicit null.
    let patch = FindingPatch {
        owner_id: Some(None),
        ..FindingPatch::default()
    };
    let after = client
        .patch_finding(&before.id, &patch)
        .await
        .expect("patch");
    assert_eq!(after.owner_id, None);
    let unassigned = FindingQuery {
        owner_id: Some("none".into()),
        q: Some(before.title.clone()),
        ..FindingQuery::default()
    };
    let found = client
        .list_findings(&unassigned, 0, 100)
        .await
        .expect("filter");
    assert!(found.items.iter().any(|f| f.id == before.id));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn policy_integrations_round_trip_through_the_models() {
    let sandbox = sandbox(demo()).await;
    let client = client(&sandbox);
    let policy = client.get_policy().await.expect("the policy");
    assert!(policy.id.is_some() && !policy.name.is_empty());
    assert_eq!(policy.sla_hours(&Severity::Critical), Some(24));
    assert_eq!(policy.sla_hours(&Severity::Low), Some(336));

    let config = json!({
        "sla_hours": {"critical": 4, "high": 8, "medium": 16, "low": 32},
        "custom": {"kept": ["as", "given"]}
    });
    let put = client.put_policy("Strict", &config).await.expect("put");
    assert_eq!(put.name, "Strict");
    assert_eq!(put.config, config);
    let again = client.get_policy().await.expect("read back");
    assert_eq!((again.name.as_str(), &again.config), ("Strict", &config));
    assert_eq!(again.sla_hours(&Severity::High), Some(8));

    let rows = client.list_integrations().await.expect("integrations");
    let mut providers: Vec<&str> = rows.iter().map(|r| r.provider.as_str()).collect();
    providers.sort_unstable();
    assert_eq!(
        providers,
        [
            "cloudflare",
            "ga4",
            "github",
            "gitlab",
            "gsc",
            "jira",
            "linear",
            "sentry"
        ]
    );
    for row in &rows {
        assert!(!row.status.is_other(), "{row:?}");
        match &row.id {
            None => assert!(row.inserted_at.is_some(), "{row:?}"),
            Some(_) => assert!(row.created_at.is_some() || row.inserted_at.is_some()),
        }
    }
    assert!(
        rows.iter().any(|r| r.id.is_some()),
        "the demo connects some"
    );
    sandbox.shutdown().await;
}
