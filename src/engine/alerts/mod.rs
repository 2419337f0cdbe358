//! Alerts: what got worse between two looks at a project.
//!
//! A [`Snapshot`] is what one refresh fetched (the command center, and when
//! the refresh asked for them the open critical findings, the open
//! regressions and the policy's SLA). A [`Watcher`] keeps the previous
//! snapshot and turns each new one into [`Alert`]s. It is pure: the TUI's
//! auto-refresh and `krafter watch` both feed it, so both raise the same
//! alerts for the same data.

use std::collections::HashSet;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use super::sla::SlaHours;
use crate::api::model::{CommandCenter, Finding, Regression, Severity};
use crate::sanitize::sanitize;

/// The default of `[alerts] health_drop`.
pub const DEFAULT_HEALTH_DROP: i64 = 5;

/// When an alert is raised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlertRules {
    /// Points the health score must fall, from its recent high, to alert.
    pub health_drop: i64,
}

impl Default for AlertRules {
    fn default() -> Self {
        AlertRules {
            health_drop: DEFAULT_HEALTH_DROP,
        }
    }
}

/// What one refresh fetched. A part left `None` was not asked for (or its
/// request failed): rules that need it stay quiet rather than guess.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snapshot {
    pub at: DateTime<Utc>,
    pub command_center: CommandCenter,
    /// The unresolved critical findings (the first page of
    /// `severity=critical`, closed ones left out).
    pub critical: Option<Vec<Finding>>,
    /// The open regressions.
    pub regressions: Option<Vec<Regression>>,
    /// The policy's SLA, when known.
    pub sla: Option<SlaHours>,
}

impl Snapshot {
    /// A snapshot holding only the command center (what the TUI loads at
    /// start and on `r`).
    pub fn of_command_center(command_center: CommandCenter, at: DateTime<Utc>) -> Snapshot {
        Snapshot {
            at,
            command_center,
            ..Snapshot::default()
        }
    }

    /// The title of a finding this snapshot knows, for messages.
    fn title_of(&self, id: &str) -> Option<&str> {
        let critical = self.critical.iter().flatten();
        critical
            .map(|f| (f.id.as_str(), f.title.as_str()))
            .chain(
                self.command_center
                    .top_priorities
                    .iter()
                    .map(|t| (t.id.as_str(), t.title.as_str())),
            )
            .find(|(i, _)| *i == id)
            .map(|(_, title)| title)
    }
}

/// What happened, with the facts a script needs (`krafter watch --format
/// json` writes these fields).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AlertEvent {
    /// The health score fell by at least `[alerts] health_drop` points.
    HealthDrop { from: i64, to: i64 },
    /// An unresolved critical finding appeared.
    NewCritical {
        finding_id: String,
        title: String,
        url: Option<String>,
    },
    /// The count of critical findings rose, when the findings themselves
    /// were not fetched.
    CriticalCountRose { from: i64, to: i64 },
    /// A resolved finding came back.
    RegressionOpened {
        regression_id: String,
        finding_id: String,
        title: Option<String>,
    },
    /// An open finding went past its SLA.
    SlaBreached {
        finding_id: String,
        title: String,
        severity: String,
        sla_hours: i64,
        due_at: String,
    },
}

/// One alert: when it was raised, what happened, and a line to show.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Alert {
    /// RFC 3339, UTC: the time of the refresh that saw it.
    pub at: String,
    #[serde(flatten)]
    pub event: AlertEvent,
    /// One line for a person, already safe for a terminal.
    pub message: String,
}

impl Alert {
    fn new(at: DateTime<Utc>, event: AlertEvent) -> Alert {
        let message = message_of(&event);
        Alert {
            at: at.to_rfc3339_opts(SecondsFormat::Secs, true),
            event,
            message,
        }
    }

    /// A one-word name of the kind, so meaning never rests on colour.
    pub fn label(&self) -> &'static str {
        match self.event {
            AlertEvent::HealthDrop { .. } => "health",
            AlertEvent::NewCritical { .. } | AlertEvent::CriticalCountRose { .. } => "critical",
            AlertEvent::RegressionOpened { .. } => "regression",
            AlertEvent::SlaBreached { .. } => "sla",
        }
    }
}

fn quoted(title: &str) -> String {
    format!("“{}”", sanitize(title))
}

fn message_of(event: &AlertEvent) -> String {
    match event {
        AlertEvent::HealthDrop { from, to } => {
            format!("health fell {} points: {from} → {to}", from - to)
        }
        AlertEvent::NewCritical { title, url, .. } => match url {
            Some(url) => format!(
                "new critical finding {} at {}",
                quoted(title),
                sanitize(url)
            ),
            None => format!("new critical finding {}", quoted(title)),
        },
        AlertEvent::CriticalCountRose { from, to } => {
            format!("critical findings rose: {from} → {to}")
        }
        AlertEvent::RegressionOpened {
            finding_id, title, ..
        } => match title {
            Some(title) => format!("regression: {} is back", quoted(title)),
            None => format!("regression: finding {} is back", sanitize(finding_id)),
        },
        AlertEvent::SlaBreached {
            title,
            severity,
            sla_hours,
            ..
        } => format!(
            "SLA breached: {} {} open past {sla_hours} h",
            sanitize(severity),
            quoted(title)
        ),
    }
}

/// Keeps the last snapshot and turns the next one into alerts.
#[derive(Clone, Debug, Default)]
pub struct Watcher {
    pub rules: AlertRules,
    last: Option<Snapshot>,
    /// The highest health score since the last health alert: a slow slide
    /// of 2 points a refresh still alerts once it adds up.
    health_peak: Option<i64>,
}

impl Watcher {
    /// A watcher with no snapshot yet.
    pub fn new(rules: AlertRules) -> Watcher {
        Watcher {
            rules,
            last: None,
            health_peak: None,
        }
    }

    /// The last snapshot seen.
    pub fn last(&self) -> Option<&Snapshot> {
        self.last.as_ref()
    }

    /// Takes in a snapshot; returns what got worse since the last one. The
    /// first snapshot only sets the baseline. A part the new snapshot lacks
    /// is carried over from the last one, so one failed request neither
    /// raises nor hides an alert.
    pub fn observe(&mut self, mut current: Snapshot) -> Vec<Alert> {
        let mut alerts = Vec::new();
        if let Some(score) = current.command_center.health_score {
            let peak = self.health_peak.unwrap_or(score);
            if peak - score >= self.rules.health_drop.max(1) {
                alerts.push(Alert::new(
                    current.at,
                    AlertEvent::HealthDrop {
                        from: peak,
                        to: score,
                    },
                ));
                self.health_peak = Some(score);
            } else {
                self.health_peak = Some(peak.max(score));
            }
        }
        if let Some(previous) = &self.last {
            let regressions = new_regressions(previous, &current);
            let reopened: HashSet<&str> =
                regressions.iter().map(|r| r.finding_id.as_str()).collect();
            alerts.extend(new_critical(previous, &current, &reopened));
            alerts.extend(
                regressions
                    .iter()
                    .map(|r| regression_alert(r, previous, &current)),
            );
            alerts.extend(sla_breaches(previous, &current));
        }
        if let Some(previous) = self.last.take() {
            current.critical = current.critical.or(previous.critical);
            current.regressions = current.regressions.or(previous.regressions);
            current.sla = current.sla.or(previous.sla);
        }
        self.last = Some(current);
        alerts
    }
}

/// Unresolved critical findings the previous snapshot did not have; or,
/// without the findings, a rise of the critical count. A finding that came
/// back through a regression is left to the regression's alert.
fn new_critical(previous: &Snapshot, current: &Snapshot, reopened: &HashSet<&str>) -> Vec<Alert> {
    match (&previous.critical, &current.critical) {
        (Some(before), Some(now)) => {
            let known: HashSet<&str> = before.iter().map(|f| f.id.as_str()).collect();
            now.iter()
                .filter(|f| f.severity == Severity::Critical && f.status.is_unresolved())
                .filter(|f| !known.contains(f.id.as_str()) && !reopened.contains(f.id.as_str()))
                .map(|f| {
                    Alert::new(
                        current.at,
                        AlertEvent::NewCritical {
                            finding_id: f.id.clone(),
                            title: f.title.clone(),
                            url: f.primary_url().map(str::to_string),
                        },
                    )
                })
                .collect()
        }
        _ => {
            let counts = (
                previous.command_center.critical_findings,
                current.command_center.critical_findings,
            );
            match counts {
                (Some(from), Some(to)) if to > from => vec![Alert::new(
                    current.at,
                    AlertEvent::CriticalCountRose { from, to },
                )],
                _ => Vec::new(),
            }
        }
    }
}

/// Open regressions the previous snapshot did not have.
fn new_regressions<'a>(previous: &Snapshot, current: &'a Snapshot) -> Vec<&'a Regression> {
    let (Some(before), Some(now)) = (&previous.regressions, &current.regressions) else {
        return Vec::new();
    };
    let known: HashSet<&str> = before.iter().map(|r| r.id.as_str()).collect();
    now.iter()
        .filter(|r| r.status == crate::api::model::RegressionStatus::Open)
        .filter(|r| !known.contains(r.id.as_str()))
        .collect()
}

fn regression_alert(r: &Regression, previous: &Snapshot, current: &Snapshot) -> Alert {
    let title = current
        .title_of(&r.finding_id)
        .or_else(|| previous.title_of(&r.finding_id))
        .map(str::to_string);
    Alert::new(
        current.at,
        AlertEvent::RegressionOpened {
            regression_id: r.id.clone(),
            finding_id: r.finding_id.clone(),
            title,
        },
    )
}

/// Open critical findings whose SLA ran out between the two snapshots.
fn sla_breaches(previous: &Snapshot, current: &Snapshot) -> Vec<Alert> {
    let (Some(sla), Some(findings)) = (
        current.sla.as_ref().or(previous.sla.as_ref()),
        current.critical.as_ref(),
    ) else {
        return Vec::new();
    };
    findings
        .iter()
        .filter(|f| sla.breached_between(f, previous.at, current.at))
        .filter_map(|f| {
            let due = sla.finding_due(f)?;
            Some(Alert::new(
                current.at,
                AlertEvent::SlaBreached {
                    finding_id: f.id.clone(),
                    title: f.title.clone(),
                    severity: f.severity.to_string(),
                    sla_hours: sla.hours(&f.severity)?,
                    due_at: due.to_rfc3339_opts(SecondsFormat::Secs, true),
                },
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests;
