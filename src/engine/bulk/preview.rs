//! What a bulk change will do, decided from the findings' current values
//! before anything is sent. Pure: the TUI and `krafter update --dry-run`
//! show the same preview.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use crate::api::BudgetSnapshot;
use crate::api::enums::FindingStatus;
use crate::api::model::Finding;
use crate::api::transitions::{finding_move_allowed, finding_targets};
use crate::journal::{Before, Change, NewItem, Outcome, Values};

use super::eta::{count_text, rate_text};
use crate::engine::duration::human;

/// How many titles a preview shows as a sample.
pub const SAMPLE: usize = 5;

/// A finding as it stands now on the server.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Current {
    pub title: String,
    pub before: Before,
}

impl Current {
    /// The values of a finding the server sent.
    pub fn of(f: &Finding) -> Current {
        Current {
            title: f.title.clone(),
            before: Before {
                values: Values {
                    status: f.status.clone(),
                    owner_id: f.owner_id.clone(),
                    severity: f.severity.clone(),
                },
                updated_at: f
                    .updated_at
                    .as_ref()
                    .map(|t| t.raw().to_string())
                    .filter(|t| !t.is_empty()),
            },
        }
    }
}

/// What an undo expects to find: the finding as our change left it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Guard {
    /// `updated_at` the server returned for our change.
    pub updated_at: Option<String>,
    /// The values our change left.
    pub after: Values,
}

/// One finding a job is to change, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub id: String,
    pub change: Change,
    /// Set for undo items: skip the finding if someone changed it since.
    pub guard: Option<Guard>,
    /// A title to show when the finding cannot be read any more.
    pub title: Option<String>,
}

/// Why a finding is left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Skip {
    /// The lifecycle does not allow the move.
    IllegalMove {
        from: FindingStatus,
        to: FindingStatus,
    },
    /// Resolved findings are moved only by a scan that finds them again.
    Resolved,
    /// A status this version does not know: its moves are unknown.
    UnknownStatus(String),
    /// Not in this project (or gone).
    NotFound,
    /// Changed by someone else since our change (undo only).
    ChangedSince {
        ours: Option<String>,
        now: Option<String>,
    },
}

impl Skip {
    /// The reason as the report and the journal say it.
    pub fn reason(&self) -> String {
        match self {
            Skip::IllegalMove { from, to } => {
                let allowed: Vec<String> = finding_targets(from)
                    .iter()
                    .map(|s| s.to_string())
                    .collect();
                let allowed = if allowed.is_empty() {
                    "none".to_string()
                } else {
                    allowed.join(", ")
                };
                format!("cannot move a finding from {from} to {to}; allowed: {allowed}")
            }
            Skip::Resolved => "resolved: only a scan that finds it again reopens it".into(),
            Skip::UnknownStatus(s) => format!("status `{s}` is unknown to this krafter"),
            Skip::NotFound => "no such finding in this project".into(),
            Skip::ChangedSince { ours, now } => format!(
                "changed by someone else since (updated_at {}, ours {})",
                now.as_deref().unwrap_or("unknown"),
                ours.as_deref().unwrap_or("unknown")
            ),
        }
    }

    /// A short name for grouping: `illegal move`, `resolved`, ...
    pub fn group(&self) -> &'static str {
        match self {
            Skip::IllegalMove { .. } => "move not allowed",
            Skip::Resolved => "resolved",
            Skip::UnknownStatus(_) => "unknown status",
            Skip::NotFound => "not found",
            Skip::ChangedSince { .. } => "changed by someone else",
        }
    }
}

/// What will happen to one finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Send,
    /// Already holds the target values.
    Unchanged,
    Skip(Skip),
}

/// One finding of a preview.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planned {
    pub id: String,
    pub title: String,
    pub before: Option<Before>,
    pub change: Change,
    pub verdict: Verdict,
}

/// What a bulk change will do, and what it costs.
#[derive(Clone, Debug, PartialEq)]
pub struct Preview {
    /// Every finding, in the order they will be sent.
    pub items: Vec<Planned>,
    /// The budget the estimate was made with.
    pub budget: BudgetSnapshot,
    /// How long sending takes at that budget; `None` until a response has
    /// shown the limit.
    pub eta: Option<Duration>,
}

/// Decides each target's fate from the current values (`None`: the finding
/// could not be found), and the cost of the requests.
pub fn preview(
    targets: &[Target],
    current: &HashMap<String, Current>,
    budget: &BudgetSnapshot,
    now: SystemTime,
) -> Preview {
    let items: Vec<Planned> = targets
        .iter()
        .map(|t| {
            let found = current.get(&t.id);
            Planned {
                id: t.id.clone(),
                title: found
                    .map(|c| c.title.clone())
                    .or_else(|| t.title.clone())
                    .unwrap_or_default(),
                before: found.map(|c| c.before.clone()),
                change: t.change.clone(),
                verdict: verdict(t, found),
            }
        })
        .collect();
    let requests = items.iter().filter(|i| i.verdict == Verdict::Send).count() as u64;
    Preview {
        eta: budget.eta(requests, now),
        items,
        budget: *budget,
    }
}

fn verdict(target: &Target, current: Option<&Current>) -> Verdict {
    let Some(current) = current else {
        return Verdict::Skip(Skip::NotFound);
    };
    let values = &current.before.values;
    if let Some(guard) = &target.guard {
        // Either tells: timestamps may be too coarse to see a change made
        // in the same second as ours, and values alone miss nothing else
        // that matters to an undo.
        let moved = *values != guard.after
            || guard
                .updated_at
                .as_ref()
                .is_some_and(|ours| current.before.updated_at.as_ref() != Some(ours));
        if moved {
            return Verdict::Skip(Skip::ChangedSince {
                ours: guard.updated_at.clone(),
                now: current.before.updated_at.clone(),
            });
        }
    }
    if target.change.is_satisfied_by(values) {
        return Verdict::Unchanged;
    }
    if let Some(to) = &target.change.status
        && *to != values.status
    {
        if values.status == FindingStatus::Resolved {
            return Verdict::Skip(Skip::Resolved);
        }
        if let FindingStatus::Other(raw) = &values.status {
            return Verdict::Skip(Skip::UnknownStatus(raw.clone()));
        }
        if !finding_move_allowed(&values.status, to) {
            return Verdict::Skip(Skip::IllegalMove {
                from: values.status.clone(),
                to: to.clone(),
            });
        }
    }
    Verdict::Send
}

impl Preview {
    /// The findings that will be sent.
    pub fn to_send(&self) -> impl Iterator<Item = &Planned> {
        self.items.iter().filter(|i| i.verdict == Verdict::Send)
    }

    /// How many requests the job costs: one PATCH per finding to change.
    pub fn requests(&self) -> usize {
        self.to_send().count()
    }

    /// Findings already in the target state.
    pub fn unchanged(&self) -> usize {
        self.items
            .iter()
            .filter(|i| i.verdict == Verdict::Unchanged)
            .count()
    }

    /// Skipped findings by group, in order of first appearance, with counts.
    pub fn skipped_by_group(&self) -> Vec<(&'static str, usize)> {
        let mut groups: Vec<(&'static str, usize)> = Vec::new();
        for item in &self.items {
            if let Verdict::Skip(skip) = &item.verdict {
                match groups.iter_mut().find(|(g, _)| *g == skip.group()) {
                    Some((_, n)) => *n += 1,
                    None => groups.push((skip.group(), 1)),
                }
            }
        }
        groups
    }

    /// Up to [`SAMPLE`] distinct titles of findings that will change, in
    /// the order they are sent, each with how many of them carry it: the
    /// findings of one check share a title, and a sample of the same title
    /// five times would say nothing.
    pub fn sample(&self) -> Vec<(&str, usize)> {
        let mut sample: Vec<(&str, usize)> = Vec::new();
        for item in self.to_send() {
            let title = item.title.as_str();
            if let Some((_, n)) = sample.iter_mut().find(|(t, _)| *t == title) {
                *n += 1;
            } else if sample.len() < SAMPLE {
                sample.push((title, 1));
            }
        }
        sample
    }

    /// `2,000 changes, about 20m00s at 100/min`.
    pub fn cost_text(&self) -> String {
        let n = self.requests();
        let what = format!(
            "{} {}",
            count_text(n as u64),
            plural(n, "change", "changes")
        );
        if n == 0 {
            return what;
        }
        let rate = rate_text(&self.budget);
        match self.eta {
            Some(d) if d < Duration::from_secs(1) => {
                format!("{what}, within the current window at {rate}")
            }
            Some(d) => format!("{what}, about {} at {rate}", human(d)),
            None => format!("{what}, at most {rate} (the documented limit)"),
        }
    }

    /// The items as the journal records them before the first request.
    pub fn journal_items(&self) -> Vec<NewItem> {
        self.items
            .iter()
            .map(|i| NewItem {
                finding_id: i.id.clone(),
                title: i.title.clone(),
                before: i.before.clone(),
                change: i.change.clone(),
                outcome: match &i.verdict {
                    Verdict::Send => Outcome::Pending,
                    Verdict::Unchanged => Outcome::Unchanged,
                    Verdict::Skip(s) => Outcome::Skipped { reason: s.reason() },
                },
            })
            .collect()
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

#[cfg(test)]
mod tests;
