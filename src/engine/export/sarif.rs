//! SARIF 2.1.0: one rule per check key, one result per finding.
//!
//! Within the limits GitHub code scanning documents for an upload: at most
//! 25,000 results and 25,000 rules per run (results past that are left out,
//! least severe first, and the run says how many), one run per file, one
//! location per result, at most 20 tags per rule; the file itself must stay
//! under 10 MB once gzip-compressed, which 25,000 results of this size do.
//!
//! `partialFingerprints` hash the check key and the affected URL, which do
//! not change between scans, so a dashboard recognises the same finding in
//! every upload instead of opening a new alert each time.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::entry::{Entry, cut, fingerprint};
use crate::api::model::{Finding, FindingStatus, Severity};
use crate::engine::gate::{Verdict, check_key};
use crate::sanitize::{sanitize, sanitize_multiline};

/// The most results (and rules) one run may hold.
pub const MAX_RESULTS: usize = 25_000;
/// The schema the log names.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The key of the fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "krafterFinding/v1";
/// Long texts are cut to this many characters.
const MAX_TEXT: usize = 2_000;

/// The SARIF level of a severity.
pub fn level(severity: &Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Other(_) => "note",
    }
}

/// The `security-severity` score code-scanning services rank security
/// rules by (0.1–10).
fn security_severity(severity: &Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low | Severity::Other(_) => "2.0",
    }
}

/// A SARIF log built one finding at a time.
#[derive(Clone, Debug, Default)]
pub struct SarifLog {
    version: String,
    rules: Vec<Value>,
    rule_index: HashMap<String, usize>,
    results: Vec<(Verdict, u8, Value)>,
}

impl SarifLog {
    /// A log for this version of the tool.
    pub fn new(tool_version: &str) -> SarifLog {
        SarifLog {
            version: tool_version.to_string(),
            ..SarifLog::default()
        }
    }

    /// Adds one finding: its rule (the first time its check is seen) and
    /// its result. Resolved findings are left out, so a dashboard closes
    /// their alerts; dismissed and baselined ones are written as suppressed.
    pub fn add(&mut self, entry: Entry<'_>) {
        let f = entry.finding;
        if f.status == FindingStatus::Resolved {
            return;
        }
        let check = check_key(f);
        let index = match self.rule_index.get(&check) {
            Some(i) => *i,
            None => {
                let i = self.rules.len();
                self.rules.push(rule(&check, f));
                self.rule_index.insert(check.clone(), i);
                i
            }
        };
        let result = result(&check, index, entry);
        self.results
            .push((entry.verdict, f.severity.rank(), result));
    }

    /// Adds every entry.
    pub fn extend<'a>(&mut self, entries: impl IntoIterator<Item = Entry<'a>>) {
        for entry in entries {
            self.add(entry);
        }
    }

    /// The log as JSON, with at most [`MAX_RESULTS`] results (the most
    /// severe kept) and a `left_out` count in the run's properties when some
    /// were dropped.
    pub fn finish(mut self) -> Value {
        let total = self.results.len();
        if total > MAX_RESULTS {
            self.results
                .sort_by_key(|(verdict, rank, _)| (*verdict, *rank));
            self.results.truncate(MAX_RESULTS);
        }
        let results: Vec<Value> = self.results.into_iter().map(|(_, _, r)| r).collect();
        let mut run = json!({
            "tool": {
                "driver": {
                    "name": "krafter",
                    "informationUri": "https://app.krafter.dev",
                    "semanticVersion": self.version,
                    "rules": self.rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        });
        if total > MAX_RESULTS {
            run["properties"] = json!({ "left_out": total - MAX_RESULTS });
        }
        json!({
            "$schema": SCHEMA_URI,
            "version": "2.1.0",
            "runs": [run],
        })
    }
}

/// A whole log for a batch of findings.
pub fn document<'a>(tool_version: &str, entries: impl IntoIterator<Item = Entry<'a>>) -> Value {
    let mut log = SarifLog::new(tool_version);
    log.extend(entries);
    log.finish()
}

/// `security.csp_missing` → `CspMissing`: the rule's readable name.
fn rule_name(check: &str) -> String {
    let last = check.rsplit('.').next().unwrap_or(check);
    let name: String = last
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect();
    if name.is_empty() {
        "Finding".to_string()
    } else {
        name
    }
}

/// The help text: the fix's summary and numbered steps.
fn help(f: &Finding) -> (String, String) {
    let fix = &f.recommended_fix;
    let summary = sanitize(&fix.summary).into_owned();
    let mut text = summary.clone();
    let mut markdown = summary;
    for (i, step) in fix.steps.iter().enumerate() {
        let step = sanitize(step);
        text.push_str(&format!("\n{}. {step}", i + 1));
        markdown.push_str(&format!("\n{}. {step}", i + 1));
    }
    if let Some(minutes) = fix.estimated_minutes {
        text.push_str(&format!("\nAbout {minutes} minutes."));
        markdown.push_str(&format!("\n\n_About {minutes} minutes._"));
    }
    if text.trim().is_empty() {
        text = "See the finding in Krafter Audit for the fix.".to_string();
        markdown = text.clone();
    }
    (cut(&text, MAX_TEXT), cut(&markdown, MAX_TEXT))
}

fn rule(check: &str, f: &Finding) -> Value {
    let (help_text, help_markdown) = help(f);
    let description = sanitize_multiline(&f.description);
    let full = if description.trim().is_empty() {
        sanitize(&f.title).into_owned()
    } else {
        description.into_owned()
    };
    let mut properties = json!({
        "tags": [f.domain.to_string(), "krafter"],
    });
    if f.domain == crate::api::model::Domain::Security {
        properties["security-severity"] = json!(security_severity(&f.severity));
    }
    json!({
        "id": check,
        "name": rule_name(check),
        "shortDescription": { "text": cut(&sanitize(&f.title), 200) },
        "fullDescription": { "text": cut(&full, MAX_TEXT) },
        "help": { "text": help_text, "markdown": help_markdown },
        "defaultConfiguration": { "level": level(&f.severity) },
        "properties": properties,
    })
}

fn result(check: &str, index: usize, entry: Entry<'_>) -> Value {
    let f = entry.finding;
    let url = f.primary_url().map(|u| sanitize(u).into_owned());
    let mut message = sanitize(&f.title).into_owned();
    if let Some(url) = &url {
        message.push_str(&format!(" ({url})"));
    }
    let mut result = json!({
        "ruleId": check,
        "ruleIndex": index,
        "level": level(&f.severity),
        "message": { "text": cut(&message, MAX_TEXT) },
        "partialFingerprints": {
            FINGERPRINT_KEY: fingerprint(&[check, url.as_deref().unwrap_or(&f.id)]),
        },
        "properties": {
            "finding_id": f.id,
            "severity": f.severity.to_string(),
            "status": f.status.to_string(),
            "domain": f.domain.to_string(),
            "priority_score": f.score(),
            "gate": entry.verdict,
        },
    });
    if let Some(url) = url {
        result["locations"] = json!([{
            "physicalLocation": { "artifactLocation": { "uri": url } }
        }]);
    }
    let suppression = match (entry.verdict, &f.status) {
        (_, FindingStatus::Dismissed) => Some("dismissed in Krafter Audit"),
        (Verdict::Baselined, _) => Some("accepted in the gate's baseline file"),
        _ => None,
    };
    if let Some(why) = suppression {
        result["suppressions"] = json!([{ "kind": "external", "justification": why }]);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::{Asset, Domain, RecommendedFix};

    fn finding(id: &str, check: &str, severity: Severity, status: FindingStatus) -> Finding {
        let mut f = Finding {
            id: id.into(),
            title: format!("Title of {id} | with a pipe\x1b[31m"),
            description: "Why it matters.".into(),
            domain: Domain::Security,
            severity,
            status,
            affected_assets: vec![Asset {
                kind: "url".into(),
                value: format!("https://shop.example/{id}"),
                ..Asset::default()
            }],
            recommended_fix: RecommendedFix {
                summary: "Send the header.".into(),
                steps: vec!["Add it to the server config.".into(), "Deploy.".into()],
                estimated_minutes: Some(15),
                ..RecommendedFix::default()
            },
            ..Finding::default()
        };
        f.extra.insert("check".into(), check.into());
        f
    }

    #[test]
    fn one_rule_per_check_and_one_result_per_finding() {
        let a = finding(
            "a",
            "security.csp_missing",
            Severity::High,
            FindingStatus::New,
        );
        let b = finding(
            "b",
            "security.csp_missing",
            Severity::High,
            FindingStatus::Triaged,
        );
        let c = finding(
            "c",
            "security.hsts_missing",
            Severity::Medium,
            FindingStatus::New,
        );
        let gone = finding("d", "security.x", Severity::Low, FindingStatus::Resolved);
        let log = document(
            "0.1.0",
            [&a, &b, &c, &gone].into_iter().map(Entry::open_counts),
        );
        let run = &log["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[0]["name"], "CspMissing");
        assert!(
            rules[0]["help"]["text"]
                .as_str()
                .unwrap()
                .contains("1. Add it to the server config.")
        );
        assert_eq!(rules[0]["properties"]["security-severity"], "8.0");
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 3, "resolved findings are left out");
        assert_eq!(results[2]["ruleIndex"], 1);
        assert_eq!(results[2]["level"], "warning");
        assert_eq!(
            results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "https://shop.example/a"
        );
        assert!(!log.to_string().contains("\\u001b"), "titles are sanitized");
    }

    #[test]
    fn fingerprints_are_stable_across_runs_and_ids() {
        let first = finding(
            "a",
            "security.csp_missing",
            Severity::High,
            FindingStatus::New,
        );
        let mut again = first.clone();
        again.id = "another-id".into();
        again.affected_assets[0].value = "https://shop.example/a".into();
        let fp = |f: &Finding| {
            document("1", [Entry::open_counts(f)])["runs"][0]["results"][0]["partialFingerprints"]
                [FINGERPRINT_KEY]
                .clone()
        };
        assert_eq!(fp(&first), fp(&again));
    }

    #[test]
    fn dismissed_and_baselined_findings_are_suppressed() {
        let d = finding("a", "k.a", Severity::High, FindingStatus::Dismissed);
        let b = finding("b", "k.b", Severity::High, FindingStatus::New);
        let log = document(
            "1",
            [Entry::open_counts(&d), Entry::new(&b, Verdict::Baselined)],
        );
        for r in log["runs"][0]["results"].as_array().unwrap() {
            assert_eq!(r["suppressions"][0]["kind"], "external");
        }
    }

    #[test]
    fn past_the_limit_the_least_severe_are_left_out() {
        let low = finding("low", "k.low", Severity::Low, FindingStatus::New);
        let high = finding("high", "k.high", Severity::Critical, FindingStatus::New);
        let mut log = SarifLog::new("1");
        for _ in 0..MAX_RESULTS {
            log.add(Entry::open_counts(&low));
        }
        log.add(Entry::open_counts(&high));
        let json = log.finish();
        let results = json["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), MAX_RESULTS);
        assert_eq!(results[0]["ruleId"], "k.high");
        assert_eq!(json["runs"][0]["properties"]["left_out"], 1);
    }
}
