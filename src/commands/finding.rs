//! `krafter finding ID`: one finding in full, with the moves it allows.

use color_eyre::eyre::Result;

use crate::api::enums::FindingStatus;
use crate::api::model::Finding;
use crate::api::transitions::{RESOLVED_EXPLANATION, finding_targets};
use crate::cli::{FindingArgs, GlobalArgs, HealthFormat, exit};
use crate::sanitize::sanitize;

use super::Session;
use super::layout::{output_width, wrap};

/// Runs the command.
pub async fn run(global: &GlobalArgs, args: &FindingArgs) -> Result<i32> {
    let session = Session::open(global)?;
    let finding = session.client.get_finding_as_sent(args.id.trim()).await?;
    let text = match args.format {
        HealthFormat::Json => serde_json::to_string_pretty(&finding.raw)? + "\n",
        HealthFormat::Table => render(
            &finding.typed,
            session.resolved.me.as_deref(),
            output_width(),
        ),
    };
    super::emit(&text)?;
    Ok(exit::OK)
}

/// The legal next statuses, as `triaged, dismissed`, or why there are none.
pub fn next_statuses(status: &FindingStatus) -> String {
    let targets = finding_targets(status);
    match status {
        FindingStatus::Resolved => {
            "none by hand (resolved; a scan that finds it again reopens it)".to_string()
        }
        FindingStatus::Other(raw) => {
            format!(
                "unknown (status `{}` is not one this version of krafter knows)",
                sanitize(raw)
            )
        }
        _ => targets
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// One finding as text `width` columns wide.
pub fn render(f: &Finding, me: Option<&str>, width: usize) -> String {
    let s = |text: &str| sanitize(text).into_owned();
    let n = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_else(|| "?".into());
    let mut lines: Vec<String> = Vec::new();
    lines.extend(wrap(&f.title, width, 0));
    lines.push(String::new());
    lines.push(format!("ID          {}", s(&f.id)));
    lines.push(format!(
        "Severity    {} {}    Status {}    Domain {}",
        f.severity.symbol(),
        s(f.severity.as_str()),
        s(f.status.as_str()),
        s(f.domain.as_str())
    ));
    lines.push(format!(
        "Priority    score {} (impact {}, effort {}, risk {})",
        n(f.priority.score),
        n(f.priority.impact),
        n(f.priority.effort),
        n(f.priority.risk)
    ));
    if let Some(c) = f.confidence {
        lines.push(format!("Confidence  {:.0}%", c * 100.0));
    }
    lines.push(format!(
        "Owner       {}",
        match f.owner_id.as_deref() {
            None => "unassigned".to_string(),
            Some(o) if Some(o) == me => format!("{} (me)", s(o)),
            Some(o) => s(o),
        }
    ));
    if let Some(t) = f.created_at.as_ref().or(f.inserted_at.as_ref()) {
        lines.push(format!("Created     {}", s(t.raw())));
    }
    if let Some(t) = &f.updated_at {
        lines.push(format!("Updated     {}", s(t.raw())));
    }
    if !f.description.trim().is_empty() {
        lines.push(String::new());
        lines.push("Description".into());
        lines.extend(wrap(&f.description, width, 2));
    }
    if !f.affected_assets.is_empty() {
        lines.push(String::new());
        lines.push("Affected assets".into());
        for a in &f.affected_assets {
            lines.extend(wrap(&format!("{}: {}", a.kind, a.value), width, 2));
        }
    }
    if !f.evidence.is_empty() {
        lines.push(String::new());
        lines.push("Evidence".into());
        for e in &f.evidence {
            let label = e
                .label
                .as_deref()
                .or(e.kind.as_deref())
                .unwrap_or("evidence");
            let value = e.value.as_deref().unwrap_or("(none)");
            lines.extend(wrap(&format!("{label}: {value}"), width, 2));
        }
    }
    let fix = &f.recommended_fix;
    lines.push(String::new());
    lines.push(match fix.estimated_minutes {
        Some(m) => format!("Recommended fix (about {m} min)"),
        None => "Recommended fix".into(),
    });
    if !fix.summary.trim().is_empty() {
        lines.extend(wrap(&fix.summary, width, 2));
    }
    for (i, step) in fix.steps.iter().enumerate() {
        let mut wrapped = wrap(step, width, 6).into_iter();
        if let Some(first) = wrapped.next() {
            lines.push(format!("  {:>2}. {}", i + 1, first.trim_start()));
        }
        lines.extend(wrapped);
    }
    lines.push(String::new());
    lines.push(format!("Next statuses  {}", next_statuses(&f.status)));
    if f.status != FindingStatus::Resolved {
        let how = format!(
            "Resolved: {RESOLVED_EXPLANATION} Once the fix is shipped: krafter verify {} --approve",
            sanitize(&f.id)
        );
        lines.extend(wrap(&how, width, 2));
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
        let text = render(
            &finding(),
            Some("22222222-2222-2222-2222-222222222222"),
            100,
        );
        assert!(
            text.contains("   1. Configure CSP at the reverse proxy"),
            "{text}"
        );
        assert!(text.contains("   3. Relax as needed"));
        assert!(text.contains("Recommended fix (about 60 min)"));
        assert!(text.contains("score 88 (impact 80, effort 20, risk 90)"));
        assert!(text.contains("url: https://example.com"));
        assert!(text.contains("content-security-policy: (absent)"));
        assert!(text.contains("Next statuses  new, in_progress, dismissed"));
        assert!(text.contains("(me)"));
        assert!(text.contains("verification"));
        assert!(!text.contains('\x1b'));
    }

    #[test]
    fn resolved_and_unknown_statuses_offer_no_move() {
        assert!(next_statuses(&FindingStatus::Resolved).starts_with("none by hand"));
        assert!(next_statuses(&FindingStatus::Other("frozen".into())).contains("frozen"));
    }
}
