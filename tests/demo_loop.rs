//! The demo data comes from the scanner and every finding of it can go
//! round the loop: its page is served by the local demo sites with the
//! defect it names (or without it, when its fix was shipped), so a rescan
//! reports what the finding says, and a verification passes exactly when
//! the fix was shipped. No network: the sites are on loopback.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use krafter::api::Client;
use krafter::api::model::*;
use krafter::sandbox::demo_site::DEMO_HOSTS;
use krafter::sandbox::scanner::{LocalSite, ScanConfig, scan};
use krafter::sandbox::{DataSource, RunningSandbox, SandboxOptions, spawn};

async fn demo() -> (RunningSandbox, Client) {
    let sandbox = spawn(SandboxOptions {
        rate_default: None,
        rate_strict: None,
        ..SandboxOptions::demo()
    })
    .await
    .expect("sandbox starts");
    let client = Client::new(sandbox.client_settings(&sandbox.projects[0])).expect("client");
    (sandbox, client)
}

async fn all_findings(client: &Client) -> Vec<Finding> {
    let mut all = Vec::new();
    loop {
        let page = client
            .list_findings(&FindingQuery::default(), all.len() as u64, 100)
            .await
            .expect("findings");
        if page.items.is_empty() {
            return all;
        }
        all.extend(page.items);
    }
}

fn check_of(f: &Finding) -> String {
    f.extra
        .get("check")
        .and_then(|c| c.as_str())
        .unwrap_or_default()
        .to_string()
}

/// The scanner as the sandbox runs it, reaching the demo sites only.
fn scanner_config(sandbox: &RunningSandbox) -> ScanConfig {
    let url = url::Url::parse(sandbox.demo_site_url.as_deref().expect("a demo site")).unwrap();
    let addr = SocketAddr::from(([127, 0, 0, 1], url.port().expect("a port")));
    ScanConfig {
        local_sites: DEMO_HOSTS
            .iter()
            .map(|h| LocalSite {
                host: h.to_string(),
                addr,
            })
            .collect(),
        ..ScanConfig::default()
    }
}

/// Statuses whose fix was not shipped: the page still has the defect.
fn defect_present(status: &FindingStatus) -> bool {
    !matches!(status, FindingStatus::ReadyVerify | FindingStatus::Resolved)
}

#[tokio::test]
async fn a_real_scan_of_each_demo_page_reports_what_its_findings_say() {
    let (sandbox, client) = demo().await;
    let config = scanner_config(&sandbox);
    for project in &sandbox.projects {
        let findings = all_findings(&client.with_project(project)).await;
        assert!(!findings.is_empty(), "{project} has findings");
        let mut by_page: BTreeMap<String, Vec<&Finding>> = BTreeMap::new();
        for f in &findings {
            let url = f.primary_url().expect("an affected URL").to_string();
            assert!(
                url.starts_with("http://") && url.contains(".northwind.test:"),
                "{url}"
            );
            by_page.entry(url).or_default().push(f);
        }
        for (url, seeded) in by_page {
            let report = scan(&url, &config)
                .await
                .unwrap_or_else(|e| panic!("{url}: {e}"));
            let found: BTreeMap<&str, _> = report
                .observations
                .iter()
                .map(|o| (o.check.as_str(), o))
                .collect();
            for f in &seeded {
                let check = check_of(f);
                match found.get(check.as_str()) {
                    Some(o) => {
                        // The same check, the same words and weight.
                        assert_eq!(o.title, f.title, "{url} {check}");
                        assert_eq!(o.severity, f.severity, "{url} {check}");
                        assert_eq!(i64::from(o.priority.score), f.score(), "{url} {check}");
                        assert_eq!(o.fix.steps, f.recommended_fix.steps, "{url} {check}");
                        assert!(
                            defect_present(&f.status),
                            "{url} {check} is {} but still fails",
                            f.status
                        );
                    }
                    None => assert!(
                        !defect_present(&f.status),
                        "{url} {check} is {} but the page passes it",
                        f.status
                    ),
                }
            }
            // Nothing else is wrong with the page, but the one thing no
            // plain-http site can fix: the redirect to https.
            for check in found.keys() {
                assert!(
                    *check == "security.no_https_redirect"
                        || seeded.iter().any(|f| check_of(f) == *check),
                    "{url}: a scan finds {check}, which the demo data does not"
                );
            }
        }
    }
    sandbox.shutdown().await;
}

async fn verify(client: &Client, finding: &Finding) -> Verification {
    let task = client
        .create_task(&NewTask {
            finding_id: finding.id.clone(),
            title: format!("Fix: {}", finding.title),
            ..NewTask::default()
        })
        .await
        .expect("task");
    let started = client
        .run_verification(&task.id)
        .await
        .expect("verification");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let v = client
            .get_verification(&started.id)
            .await
            .expect("readable");
        if v.result != VerificationResult::Pending {
            return v;
        }
        assert!(Instant::now() < deadline, "still pending");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_shipped_fix_verifies_and_resolves_an_unfixed_one_fails_with_its_reason() {
    let (sandbox, client) = demo().await;
    let findings = all_findings(&client).await;
    let shipped = findings
        .iter()
        .find(|f| f.status == FindingStatus::ReadyVerify)
        .expect("a finding ready to verify");
    let passed = verify(&client, shipped).await;
    assert_eq!(passed.result, VerificationResult::Passed, "{passed:?}");
    let approved = client
        .approve_verification(&passed.id)
        .await
        .expect("approve");
    assert!(approved.verified_at.is_some());
    let now = client.get_finding(&shipped.id).await.expect("finding");
    assert_eq!(now.status, FindingStatus::Resolved);

    let unfixed = findings
        .iter()
        .find(|f| f.status == FindingStatus::InProgress)
        .expect("a finding in progress");
    let failed = verify(&client, unfixed).await;
    assert_eq!(failed.result, VerificationResult::Failed, "{failed:?}");
    let check = &failed.checks[0];
    assert_eq!(check.key, check_of(unfixed));
    assert_eq!(
        check.status, "failed",
        "the check ran and still fails: {check:?}"
    );
    assert!(
        check.after.as_str().is_some_and(|a| !a.is_empty()),
        "says what it saw: {check:?}"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn without_the_demo_site_a_seeded_page_fails_fast_without_dns() {
    let sandbox = spawn(SandboxOptions::for_tests().with_data(DataSource::Demo))
        .await
        .expect("starts");
    let client = Client::new(sandbox.client_settings(&sandbox.projects[0])).expect("client");
    let finding = all_findings(&client).await.remove(0);
    let started = Instant::now();
    let v = verify(&client, &finding).await;
    assert_eq!(v.result, VerificationResult::Failed);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    let text = serde_json::to_string(&v).unwrap_or_default();
    assert!(text.contains("reserved name"), "{text}");
    sandbox.shutdown().await;
}
