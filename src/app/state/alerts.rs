//! The watch of the auto-refresh: the alerts it raised, the outage it is
//! riding out, and when it refreshes next. Read-only methods give the
//! renderer its lines.

use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, Offset};

use crate::config::AlertSettings;
use crate::engine::alerts::{Alert, Watcher};
use crate::engine::watch::Outage;

/// Alerts kept in the list; the oldest go first.
pub const MAX_ALERTS: usize = 200;

/// The alerts and the refresh schedule.
#[derive(Clone, Debug)]
pub struct AlertsState {
    pub settings: AlertSettings,
    pub watcher: Watcher,
    /// Oldest first.
    pub list: Vec<Alert>,
    /// Alerts raised since the list was last opened.
    pub unseen: usize,
    /// Refreshes are failing: since when, and why.
    pub outage: Option<Outage>,
    /// When the next try is due while refreshes fail.
    pub retry_at: Option<Instant>,
    /// When the last auto-refresh was due (asked for or not).
    pub last_due: Option<Instant>,
    /// False once the service answered 404 for the regressions.
    pub regressions_offered: bool,
    /// When the policy was last fetched.
    pub policy_at: Option<Instant>,
    /// The user's time zone, for "offline since 02:14".
    pub utc_offset: FixedOffset,
}

impl AlertsState {
    /// A watch with no refresh yet.
    pub fn new(settings: AlertSettings) -> AlertsState {
        AlertsState {
            watcher: Watcher::new(settings.rules.clone()),
            settings,
            list: Vec::new(),
            unseen: 0,
            outage: None,
            retry_at: None,
            last_due: None,
            regressions_offered: true,
            policy_at: None,
            utc_offset: chrono::Local::now().offset().fix(),
        }
    }

    /// Another project or profile: its first refresh is a new baseline.
    pub fn switched(&mut self) {
        self.watcher = Watcher::new(self.settings.rules.clone());
        self.outage = None;
        self.retry_at = None;
        self.regressions_offered = true;
        self.policy_at = None;
    }

    /// Adds alerts to the list.
    pub fn raise(&mut self, alerts: Vec<Alert>) {
        self.unseen += alerts.len();
        self.list.extend(alerts);
        if self.list.len() > MAX_ALERTS {
            let extra = self.list.len() - MAX_ALERTS;
            self.list.drain(..extra);
        }
        self.unseen = self.unseen.min(self.list.len());
    }

    /// When the next auto-refresh is due: the retry while refreshes fail,
    /// else one interval after the last one; `None` before the first.
    pub fn refresh_due(&self, interval: Duration) -> Option<Instant> {
        match (self.outage.is_some(), self.retry_at) {
            (true, Some(at)) => Some(at),
            _ => self.last_due.map(|t| t + interval),
        }
    }

    /// True while the data on screen is older than a failed refresh.
    pub fn is_stale(&self) -> bool {
        self.outage.is_some()
    }

    /// The time of an alert, `02:14`, in the user's time zone.
    pub fn clock(&self, at: &str) -> String {
        DateTime::parse_from_rfc3339(at)
            .map(|t| {
                t.with_timezone(&self.utc_offset)
                    .format("%H:%M")
                    .to_string()
            })
            .unwrap_or_else(|_| "--:--".to_string())
    }

    /// `offline since 02:14, retrying in 40 s` (or `retrying now` while the
    /// retry is out).
    pub fn outage_line(&self, now: Instant) -> Option<String> {
        let outage = self.outage.as_ref()?;
        let retry = match self.retry_at {
            Some(at) => {
                let secs = at.saturating_duration_since(now).as_secs_f64().ceil() as u64;
                format!("retrying in {secs} s")
            }
            None => "retrying now".to_string(),
        };
        Some(format!("{}, {retry}", outage.headline(self.utc_offset)))
    }

    /// The newest unseen alert, for the status line.
    pub fn newest_unseen(&self) -> Option<&Alert> {
        if self.unseen == 0 {
            return None;
        }
        self.list.last()
    }
}
