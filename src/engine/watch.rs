//! One refresh of a watched project: what it asks for (within the team's
//! rate budget), fetching it, and the backoff while the service cannot be
//! reached. Shared by the TUI's auto-refresh and `krafter watch`.
//!
//! A refresh costs 3 requests: the command center, the first page (100) of
//! critical findings and the open regressions; plus the policy once an hour
//! for its SLA hours. When the budget is nearly spent it costs 1 (the
//! command center alone), leaving the rest to the people working.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::alerts::Snapshot;
use super::sla::SlaHours;
use crate::api::model::{FindingQuery, RegressionStatus, Severity};
use crate::api::ratelimit::BudgetSnapshot;
use crate::api::{ApiError, Client};

/// Below this many requests left in the window, a refresh asks only for the
/// command center.
pub const BUDGET_RESERVE: u32 = 10;
/// How long a fetched policy is trusted before it is asked for again.
pub const POLICY_TTL: Duration = Duration::from_secs(60 * 60);
/// Rows of the critical findings page (the contract's maximum).
const PAGE: u32 = 100;

/// What a refresh asks for beyond the command center.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WatchAsk {
    pub critical: bool,
    pub regressions: bool,
    pub policy: bool,
}

impl WatchAsk {
    /// The command center alone.
    pub const MINIMAL: WatchAsk = WatchAsk {
        critical: false,
        regressions: false,
        policy: false,
    };

    /// Plans a refresh: everything, unless the budget is nearly spent; the
    /// regressions only while the service offers them (a \[sandbox\] route:
    /// a 404 turns them off); the policy when it is unknown or stale.
    pub fn plan(
        budget: &BudgetSnapshot,
        regressions_offered: bool,
        policy_age: Option<Duration>,
    ) -> WatchAsk {
        if budget.remaining.is_some_and(|r| r < BUDGET_RESERVE) {
            return WatchAsk::MINIMAL;
        }
        WatchAsk {
            critical: true,
            regressions: regressions_offered,
            policy: policy_age.is_none_or(|age| age >= POLICY_TTL),
        }
    }

    /// Requests this ask costs.
    pub fn cost(&self) -> u32 {
        1 + u32::from(self.critical) + u32::from(self.regressions) + u32::from(self.policy)
    }
}

/// What a refresh brought back: the snapshot, and what it learnt about the
/// service.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fetched {
    pub snapshot: Snapshot,
    /// The service answered 404 for the regressions (a \[sandbox\] route):
    /// stop asking.
    pub regressions_unsupported: bool,
    /// The policy was asked for and answered (its SLA may still be empty).
    pub policy_fetched: bool,
    /// The extra requests that failed, for the log: the refresh still counts.
    pub problems: Vec<String>,
}

/// Runs one refresh. Only the command center's failure fails it (that is
/// what "offline" means); the extra parts degrade to `None`.
pub async fn fetch(client: &Client, ask: WatchAsk, at: DateTime<Utc>) -> Result<Fetched, ApiError> {
    let command_center = client.command_center().await?;
    let mut fetched = Fetched {
        snapshot: Snapshot::of_command_center(command_center, at),
        ..Fetched::default()
    };
    let critical = async {
        if !ask.critical {
            return None;
        }
        let query = FindingQuery {
            severity: Some(Severity::Critical),
            ..FindingQuery::default()
        };
        Some(client.list_findings(&query, 0, PAGE).await)
    };
    let regressions = async {
        if !ask.regressions {
            return None;
        }
        Some(
            client
                .list_regressions(Some(&RegressionStatus::Open), None, Some(PAGE))
                .await,
        )
    };
    let policy = async {
        if !ask.policy {
            return None;
        }
        Some(client.get_policy().await)
    };
    let (critical, regressions, policy) = tokio::join!(critical, regressions, policy);
    match critical {
        Some(Ok(page)) => {
            let open = page
                .items
                .into_iter()
                .filter(|f| f.status.is_unresolved())
                .collect();
            fetched.snapshot.critical = Some(open);
        }
        Some(Err(e)) => fetched.problems.push(format!("critical findings: {e}")),
        None => {}
    }
    match regressions {
        Some(Ok(page)) => fetched.snapshot.regressions = Some(page.items),
        Some(Err(e)) if e.is_not_found() => fetched.regressions_unsupported = true,
        Some(Err(e)) => fetched.problems.push(format!("regressions: {e}")),
        None => {}
    }
    match policy {
        Some(Ok(policy)) => {
            fetched.policy_fetched = true;
            fetched.snapshot.sla = SlaHours::from_policy(&policy);
        }
        Some(Err(e)) if e.is_not_found() => fetched.policy_fetched = true,
        Some(Err(e)) => fetched.problems.push(format!("policy: {e}")),
        None => {}
    }
    Ok(fetched)
}

/// The first wait after a failed refresh.
pub const FIRST_RETRY: Duration = Duration::from_secs(10);
/// The longest wait between two tries while offline.
pub const MAX_RETRY: Duration = Duration::from_secs(5 * 60);

/// An outage: since when refreshes fail, and how long to wait before the
/// next try (doubling from 10 s, at most 5 minutes or the refresh interval
/// when that is longer).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outage {
    /// When the first refresh failed.
    pub since: DateTime<Utc>,
    /// Refreshes failed in a row.
    pub failures: u32,
    /// The last failure, short and safe to show.
    pub reason: String,
    /// True when the service could not be reached at all (rather than
    /// answering with an error).
    pub unreachable: bool,
}

impl Outage {
    /// The outage a first failure starts.
    pub fn start(at: DateTime<Utc>, error: &ApiError) -> Outage {
        Outage {
            since: at,
            failures: 1,
            reason: crate::sanitize::sanitize(&error.to_string()).into_owned(),
            unreachable: is_unreachable(error),
        }
    }

    /// Another failure of the same outage.
    pub fn failed_again(&mut self, error: &ApiError) {
        self.failures = self.failures.saturating_add(1);
        self.reason = crate::sanitize::sanitize(&error.to_string()).into_owned();
        self.unreachable = is_unreachable(error);
    }

    /// How long to wait before the next try.
    pub fn retry_after(&self, interval: Duration) -> Duration {
        let doublings = self.failures.saturating_sub(1).min(10);
        let wait = FIRST_RETRY.saturating_mul(1 << doublings);
        wait.min(MAX_RETRY.max(interval))
    }

    /// `offline since 02:14` or `refresh failing since 02:14`, in the
    /// offset given (the user's local time in the TUI).
    pub fn headline(&self, offset: chrono::FixedOffset) -> String {
        let when = self.since.with_timezone(&offset).format("%H:%M");
        if self.unreachable {
            format!("offline since {when}")
        } else {
            format!("refresh failing since {when}")
        }
    }
}

/// True for errors that mean the service could not be reached.
pub fn is_unreachable(error: &ApiError) -> bool {
    matches!(
        error,
        ApiError::Connect { .. } | ApiError::Timeout { .. } | ApiError::Tls { .. }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn down() -> ApiError {
        ApiError::Connect {
            host: "127.0.0.1".into(),
            detail: "refused".into(),
        }
    }

    #[test]
    fn a_nearly_spent_budget_asks_for_the_command_center_alone() {
        let low = BudgetSnapshot {
            remaining: Some(3),
            ..BudgetSnapshot::default()
        };
        assert_eq!(WatchAsk::plan(&low, true, None), WatchAsk::MINIMAL);
        let plenty = BudgetSnapshot {
            remaining: Some(80),
            ..BudgetSnapshot::default()
        };
        let ask = WatchAsk::plan(&plenty, true, Some(Duration::from_secs(60)));
        assert_eq!(ask.cost(), 3, "{ask:?}");
        assert!(WatchAsk::plan(&plenty, true, Some(POLICY_TTL)).policy);
        assert!(!WatchAsk::plan(&plenty, false, None).regressions);
    }

    #[test]
    fn retries_double_up_to_a_cap() {
        let at = Utc.with_ymd_and_hms(2025, 6, 15, 2, 14, 0).unwrap();
        let mut outage = Outage::start(at, &down());
        let interval = Duration::from_secs(60);
        assert_eq!(outage.retry_after(interval), Duration::from_secs(10));
        outage.failed_again(&down());
        outage.failed_again(&down());
        assert_eq!(outage.retry_after(interval), Duration::from_secs(40));
        for _ in 0..20 {
            outage.failed_again(&down());
        }
        assert_eq!(outage.retry_after(interval), MAX_RETRY);
        let utc = chrono::FixedOffset::east_opt(0).unwrap();
        assert_eq!(outage.headline(utc), "offline since 02:14");
    }
}
