//! What changed since a time: findings first seen, resolved and dismissed
//! since then, regressions opened, status changes made through krafter
//! (from the local journal) and the risk then and now. Shared by `krafter
//! changes` and the TUI's changes view.
//!
//! The API has no "changed since" query, so the report is computed from
//! every finding (pages of 100), the regressions, the report summary's
//! burn-down and the command center. "Resolved since" reads a resolved
//! finding's `updated_at`: the service keeps no separate closing time.

mod fetch;
mod report;
mod since;

pub use fetch::collect;
pub use report::{
    ChangeReport, ChangedFinding, HealthChange, HealthPoint, Inputs, Regressed, StatusChange,
};
pub use since::parse_since;
