//! Single changes still waiting for their answer when the TUI quits: the
//! request may still land, so each is logged as told `unknown` and named
//! on the terminal once the TUI is gone.

use super::reported::{self, Fields, Told};
use crate::app::state::{AppState, PendingPatch};
use crate::sanitize::sanitize;

/// Quitting while single changes wait for their answer: each is logged as
/// told `unknown` (the request may still land), and the terminal is told
/// which ones to check once the TUI is gone.
pub fn report(state: &AppState) -> Option<String> {
    if state.pending.is_empty() {
        return None;
    }
    let mut pending: Vec<(&u64, &PendingPatch)> = state.pending.iter().collect();
    pending.sort_by_key(|(request, _)| **request);
    let mut lines = Vec::new();
    for (_, p) in &pending {
        let patch = &p.patch;
        let fields = Fields {
            status: patch.status.as_ref(),
            owner: patch.owner_id.as_ref().map(Option::as_deref),
            severity: patch.severity.as_ref(),
        };
        reported::log(&p.finding_id, fields, Told::Unknown, "quit");
        lines.push(format!(
            "  {} {} (finding {})",
            sanitize(&p.what),
            p.before
                .as_ref()
                .map_or(String::new(), |f| format!("“{}”", sanitize(&f.title))),
            sanitize(&p.finding_id)
        ));
    }
    let n = pending.len();
    Some(format!(
        "krafter: {n} change{} had no answer yet when krafter quit; the server may or may not \
         hold {}; check with `krafter finding ID`:\n{}",
        if n == 1 { "" } else { "s" },
        if n == 1 { "it" } else { "them" },
        lines.join("\n")
    ))
}
