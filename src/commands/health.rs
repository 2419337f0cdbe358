//! `krafter health`: the command center, with `--fail-under` for CI.

use color_eyre::eyre::{Result, eyre};

use crate::api::model::CommandCenter;
use crate::cli::{GlobalArgs, HealthArgs, RecordFormat, exit};

use super::layout::{Column, output_width, render_table};
use super::session::Session;

/// Runs the command.
pub async fn run(global: &GlobalArgs, args: &HealthArgs) -> Result<i32> {
    let session = Session::open(global)?;
    // JSON is written as the server sent it: its key order, and integers
    // stay integers (the typed view holds percentages as floats).
    let sent = session.client.command_center_as_sent().await?;
    let center = &sent.typed;
    let text = match args.format {
        RecordFormat::Json => serde_json::to_string_pretty(&sent.raw)? + "\n",
        RecordFormat::Table => render(center, output_width()),
    };
    super::output::emit(&text)?;
    exit_code(center, args.fail_under)
}

/// 3 when the score is under `fail_under`; an error when the server sent no
/// score to compare.
pub fn exit_code(center: &CommandCenter, fail_under: Option<i64>) -> Result<i32> {
    let Some(threshold) = fail_under else {
        return Ok(exit::OK);
    };
    let score = center.health_score.ok_or_else(|| {
        eyre!("the service sent no health_score, so --fail-under {threshold} cannot be checked")
    })?;
    if score < threshold {
        eprintln!("krafter: health score {score} is below {threshold}");
        Ok(exit::HEALTH_BELOW)
    } else {
        Ok(exit::OK)
    }
}

fn number(n: Option<i64>) -> String {
    n.map(|n| n.to_string()).unwrap_or_else(|| "?".into())
}

fn pct(n: Option<f64>) -> String {
    n.map(|n| format!("{n:.0}%")).unwrap_or_else(|| "?".into())
}

/// The command center as text.
pub fn render(center: &CommandCenter, width: usize) -> String {
    let clean =
        |s: &Option<String>| crate::sanitize::sanitize(s.as_deref().unwrap_or("?")).into_owned();
    let mut out = String::new();
    out.push_str(&format!(
        "Health score  {} / 100\nUnresolved    {}\nCritical      {}\nPeriod        {} to {}\n",
        number(center.health_score),
        number(center.unresolved_findings),
        number(center.critical_findings),
        clean(&center.period.from),
        clean(&center.period.to),
    ));
    let impact = &center.expected_impact;
    out.push_str(&format!(
        "Fixing the top priorities: security risk -{}, Core Web Vitals +{}, regression risk -{}\n\n",
        pct(impact.security_risk_reduction_pct),
        pct(impact.cwv_improvement_pct),
        pct(impact.regression_risk_pct),
    ));
    if center.top_priorities.is_empty() {
        out.push_str("No unresolved findings.\n");
        return out;
    }
    out.push_str("Top priorities\n");
    let columns = [
        Column::fixed("SCORE", 5),
        Column::fixed("SEVERITY", 12),
        Column::fixed("STATUS", 12).droppable(2),
        Column::fixed("DOMAIN", 13).droppable(3),
        Column::flex("TITLE", 30),
        Column::fixed("ID", 36).droppable(1),
    ];
    let rows: Vec<Vec<String>> = center
        .top_priorities
        .iter()
        .map(|p| {
            vec![
                number(p.priority.score),
                format!("{} {}", p.severity.symbol(), p.severity),
                p.status.to_string(),
                p.domain.to_string(),
                p.title.clone(),
                p.id.clone(),
            ]
        })
        .collect();
    out.push_str(&render_table(&columns, &rows, width));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn golden() -> CommandCenter {
        serde_json::from_value(serde_json::json!({
            "org_id": "11111111-1111-1111-1111-111111111111",
            "project_id": "production-website",
            "period": { "from": "2025-06-09", "to": "2025-06-15" },
            "health_score": 67, "unresolved_findings": 11, "critical_findings": 2,
            "top_priorities": [{
                "id": "d4e5f6a7-8b9c-0d1e-2f3a-4b5c6d7e8f9a",
                "title": "Missing Content-Security-Policy header\u{1b}[31m",
                "severity": "critical", "status": "new", "domain": "security",
                "priority": { "impact": 80, "effort": 20, "risk": 90, "score": 88 }
            }],
            "expected_impact": { "cwv_improvement_pct": 14, "security_risk_reduction_pct": 27, "regression_risk_pct": 16 }
        }))
        .unwrap()
    }

    #[test]
    fn table_shows_score_counts_and_priorities() {
        let text = render(&golden(), 120);
        assert!(text.contains("Health score  67 / 100"), "{text}");
        assert!(text.contains("Critical      2"));
        assert!(text.contains("security risk -27%"));
        assert!(text.contains("‼ critical"));
        assert!(text.contains("Missing Content-Security-Policy header"));
        assert!(!text.contains('\x1b'));
    }

    #[test]
    fn fail_under_exits_3_only_below_the_threshold() {
        let c = golden();
        assert_eq!(exit_code(&c, Some(68)).unwrap(), exit::HEALTH_BELOW);
        assert_eq!(exit_code(&c, Some(67)).unwrap(), exit::OK);
        assert_eq!(exit_code(&c, None).unwrap(), exit::OK);
        let blank = CommandCenter::default();
        assert!(exit_code(&blank, Some(50)).is_err());
    }
}
