//! Unit tests of the rate budget: header parsing, clock skew, pacing.

use super::*;
use reqwest::header::HeaderValue;
use std::time::UNIX_EPOCH;

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

#[test]
fn a_short_retry_after_is_honoured_within_a_long_window() {
    let budget = RateBudget::new();
    budget.record(Bucket::Default, &headers(100, 90, 4_600), at(1_000));
    budget.record_retry_after(Bucket::Default, Duration::from_secs(1), at(1_000));
    let err = budget.reserve(&[Bucket::Default], at(1_000)).unwrap_err();
    assert_eq!(err, (at(1_001), PaceReason::RetryAfter));
    assert!(budget.reserve(&[Bucket::Default], at(1_001)).is_ok());
}

fn retry_after(value: &str, date: Option<&str>) -> Option<u64> {
    let mut h = HeaderMap::new();
    h.insert("retry-after", HeaderValue::from_str(value).unwrap());
    if let Some(date) = date {
        h.insert("date", HeaderValue::from_str(date).unwrap());
    }
    // 2023-11-14T22:13:20Z, the BASE instant.
    headers::retry_after_secs(&h, at(0))
}

#[test]
fn retry_after_is_seconds_or_an_http_date() {
    assert_eq!(retry_after("7", None), Some(7));
    // BASE is Tue, 14 Nov 2023 22:13:20 GMT.
    assert_eq!(retry_after("Tue, 14 Nov 2023 22:13:50 GMT", None), Some(30));
    // The obsolete forms HTTP still allows.
    assert_eq!(
        retry_after("Tuesday, 14-Nov-23 22:13:25 GMT", None),
        Some(5)
    );
    assert_eq!(retry_after("Tue Nov 14 22:13:21 2023", None), Some(1));
    // Relative to the server's clock when it says what time it is.
    assert_eq!(
        retry_after(
            "Tue, 14 Nov 2023 22:14:20 GMT",
            Some("Tue, 14 Nov 2023 22:14:00 GMT")
        ),
        Some(20)
    );
    // A date already past: no wait. Nonsense: not understood.
    assert_eq!(retry_after("Tue, 14 Nov 2023 22:00:00 GMT", None), Some(0));
    assert_eq!(retry_after("soon", None), None);
}
