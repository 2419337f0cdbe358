//! What the findings list keeps of a finding: what it shows, sorts, marks
//! and filters by. The description, evidence and fix steps are most of a
//! finding's bytes and the list shows none of them; the detail fetches the
//! whole finding when it opens (`GET /findings/{id}`).

use crate::api::model::{Extra, Finding, Priority};

/// The list's copy of `f`: id, title, severity, status, domain, priority
/// figures, confidence, owner, the affected URL it shows the path of, the dates, and the
/// sandbox's `check` key. Strings are moved, not copied.
pub fn list_row(f: Finding) -> Finding {
    let Finding {
        id,
        domain,
        title,
        severity,
        status,
        confidence,
        priority,
        owner_id,
        affected_assets,
        created_at,
        inserted_at,
        updated_at,
        ..
    } = f;
    let primary = affected_assets
        .iter()
        .position(|a| a.kind == "url")
        .unwrap_or(0);
    let assets = affected_assets.into_iter().nth(primary).map(|mut a| {
        a.extra = Extra::new();
        a
    });
    Finding {
        id,
        domain,
        title,
        severity,
        status,
        // Held inline: keeping the figures costs nothing on the heap.
        confidence,
        priority: Priority {
            extra: Extra::new(),
            ..priority
        },
        owner_id,
        affected_assets: assets.into_iter().collect(),
        // One creation time is enough: the other name is only a fallback.
        inserted_at: if created_at.is_none() {
            inserted_at
        } else {
            None
        },
        created_at,
        updated_at,
        // Unknown fields and the sandbox's extras (`check`, `scan_id`, the
        // seen times) are shown by the detail only; a map of even one entry
        // costs about 250 bytes a row.
        ..Finding::default()
    }
}

/// True when `f` may be a list row (its description, evidence and fix not
/// kept): the detail then waits for the whole finding.
pub fn is_list_row(f: &Finding) -> bool {
    f.description.is_empty() && f.evidence.is_empty() && f.recommended_fix.steps.is_empty()
}
