//! What every check shares: its fixed text and figures ([`CheckSpec`]), what
//! it saw on one page ([`Verdict`]), and how the two become a
//! [`CheckResult`] and, on failure, an [`Observation`].

use super::model::{CheckResult, EvidenceItem, Fix, Observation, PriorityFigures};
use crate::api::model::{Domain, Severity};
use crate::sanitize::sanitize;

/// The fixed part of a check: what it is called, what it means, how to fix
/// it and how much it matters.
#[derive(Debug)]
pub struct CheckSpec {
    /// Stable key, `domain.name`.
    pub key: &'static str,
    pub domain: Domain,
    pub severity: Severity,
    pub title: &'static str,
    pub description: &'static str,
    pub fix_summary: &'static str,
    pub steps: &'static [&'static str],
    pub minutes: u32,
    /// 0–100: how much fixing it improves the site.
    pub impact: u8,
    /// 0–100: how much work the fix is.
    pub effort: u8,
    /// 0–100: how likely and how bad an exploitation or loss is.
    pub risk: u8,
    /// How sure a passive check of one response can be.
    pub confidence: f64,
}

/// A severity (with its impact and risk) that replaces the spec's when what
/// was seen is worse than the usual case, e.g. a session cookie.
#[derive(Clone, Debug, PartialEq)]
pub struct Escalation {
    pub severity: Severity,
    pub impact: u8,
    pub risk: u8,
}

/// What one check saw on one page.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub passed: bool,
    /// Short statement of what was seen ("absent", the header value, a count).
    pub observed: String,
    pub evidence: Vec<EvidenceItem>,
    pub escalation: Option<Escalation>,
}

impl Verdict {
    pub fn pass(observed: impl Into<String>) -> Self {
        Verdict {
            passed: true,
            observed: observed.into(),
            evidence: Vec::new(),
            escalation: None,
        }
    }

    pub fn fail(observed: impl Into<String>, evidence: Vec<EvidenceItem>) -> Self {
        Verdict {
            passed: false,
            observed: observed.into(),
            evidence,
            escalation: None,
        }
    }

    pub fn escalated(mut self, escalation: Option<Escalation>) -> Self {
        self.escalation = escalation;
        self
    }
}

/// One piece of evidence. The value comes from the scanned site, so it is
/// made inert (no control or bidi characters) before it is stored.
pub fn evidence(kind: &str, label: &str, value: impl Into<String>) -> EvidenceItem {
    let value = value.into();
    EvidenceItem {
        kind: kind.to_string(),
        label: label.to_string(),
        value: sanitize(&value).into_owned(),
    }
}

/// Evidence that a header is absent or what it holds.
pub fn header_evidence(name: &str, value: Option<&str>) -> EvidenceItem {
    evidence(
        "header",
        name,
        value.map_or_else(|| "absent".to_string(), clip),
    )
}

/// Long values cut to a readable length, on a character boundary.
pub fn clip(text: &str) -> String {
    const MAX: usize = 240;
    let text = text.trim();
    match text.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// The priority score, one formula for every check:
/// `score = round(0.5·impact + 0.3·risk + 0.2·(100 − effort))`, so what
/// matters most and costs least comes first.
pub fn priority(impact: u8, effort: u8, risk: u8) -> PriorityFigures {
    let [i, e, r] = [impact, effort, risk].map(|v| f64::from(v.min(100)));
    let score = (0.5 * i + 0.3 * r + 0.2 * (100.0 - e)).round() as u8;
    PriorityFigures {
        impact,
        effort,
        risk,
        score,
    }
}

/// The check's result, and the observation to file if it failed.
pub fn conclude(
    spec: &CheckSpec,
    verdict: Verdict,
    asset_url: &str,
) -> (CheckResult, Option<Observation>) {
    let result = CheckResult {
        check: spec.key.to_string(),
        passed: verdict.passed,
        // Often a header value or page text: inert like the evidence.
        observed: sanitize(&verdict.observed).into_owned(),
    };
    if verdict.passed {
        return (result, None);
    }
    let (severity, impact, risk) = match verdict.escalation {
        Some(e) => (e.severity, e.impact, e.risk),
        None => (spec.severity.clone(), spec.impact, spec.risk),
    };
    let observation = Observation {
        check: spec.key.to_string(),
        domain: spec.domain.clone(),
        severity,
        title: spec.title.to_string(),
        description: spec.description.to_string(),
        asset_url: asset_url.to_string(),
        evidence: verdict.evidence,
        fix: Fix {
            summary: spec.fix_summary.to_string(),
            steps: spec.steps.iter().map(|s| s.to_string()).collect(),
            estimated_minutes: spec.minutes,
        },
        priority: priority(impact, spec.effort, risk),
        confidence: spec.confidence,
    };
    (result, Some(observation))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priority_favours_impact_and_risk_over_effort() {
        assert_eq!(priority(100, 0, 100).score, 100);
        assert_eq!(priority(0, 100, 0).score, 0);
        assert_eq!(priority(80, 20, 60).score, 74);
        assert!(priority(70, 10, 50).score > priority(70, 80, 50).score);
    }

    #[test]
    fn evidence_from_a_site_cannot_carry_terminal_escapes() {
        let e = evidence("markup", "Image", "<img src=\"x\"\u{1b}[2J\nalt>");
        assert_eq!(e.value, "<img src=\"x\"\u{FFFD}[2J alt>");
    }

    #[test]
    fn clip_cuts_long_values_on_char_boundaries() {
        let long = "é".repeat(500);
        let clipped = clip(&long);
        assert_eq!(clipped.chars().count(), 241);
        assert_eq!(clip("  short "), "short");
    }
}
