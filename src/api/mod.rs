//! The typed HTTP client of the Krafter Audit API (`../shared/krafter-api.md`).
//!
//! Shared by the TUI, the headless commands and the tests. It decodes
//! tolerantly, pages, paces itself by the rate-limit headers, retries what is
//! safe to retry and turns every failure into one [`ApiError`].

pub mod base_url;
pub mod client;
pub mod enums;
mod envelope;
pub mod error;
mod key;
pub mod model;
pub mod paginate;
pub mod ratelimit;
pub mod relay;
pub mod remediation;
pub mod ssrf;
pub mod transitions;
mod transport;

pub use client::{Client, ClientSettings, Page};
pub use error::{ApiError, NotOffered, StatusError};
pub use key::ApiKey;
pub use paginate::{CursorPager, FindingsPager, Progress};
pub use ratelimit::{BudgetSnapshot, PaceReason, RateBudget};
