//! Reading `x-ratelimit-*` and `Date` from a response.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;

pub(super) fn clamp_u32(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

pub(super) fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    let text = headers.get(name)?.to_str().ok()?.trim();
    text.parse::<u64>().ok().or_else(|| {
        text.parse::<f64>()
            .ok()
            .filter(|f| *f >= 0.0)
            .map(|f| f.ceil() as u64)
    })
}

pub(super) fn server_date(headers: &HeaderMap) -> Option<SystemTime> {
    let text = headers.get(reqwest::header::DATE)?.to_str().ok()?;
    let t = chrono::DateTime::parse_from_rfc2822(text).ok()?;
    let secs = u64::try_from(t.timestamp()).ok()?;
    Some(UNIX_EPOCH + Duration::from_secs(secs))
}

/// The reset as an instant of this machine's clock. When the server's `Date`
/// shows its clock is off by more than a couple of seconds, the reset is
/// taken relative to the server's clock instead, so a skewed clock neither
/// stalls the client nor sends it into a 429.
pub(super) fn local_reset(
    reset_secs: u64,
    server_now: Option<SystemTime>,
    now: SystemTime,
) -> SystemTime {
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

/// Seconds to wait from a `retry-after` header (RFC 9110 10.2.3): either
/// whole seconds, or an HTTP date, taken relative to the server's `Date`
/// when it sent one (so a skewed local clock neither shortens nor stretches
/// the wait) and to `now` otherwise. A date in the past means "now": 0.
pub(crate) fn retry_after_secs(headers: &HeaderMap, now: SystemTime) -> Option<u64> {
    let text = headers.get("retry-after")?.to_str().ok()?.trim();
    if let Ok(secs) = text.parse::<u64>() {
        return Some(secs);
    }
    let at = httpdate::parse_http_date(text).ok()?;
    let from = server_date(headers).unwrap_or(now);
    let wait = at.duration_since(from).unwrap_or_default();
    // A part of a second still has to be waited: round up.
    let whole = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    Some(whole)
}
