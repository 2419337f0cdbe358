//! `--since`: a duration back from now (`90m`, `24h`, `7d`, `1d12h`) or an
//! RFC 3339 time.

use chrono::{DateTime, Duration, Utc};

/// The instant `text` names, relative to `now` for a duration. The error
/// says what is accepted.
pub fn parse_since(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        let t = t.with_timezone(&Utc);
        if t > now {
            return Err(format!("--since {text} is in the future"));
        }
        return Ok(t);
    }
    let bad = || {
        format!(
            "--since {text:?} is neither a duration (30m, 24h, 7d, 1d12h, 2w) nor an RFC 3339 time \
             (2025-06-15T02:00:00Z)"
        )
    };
    let mut total = Duration::zero();
    let mut number = String::new();
    let mut any = false;
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let n: i64 = number.parse().map_err(|_| bad())?;
        number.clear();
        let unit = match c {
            's' => Duration::try_seconds(n),
            'm' => Duration::try_minutes(n),
            'h' => Duration::try_hours(n),
            'd' => Duration::try_days(n),
            'w' => Duration::try_weeks(n),
            _ => None,
        }
        .ok_or_else(bad)?;
        total = total.checked_add(&unit).ok_or_else(bad)?;
        any = true;
    }
    if !number.is_empty() || !any || total <= Duration::zero() {
        return Err(bad());
    }
    now.checked_sub_signed(total).ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn durations_and_times() {
        let now = Utc.with_ymd_and_hms(2025, 6, 15, 12, 0, 0).unwrap();
        assert_eq!(parse_since("24h", now).unwrap(), now - Duration::hours(24));
        assert_eq!(
            parse_since("1d12h", now).unwrap(),
            now - Duration::hours(36)
        );
        assert_eq!(
            parse_since("90m", now).unwrap(),
            now - Duration::minutes(90)
        );
        assert_eq!(
            parse_since("2025-06-15T02:00:00Z", now).unwrap(),
            Utc.with_ymd_and_hms(2025, 6, 15, 2, 0, 0).unwrap()
        );
        for bad in ["", "h", "12", "3y", "-2h", "0h", "2030-01-01T00:00:00Z"] {
            assert!(parse_since(bad, now).is_err(), "{bad}");
        }
    }
}
