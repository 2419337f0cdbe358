//! The index behind `GET /findings` and the command center answers what a
//! plain scan and a full sort would, from the first request on and after
//! scans add findings.

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use uuid::Uuid;

use super::index::list_order;
use super::*;
use crate::api::model::{Domain, FindingStatus, Severity};

fn base() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).single().unwrap()
}

/// A finding; `n` spreads scores, times and ids so that ties occur too.
fn finding(n: u32, title: &str, description: &Arc<str>) -> FindingRecord {
    let created = base() + Duration::minutes(i64::from(n % 7));
    FindingRecord {
        id: Uuid::from_u128(u128::from(n.wrapping_mul(2_654_435_761))),
        check: format!("check.{}", n % 5),
        domain: if n.is_multiple_of(3) {
            Domain::Security
        } else {
            Domain::Performance
        },
        title: title.to_string(),
        description: Arc::clone(description),
        title_lower: title.to_lowercase(),
        description_lower: Arc::from(description.to_lowercase().as_str()),
        severity: if n.is_multiple_of(4) {
            Severity::Critical
        } else {
            Severity::Low
        },
        status: if n % 6 == 5 {
            FindingStatus::Resolved
        } else {
            FindingStatus::New
        },
        confidence: 0.9,
        priority: Priority {
            impact: (n % 11) as u8,
            effort: 10,
            risk: (n % 13) as u8,
            score: (n % 9) as u8 * 10,
        },
        owner_id: None,
        asset_url: format!("https://example.com/{n}"),
        evidence: Vec::new(),
        fix: Arc::new(FixRow {
            summary: "fix".into(),
            steps: Vec::new(),
            estimated_minutes: 5,
        }),
        observed: None,
        scan_id: None,
        created_at: created,
        updated_at: created,
        first_seen_at: created,
        last_seen_at: created,
        closed_at: None,
    }
}

/// `n` findings of three shared texts, and every tenth with a text of its own.
fn project(n: u32) -> Project {
    let shared: Vec<(String, Arc<str>)> = [
        (
            "Session cookie without Secure",
            "The cookie travels over HTTP.",
        ),
        ("Missing Content-Security-Policy", "No CSP header was sent."),
        (
            "Images without alt text",
            "Screen readers cannot describe them.",
        ),
    ]
    .iter()
    .map(|(t, d)| (t.to_string(), Arc::from(*d)))
    .collect();
    let mut p = Project::new("site", "Site");
    for i in 0..n {
        let (title, description) = if i % 10 == 9 {
            (
                format!("Unique finding {i}"),
                Arc::from(format!("Only on page {i}")),
            )
        } else {
            shared[i as usize % 3].clone()
        };
        p.insert_finding(finding(i, &title, &description));
    }
    p
}

fn in_store(p: Project) -> Store {
    let mut store = Store::default();
    store.add_org(Org {
        id: Uuid::nil(),
        name: "Org".into(),
        team: TeamId(1),
        users: Vec::new(),
        projects: vec![p],
    });
    store
}

fn the_project(store: &mut Store) -> &mut Project {
    store
        .project_mut(TeamId(1), &Uuid::nil().to_string(), "site")
        .unwrap()
        .0
}

/// What a list should be: every match, fully sorted.
fn expected_ids(p: &Project, q: Option<&str>) -> Vec<Uuid> {
    let mut rows: Vec<&FindingRecord> = p
        .findings
        .iter()
        .filter(|f| q.is_none_or(|q| f.title_lower.contains(q) || f.description_lower.contains(q)))
        .collect();
    rows.sort_by(|a, b| list_order(a, b));
    rows.iter().map(|f| f.id).collect()
}

fn listed_ids(p: &mut Project, filter: &FindingFilter, offset: usize, limit: usize) -> Vec<Uuid> {
    p.list_findings(filter, offset, limit)
        .0
        .iter()
        .map(|f| f.id)
        .collect()
}

fn search(q: &str) -> FindingFilter {
    FindingFilter {
        q: Some(q.into()),
        ..FindingFilter::default()
    }
}

#[test]
fn a_project_joining_the_store_is_indexed_before_any_request() {
    let mut store = in_store(project(300));
    let p = the_project(&mut store);
    assert!(p.index.covers(&p.findings), "the first list would sort");
    // Three shared texts, and thirty of their own.
    assert_eq!(p.index.distinct_texts(), 33);
}

#[test]
fn pages_follow_the_list_order_with_and_without_filters() {
    let mut store = in_store(project(250));
    let p = the_project(&mut store);
    let all = expected_ids(p, None);
    assert_eq!(listed_ids(p, &FindingFilter::default(), 0, 1000), all);
    assert_eq!(
        listed_ids(p, &FindingFilter::default(), 100, 50),
        all[100..150]
    );
    assert_eq!(p.list_findings(&FindingFilter::default(), 240, 50).1, 250);
    let critical = FindingFilter {
        severity: Some(Severity::Critical),
        ..FindingFilter::default()
    };
    let (rows, total) = p.list_findings(&critical, 0, 1000);
    assert_eq!(total, rows.len());
    assert!(rows.iter().all(|f| f.severity == Severity::Critical));
    assert!(rows.windows(2).all(|w| list_order(w[0], w[1]).is_lt()));
}

#[test]
fn a_search_finds_what_a_scan_of_every_text_finds() {
    let mut store = in_store(project(400));
    let p = the_project(&mut store);
    for q in [
        "cookie",
        "csp",
        "page 19",
        "only on",
        "unique finding 39",
        "zzz",
    ] {
        let expected = expected_ids(p, Some(q));
        let (rows, total) = p.list_findings(&search(q), 0, 1000);
        assert_eq!(total, expected.len(), "{q}");
        let ids: Vec<Uuid> = rows.iter().map(|f| f.id).collect();
        assert_eq!(ids, expected, "{q}");
    }
    // A search combined with another filter applies both.
    let both = FindingFilter {
        severity: Some(Severity::Critical),
        ..search("cookie")
    };
    let (rows, _) = p.list_findings(&both, 0, 1000);
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|f| f.severity == Severity::Critical && f.title_lower.contains("cookie"))
    );
}

#[test]
fn findings_added_after_startup_take_their_place_and_are_searchable() {
    let mut store = in_store(project(120));
    let p = the_project(&mut store);
    let fresh: Arc<str> = Arc::from("A brand new kind of problem");
    for n in [1000, 1001, 1007, 1040] {
        p.insert_finding(finding(n, "Freshly scanned", &fresh));
    }
    assert!(p.index.covers(&p.findings), "inserts keep the index whole");
    assert_eq!(
        listed_ids(p, &FindingFilter::default(), 0, 1000),
        expected_ids(p, None)
    );
    assert_eq!(
        listed_ids(p, &search("brand new"), 0, 1000),
        expected_ids(p, Some("brand new"))
    );
    assert_eq!(p.list_findings(&search("brand new"), 0, 10).1, 4);
}

#[test]
fn a_project_built_by_hand_is_indexed_on_its_first_list() {
    let mut p = project(50);
    assert!(!p.index.covers(&p.findings));
    assert_eq!(
        listed_ids(&mut p, &FindingFilter::default(), 0, 100),
        expected_ids(&p, None)
    );
}

#[test]
fn the_command_center_ranks_the_top_five_as_a_full_sort_would() {
    let mut store = in_store(project(500));
    let p = the_project(&mut store);
    let mut open: Vec<&FindingRecord> = p
        .findings
        .iter()
        .filter(|f| f.status.is_unresolved())
        .collect();
    open.sort_by(|a, b| list_order(a, b));
    let expected: Vec<String> = open.iter().take(5).map(|f| f.id.to_string()).collect();
    let cc = p.command_center("org", base());
    let top: Vec<String> = cc["top_priorities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(top, expected);
    assert_eq!(cc["unresolved_findings"], open.len());
    let critical = open
        .iter()
        .filter(|f| f.severity == Severity::Critical)
        .count();
    assert_eq!(cc["critical_findings"], critical);
}

#[test]
fn fewer_than_five_open_findings_are_all_ranked() {
    let mut store = in_store(project(4));
    let p = the_project(&mut store);
    let cc = p.command_center("org", base());
    let open = p
        .findings
        .iter()
        .filter(|f| f.status.is_unresolved())
        .count();
    assert_eq!(cc["top_priorities"].as_array().unwrap().len(), open);
}
