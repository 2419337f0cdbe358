//! Fixed-window rate limits per team (contract section 4): a `default`
//! bucket on every authenticated route and a `strict` one on scans/run.
//! Windows start at `floor(now / window) * window`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use super::options::RateWindow;
use super::store::TeamId;

/// What the `x-ratelimit-*` headers and a 429 say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateStatus {
    pub limit: u32,
    pub remaining: u32,
    /// Unix seconds at which the window resets.
    pub reset: u64,
    /// Seconds until the reset, when the request was refused.
    pub retry_after: Option<u64>,
}

#[derive(Clone, Copy, Default)]
struct Counter {
    window_start: u64,
    used: u32,
}

/// The two buckets of every team.
pub struct RateLimiter {
    default: Option<RateWindow>,
    strict: Option<RateWindow>,
    counters: Mutex<HashMap<(TeamId, bool), Counter>>,
}

impl RateLimiter {
    /// A limiter with these buckets; `None` turns a bucket off.
    pub fn new(default: Option<RateWindow>, strict: Option<RateWindow>) -> Self {
        RateLimiter {
            default,
            strict,
            counters: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one request of `team` (in the strict bucket too when `strict`).
    /// Refuses it when either bucket is spent; a refused request uses
    /// nothing. The status shown is the strict bucket's on a strict route.
    pub fn check(&self, team: TeamId, strict: bool) -> Option<RateStatus> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs_f64())
            .unwrap_or(0.0);
        let mut buckets = vec![(false, self.default)];
        if strict {
            buckets.push((true, self.strict));
        }
        let buckets: Vec<(bool, RateWindow)> = buckets
            .into_iter()
            .filter_map(|(s, w)| w.map(|w| (s, w)))
            .collect();
        if buckets.is_empty() {
            return None;
        }
        let mut counters = self.counters.lock().unwrap_or_else(|e| e.into_inner());
        let mut statuses = Vec::new();
        for (is_strict, window) in &buckets {
            let secs = window.window.as_secs().max(1);
            let start = (now as u64 / secs) * secs;
            let counter = counters.entry((team, *is_strict)).or_default();
            if counter.window_start != start {
                *counter = Counter {
                    window_start: start,
                    used: 0,
                };
            }
            let reset = start + secs;
            let spent = counter.used >= window.requests;
            let retry_after = spent.then(|| ((reset as f64 - now).ceil() as u64).max(1));
            statuses.push((
                *is_strict,
                RateStatus {
                    limit: window.requests,
                    remaining: window.requests.saturating_sub(counter.used),
                    reset,
                    retry_after,
                },
            ));
        }
        let refused = statuses.iter().any(|(_, s)| s.retry_after.is_some());
        if !refused {
            for (is_strict, status) in statuses.iter_mut() {
                if let Some(c) = counters.get_mut(&(team, *is_strict)) {
                    c.used += 1;
                }
                status.remaining = status.remaining.saturating_sub(1);
            }
        }
        let wait = statuses.iter().filter_map(|(_, s)| s.retry_after).max();
        let shown = statuses
            .iter()
            .find(|(s, _)| *s == strict)
            .or(statuses.first())
            .map(|(_, s)| *s)?;
        Some(RateStatus {
            retry_after: wait,
            ..shown
        })
    }
}

impl RateLimiter {
    /// What the default bucket of `team` looks like now, without counting a
    /// request: for answers that spend nothing (a 401, an unknown route, a
    /// fault injected before any handler) but still carry the headers the
    /// contract promises on every response. An unknown caller sees a fresh
    /// window. `None` when the default bucket is off.
    pub fn peek(&self, team: Option<TeamId>) -> Option<RateStatus> {
        let window = self.default?;
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let secs = window.window.as_secs().max(1);
        let start = (now / secs) * secs;
        let counters = self.counters.lock().unwrap_or_else(|e| e.into_inner());
        let used = team
            .and_then(|t| counters.get(&(t, false)))
            .filter(|c| c.window_start == start)
            .map_or(0, |c| c.used);
        Some(RateStatus {
            limit: window.requests,
            remaining: window.requests.saturating_sub(used),
            reset: start + secs,
            retry_after: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peeking_spends_nothing() {
        let limiter = RateLimiter::new(Some(RateWindow::new(5, 3600)), None);
        let team = TeamId(1);
        assert_eq!(limiter.peek(Some(team)).unwrap().remaining, 5);
        limiter.check(team, false);
        assert_eq!(limiter.peek(Some(team)).unwrap().remaining, 4);
        assert_eq!(limiter.peek(Some(team)).unwrap().remaining, 4);
        assert_eq!(limiter.peek(None).unwrap().remaining, 5);
        assert!(RateLimiter::new(None, None).peek(None).is_none());
    }

    #[test]
    fn a_spent_bucket_refuses_and_says_when_it_resets() {
        let limiter = RateLimiter::new(Some(RateWindow::new(2, 3600)), None);
        let team = TeamId(1);
        let first = limiter.check(team, false).unwrap();
        assert_eq!((first.limit, first.remaining), (2, 1));
        assert_eq!(limiter.check(team, false).unwrap().remaining, 0);
        let refused = limiter.check(team, false).unwrap();
        assert!(refused.retry_after.is_some());
        assert_eq!(refused.reset % 3600, 0);
        // Another team has its own bucket.
        assert!(
            limiter
                .check(TeamId(2), false)
                .unwrap()
                .retry_after
                .is_none()
        );
    }

    #[test]
    fn the_strict_bucket_is_shown_on_strict_routes() {
        let limiter = RateLimiter::new(
            Some(RateWindow::new(100, 3600)),
            Some(RateWindow::new(1, 3600)),
        );
        let team = TeamId(1);
        let s = limiter.check(team, true).unwrap();
        assert_eq!((s.limit, s.remaining), (1, 0));
        assert!(limiter.check(team, true).unwrap().retry_after.is_some());
        // The refused strict request did not spend the default bucket.
        assert_eq!(limiter.check(team, false).unwrap().remaining, 98);
    }
}
