//! Findings in the formats other tools read: SARIF 2.1.0 (code-scanning
//! dashboards), JUnit XML (CI test views) and Markdown (job summaries).
//!
//! Each writer is a pure function of findings and their gate verdicts,
//! usable one finding at a time (a builder that is fed and finished) or for
//! a whole batch (one call), so a streaming export and `krafter gate` share
//! them. Every server string is passed through [`crate::sanitize`] and then
//! the format's own escaping.

mod entry;
pub mod junit;
pub mod markdown;
pub mod sarif;

pub use entry::{Entry, cut, fingerprint};
