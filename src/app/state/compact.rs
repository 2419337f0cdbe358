//! What the findings list keeps of a finding is its compact row
//! ([`crate::api::model::FindingRow`]): what it shows, sorts, marks and
//! filters by. The description, evidence and fix steps are most of a
//! finding's bytes and the list shows none of them; the detail fetches the
//! whole finding when it opens (`GET /findings/{id}`), showing the row's
//! finding meanwhile.

use crate::api::model::Finding;

/// True when `f` may be a list row's finding (its description, evidence
/// and fix not kept): the detail then waits for the whole finding.
pub fn is_list_row(f: &Finding) -> bool {
    f.description.is_empty() && f.evidence.is_empty() && f.recommended_fix.steps.is_empty()
}
