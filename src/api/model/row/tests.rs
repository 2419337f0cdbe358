use super::*;
use crate::api::model::Extra;

/// What the list kept before it had a row type of its own: the finding
/// with its description, evidence, fix, other assets and unknown fields
/// dropped. A row must give back exactly this (plus the check).
fn stripped(f: Finding) -> Finding {
    let primary = f
        .affected_assets
        .iter()
        .position(|a| a.kind == "url")
        .unwrap_or(0);
    let asset = f.affected_assets.into_iter().nth(primary).map(|mut a| {
        a.extra = Extra::new();
        a
    });
    Finding {
        id: f.id,
        domain: f.domain,
        title: f.title,
        severity: f.severity,
        status: f.status,
        confidence: f.confidence,
        priority: Priority {
            extra: Extra::new(),
            ..f.priority
        },
        owner_id: f.owner_id,
        affected_assets: asset.into_iter().collect(),
        inserted_at: if f.created_at.is_none() {
            f.inserted_at
        } else {
            None
        },
        created_at: f.created_at,
        updated_at: f.updated_at,
        ..Finding::default()
    }
}

fn finding(json: serde_json::Value) -> Finding {
    serde_json::from_value(json).unwrap()
}

fn sandbox_like() -> Finding {
    finding(serde_json::json!({
        "id": "d4e5f6a7-8b9c-0d1e-2f3a-4b5c6d7e8f9a",
        "org_id": "o", "project_id": "p",
        "domain": "security", "title": "Missing Content-Security-Policy header",
        "description": "long text", "severity": "high", "status": "triaged",
        "confidence": 0.95,
        "priority": {"impact": 80, "effort": 20, "risk": 70, "score": 88},
        "owner_id": "a1b2c3d4-5e6f-7a8b-9c0d-1e2f3a4b5c6d",
        "affected_assets": [
            {"type": "domain", "value": "shop.example.com"},
            {"type": "url", "value": "https://shop.example.com/checkout/cart", "note": 1}
        ],
        "evidence": [{"type": "header", "value": "none"}],
        "recommended_fix": {"summary": "add it", "steps": ["one"]},
        "check": "security.csp_missing", "scan_id": "s",
        "created_at": "2026-11-01T10:05:00Z", "updated_at": "2026-11-02T11:00:00Z"
    }))
}

fn without_check(mut f: Finding) -> Finding {
    f.extra.remove("check");
    f
}

#[test]
fn a_row_is_small() {
    // The whole finding is 744 bytes inline; the row must stay a fraction
    // of it for 100,000 loaded findings to fit in 100 MiB.
    assert!(
        std::mem::size_of::<FindingRow>() <= 160,
        "a row is {} bytes",
        std::mem::size_of::<FindingRow>()
    );
}

#[test]
fn a_row_gives_back_what_the_list_kept() {
    let mut strings = Interner::default();
    let odd_ones = [
        sandbox_like(),
        finding(serde_json::json!({"id": "f-001", "title": "t"})),
        Finding::default(),
        finding(serde_json::json!({
            "id": "D4E5F6A7-8B9C-0D1E-2F3A-4B5C6D7E8F9A", "severity": "catastrophic",
            "status": "wontfix", "domain": "privacy",
            "priority": {"score": 1e12, "impact": "7", "risk": -2147483648_i64},
            "confidence": "high", "owner_id": "someone",
            "affected_assets": [{"type": "ip", "value": "10.0.0.1"}],
            "inserted_at": "2026-11-01T10:05:00.123Z", "updated_at": "yesterday"
        })),
        finding(serde_json::json!({
            "id": "x", "created_at": null, "inserted_at": "2026-11-01T10:05:00Z",
            "updated_at": "2026-11-01T10:05:00+02:00"
        })),
        finding(serde_json::json!({"id": "y", "inserted_at": "2026-11-01T10:05:00Z", "check": 3})),
    ];
    for f in odd_ones {
        let row = FindingRow::new(f.clone(), &mut strings);
        assert_eq!(
            without_check(row.to_finding()),
            stripped(f.clone()),
            "{f:?}"
        );
        assert_eq!(row.id(), f.id.as_str());
        assert!(row.id_is(&f.id));
        assert_eq!(row.severity(), &f.severity);
        assert_eq!(row.status(), &f.status);
        assert_eq!(row.domain(), &f.domain);
        assert_eq!(row.score(), f.score());
        assert_eq!(row.created(), stripped(f.clone()).created());
        assert_eq!(row.primary_url(), f.primary_url());
        assert_eq!(row.owner_id(), f.owner_id.as_deref());
        assert_eq!(
            FindingRow::new(row.to_finding(), &mut strings),
            row,
            "a row survives a round trip"
        );
    }
}

#[test]
fn unknown_values_are_kept_as_sent() {
    let mut strings = Interner::default();
    let f = finding(serde_json::json!({
        "id": "f-1", "severity": "catastrophic", "status": "wontfix", "domain": "privacy"
    }));
    let row = FindingRow::new(f, &mut strings);
    assert_eq!(row.severity(), &Severity::Other("catastrophic".into()));
    assert_eq!(row.severity().as_str(), "catastrophic");
    assert_eq!(row.status().as_str(), "wontfix");
    assert_eq!(row.domain().as_str(), "privacy");
    let mut changed = row.clone();
    changed.set_status(FindingStatus::Triaged);
    assert_eq!(changed.status(), &FindingStatus::Triaged);
    assert_eq!(changed.severity().as_str(), "catastrophic");
    changed.set_severity(Severity::Low);
    changed.set_status(FindingStatus::Other("later".into()));
    assert_eq!(changed.status().as_str(), "later");
    assert_eq!(changed.domain().as_str(), "privacy");
}

#[test]
fn the_common_shape_needs_no_side_box_and_shares_its_strings() {
    let mut strings = Interner::default();
    let a = FindingRow::new(sandbox_like(), &mut strings);
    assert!(a.odd.is_none(), "{:?}", a.odd);
    assert!(matches!(a.id, RowId::Uuid(_)));
    let mut other = sandbox_like();
    other.id = "0e5f6a7b-8b9c-0d1e-2f3a-4b5c6d7e8f9a".into();
    let b = FindingRow::new(other, &mut strings);
    assert!(Arc::ptr_eq(a.shared_title(), b.shared_title()));
    assert_eq!(strings.len(), 4, "title, owner, page, check");
    assert_eq!(a.check(), Some("security.csp_missing"));
    assert_eq!(a.url_path(), Some("/checkout/cart"));
    assert_eq!(a.confidence(), Some(0.95));
    assert_eq!(
        a.updated_at().map(|t| t.raw().to_string()).as_deref(),
        Some("2026-11-02T11:00:00Z")
    );
    assert!(!a.id_is("D4E5F6A7-8B9C-0D1E-2F3A-4B5C6D7E8F9A"));
}

#[test]
fn a_query_matches_a_row_as_it_matches_its_finding_without_the_description() {
    let mut strings = Interner::default();
    let f = sandbox_like();
    let row = FindingRow::new(f.clone(), &mut strings);
    let queries = [
        FindingQuery::default(),
        FindingQuery {
            severity: Some(Severity::High),
            status: Some(FindingStatus::Triaged),
            domain: Some(Domain::Security),
            ..FindingQuery::default()
        },
        FindingQuery {
            owner_id: Some("A1B2C3D4-5E6F-7A8B-9C0D-1E2F3A4B5C6D".into()),
            ..FindingQuery::default()
        },
        FindingQuery {
            owner_id: Some("none".into()),
            ..FindingQuery::default()
        },
        FindingQuery {
            q: Some("content-security".into()),
            ..FindingQuery::default()
        },
        FindingQuery {
            severity: Some(Severity::Low),
            ..FindingQuery::default()
        },
    ];
    for q in queries {
        assert_eq!(q.matches_row(&row), q.matches(&f), "{q:?}");
    }
    let no_text = FindingQuery {
        q: Some("long text".into()),
        ..FindingQuery::default()
    };
    assert!(!no_text.matches_row(&row), "the row keeps no description");
}
