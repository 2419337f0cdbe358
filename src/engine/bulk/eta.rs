//! How bulk jobs write counts and rates (durations are
//! [`crate::engine::duration`]'s): one place, so the TUI and the headless
//! commands say the same thing.

use std::time::Duration;

use crate::api::BudgetSnapshot;

/// `2,000`.
pub fn count_text(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The default bucket as `100/min` or `100/2s`; the documented 100/min
/// until a response has shown the limit.
pub fn rate_text(budget: &BudgetSnapshot) -> String {
    let (Some(limit), window) = (budget.limit, budget.window) else {
        return "100/min".into();
    };
    if window == Duration::from_secs(60) || window.is_zero() {
        format!("{limit}/min")
    } else if window.subsec_millis() == 0 {
        format!("{limit}/{}s", window.as_secs())
    } else {
        format!("{limit}/{:.1}s", window.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_have_thousands_separators() {
        assert_eq!(count_text(0), "0");
        assert_eq!(count_text(999), "999");
        assert_eq!(count_text(2000), "2,000");
        assert_eq!(count_text(1234567), "1,234,567");
    }

    #[test]
    fn rates_name_the_window() {
        let mut b = BudgetSnapshot {
            limit: Some(100),
            window: Duration::from_secs(60),
            ..BudgetSnapshot::default()
        };
        assert_eq!(rate_text(&b), "100/min");
        b.window = Duration::from_secs(2);
        assert_eq!(rate_text(&b), "100/2s");
    }
}
