//! How long something has left, the same on every screen: an ETA that the
//! rate budget can only lengthen, written as `ETA 3m05s`.

use std::time::Duration;

/// `45s`, `3m05s`, `1h02m`: [`crate::humanize::duration`].
pub fn human(d: Duration) -> String {
    crate::humanize::duration(d)
}

/// Remaining time at the average pace so far; `None` before any progress.
pub fn pace(done: u64, total: u64, elapsed: Duration) -> Option<Duration> {
    if done == 0 || done > total {
        return None;
    }
    let per_item = elapsed.as_secs_f64() / done as f64;
    Some(Duration::from_secs_f64(per_item * (total - done) as f64))
}

/// The time left: the longer of the pace so far and `floor`, what the rate
/// budget says the rest needs at least.
pub fn eta(done: u64, total: u64, elapsed: Duration, floor: Option<Duration>) -> Option<Duration> {
    match (pace(done, total, elapsed), floor) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// `ETA 3m05s`, or nothing when there is no estimate yet.
pub fn eta_text(eta: Option<Duration>) -> String {
    eta.map(|d| format!("ETA {}", human(d))).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pace_follows_the_average() {
        assert_eq!(pace(0, 10, Duration::from_secs(5)), None);
        assert_eq!(
            pace(5, 10, Duration::from_secs(10)),
            Some(Duration::from_secs(10))
        );
        assert_eq!(pace(10, 10, Duration::from_secs(10)), Some(Duration::ZERO));
    }

    #[test]
    fn the_budget_can_only_lengthen_the_eta() {
        let two = Duration::from_secs(2);
        let four_windows = Duration::from_secs(240);
        assert_eq!(eta(100, 500, two, Some(four_windows)), Some(four_windows));
        assert_eq!(
            eta(100, 500, Duration::from_secs(60), Some(Duration::ZERO)),
            Some(Duration::from_secs(240))
        );
        assert_eq!(
            eta(0, 500, Duration::ZERO, Some(Duration::from_secs(65))),
            Some(Duration::from_secs(65))
        );
        assert_eq!(eta_text(None), "");
        assert_eq!(eta_text(Some(Duration::from_secs(65))), "ETA 1m05s");
    }
}
