//! `krafter changes --since`: what changed overnight, as a table, JSON or
//! Markdown.

use chrono::Utc;
use color_eyre::eyre::Result;

use crate::cli::{ChangesArgs, ChangesFormat, GlobalArgs, UsageError, exit};
use crate::engine::changes::{ChangeReport, ChangedFinding, collect, parse_since};
use crate::engine::export::markdown::cell;
use crate::journal::{self, Journal};
use crate::sanitize::sanitize;

use super::session::Session;

/// Runs the command.
pub async fn run(global: &GlobalArgs, args: &ChangesArgs) -> Result<i32> {
    let now = Utc::now();
    let since = parse_since(&args.since, now).map_err(UsageError)?;
    let session = Session::open(global)?;
    let report = collect(&session.client, since, now, existing_journal()).await?;
    let text = match args.format {
        ChangesFormat::Table => table(&report),
        ChangesFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
        ChangesFormat::Markdown => markdown(&report),
    };
    super::output::emit(&text)?;
    Ok(exit::OK)
}

/// The local journal when there is one; never creates one (a report must
/// not leave files behind), and a journal that cannot be opened only costs
/// its section.
pub fn existing_journal() -> Option<Journal> {
    let dir = crate::config::paths::data_dir()?;
    match Journal::open_existing(&journal::default_path(&dir)) {
        Ok(None) => None,
        Ok(Some(opened)) => {
            if let Some(aside) = &opened.set_aside {
                eprintln!("krafter: warning: {aside}");
            }
            Some(opened.journal)
        }
        Err(e) => {
            eprintln!("krafter: warning: {e}; status changes made through krafter are left out");
            None
        }
    }
}

fn number(n: Option<f64>) -> String {
    n.map_or("?".to_string(), |n| format!("{n:.0}"))
}

/// `risk 400 on 2025-06-14 → 310 now (2025-06-15); health score 71`.
fn health_line(report: &ChangeReport) -> String {
    let h = &report.health;
    let to = format!(
        "{} now ({})",
        number(h.to.open_risk_score),
        sanitize(h.to.date.as_deref().unwrap_or("?"))
    );
    let from = match &h.from {
        Some(p) => format!(
            "open risk {} on {}",
            number(p.open_risk_score),
            sanitize(p.date.as_deref().unwrap_or("?"))
        ),
        None => "open risk at the start unknown".to_string(),
    };
    let score =
        h.to.health_score
            .map_or(String::new(), |s| format!("; health score {s} now"));
    format!("{from} → {to}{score}")
}

fn finding_line(f: &ChangedFinding) -> String {
    let severity = crate::api::model::Severity::parse(&f.severity);
    format!(
        "  {} {:<8}  {:<12}  {}  {}{}\n",
        severity.symbol(),
        sanitize(&f.severity),
        sanitize(&f.status),
        sanitize(f.at.as_deref().unwrap_or("?")),
        sanitize(&f.title),
        f.url
            .as_deref()
            .map(|u| format!("  {}", sanitize(u)))
            .unwrap_or_default()
    )
}

/// The text report, section by section.
pub fn table(report: &ChangeReport) -> String {
    let mut out = format!(
        "Changes from {} to {}\nRisk: {}\n",
        report.since,
        report.until,
        health_line(report)
    );
    let sections = [
        ("New", &report.new),
        ("Resolved", &report.resolved),
        ("Dismissed", &report.dismissed),
    ];
    for (name, list) in sections {
        out.push_str(&format!("\n{name} ({})\n", list.len()));
        for f in list {
            out.push_str(&finding_line(f));
        }
    }
    match &report.regressed {
        Some(list) => {
            out.push_str(&format!("\nRegressed ({})\n", list.len()));
            for r in list {
                let what = r.title.as_deref().unwrap_or(&r.finding_id);
                out.push_str(&format!(
                    "  {}  {}  ({})\n",
                    sanitize(r.detected_at.as_deref().unwrap_or("?")),
                    sanitize(what),
                    sanitize(&r.status)
                ));
            }
        }
        None => out.push_str("\nRegressed: not offered by this service\n"),
    }
    match &report.status_changes {
        Some(list) => {
            out.push_str(&format!(
                "\nStatus changes through krafter ({})\n",
                list.len()
            ));
            for c in list {
                out.push_str(&format!(
                    "  {}  {} → {}  {}  (job {})\n",
                    sanitize(&c.at),
                    sanitize(&c.from),
                    sanitize(&c.to),
                    sanitize(&c.title),
                    sanitize(c.job_id.get(..8).unwrap_or(&c.job_id))
                ));
            }
        }
        None => out.push_str("\nStatus changes through krafter: no local journal\n"),
    }
    for note in &report.notes {
        out.push_str(&format!("note: {}\n", sanitize(note)));
    }
    out
}

fn markdown_findings(out: &mut String, name: &str, list: &[ChangedFinding]) {
    out.push_str(&format!("\n#### {name} ({})\n\n", list.len()));
    if list.is_empty() {
        out.push_str("_None._\n");
        return;
    }
    out.push_str("| Severity | Status | When | Title | URL |\n|---|---|---|---|---|\n");
    for f in list {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            cell(&f.severity),
            cell(&f.status),
            cell(f.at.as_deref().unwrap_or("?")),
            cell(&crate::engine::export::cut(&f.title, 80)),
            cell(f.url.as_deref().unwrap_or(""))
        ));
    }
}

/// The report in Markdown, e.g. for a morning summary in a chat.
pub fn markdown(report: &ChangeReport) -> String {
    let mut out = format!(
        "### Changes since {}\n\n{}\n",
        cell(&report.since),
        cell(&health_line(report))
    );
    markdown_findings(&mut out, "New", &report.new);
    markdown_findings(&mut out, "Resolved", &report.resolved);
    markdown_findings(&mut out, "Dismissed", &report.dismissed);
    match &report.regressed {
        Some(list) => {
            out.push_str(&format!("\n#### Regressed ({})\n\n", list.len()));
            for r in list {
                out.push_str(&format!(
                    "- {} {}\n",
                    cell(r.detected_at.as_deref().unwrap_or("?")),
                    cell(r.title.as_deref().unwrap_or(&r.finding_id))
                ));
            }
        }
        None => out.push_str("\n_Regressions are not offered by this service._\n"),
    }
    if let Some(list) = &report.status_changes {
        out.push_str(&format!(
            "\n#### Status changes through krafter ({})\n\n",
            list.len()
        ));
        for c in list {
            out.push_str(&format!(
                "- {} {} → {}: {}\n",
                cell(&c.at),
                cell(&c.from),
                cell(&c.to),
                cell(&c.title)
            ));
        }
    }
    for note in &report.notes {
        out.push_str(&format!("\n_Note: {}_\n", cell(note)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::changes::{HealthChange, HealthPoint};

    fn report() -> ChangeReport {
        ChangeReport {
            since: "2025-06-14T12:00:00Z".into(),
            until: "2025-06-15T12:00:00Z".into(),
            new: vec![ChangedFinding {
                id: "a".into(),
                title: "Cookie | without Secure\x1b[2J".into(),
                severity: "critical".into(),
                status: "new".into(),
                domain: "security".into(),
                check: "security.cookie_insecure".into(),
                url: Some("https://shop.example/".into()),
                at: Some("2025-06-15T02:00:00Z".into()),
            }],
            health: HealthChange {
                from: Some(HealthPoint {
                    date: Some("2025-06-14".into()),
                    open_risk_score: Some(400.0),
                    health_score: None,
                }),
                to: HealthPoint {
                    date: Some("2025-06-15".into()),
                    open_risk_score: Some(310.0),
                    health_score: Some(71),
                },
            },
            ..ChangeReport::default()
        }
    }

    #[test]
    fn table_lists_each_section_and_the_risk() {
        let out = table(&report());
        assert!(
            out.contains(
                "Risk: open risk 400 on 2025-06-14 → 310 now (2025-06-15); health score 71 now"
            ),
            "{out}"
        );
        assert!(out.contains("New (1)\n  ‼ critical"), "{out}");
        assert!(out.contains("Regressed: not offered"), "{out}");
        assert!(out.contains("no local journal"));
        assert!(!out.contains('\x1b'));
    }

    #[test]
    fn markdown_escapes_cells() {
        let out = markdown(&report());
        assert!(out.contains("Cookie \\| without Secure"), "{out}");
        assert!(out.contains("#### Resolved (0)\n\n_None._"), "{out}");
    }
}
