//! The team's shared rate budget, read from `x-ratelimit-*` on every response
//! (contract section 4), and the pacing that keeps the client under it.
//!
//! Every clone of a [`super::Client`], and every client made from it with
//! `with_project`, holds the same [`RateBudget`]: the limits belong to the
//! team, not to a handle.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;
use tokio::sync::watch;

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
            self.previous_reset = self.reset_at;
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
        state.reset_at = Some(state.reset_at.map_or(until, |r| r.max(until)));
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

fn clamp_u32(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    let text = headers.get(name)?.to_str().ok()?.trim();
    text.parse::<u64>().ok().or_else(|| {
        text.parse::<f64>()
            .ok()
            .filter(|f| *f >= 0.0)
            .map(|f| f.ceil() as u64)
    })
}

fn server_date(headers: &HeaderMap) -> Option<SystemTime> {
    let text = headers.get(reqwest::header::DATE)?.to_str().ok()?;
    let t = chrono::DateTime::parse_from_rfc2822(text).ok()?;
    let secs = u64::try_from(t.timestamp()).ok()?;
    Some(UNIX_EPOCH + Duration::from_secs(secs))
}

/// The reset as an instant of this machine's clock. When the server's `Date`
/// shows its clock is off by more than a couple of seconds, the reset is
/// taken relative to the server's clock instead, so a skewed clock neither
/// stalls the client nor sends it into a 429.
fn local_reset(reset_secs: u64, server_now: Option<SystemTime>, now: SystemTime) -> SystemTime {
    // Some gateways send seconds until the reset instead of an instant; no
    // Unix time of this century is that small.
    if reset_secs < 1_000_000_000 {
        return now + Duration::from_secs(reset_secs);
    }
    let reset = UNIX_EPOCH + Duration::from_secs(reset_secs);
    let Some(server_now) = server_now else {
        return reset;
    };
    let skew = match now.duration_since(server_now) {
        Ok(ahead) => ahead,
        Err(behind) => behind.duration(),
    };
    if skew <= Duration::from_secs(2) {
        return reset;
    }
    now + reset.duration_since(server_now).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    /// Test times are seconds after this instant (2023-11-14).
    const BASE: u64 = 1_700_000_000;

    fn headers(limit: u32, remaining: u32, reset: u64) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-limit", HeaderValue::from(limit));
        h.insert("x-ratelimit-remaining", HeaderValue::from(remaining));
        h.insert("x-ratelimit-reset", HeaderValue::from(BASE + reset));
        h
    }

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(BASE + secs)
    }

    #[test]
    fn a_spent_window_holds_requests_until_reset() {
        let budget = RateBudget::new();
        budget.record(Bucket::Default, &headers(3, 0, 1_060), at(1_030));
        let err = budget.reserve(&[Bucket::Default], at(1_030)).unwrap_err();
        assert_eq!(err, (at(1_060), PaceReason::WindowSpent));
        assert_eq!(budget.snapshot().pacing_until, Some(at(1_060)));
        assert!(budget.reserve(&[Bucket::Default], at(1_060)).is_ok());
        assert_eq!(budget.snapshot().pacing_until, None);
    }

    #[test]
    fn requests_in_flight_count_against_the_window() {
        let budget = RateBudget::new();
        budget.record(Bucket::Default, &headers(3, 1, 1_060), at(1_030));
        assert!(budget.reserve(&[Bucket::Default], at(1_030)).is_ok());
        assert!(budget.reserve(&[Bucket::Default], at(1_030)).is_err());
        // A late answer of the same window never raises what remains.
        budget.record(Bucket::Default, &headers(3, 2, 1_060), at(1_031));
        assert_eq!(budget.snapshot().remaining, Some(0));
    }

    #[test]
    fn strict_bucket_is_tracked_apart() {
        let budget = RateBudget::new();
        budget.record(Bucket::Strict, &headers(30, 0, 1_060), at(1_030));
        budget.record(Bucket::Default, &headers(100, 50, 1_060), at(1_030));
        assert!(budget.reserve(&[Bucket::Default], at(1_030)).is_ok());
        assert!(
            budget
                .reserve(&[Bucket::Default, Bucket::Strict], at(1_030))
                .is_err()
        );
        let snap = budget.snapshot();
        assert_eq!(snap.strict.remaining, Some(0));
        assert_eq!(snap.remaining, Some(49));
    }

    #[test]
    fn eta_counts_whole_windows() {
        let budget = RateBudget::new();
        budget.record(Bucket::Default, &headers(100, 20, 1_060), at(1_000));
        budget.record(Bucket::Default, &headers(100, 20, 1_120), at(1_061));
        let snap = budget.snapshot();
        assert_eq!(snap.window, Duration::from_secs(60));
        assert_eq!(snap.eta(20, at(1_100)), Some(Duration::ZERO));
        // 20 now, then 100 per window: 500 needs the reset plus 4 windows.
        assert_eq!(
            snap.eta(500, at(1_100)),
            Some(Duration::from_secs(20 + 240))
        );
    }

    #[test]
    fn the_window_is_learnt_from_the_window_after_a_reset() {
        // The usual order: the client waits for the reset, so the window has
        // rolled over before the next window's first answer arrives.
        let budget = RateBudget::new();
        budget.record(Bucket::Default, &headers(5, 0, 1_001), at(1_000));
        assert!(budget.reserve(&[Bucket::Default], at(1_001)).is_ok());
        budget.record(Bucket::Default, &headers(5, 4, 1_002), at(1_001));
        let snap = budget.snapshot();
        assert_eq!(snap.window, Duration::from_secs(1));
        // 4 now, then 5 a window: 14 more go out by the second reset.
        assert_eq!(snap.eta(14, at(1_001)), Some(Duration::from_secs(2)));
    }

    #[test]
    fn requests_sent_before_the_window_was_known_count_against_it() {
        // Two handles send at once into a window nothing is known of; the
        // first answer counts only itself.
        let budget = RateBudget::new();
        let first = budget.reserve_in_flight(&[Bucket::Default], at(1_000));
        let second = budget.reserve_in_flight(&[Bucket::Default], at(1_000));
        budget.record(Bucket::Default, &headers(5, 4, 1_001), at(1_000));
        drop(first);
        assert_eq!(budget.snapshot().remaining, Some(3));
        for _ in 0..3 {
            assert!(budget.reserve(&[Bucket::Default], at(1_000)).is_ok());
        }
        assert!(budget.reserve(&[Bucket::Default], at(1_000)).is_err());
        // The second answer, counted already, changes nothing.
        budget.record(Bucket::Default, &headers(5, 3, 1_001), at(1_000));
        drop(second);
        assert_eq!(budget.snapshot().remaining, Some(0));
    }

    #[test]
    fn a_skewed_server_clock_is_read_relative_to_its_date() {
        let mut h = headers(3, 0, 5_060);
        let server_now = chrono::DateTime::from_timestamp((BASE + 5_030) as i64, 0).unwrap();
        let date = server_now.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
        h.insert("date", HeaderValue::from_str(&date).unwrap());
        let budget = RateBudget::new();
        budget.record(Bucket::Default, &h, at(1_000));
        // The server is 4 030 s ahead; its reset is 30 s away, so 30 s on
        // this machine's clock too.
        assert_eq!(budget.snapshot().reset_at, Some(at(1_030)));
    }

    #[test]
    fn a_reset_in_seconds_from_now_is_understood() {
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-remaining", HeaderValue::from(0));
        h.insert("x-ratelimit-reset", HeaderValue::from(30));
        let budget = RateBudget::new();
        budget.record(Bucket::Default, &h, at(0));
        assert_eq!(budget.snapshot().reset_at, Some(at(30)));
    }

    #[test]
    fn watchers_hear_of_pacing() {
        let budget = RateBudget::new();
        let mut rx = budget.watch();
        budget.record(Bucket::Default, &headers(3, 0, 1_060), at(1_030));
        assert!(rx.has_changed().unwrap());
        assert_eq!(rx.borrow_and_update().remaining, Some(0));
        let _ = budget.reserve(&[Bucket::Default], at(1_030));
        assert_eq!(rx.borrow_and_update().pacing_until, Some(at(1_060)));
        let _ = budget.reserve(&[Bucket::Default], at(1_030));
        assert!(
            !rx.has_changed().unwrap(),
            "no wake-up when nothing changed"
        );
    }

    #[test]
    fn retry_after_empties_the_bucket() {
        let budget = RateBudget::new();
        budget.record_retry_after(Bucket::Default, Duration::from_secs(2), at(1_000));
        let err = budget.reserve(&[Bucket::Default], at(1_001)).unwrap_err();
        assert_eq!(err, (at(1_002), PaceReason::RetryAfter));
    }
}
