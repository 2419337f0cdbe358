//! The team's shared rate budget, read from `x-ratelimit-*` on every response
//! (contract section 4), and the pacing that keeps the client under it.

use std::time::SystemTime;

/// What the last response said about the current window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BudgetSnapshot {
    /// `x-ratelimit-limit`.
    pub limit: Option<u32>,
    /// `x-ratelimit-remaining`.
    pub remaining: Option<u32>,
    /// `x-ratelimit-reset`, as an instant.
    pub reset_at: Option<SystemTime>,
}
