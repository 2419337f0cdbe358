//! What the budget looks like from outside: for the status bar, the
//! progress of long jobs and the tests.

use std::time::{Duration, SystemTime};

/// Why the client is holding requests back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaceReason {
    /// `x-ratelimit-remaining` reached 0: waiting for the window to reset.
    WindowSpent,
    /// The server answered 429: waiting the `retry-after` it asked for.
    RetryAfter,
}

/// What the last responses said about one bucket.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BucketSnapshot {
    /// `x-ratelimit-limit`.
    pub limit: Option<u32>,
    /// `x-ratelimit-remaining`, minus the requests in flight.
    pub remaining: Option<u32>,
    /// `x-ratelimit-reset`, as an instant.
    pub reset_at: Option<SystemTime>,
}

/// What the last response said about the rate budget, and whether the client
/// is pacing itself right now. `limit`, `remaining` and `reset_at` describe
/// the default bucket; `strict` the one of `POST /scans/run`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BudgetSnapshot {
    /// `x-ratelimit-limit`.
    pub limit: Option<u32>,
    /// `x-ratelimit-remaining`.
    pub remaining: Option<u32>,
    /// `x-ratelimit-reset`, as an instant.
    pub reset_at: Option<SystemTime>,
    /// The strict bucket, as the last `POST /scans/run` answer showed it.
    pub strict: BucketSnapshot,
    /// Requests are held back until this instant ("pacing until T").
    pub pacing_until: Option<SystemTime>,
    /// Why they are held back.
    pub pacing_reason: Option<PaceReason>,
    /// The window length, learnt from successive resets (60 s until then).
    pub window: Duration,
}

impl BudgetSnapshot {
    /// The default bucket as a [`BucketSnapshot`].
    pub fn default_bucket(&self) -> BucketSnapshot {
        BucketSnapshot {
            limit: self.limit,
            remaining: self.remaining,
            reset_at: self.reset_at,
        }
    }

    /// How long requests are still held back, if they are.
    pub fn pacing_for(&self, now: SystemTime) -> Option<Duration> {
        self.pacing_until
            .and_then(|until| until.duration_since(now).ok())
            .filter(|d| !d.is_zero())
    }

    /// How long `requests` more requests of the default bucket will wait for
    /// the budget (not counting the requests' own latency): zero when they fit
    /// in what remains, else the time to the reset plus one window per further
    /// `limit` requests. `None` until a response has shown the limit.
    pub fn eta(&self, requests: u64, now: SystemTime) -> Option<Duration> {
        let limit = u64::from(self.limit?).max(1);
        let until_reset = self
            .reset_at
            .and_then(|r| r.duration_since(now).ok())
            .unwrap_or_default();
        let remaining = if until_reset.is_zero() {
            limit
        } else {
            u64::from(self.remaining.unwrap_or(0))
        };
        if requests <= remaining {
            return Some(Duration::ZERO);
        }
        let windows = (requests - remaining).div_ceil(limit);
        let first = if until_reset.is_zero() {
            self.window
        } else {
            until_reset
        };
        let more = u32::try_from(windows - 1).unwrap_or(u32::MAX);
        Some(first + self.window.saturating_mul(more))
    }
}
