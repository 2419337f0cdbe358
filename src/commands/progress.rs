//! Progress of long work on stderr (bulk updates, fetching every page,
//! following a scan), shown only when stderr is a terminal so that scripts
//! and logs stay clean.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use crate::engine::duration::{eta, eta_text, human};

/// A one-line progress display on stderr.
#[derive(Debug)]
pub struct ProgressLine {
    label: String,
    started: Instant,
    enabled: bool,
    drawn: bool,
}

impl ProgressLine {
    /// A display that draws only when stderr is a terminal.
    pub fn new(label: impl Into<String>) -> Self {
        Self::with_enabled(label, std::io::stderr().is_terminal())
    }

    /// A display drawn or not regardless of the terminal.
    pub fn with_enabled(label: impl Into<String>, enabled: bool) -> Self {
        ProgressLine {
            label: label.into(),
            started: Instant::now(),
            enabled,
            drawn: false,
        }
    }

    /// Time since the display was created.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// Shows `done` of `total` with an ETA at the pace so far.
    pub fn count(&mut self, done: u64, total: Option<u64>) {
        let text = count_text(&self.label, done, total, self.started.elapsed(), None);
        self.show(&text);
    }

    /// Like [`ProgressLine::count`], with the ETA at least `floor` (what the
    /// rate budget says the rest will take) and a note when requests are
    /// held back right now.
    pub fn count_paced(
        &mut self,
        done: u64,
        total: u64,
        floor: Option<Duration>,
        held: Option<Duration>,
    ) {
        let text = paced_text(
            &self.label,
            done,
            total,
            self.started.elapsed(),
            floor,
            held,
        );
        self.show(&text);
    }

    /// Shows free text after the label.
    pub fn show(&mut self, text: &str) {
        if !self.enabled {
            return;
        }
        let mut err = std::io::stderr().lock();
        // \r and clear-line: redraw in place.
        let _ = write!(err, "\r\x1b[2K{text}");
        let _ = err.flush();
        self.drawn = true;
    }

    /// Removes the line so that what follows starts clean.
    pub fn finish(&mut self) {
        if self.enabled && self.drawn {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
            self.drawn = false;
        }
    }
}

impl Drop for ProgressLine {
    fn drop(&mut self) {
        self.finish();
    }
}

/// [`count_text`] plus a note while requests are held back by the rate limit.
pub fn paced_text(
    label: &str,
    done: u64,
    total: u64,
    elapsed: Duration,
    floor: Option<Duration>,
    held: Option<Duration>,
) -> String {
    let mut text = count_text(label, done, Some(total), elapsed, floor);
    // A wait under a second is not worth a note (it would read "0s").
    if let Some(wait) = held.filter(|w| w.as_secs() >= 1) {
        text.push_str(&format!(" (waiting {} for the rate limit)", human(wait)));
    }
    text
}

/// `label 12/500 (2%) ETA 3m05s`; the ETA is the larger of the pace so far
/// and `floor`.
pub fn count_text(
    label: &str,
    done: u64,
    total: Option<u64>,
    elapsed: Duration,
    floor: Option<Duration>,
) -> String {
    match total {
        Some(total) if total > 0 => {
            let pct = done.saturating_mul(100) / total;
            let eta = eta_text(eta(done, total, elapsed, floor));
            let eta = if eta.is_empty() {
                eta
            } else {
                format!(" {eta}")
            };
            format!("{label} {done}/{total} ({pct}%){eta}")
        }
        _ => format!("{label} {done}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_text_shows_counts_percent_and_eta() {
        let t = count_text("updating", 100, Some(500), Duration::from_secs(60), None);
        assert_eq!(t, "updating 100/500 (20%) ETA 4m00s");
        assert_eq!(
            count_text("fetched", 7, None, Duration::ZERO, None),
            "fetched 7"
        );
    }

    #[test]
    fn the_rate_budget_can_only_lengthen_the_eta() {
        // 100 done in 2 s looks like 8 s left, but the budget says 4 windows.
        let t = count_text(
            "updating",
            100,
            Some(500),
            Duration::from_secs(2),
            Some(Duration::from_secs(240)),
        );
        assert_eq!(t, "updating 100/500 (20%) ETA 4m00s");
        let t = count_text(
            "updating",
            100,
            Some(500),
            Duration::from_secs(60),
            Some(Duration::ZERO),
        );
        assert_eq!(t, "updating 100/500 (20%) ETA 4m00s");
        let t = count_text(
            "updating",
            0,
            Some(500),
            Duration::ZERO,
            Some(Duration::from_secs(65)),
        );
        assert_eq!(t, "updating 0/500 (0%) ETA 1m05s");
    }

    #[test]
    fn held_requests_are_explained() {
        let t = paced_text(
            "updating",
            100,
            200,
            Duration::from_secs(1),
            Some(Duration::from_secs(42)),
            Some(Duration::from_secs(42)),
        );
        assert_eq!(
            t,
            "updating 100/200 (50%) ETA 42s (waiting 42s for the rate limit)"
        );
        let t = paced_text(
            "updating",
            1,
            2,
            Duration::from_secs(1),
            None,
            Some(Duration::from_millis(300)),
        );
        assert_eq!(t, "updating 1/2 (50%) ETA 1s");
    }
}
