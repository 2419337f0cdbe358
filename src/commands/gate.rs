//! `krafter gate`: a release gate for CI. Exit 0 when nothing counts, 3
//! when open findings at or above `--fail-on` remain, 1 on any error (so an
//! error never looks like a pass or a fail), 2 on a usage error.

use color_eyre::eyre::{Result, WrapErr};
use serde_json::json;

use crate::api::model::{Finding, FindingQuery, Severity};
use crate::api::paginate::fetch_all_findings;
use crate::cli::{FailOn, GateArgs, GateFormat, GlobalArgs, exit};
use crate::engine::export::{Entry, junit, markdown, sarif};
use crate::engine::gate::{Baseline, GateReport, GateRule, Verdict, check_key};
use crate::sanitize::sanitize;

use super::layout::{Column, output_width, render_table};
use super::session::Session;

/// The severity a `--fail-on` names.
pub fn severity_of(fail_on: FailOn) -> Severity {
    match fail_on {
        FailOn::Critical => Severity::Critical,
        FailOn::High => Severity::High,
        FailOn::Medium => Severity::Medium,
        FailOn::Low => Severity::Low,
    }
}

/// Runs the command.
pub async fn run(global: &GlobalArgs, args: &GateArgs) -> Result<i32> {
    let domain = args
        .domain
        .as_deref()
        .map(super::filters::domain)
        .transpose()?;
    // A bad baseline is found before any request is spent.
    let baseline = args.baseline.as_deref().map(Baseline::read).transpose()?;
    let session = Session::open(global)?;
    let query = FindingQuery {
        domain,
        ..FindingQuery::default()
    };
    let findings = fetch_all_findings(&session.client, &query, 100, |_| {})
        .await
        .wrap_err("the findings could not be read, so the gate was not checked")?;
    if let Some(path) = &args.write_baseline {
        let written = Baseline::of(&findings);
        written.write(path)?;
        eprintln!(
            "krafter: wrote a baseline of {} open finding(s) to {}; pass it with --baseline",
            written.findings.len(),
            path.display()
        );
        return Ok(exit::OK);
    }
    let rule = GateRule {
        fail_on: severity_of(args.fail_on),
    };
    let report = GateReport::judge(rule, &findings, baseline.as_ref());
    let text = match args.format {
        GateFormat::Text => text(&report, output_width()),
        GateFormat::Json => serde_json::to_string_pretty(&to_json(&report))? + "\n",
        GateFormat::Markdown => summary(&report),
        GateFormat::Sarif => {
            let entries = report.entries.iter().map(|(f, v)| Entry::new(f, *v));
            serde_json::to_string_pretty(&sarif::document(env!("CARGO_PKG_VERSION"), entries))?
                + "\n"
        }
        GateFormat::Junit => {
            let entries = report.entries.iter().map(|(f, v)| Entry::new(f, *v));
            junit::document("krafter gate", entries, |e| why(e.finding, &report.rule))
        }
    };
    super::output::emit(&text)?;
    if report.passed() {
        Ok(exit::OK)
    } else {
        if args.format != GateFormat::Text {
            eprintln!("krafter: gate failed: {}", headline(&report));
        }
        Ok(exit::GATE_FAILED)
    }
}

/// Why a finding counts, in one phrase.
fn why(f: &Finding, rule: &GateRule) -> String {
    format!(
        "{} finding open ({}), at or above --fail-on {}",
        sanitize(f.severity.as_str()),
        sanitize(f.status.as_str()),
        rule.fail_on
    )
}

/// `3 open findings at high or above count` / `nothing open at high or above`.
fn headline(report: &GateReport<'_>) -> String {
    let at = &report.rule.fail_on;
    match report.count(Verdict::Counts) {
        0 => format!("nothing open at {at} or above counts"),
        1 => format!("1 open finding at {at} or above counts"),
        n => format!("{n} open findings at {at} or above count"),
    }
}

/// What was not counted, and why.
fn not_counted(report: &GateReport<'_>) -> String {
    format!(
        "not counted: {} in the baseline, {} below {}, {} dismissed or resolved",
        report.count(Verdict::Baselined),
        report.count(Verdict::Below),
        report.rule.fail_on,
        report.count(Verdict::Closed)
    )
}

/// The text output: the verdict, what counted and why, what did not.
pub fn text(report: &GateReport<'_>, width: usize) -> String {
    let word = if report.passed() { "passed" } else { "FAILED" };
    let mut out = format!("gate {word}: {}\n", headline(report));
    if !report.passed() {
        out.push_str(&format!(
            "counted (open: new, triaged, in_progress or ready_verify; {} or above; not in a baseline):\n",
            report.rule.fail_on
        ));
        let columns = [
            Column::fixed("SEVERITY", 10),
            Column::fixed("STATUS", 12).droppable(2),
            Column::fixed("CHECK", 32).droppable(3),
            Column::flex("TITLE", 24),
            Column::flex("URL", 16).droppable(1),
        ];
        let rows: Vec<Vec<String>> = report
            .counted()
            .map(|f| {
                vec![
                    format!("{} {}", f.severity.symbol(), f.severity),
                    f.status.to_string(),
                    check_key(f),
                    f.title.clone(),
                    f.primary_url().unwrap_or("").to_string(),
                ]
                .into_iter()
                .map(|cell| sanitize(&cell).into_owned())
                .collect()
            })
            .collect();
        out.push_str(&render_table(&columns, &rows, width));
    }
    out.push_str(&not_counted(report));
    out.push('\n');
    out
}

/// The JSON output.
pub fn to_json(report: &GateReport<'_>) -> serde_json::Value {
    let findings: Vec<serde_json::Value> = report
        .entries
        .iter()
        .filter(|(_, v)| *v != Verdict::Closed)
        .map(|(f, v)| {
            json!({
                "id": f.id,
                "check": check_key(f),
                "title": f.title,
                "severity": f.severity,
                "status": f.status,
                "domain": f.domain,
                "url": f.primary_url(),
                "verdict": v,
            })
        })
        .collect();
    json!({
        "passed": report.passed(),
        "fail_on": report.rule.fail_on,
        "counts": {
            "counted": report.count(Verdict::Counts),
            "baselined": report.count(Verdict::Baselined),
            "below": report.count(Verdict::Below),
            "closed": report.count(Verdict::Closed),
        },
        "findings": findings,
    })
}

/// The Markdown output: a summary table by severity for a CI job summary,
/// then the findings that count.
pub fn summary(report: &GateReport<'_>) -> String {
    let (mark, word) = if report.passed() {
        ("✅", "passed")
    } else {
        ("❌", "failed")
    };
    let mut out = format!(
        "### {mark} krafter gate {word}\n\n{} (`--fail-on {}`).\n\n",
        headline(report),
        report.rule.fail_on
    );
    out.push_str("| Severity | Counts | In baseline | Below threshold | Dismissed or resolved |\n");
    out.push_str("|---|---:|---:|---:|---:|\n");
    for severity in Severity::KNOWN {
        let n = |verdict: Verdict| {
            report
                .entries
                .iter()
                .filter(|(f, v)| f.severity == *severity && *v == verdict)
                .count()
        };
        out.push_str(&format!(
            "| {} {} | {} | {} | {} | {} |\n",
            severity.symbol(),
            severity,
            n(Verdict::Counts),
            n(Verdict::Baselined),
            n(Verdict::Below),
            n(Verdict::Closed)
        ));
    }
    if !report.passed() {
        out.push_str("\n#### Findings that count\n\n");
        out.push_str(&markdown::table(
            report
                .entries
                .iter()
                .filter(|(_, v)| *v == Verdict::Counts)
                .map(|(f, v)| Entry::new(f, *v)),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::FindingStatus;

    fn f(id: &str, severity: Severity, status: FindingStatus) -> Finding {
        Finding {
            id: id.into(),
            title: format!("Title {id} | \x1b[31mred"),
            severity,
            status,
            ..Finding::default()
        }
    }

    fn findings() -> Vec<Finding> {
        vec![
            f("a", Severity::Critical, FindingStatus::New),
            f("b", Severity::Low, FindingStatus::New),
            f("c", Severity::High, FindingStatus::Dismissed),
        ]
    }

    #[test]
    fn text_says_what_counted_and_why() {
        let all = findings();
        let rule = GateRule {
            fail_on: Severity::High,
        };
        let report = GateReport::judge(rule, &all, None);
        let out = text(&report, 120);
        assert!(
            out.starts_with("gate FAILED: 1 open finding at high or above counts"),
            "{out}"
        );
        assert!(out.contains("‼ critical"));
        assert!(
            out.contains("not counted: 0 in the baseline, 1 below high, 1 dismissed or resolved")
        );
        assert!(!out.contains('\x1b'));
    }

    #[test]
    fn markdown_is_a_summary_table() {
        let all = findings();
        let rule = GateRule {
            fail_on: Severity::Critical,
        };
        let report = GateReport::judge(rule, &all, None);
        let out = summary(&report);
        assert!(out.contains("### ❌ krafter gate failed"), "{out}");
        assert!(out.contains("| ‼ critical | 1 | 0 | 0 | 0 |"), "{out}");
        assert!(out.contains("| ▲ high | 0 | 0 | 0 | 1 |"), "{out}");
        assert!(out.contains("Title a \\| "), "{out}");
    }

    #[test]
    fn json_counts_every_verdict() {
        let all = findings();
        let rule = GateRule {
            fail_on: Severity::Low,
        };
        let report = GateReport::judge(rule, &all, None);
        let json = to_json(&report);
        assert_eq!(json["passed"], false);
        assert_eq!(json["counts"]["counted"], 2);
        assert_eq!(json["counts"]["closed"], 1);
        assert_eq!(json["findings"].as_array().unwrap().len(), 2);
    }
}
