//! The release gate: which findings count against a threshold, and the
//! baseline of accepted ones.
//!
//! Open means `new`, `triaged`, `in_progress` or `ready_verify`; a
//! dismissed or resolved finding never counts, and neither does a status
//! this version does not know. A finding counts when it is open, its
//! severity is at or above the threshold, and it is not in the baseline.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use crate::api::model::{Finding, FindingStatus, Severity};

/// The statuses that count.
pub const OPEN_STATUSES: [FindingStatus; 4] = [
    FindingStatus::New,
    FindingStatus::Triaged,
    FindingStatus::InProgress,
    FindingStatus::ReadyVerify,
];

/// How one finding stands against the gate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Open, at or above the threshold, not in the baseline: it fails the gate.
    Counts,
    /// Would count, but the baseline accepts it.
    Baselined,
    /// Open, below the threshold (or of a severity this version does not know).
    Below,
    /// Dismissed, resolved or in an unknown status: never counts.
    Closed,
}

impl Verdict {
    /// A short phrase for text and tables.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Counts => "counts",
            Verdict::Baselined => "in baseline",
            Verdict::Below => "below threshold",
            Verdict::Closed => "closed",
        }
    }
}

/// True for the statuses that count.
pub fn is_open(status: &FindingStatus) -> bool {
    OPEN_STATUSES.contains(status)
}

/// The stable check key of a finding (`security.csp_missing`): the
/// sandbox's `check` field, else the domain and the title.
pub fn check_key(finding: &Finding) -> String {
    if let Some(check) = finding.extra.get("check").and_then(|c| c.as_str())
        && !check.trim().is_empty()
    {
        return check.trim().to_string();
    }
    let slug: String = finding
        .title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    let slug = slug
        .split('_')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    format!(
        "{}.{}",
        finding.domain,
        if slug.is_empty() { "finding" } else { &slug }
    )
}

/// The threshold: a severity, and everything above it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GateRule {
    pub fail_on: Severity,
}

impl GateRule {
    /// The verdict of one finding, given the baseline (if any).
    pub fn verdict(&self, finding: &Finding, baseline: Option<&Baseline>) -> Verdict {
        if !is_open(&finding.status) {
            return Verdict::Closed;
        }
        if finding.severity.is_other() || finding.severity.rank() > self.fail_on.rank() {
            return Verdict::Below;
        }
        if baseline.is_some_and(|b| b.contains(&finding.id)) {
            return Verdict::Baselined;
        }
        Verdict::Counts
    }
}

/// The findings of a gate run with their verdicts, and the totals.
#[derive(Clone, Debug)]
pub struct GateReport<'a> {
    pub rule: GateRule,
    pub entries: Vec<(&'a Finding, Verdict)>,
}

impl<'a> GateReport<'a> {
    /// Judges every finding.
    pub fn judge(rule: GateRule, findings: &'a [Finding], baseline: Option<&Baseline>) -> Self {
        let mut entries: Vec<(&Finding, Verdict)> = findings
            .iter()
            .map(|f| (f, rule.verdict(f, baseline)))
            .collect();
        // Counted first, most severe first, then by priority.
        entries.sort_by(|(a, va), (b, vb)| {
            va.cmp(vb)
                .then(a.severity.rank().cmp(&b.severity.rank()))
                .then(b.score().cmp(&a.score()))
                .then(a.id.cmp(&b.id))
        });
        GateReport { rule, entries }
    }

    /// How many findings have this verdict.
    pub fn count(&self, verdict: Verdict) -> usize {
        self.entries.iter().filter(|(_, v)| *v == verdict).count()
    }

    /// True when nothing counts.
    pub fn passed(&self) -> bool {
        self.count(Verdict::Counts) == 0
    }

    /// The findings that count.
    pub fn counted(&self) -> impl Iterator<Item = &'a Finding> + '_ {
        self.entries
            .iter()
            .filter(|(_, v)| *v == Verdict::Counts)
            .map(|(f, _)| *f)
    }
}

/// Findings accepted as they are: their ids, with the check key of each so
/// a reader of the file knows what was accepted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    /// The format's version, 1.
    pub version: u32,
    /// When it was written (RFC 3339).
    #[serde(default)]
    pub created_at: String,
    /// Finding id → check key.
    pub findings: BTreeMap<String, String>,
}

/// Why a baseline file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error(
        "the baseline file {path} could not be read ({why}); check the path given to --baseline"
    )]
    Read { path: String, why: String },
    #[error(
        "the baseline file {path} is not a krafter baseline ({why}); write one with `krafter gate --write-baseline FILE`"
    )]
    Format { path: String, why: String },
    #[error("the baseline file {path} could not be written ({why})")]
    Write { path: String, why: String },
}

impl Baseline {
    /// The baseline of the open findings among `findings` (the ones a gate
    /// would look at), whatever their severity.
    pub fn of(findings: &[Finding]) -> Baseline {
        Baseline {
            version: 1,
            created_at: Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
            findings: findings
                .iter()
                .filter(|f| is_open(&f.status))
                .map(|f| (f.id.clone(), check_key(f)))
                .collect(),
        }
    }

    /// True when the baseline accepts this finding id.
    pub fn contains(&self, id: &str) -> bool {
        self.findings.contains_key(id)
    }

    /// Parses a baseline file's text.
    pub fn parse(text: &str, path: &Path) -> Result<Baseline, BaselineError> {
        let format = |why: String| BaselineError::Format {
            path: path.display().to_string(),
            why,
        };
        let baseline: Baseline = serde_json::from_str(text).map_err(|e| format(e.to_string()))?;
        if baseline.version != 1 {
            return Err(format(format!(
                "version {} is not one this krafter reads (1)",
                baseline.version
            )));
        }
        Ok(baseline)
    }

    /// Reads a baseline file.
    pub fn read(path: &Path) -> Result<Baseline, BaselineError> {
        let text = std::fs::read_to_string(path).map_err(|e| BaselineError::Read {
            path: path.display().to_string(),
            why: e.to_string(),
        })?;
        Baseline::parse(&text, path)
    }

    /// Writes the baseline as pretty JSON, through a temporary file so that
    /// a failed write never leaves half a baseline behind.
    pub fn write(&self, path: &Path) -> Result<(), BaselineError> {
        let err = |why: String| BaselineError::Write {
            path: path.display().to_string(),
            why,
        };
        let text = serde_json::to_string_pretty(self).map_err(|e| err(e.to_string()))? + "\n";
        let mut tmp = path.as_os_str().to_os_string();
        tmp.push(".tmp");
        std::fs::write(&tmp, text).map_err(|e| err(e.to_string()))?;
        std::fs::rename(&tmp, path).map_err(|e| err(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(id: &str, severity: Severity, status: FindingStatus) -> Finding {
        Finding {
            id: id.into(),
            title: format!("Finding {id}"),
            severity,
            status,
            ..Finding::default()
        }
    }

    #[test]
    fn only_open_findings_at_or_above_the_threshold_count() {
        let rule = GateRule {
            fail_on: Severity::High,
        };
        let cases = [
            (Severity::Critical, FindingStatus::New, Verdict::Counts),
            (Severity::High, FindingStatus::ReadyVerify, Verdict::Counts),
            (Severity::Medium, FindingStatus::New, Verdict::Below),
            (
                Severity::Critical,
                FindingStatus::Dismissed,
                Verdict::Closed,
            ),
            (Severity::Critical, FindingStatus::Resolved, Verdict::Closed),
            (
                Severity::Critical,
                FindingStatus::Other("x".into()),
                Verdict::Closed,
            ),
            (
                Severity::Other("urgent".into()),
                FindingStatus::New,
                Verdict::Below,
            ),
        ];
        for (severity, status, want) in cases {
            let finding = f("a", severity.clone(), status.clone());
            assert_eq!(rule.verdict(&finding, None), want, "{severity} {status}");
        }
    }

    #[test]
    fn the_baseline_suppresses_by_id_and_round_trips() {
        let findings = vec![
            f("a", Severity::Critical, FindingStatus::New),
            f("b", Severity::Low, FindingStatus::Resolved),
        ];
        let baseline = Baseline::of(&findings);
        assert_eq!(baseline.findings.len(), 1, "closed findings are left out");
        assert!(
            baseline.findings["a"].ends_with(".finding_a"),
            "{baseline:?}"
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        baseline.write(&path).unwrap();
        let back = Baseline::read(&path).unwrap();
        assert_eq!(back, baseline);
        let rule = GateRule {
            fail_on: Severity::Low,
        };
        let report = GateReport::judge(rule, &findings, Some(&back));
        assert!(report.passed());
        assert_eq!(report.count(Verdict::Baselined), 1);
    }

    #[test]
    fn a_bad_baseline_says_what_to_do() {
        let err = Baseline::parse("{\"ids\": []}", Path::new("b.json")).unwrap_err();
        assert!(err.to_string().contains("--write-baseline"), "{err}");
        let err = Baseline::read(Path::new("/nonexistent/b.json")).unwrap_err();
        assert!(err.to_string().contains("could not be read"), "{err}");
    }

    #[test]
    fn the_check_key_comes_from_the_finding_or_its_title() {
        let mut finding = f("a", Severity::High, FindingStatus::New);
        finding.domain = crate::api::model::Domain::Security;
        finding.title = "Missing CSP header!".into();
        assert_eq!(check_key(&finding), "security.missing_csp_header");
        finding
            .extra
            .insert("check".into(), "security.csp_missing".into());
        assert_eq!(check_key(&finding), "security.csp_missing");
    }
}
