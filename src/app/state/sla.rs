//! What the state knows about service levels and severities, for the
//! task a finding gets and the command center's count of breaches.

use super::app::AppState;
use crate::api::model::Severity;
use crate::engine::sla::{breaches, span};
use crate::sanitize::sanitize;

/// SLA breaches among the loaded findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SlaCount {
    pub breached: usize,
    /// Findings looked at.
    pub of: usize,
    /// True when those are every finding of the project.
    pub complete: bool,
}

impl AppState {
    /// A finding's severity as far as the TUI knows it (medium when not).
    pub fn severity_of(&self, finding_id: &str) -> Severity {
        self.finding(finding_id)
            .map(|f| f.severity().clone())
            .or_else(|| {
                let top = self.command_center.data.as_ref()?.top_priorities.iter();
                top.clone()
                    .find(|t| t.id == finding_id)
                    .map(|t| t.severity.clone())
            })
            .unwrap_or(Severity::Medium)
    }

    /// What a new task's SLA is when none is typed, e.g. `the policy's 3d
    /// (high)`.
    pub fn task_sla_hint(&self, finding_id: &str) -> String {
        let severity = self.severity_of(finding_id);
        match self
            .remediation
            .sla
            .as_ref()
            .and_then(|s| s.hours(&severity))
        {
            Some(h) => format!(
                "the policy's {} ({})",
                span(chrono::Duration::hours(h)),
                sanitize(severity.as_str())
            ),
            None => "the policy's SLA".to_string(),
        }
    }

    /// How many loaded findings are past their SLA, once the policy is
    /// known. Counted over the loaded rows: complete only when the list
    /// holds the whole unfiltered project.
    pub fn sla_breaches(&self) -> Option<SlaCount> {
        let hours = self.remediation.sla.as_ref()?;
        let f = &self.findings;
        Some(SlaCount {
            breached: breaches(hours, &f.rows, self.wall),
            of: f.rows.len(),
            complete: f.exhausted && f.query == Default::default(),
        })
    }
}
