//! Contract tests: the real client drives the real sandbox through the whole
//! remediation loop over HTTP: a scan of a site served on loopback, triage,
//! a task, verifications (failed, then passed and approved) and the
//! regression a later scan opens.

mod support_contract;

use chrono::Duration;
use krafter::api::model::*;
use krafter::api::{ApiError, Client};
use support_contract::site::SITE_HOST;
use support_contract::{Site, client, poll, sandbox};

async fn scan(client: &Client, url: &str) -> Scan {
    let request = ScanRequest {
        url: url.to_string(),
        trigger: ScanTrigger::PostDeploy,
    };
    let queued = client
        .run_scan(&request)
        .await
        .expect("the scan is accepted");
    assert_eq!(queued.status, ScanStatus::Queued);
    assert_eq!(queued.trigger, ScanTrigger::PostDeploy);
    assert!(!queued.id.is_empty() && queued.created().is_some());
    let id = queued.id.clone();
    poll(
        "the scan",
        || client.get_scan(&id),
        |s: &Scan| s.status.is_finished(),
    )
    .await
}

async fn verify(client: &Client, task_id: &str) -> Verification {
    let pending = client.run_verification(task_id).await.expect("a run");
    assert_eq!(pending.result, VerificationResult::Pending);
    assert_eq!(pending.task_id, task_id);
    let id = pending.id.clone();
    poll(
        "the verification",
        || client.get_verification(&id),
        |v: &Verification| v.result != VerificationResult::Pending,
    )
    .await
}

async fn finding(client: &Client, id: &str) -> Finding {
    client.get_finding(id).await.expect("the finding")
}

#[tokio::test]
async fn the_remediation_loop_runs_through_the_client() {
    let site = Site::start().await;
    let sandbox = sandbox(Site::sandbox_options()).await;
    let client = client(&sandbox);

    // The scan finds the missing CSP; its summary counts what the list shows.
    let done = scan(&client, &site.url).await;
    assert_eq!(done.status, ScanStatus::Completed, "{:?}", done.summary);
    assert!(done.started_at.is_some() && done.finished_at.is_some());
    let all = client
        .list_findings(&FindingQuery::default(), 0, 100)
        .await
        .expect("the findings");
    let from_scan = all
        .items
        .iter()
        .filter(|f| f.extra.get("scan_id").and_then(|v| v.as_str()) == Some(done.id.as_str()))
        .count() as i64;
    assert!(from_scan >= 1);
    assert_eq!(done.summary_count("findings"), Some(from_scan));
    assert_eq!(done.summary_count("new"), Some(from_scan));
    assert_eq!(all.total, Some(from_scan as u64));
    let csp = all
        .items
        .iter()
        .find(|f| f.extra.get("check").and_then(|c| c.as_str()) == Some("security.csp_missing"))
        .expect("a CSP finding")
        .clone();
    assert_eq!(csp.status, FindingStatus::New);
    assert_eq!(csp.primary_url(), Some(site.url.as_str()));
    let scans = client.list_scans(None, Some(10)).await.expect("scans");
    assert_eq!(scans.total, Some(1));
    assert_eq!(scans.items[0].id, done.id);

    // Triage, then a task whose SLA comes from the policy.
    let triage = FindingPatch {
        status: Some(FindingStatus::Triaged),
        ..FindingPatch::default()
    };
    client
        .patch_finding(&csp.id, &triage)
        .await
        .expect("triage");
    let new_task = NewTask {
        finding_id: csp.id.clone(),
        title: "Ship a CSP".into(),
        priority: Some(TaskPriority::High),
        owner_id: None,
        sla_due_at: None,
    };
    let task = client.create_task(&new_task).await.expect("a task");
    assert_eq!(task.status, TaskStatus::Backlog);
    assert_eq!(task.priority, TaskPriority::High);
    assert_eq!(
        (task.finding_id.as_str(), task.title.as_str()),
        (csp.id.as_str(), "Ship a CSP")
    );
    let policy = client.get_policy().await.expect("the policy");
    let hours = policy.sla_hours(&csp.severity).expect("an SLA");
    let due = task.sla_due_at.as_ref().and_then(Timestamp::get);
    let created = task.created_at.as_ref().and_then(Timestamp::get);
    assert_eq!(
        due.zip(created).map(|(d, c)| d - c),
        Some(Duration::hours(hours))
    );
    let listed = client
        .list_tasks(Some(&TaskStatus::Backlog), None, Some(10))
        .await
        .expect("tasks");
    assert_eq!(listed.items, vec![task.clone()]);
    assert_eq!(client.get_task(&task.id).await.expect("one task"), task);

    // Work starts: the finding follows its task.
    let working = TaskPatch {
        status: Some(TaskStatus::InProgress),
        pr_url: Some(Some("https://git.example.com/shop/pull/7".into())),
        ..TaskPatch::default()
    };
    let task = client.patch_task(&task.id, &working).await.expect("start");
    assert_eq!(task.status, TaskStatus::InProgress);
    assert_eq!(
        task.pr_url.as_deref(),
        Some("https://git.example.com/shop/pull/7")
    );
    assert_eq!(
        finding(&client, &csp.id).await.status,
        FindingStatus::InProgress
    );

    // Verified before the fix: failed, and refused for approval.
    let early = verify(&client, &task.id).await;
    assert_eq!(early.result, VerificationResult::Failed);
    let err = client.approve_verification(&early.id).await.unwrap_err();
    assert_eq!(err.status(), Some(422));
    assert_eq!(err.code(), Some("verification_not_passed"));

    // The site ships the fix: passed, approved, and the loop closes.
    site.ship_csp(true);
    let ready = TaskPatch {
        status: Some(TaskStatus::ReadyVerify),
        ..TaskPatch::default()
    };
    client.patch_task(&task.id, &ready).await.expect("ready");
    assert_eq!(
        finding(&client, &csp.id).await.status,
        FindingStatus::ReadyVerify
    );
    let passed = verify(&client, &task.id).await;
    assert_eq!(passed.result, VerificationResult::Passed);
    let check = passed.checks.first().expect("a check");
    assert_eq!(
        (check.key.as_str(), check.status.as_str()),
        ("security.csp_missing", "passed")
    );
    assert_ne!(check.before, check.after);
    let approved = client
        .approve_verification(&passed.id)
        .await
        .expect("approve");
    assert!(approved.verified_by_id.is_some());
    assert!(
        approved
            .verified_at
            .as_ref()
            .and_then(Timestamp::get)
            .is_some()
    );
    assert_eq!(
        client
            .approve_verification(&passed.id)
            .await
            .expect("twice"),
        approved
    );
    assert_eq!(
        client.get_task(&task.id).await.expect("task").status,
        TaskStatus::Done
    );
    assert_eq!(
        finding(&client, &csp.id).await.status,
        FindingStatus::Resolved
    );
    let verifications = client
        .list_verifications(None, Some(10))
        .await
        .expect("list");
    assert_eq!(verifications.total, Some(2));
    assert_eq!(verifications.items[0].id, passed.id, "newest first");

    // The header goes away again: the next scan reopens it as a regression.
    site.ship_csp(false);
    let again = scan(&client, &site.url).await;
    assert_eq!(
        again.summary_count("regressions"),
        Some(1),
        "{:?}",
        again.summary
    );
    assert_eq!(finding(&client, &csp.id).await.status, FindingStatus::New);
    let open = client
        .list_regressions(Some(&RegressionStatus::Open), None, Some(10))
        .await
        .expect("regressions");
    assert_eq!(open.total, Some(1));
    let regression = &open.items[0];
    assert_eq!(regression.finding_id, csp.id);
    assert_eq!(regression.scan_id.as_deref(), Some(again.id.as_str()));
    assert!(
        regression
            .detected_at
            .as_ref()
            .and_then(Timestamp::get)
            .is_some()
    );
    let report = client.report_summary().await.expect("the report");
    assert_eq!(report.verification_pass_rate, Some(0.5));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_scan_that_cannot_fetch_reports_why_through_the_model() {
    let sandbox = sandbox(Site::sandbox_options()).await;
    let client = client(&sandbox);
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
        l.local_addr().expect("an address").port()
    };
    let failed = scan(&client, &format!("http://{SITE_HOST}:{port}/")).await;
    assert_eq!(failed.status, ScanStatus::Failed);
    assert!(
        failed.failure_reason().is_some_and(|r| !r.is_empty()),
        "{:?}",
        failed.summary
    );
    let err: ApiError = client.get_scan("no-such-scan").await.unwrap_err();
    assert!(err.is_not_found());
    sandbox.shutdown().await;
}
