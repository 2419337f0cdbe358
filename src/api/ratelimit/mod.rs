//! The team's shared rate budget, read from `x-ratelimit-*` on every response
//! (contract section 4), and the pacing that keeps the client under it.
//!
//! Every clone of a [`super::Client`], and every client made from it with
//! `with_project`, holds the same [`RateBudget`]: the limits belong to the
//! team, not to a handle.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;
use tokio::sync::watch;

mod headers;
mod snapshot;

pub(crate) use headers::retry_after_secs;
use headers::{clamp_u32, header_u64, local_reset, server_date};
pub use snapshot::{BucketSnapshot, BudgetSnapshot, PaceReason};

/// The window length assumed until two successive resets reveal it (the
/// documented windows are 60 s).
const DEFAULT_WINDOW: Duration = Duration::from_secs(60);

/// The longest the client holds a request back on its own. A reset further
/// away than this means the clocks disagree, not that the window is that long.
const MAX_PACING: Duration = Duration::from_secs(15 * 60);

/// A little past the reset, so the request lands in the new window even when
/// the clocks disagree by a few milliseconds.
const RESET_MARGIN: Duration = Duration::from_millis(25);

/// Which of the team's buckets a request draws from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bucket {
    /// Every authenticated route: 100 requests / 60 s.
    Default,
    /// `POST .../scans/run`, in addition to the default one: 30 / 60 s.
    Strict,
}

#[derive(Clone, Copy, Debug, Default)]
struct BucketState {
    limit: Option<u32>,
    remaining: Option<u32>,
    reset_at: Option<SystemTime>,
    /// The bucket was emptied by a 429 rather than by the headers.
    throttled: bool,
    /// The reset of the window that ended last: the next window's reset,
    /// minus this one, tells the window's length.
    previous_reset: Option<SystemTime>,
    /// Requests of this client sent and not answered yet.
    in_flight: u32,
}

impl BucketState {
    fn snapshot(&self) -> BucketSnapshot {
        BucketSnapshot {
            limit: self.limit,
            remaining: self.remaining,
            reset_at: self.reset_at,
        }
    }

    /// Forgets a window that has ended: the next response tells the new one.
    fn roll_over(&mut self, now: SystemTime) {
        if self.reset_at.is_some_and(|r| r <= now) {
            // The end of a wait a 429 asked for is not a window boundary:
            // it must not teach the window's length.
            if !self.throttled {
                self.previous_reset = self.reset_at;
            }
            self.remaining = None;
            self.reset_at = None;
            self.throttled = false;
        }
    }
}

#[derive(Debug, Default)]
struct BudgetState {
    default: BucketState,
    strict: BucketState,
    pacing_until: Option<SystemTime>,
    pacing_reason: Option<PaceReason>,
    window: Option<Duration>,
}

impl BudgetState {
    fn bucket(&mut self, bucket: Bucket) -> &mut BucketState {
        match bucket {
            Bucket::Default => &mut self.default,
            Bucket::Strict => &mut self.strict,
        }
    }
}

impl BudgetState {
    fn snapshot(&self) -> BudgetSnapshot {
        BudgetSnapshot {
            limit: self.default.limit,
            remaining: self.default.remaining,
            reset_at: self.default.reset_at,
            strict: self.strict.snapshot(),
            pacing_until: self.pacing_until,
            pacing_reason: self.pacing_reason,
            window: self.window.unwrap_or(DEFAULT_WINDOW),
        }
    }
}

/// The rate budget shared by every handle on one team's API.
#[derive(Clone, Debug)]
pub struct RateBudget {
    state: Arc<Mutex<BudgetState>>,
    changes: Arc<watch::Sender<BudgetSnapshot>>,
}

impl Default for RateBudget {
    fn default() -> Self {
        RateBudget {
            state: Arc::default(),
            changes: Arc::new(watch::Sender::new(BudgetState::default().snapshot())),
        }
    }
}

/// The locked state; publishes the new snapshot to watchers when dropped.
struct Guard<'a> {
    state: MutexGuard<'a, BudgetState>,
    changes: &'a watch::Sender<BudgetSnapshot>,
}

impl std::ops::Deref for Guard<'_> {
    type Target = BudgetState;
    fn deref(&self) -> &BudgetState {
        &self.state
    }
}

impl std::ops::DerefMut for Guard<'_> {
    fn deref_mut(&mut self) -> &mut BudgetState {
        &mut self.state
    }
}

impl Drop for Guard<'_> {
    fn drop(&mut self) {
        let snap = self.state.snapshot();
        self.changes.send_if_modified(|old| {
            let changed = *old != snap;
            *old = snap;
            changed
        });
    }
}

impl RateBudget {
    /// A budget that knows nothing yet.
    pub fn new() -> Self {
        RateBudget::default()
    }

    fn lock(&self) -> Guard<'_> {
        Guard {
            // The state is plain numbers: a panic elsewhere cannot leave it
            // inconsistent, so a poisoned lock is still usable.
            state: self.state.lock().unwrap_or_else(|p| p.into_inner()),
            changes: &self.changes,
        }
    }

    /// What is known now.
    pub fn snapshot(&self) -> BudgetSnapshot {
        self.state
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .snapshot()
    }

    /// A receiver that wakes whenever the budget changes (a response was
    /// read, pacing began or ended): the TUI turns it into actions instead
    /// of polling.
    pub fn watch(&self) -> watch::Receiver<BudgetSnapshot> {
        self.changes.subscribe()
    }

    /// Takes one request from each bucket, or says until when to wait.
    fn reserve(&self, buckets: &[Bucket], now: SystemTime) -> Result<(), (SystemTime, PaceReason)> {
        self.reserve_as(buckets, now, false)
    }

    /// [`Self::reserve`] for a request whose answer the budget follows: it
    /// counts as in flight until the returned guard is dropped.
    fn reserve_in_flight(
        &self,
        buckets: &[Bucket],
        now: SystemTime,
    ) -> Result<InFlight, (SystemTime, PaceReason)> {
        self.reserve_as(buckets, now, true)?;
        Ok(InFlight {
            budget: self.clone(),
            buckets: buckets.to_vec(),
        })
    }

    fn reserve_as(
        &self,
        buckets: &[Bucket],
        now: SystemTime,
        tracked: bool,
    ) -> Result<(), (SystemTime, PaceReason)> {
        let mut s = self.lock();
        for &b in buckets {
            let state = s.bucket(b);
            state.roll_over(now);
            if let (Some(0), Some(reset)) = (state.remaining, state.reset_at) {
                let reason = if state.throttled {
                    PaceReason::RetryAfter
                } else {
                    PaceReason::WindowSpent
                };
                let until = reset.min(now + MAX_PACING);
                s.pacing_until = Some(until);
                s.pacing_reason = Some(reason);
                return Err((until, reason));
            }
        }
        for &b in buckets {
            // Counting requests in flight keeps concurrent clones from all
            // spending the last request of a window.
            let state = s.bucket(b);
            state.remaining = state.remaining.map(|r| r.saturating_sub(1));
            if tracked {
                state.in_flight = state.in_flight.saturating_add(1);
            }
        }
        if s.pacing_until.is_some_and(|u| u <= now) {
            s.pacing_until = None;
            s.pacing_reason = None;
        }
        Ok(())
    }

    /// Waits until every bucket in `buckets` has a request to spare, then
    /// takes one from each. While it waits, the snapshot's `pacing_until`
    /// says until when.
    pub async fn acquire(&self, buckets: &[Bucket]) {
        loop {
            let now = SystemTime::now();
            match self.reserve(buckets, now) {
                Ok(()) => return,
                Err((until, reason)) => pace(until, now, reason).await,
            }
        }
    }

    /// [`Self::acquire`] for the client's own requests: each counts as in
    /// flight until its guard is dropped (answered, failed or cancelled), so
    /// that the first answer of a window nothing was known of accounts for
    /// the others sent meanwhile.
    pub(crate) async fn acquire_in_flight(&self, buckets: &[Bucket]) -> InFlight {
        loop {
            let now = SystemTime::now();
            match self.reserve_in_flight(buckets, now) {
                Ok(guard) => return guard,
                Err((until, reason)) => pace(until, now, reason).await,
            }
        }
    }

    /// Reads `x-ratelimit-limit`, `-remaining` and `-reset` of a response
    /// into `bucket`. A response of an older window than the one known is
    /// ignored; one of the same window can only lower `remaining` (answers
    /// of concurrent requests arrive in any order).
    pub fn record(&self, bucket: Bucket, headers: &HeaderMap, now: SystemTime) {
        let limit = header_u64(headers, "x-ratelimit-limit").map(clamp_u32);
        let remaining = header_u64(headers, "x-ratelimit-remaining").map(clamp_u32);
        let reset = header_u64(headers, "x-ratelimit-reset")
            .map(|secs| local_reset(secs, server_date(headers), now));
        if limit.is_none() && remaining.is_none() && reset.is_none() {
            return;
        }
        let mut s = self.lock();
        let mut learnt_window = None;
        let state = s.bucket(bucket);
        state.roll_over(now);
        if limit.is_some() {
            state.limit = limit;
        }
        match (reset, state.reset_at) {
            (Some(new), Some(old)) if new < old => {}
            (Some(new), Some(old)) if new == old => {
                state.remaining = match (state.remaining, remaining) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => b.or(a),
                };
            }
            (Some(new), old) => {
                if let Some(old) = old.or(state.previous_reset) {
                    learnt_window = new.duration_since(old).ok();
                }
                state.reset_at = Some(new);
                // Nothing was known of this window when the other requests
                // in flight were sent, so nothing counted them; this answer
                // may not have either. Counting them keeps concurrent
                // handles from overspending the window's first moments.
                let others = state.in_flight.saturating_sub(1);
                state.remaining = remaining.map(|r| r.saturating_sub(others));
                state.throttled = false;
            }
            (None, _) => state.remaining = remaining.or(state.remaining),
        }
        if bucket == Bucket::Default
            && let Some(w) = learnt_window.filter(|w| !w.is_zero())
        {
            // Idle gaps show several windows at once: the smallest is the one.
            s.window = Some(s.window.map_or(w, |known| known.min(w)));
        }
    }

    /// A 429 said the bucket is spent for `retry_after`: hold every handle
    /// back until then.
    pub fn record_retry_after(&self, bucket: Bucket, retry_after: Duration, now: SystemTime) {
        let mut s = self.lock();
        let state = s.bucket(bucket);
        let until = now + retry_after;
        state.remaining = Some(0);
        // The server's explicit wait is the authority, also when it is
        // shorter than the window it announced before (a proxy or a
        // fault-injecting server may refuse for a moment): after it, the
        // next answer says where the window stands.
        state.reset_at = Some(until);
        state.throttled = true;
    }
}

/// Sleeps until `until` (plus a margin), saying why.
async fn pace(until: SystemTime, now: SystemTime, reason: PaceReason) {
    let wait = until.duration_since(now).unwrap_or_default() + RESET_MARGIN;
    tracing::info!(
        ?reason,
        wait_ms = wait.as_millis() as u64,
        "pacing requests"
    );
    tokio::time::sleep(wait).await;
}

/// A request of the client's that has not been answered yet.
pub(crate) struct InFlight {
    budget: RateBudget,
    buckets: Vec<Bucket>,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut s = self.budget.lock();
        for &b in &self.buckets {
            let state = s.bucket(b);
            state.in_flight = state.in_flight.saturating_sub(1);
        }
    }
}

#[cfg(test)]
mod tests;
