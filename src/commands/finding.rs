//! `krafter finding ID`: one finding in full, with the moves it allows.

use color_eyre::eyre::Result;

use crate::api::model::Finding;
use crate::cli::{FindingArgs, GlobalArgs, RecordFormat, exit};
use crate::engine::people::People;
use crate::engine::present::{FindingView, history_line};
use crate::journal::HistoryEntry;
use crate::sanitize::sanitize;

use super::layout::{output_width, wrap};
use super::session::Session;

/// Runs the command.
pub async fn run(global: &GlobalArgs, args: &FindingArgs) -> Result<i32> {
    let session = Session::open(global)?;
    let finding = session.client.get_finding_as_sent(args.id.trim()).await?;
    let text = match args.format {
        RecordFormat::Json => serde_json::to_string_pretty(&finding.raw)? + "\n",
        RecordFormat::Table => {
            let people = &session.resolved.people;
            let width = output_width();
            let mut text = render(&finding.typed, people, width);
            let c = &session.resolved.client;
            if let Some(journal) = super::changes::existing_journal() {
                match journal.history(&c.org_id, &c.project_id, &finding.typed.id) {
                    Ok(entries) => text.push_str(&history(&entries, people, width)),
                    Err(e) => eprintln!("krafter: warning: {e}; the local history is left out"),
                }
            }
            text
        }
    };
    super::output::emit(&text)?;
    Ok(exit::OK)
}

/// The finding's local history (bulk changes made through krafter on this
/// machine, with their reason and comment, which the API has no field for),
/// or nothing when there is none.
pub fn history(entries: &[HistoryEntry], people: &People, width: usize) -> String {
    if entries.is_empty() {
        return String::new();
    }
    let mut lines = vec![String::new(), "History on this machine".to_string()];
    for e in entries {
        lines.extend(wrap(&history_line(e, people), width, 2));
    }
    lines.join("\n") + "\n"
}

/// One finding as text `width` columns wide: the facts of
/// [`FindingView`], laid out for a terminal or a file.
pub fn render(f: &Finding, people: &People, width: usize) -> String {
    let v = FindingView::of(f, people);
    let mut lines: Vec<String> = Vec::new();
    lines.extend(wrap(&v.title, width, 0));
    lines.push(String::new());
    for row in &v.facts {
        let mut line = String::new();
        for (i, (label, value)) in row.iter().enumerate() {
            if i == 0 {
                let head = format!("{label}  ");
                line.push_str(&format!("{head:<12}{value}"));
            } else {
                line.push_str(&format!("    {label} {value}"));
            }
        }
        // Aligned columns survive when the line fits; wrapping would fold
        // their spaces.
        if super::layout::width(&line) <= width {
            lines.push(line);
        } else {
            lines.extend(wrap(&line, width, 0));
        }
    }
    if let Some(how) = &v.how_to_resolve {
        let how = format!(
            "{how} Once the fix is shipped: krafter verify {} --approve",
            sanitize(&f.id)
        );
        lines.extend(wrap(&how, width, 2));
    }
    if !v.description.is_empty() {
        lines.push(String::new());
        lines.push("Description".into());
        lines.extend(wrap(&v.description, width, 2));
    }
    lines.push(String::new());
    lines.push(v.fix_heading.clone());
    if !v.fix_summary.is_empty() {
        lines.extend(wrap(&v.fix_summary, width, 2));
    }
    for (i, step) in v.fix_steps.iter().enumerate() {
        let mut wrapped = wrap(step, width, 6).into_iter();
        if let Some(first) = wrapped.next() {
            lines.push(format!("  {:>2}. {}", i + 1, first.trim_start()));
        }
        lines.extend(wrapped);
    }
    for (heading, items) in [("Affected assets", &v.assets), ("Evidence", &v.evidence)] {
        if items.is_empty() {
            continue;
        }
        lines.push(String::new());
        lines.push(heading.into());
        for item in items {
            lines.extend(wrap(item, width, 2));
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding() -> Finding {
        serde_json::from_value(serde_json::json!({
            "id": "d4e5f6a7-8b9c-0d1e-2f3a-4b5c6d7e8f9a", "domain": "security",
            "title": "Missing Content-Security-Policy header",
            "description": "The application does not set a\u{1b}[8m Content-Security-Policy header.",
            "severity": "critical", "status": "triaged", "confidence": 0.95,
            "priority": { "impact": 80, "effort": 20, "risk": 90, "score": 88 },
            "owner_id": "22222222-2222-2222-2222-222222222222",
            "affected_assets": [{ "type": "url", "value": "https://example.com" }],
            "evidence": [{ "type": "header", "label": "content-security-policy", "value": "(absent)" }],
            "recommended_fix": {
                "summary": "Add a Content-Security-Policy header to all responses.",
                "steps": ["Configure CSP at the reverse proxy", "Start with a restrictive policy", "Relax as needed"],
                "estimated_minutes": 60
            },
            "created_at": "2025-06-15T10:05:00Z"
        }))
        .unwrap()
    }

    #[test]
    fn detail_numbers_steps_and_lists_moves() {
        let people = People::new(
            Vec::new(),
            Some("22222222-2222-2222-2222-222222222222".into()),
        );
        let text = render(&finding(), &people, 100);
        assert!(
            text.contains("   1. Configure CSP at the reverse proxy"),
            "{text}"
        );
        assert!(text.contains("   3. Relax as needed"));
        assert!(text.contains("Recommended fix (about 60 min)"));
        assert!(text.contains("score 88 (impact 80, effort 20, risk 90)"));
        assert!(text.contains("url: https://example.com"));
        assert!(text.contains("content-security-policy: (absent)"));
        assert!(
            text.contains("Next statuses  new, in_progress, dismissed"),
            "{text}"
        );
        assert!(text.contains("(me)"));
        assert!(text.contains("verification"));
        assert!(!text.contains('\x1b'));
    }
}
