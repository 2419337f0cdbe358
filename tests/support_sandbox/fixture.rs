//! A small data set whose numbers are known, written as a `--data` file.

use chrono::{Duration, Utc};
use krafter::sandbox::{DataSource, SandboxOptions};
use serde_json::{Value, json};

pub const ORG: &str = "3f0c9a52-6a8e-4d1b-9c47-1e2d3b4a5c6d";
pub const U1: &str = "11111111-2222-4333-8444-555555555555";
pub const U2: &str = "66666666-7777-4888-9999-aaaaaaaaaaaa";

/// Finding ids, `F[1]` .. `F[9]` (index 0 unused).
pub const F: [&str; 10] = [
    "",
    "f0000001-0000-4000-8000-000000000001",
    "f0000002-0000-4000-8000-000000000002",
    "f0000003-0000-4000-8000-000000000003",
    "f0000004-0000-4000-8000-000000000004",
    "f0000005-0000-4000-8000-000000000005",
    "f0000006-0000-4000-8000-000000000006",
    "f0000007-0000-4000-8000-000000000007",
    "f0000008-0000-4000-8000-000000000008",
    "f0000009-0000-4000-8000-000000000009",
];
pub const T1: &str = "a0000001-0000-4000-8000-000000000001";
pub const T2: &str = "a0000002-0000-4000-8000-000000000002";
pub const T3: &str = "a0000003-0000-4000-8000-000000000003";
pub const V1: &str = "b0000001-0000-4000-8000-000000000001";
pub const V2: &str = "b0000002-0000-4000-8000-000000000002";
pub const V3: &str = "b0000003-0000-4000-8000-000000000003";
pub const R1: &str = "c0000001-0000-4000-8000-000000000001";
pub const R2: &str = "c0000002-0000-4000-8000-000000000002";

fn ago(hours: i64) -> String {
    (Utc::now() - Duration::hours(hours)).to_rfc3339()
}

#[allow(clippy::too_many_arguments)]
fn finding(
    n: usize,
    domain: &str,
    severity: &str,
    status: &str,
    score: u8,
    impact: u8,
    risk: u8,
    created_h: i64,
    closed_h: Option<i64>,
    owner: Option<&str>,
    title: &str,
) -> Value {
    json!({
        "id": F[n], "check": format!("{domain}.check_{n}"), "domain": domain,
        "title": title, "description": format!("Description of finding {n}."),
        "severity": severity, "status": status, "confidence": 0.9,
        "priority": {"impact": impact, "effort": 20, "risk": risk, "score": score},
        "owner_id": owner, "url": format!("https://shop.example.com/page-{n}"),
        "evidence": [{"type": "header", "label": "X-Check", "value": format!("seen-{n}")}],
        "observed": format!("seen-{n}"),
        "recommended_fix": {"summary": "Fix it.", "steps": ["Do it"], "estimated_minutes": 15},
        "created_at": ago(created_h),
        "closed_at": closed_h.map(ago),
    })
}

/// The data set. Unresolved: F1 (critical), F2, F3, F4, F7 (critical),
/// F8, F9; F5 resolved, F6 dismissed.
pub fn small_data_set() -> Value {
    let d = 24;
    json!({
        "org": {"id": ORG, "name": "Test org"},
        "users": [{"id": U1, "name": "Ada"}, {"id": U2, "name": "Bo"}],
        "projects": [{
            "id": "shop", "name": "Shop",
            "integrations": [{"provider": "github", "status": "connected"}],
            "findings": [
                finding(1, "security", "critical", "new", 90, 85, 90, 2 * d, None, None, "Session cookie without Secure"),
                finding(2, "security", "high", "triaged", 80, 70, 80, 3 * d, None, Some(U1), "Missing CSP header"),
                finding(3, "performance", "medium", "in_progress", 60, 70, 10, 4 * d, None, Some(U2), "Slow first byte"),
                finding(4, "seo", "low", "new", 30, 20, 5, d, None, None, "No canonical link"),
                finding(5, "accessibility", "high", "resolved", 70, 60, 20, 10 * d, Some(2 * d), Some(U1), "Images without alt"),
                finding(6, "security", "medium", "dismissed", 50, 40, 50, 5 * d, Some(d), None, "Server version disclosed"),
                finding(7, "security", "critical", "new", 95, 90, 95, 1, None, None, "CORS wildcard with credentials"),
                finding(8, "security", "low", "new", 10, 10, 40, 6 * d, None, None, "Referrer-Policy missing"),
                finding(9, "performance", "low", "triaged", 20, 30, 5, 6 * d, None, Some(U2), "No caching headers"),
            ],
            "tasks": [
                {"id": T1, "finding_id": F[2], "title": "Add a CSP", "status": "backlog", "priority": "high", "created_at": ago(2 * d)},
                {"id": T2, "finding_id": F[5], "title": "Alt texts", "status": "done", "priority": "high", "created_at": ago(9 * d)},
                {"id": T3, "finding_id": F[3], "title": "Speed up TTFB", "status": "in_progress", "created_at": ago(3 * d)},
            ],
            "verifications": [
                {"id": V1, "task_id": T2, "result": "passed", "verified_by_id": U1, "verified_at": ago(2 * d), "created_at": ago(2 * d + 1),
                 "checks": [{"key": "accessibility.check_5", "before": "seen-5", "after": "ok", "status": "passed"}]},
                {"id": V2, "task_id": T3, "result": "passed", "created_at": ago(5),
                 "checks": [{"key": "performance.check_3", "before": "seen-3", "after": "ok", "status": "passed"}]},
                {"id": V3, "task_id": T1, "result": "failed", "created_at": ago(4),
                 "checks": [{"key": "security.check_2", "before": "seen-2", "after": "seen-2", "status": "failed"}]},
            ],
            "regressions": [
                {"id": R1, "finding_id": F[3], "status": "open", "detected_at": ago(2 * d)},
                {"id": R2, "finding_id": F[8], "status": "open", "detected_at": ago(3 * d)},
            ],
        }],
    })
}

/// Options serving the small data set; keep the directory alive.
pub fn small_options() -> (SandboxOptions, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("data.json");
    std::fs::write(&path, small_data_set().to_string()).expect("write the data set");
    (
        SandboxOptions::for_tests().with_data(DataSource::File(path)),
        dir,
    )
}
