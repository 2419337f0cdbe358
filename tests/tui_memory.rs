//! The findings list holds a compact row per loaded finding, not the whole
//! finding: a counting allocator measures what a list of 10,000 findings
//! shaped like the sandbox's holds (issue 12's target: at most 1,000 bytes
//! a finding). This binary holds this test alone, so nothing else
//! allocates while it measures.

mod counting_alloc;

use counting_alloc::{Counting, live};
use krafter::api::model::{Finding, FindingRow};
use krafter::app::state::FindingsState;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Finding `i` as the sandbox's `--generate` sends it: one of a few dozen
/// checks (their title, description and fix), a page of the site shared by
/// the checks, a UUID, an owner of a few.
fn finding(i: usize) -> Finding {
    let check = i % 30;
    let domain = ["security", "performance", "accessibility", "seo"][check % 4];
    let severity = ["critical", "high", "medium", "low"][i % 4];
    let status = ["new", "triaged", "in_progress", "resolved"][i % 4];
    serde_json::from_value(serde_json::json!({
        "id": format!("{:08x}-8b9c-4d1e-af3a-{:012x}", i, i * 7919),
        "org_id": "9f1c2d3e-0000-4000-8000-000000000001",
        "project_id": "proj-storefront",
        "domain": domain,
        "title": format!("Check {check}: a header or an attribute is missing"),
        "description": "The response does not set the header. ".repeat(8),
        "severity": severity,
        "status": status,
        "confidence": 0.9,
        "priority": {"impact": 80, "effort": 20, "risk": 70, "score": i % 100},
        "owner_id": (!i.is_multiple_of(3)).then(|| format!("7c1e2f4a-0000-4000-8000-00000000000{}", i % 5)),
        "affected_assets": [{"type": "url", "value": format!("https://proj-storefront.example.com/pages/{}", i / 30)}],
        "evidence": [{"type": "header", "label": "Response header", "value": "(absent)"}],
        "recommended_fix": {"summary": "Set it in the server's configuration.", "steps": ["Open the config", "Add the header", "Deploy"], "estimated_minutes": 15},
        "check": format!("security.check_{check}"),
        "scan_id": "5a6b7c8d-0000-4000-8000-000000000002",
        "first_seen_at": "2026-11-01T10:05:00Z",
        "last_seen_at": "2026-11-20T10:05:00Z",
        "created_at": "2026-11-01T10:05:00Z",
        "updated_at": "2026-11-02T11:00:00Z"
    }))
    .unwrap()
}

#[test]
fn a_list_of_ten_thousand_holds_under_a_kilobyte_a_finding() {
    const N: usize = 10_000;
    // The whole findings are handed over and dropped as they are stored.
    let before = live();
    let whole: Vec<Finding> = (0..N).map(finding).collect();
    let mut list = FindingsState::default();
    list.set_all(whole);
    let held = live().saturating_sub(before);
    let per = held / N;
    println!("{held} B for {N} findings: {per} B a finding");
    assert!(
        per <= 1_000,
        "the list holds {per} B a finding ({held} B for {N})"
    );
    assert!(std::mem::size_of::<FindingRow>() <= 160);
    assert_eq!(list.rows.len(), N);
    assert_eq!(list.rows[31].check(), Some("security.check_1"));
    assert_eq!(list.rows[31].url_path(), Some("/pages/1"));
}
