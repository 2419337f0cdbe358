//! One finding as both the TUI's detail pane and `krafter finding` show it:
//! the same facts, in the same order, by the same rules (owner names, next
//! statuses, how to resolve). Each surface only lays them out. Every string
//! here is sanitized.

use crate::api::enums::FindingStatus;
use crate::api::model::Finding;
use crate::api::transitions::{RESOLVED_EXPLANATION, finding_targets};
use crate::sanitize::{sanitize, sanitize_multiline};

use super::people::People;
use crate::journal::{HistoryEntry, Reason};

/// A labelled fact, e.g. `("Status", "triaged")`.
pub type Fact = (&'static str, String);

/// The facts and sections of one finding, ready to lay out.
#[derive(Clone, Debug, PartialEq)]
pub struct FindingView {
    /// `‼ critical`.
    pub severity: String,
    pub title: String,
    /// Rows of facts; a surface may join a row's facts on one line.
    pub facts: Vec<Vec<Fact>>,
    /// How the finding can become resolved; `None` once it is.
    pub how_to_resolve: Option<String>,
    pub description: String,
    /// `Recommended fix (about 60 min)`.
    pub fix_heading: String,
    pub fix_summary: String,
    pub fix_steps: Vec<String>,
    /// `url: https://…`.
    pub assets: Vec<String>,
    /// `content-security-policy: (absent)`.
    pub evidence: Vec<String>,
}

impl FindingView {
    /// The view of `f` for a user whose people are `people`.
    pub fn of(f: &Finding, people: &People) -> FindingView {
        let s = |text: &str| sanitize(text).into_owned();
        let n = |v: Option<i64>| v.map_or("-".to_string(), |v| v.to_string());
        let p = &f.priority;
        let mut facts = vec![
            vec![("ID", s(&f.id))],
            vec![
                ("Severity", severity(f)),
                ("Status", s(f.status.as_str())),
                ("Domain", s(f.domain.as_str())),
            ],
            vec![(
                "Priority",
                format!(
                    "score {} (impact {}, effort {}, risk {})",
                    n(p.score),
                    n(p.impact),
                    n(p.effort),
                    n(p.risk)
                ),
            )],
            vec![
                (
                    "Confidence",
                    f.confidence
                        .map_or("-".to_string(), |c| format!("{:.0}%", c * 100.0)),
                ),
                ("Owner", people.full(f.owner_id.as_deref())),
            ],
        ];
        let created = f.created_at.as_ref().or(f.inserted_at.as_ref());
        let times: Vec<Fact> = [("Created", created), ("Updated", f.updated_at.as_ref())]
            .into_iter()
            .filter_map(|(label, t)| Some((label, s(t?.raw()))))
            .collect();
        if !times.is_empty() {
            facts.push(times);
        }
        facts.push(vec![("Next statuses", next_statuses(&f.status))]);
        let fix = &f.recommended_fix;
        FindingView {
            severity: severity(f),
            title: s(&f.title),
            facts,
            how_to_resolve: (f.status != FindingStatus::Resolved)
                .then(|| format!("Resolved: {RESOLVED_EXPLANATION}")),
            description: sanitize_multiline(f.description.trim()).into_owned(),
            fix_heading: match fix.estimated_minutes {
                Some(m) => format!("Recommended fix (about {m} min)"),
                None => "Recommended fix".to_string(),
            },
            fix_summary: sanitize_multiline(fix.summary.trim()).into_owned(),
            fix_steps: fix.steps.iter().map(|step| s(step)).collect(),
            assets: f
                .affected_assets
                .iter()
                .map(|a| format!("{}: {}", s(&a.kind), s(&a.value)))
                .collect(),
            evidence: f
                .evidence
                .iter()
                .map(|e| {
                    let label = e
                        .label
                        .as_deref()
                        .or(e.kind.as_deref())
                        .unwrap_or("evidence");
                    format!("{}: {}", s(label), s(e.value.as_deref().unwrap_or("-")))
                })
                .collect(),
        }
    }
}

fn severity(f: &Finding) -> String {
    format!("{} {}", f.severity.symbol(), sanitize(f.severity.as_str()))
}

/// The legal next statuses, as `triaged, dismissed`, or why there are none.
pub fn next_statuses(status: &FindingStatus) -> String {
    match status {
        FindingStatus::Resolved => {
            "none by hand (resolved; a scan that finds it again reopens it)".to_string()
        }
        FindingStatus::Other(raw) => format!(
            "unknown (status `{}` is not one this version of krafter knows)",
            sanitize(raw)
        ),
        _ => finding_targets(status)
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// One change of a finding's local history (a bulk job's item) as one
/// line: when, which profile, from → to, the reason and comment kept on
/// this machine, the job. The detail pane and `krafter finding` show these.
pub fn history_line(e: &HistoryEntry, people: &People) -> String {
    let mut what = Vec::new();
    if e.from.status != e.to.status {
        what.push(format!("{} → {}", e.from.status, e.to.status));
    }
    if e.from.owner_id != e.to.owner_id {
        what.push(format!(
            "owner {} → {}",
            people.short(e.from.owner_id.as_deref()),
            people.short(e.to.owner_id.as_deref())
        ));
    }
    if e.from.severity != e.to.severity {
        what.push(format!("severity {} → {}", e.from.severity, e.to.severity));
    }
    let mut line = format!(
        "{} · {} · {}",
        sanitize(&e.at),
        sanitize(&e.profile),
        sanitize(&what.join(", "))
    );
    if let Some(reason) = e.reason.and_then(Reason::parse) {
        line.push_str(&format!(" · {}", reason.label()));
    }
    if let Some(comment) = &e.comment {
        line.push_str(&format!(" · “{}”", sanitize(comment)));
    }
    let short = |id: &str| sanitize(id.split('-').next().unwrap_or(id)).into_owned();
    match &e.undo_of {
        Some(of) => line.push_str(&format!(
            " · job {} (undo of {})",
            short(&e.job_id),
            short(of)
        )),
        None => line.push_str(&format!(" · job {}", short(&e.job_id))),
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding() -> Finding {
        serde_json::from_value(serde_json::json!({
            "id": "d4e5f6a7-8b9c-0d1e-2f3a-4b5c6d7e8f9a", "domain": "security",
            "title": "Missing\u{1b}[2J CSP", "description": "No policy.\nAt all.",
            "severity": "critical", "status": "triaged", "confidence": 0.95,
            "priority": { "impact": 80, "effort": 20, "risk": 90, "score": 88 },
            "owner_id": "33333333-3333-3333-3333-333333333333",
            "affected_assets": [{ "type": "url", "value": "https://example.com" }],
            "evidence": [{ "type": "header", "label": "content-security-policy", "value": "(absent)" }],
            "recommended_fix": { "summary": "Add it.", "steps": ["One", "Two"], "estimated_minutes": 60 },
            "inserted_at": "2025-06-15T10:05:00Z"
        }))
        .unwrap()
    }

    #[test]
    fn facts_follow_the_shared_rules() {
        let people = People::new(
            vec![(
                "Mei Lin".into(),
                "33333333-3333-3333-3333-333333333333".into(),
            )],
            None,
        );
        let v = FindingView::of(&finding(), &people);
        assert_eq!(v.severity, "‼ critical");
        assert!(!v.title.contains('\u{1b}'));
        let all: Vec<&Fact> = v.facts.iter().flatten().collect();
        let get = |l: &str| all.iter().find(|(k, _)| *k == l).map(|(_, v)| v.as_str());
        assert_eq!(
            get("Owner"),
            Some("Mei Lin (33333333-3333-3333-3333-333333333333)")
        );
        assert_eq!(get("Next statuses"), Some("new, in_progress, dismissed"));
        assert_eq!(get("Created"), Some("2025-06-15T10:05:00Z"));
        assert_eq!(get("Confidence"), Some("95%"));
        assert_eq!(v.fix_heading, "Recommended fix (about 60 min)");
        assert_eq!(v.fix_steps, ["One", "Two"]);
        assert_eq!(v.evidence, ["content-security-policy: (absent)"]);
        assert!(v.how_to_resolve.is_some());
    }

    #[test]
    fn resolved_and_unknown_statuses_offer_no_move() {
        assert!(next_statuses(&FindingStatus::Resolved).starts_with("none by hand"));
        assert!(next_statuses(&FindingStatus::Other("frozen".into())).contains("frozen"));
    }
}
