//! `krafter report`: the 7-day risk burn-down, the verification pass rate,
//! the regression rate and the open findings (contract 5.7).

use color_eyre::eyre::Result;

use crate::api::model::{AsSent, ReportSummary};
use crate::cli::{GlobalArgs, RecordFormat, ReportArgs, exit};
use crate::sanitize::sanitize;

use super::session::Session;

/// The longest bar of the burn-down, in characters.
const BAR: usize = 40;

/// Runs the command.
pub async fn run(global: &GlobalArgs, args: &ReportArgs) -> Result<i32> {
    let session = Session::open(global)?;
    let report: AsSent<ReportSummary> = session.client.report_summary_as().await?;
    let text = match args.format {
        RecordFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
        RecordFormat::Table => render(&report.typed),
    };
    super::output::emit(&text)?;
    Ok(exit::OK)
}

/// The figures, then one line a day: date, score and a bar.
pub fn render(r: &ReportSummary) -> String {
    let pct = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{:.0}%", v * 100.0));
    let mut out = format!(
        "open findings            {}\nverification pass rate   {}\nregression rate          {}\n\n",
        r.open_findings.map_or("-".to_string(), |n| n.to_string()),
        pct(r.verification_pass_rate),
        pct(r.regression_rate)
    );
    out.push_str(
        "risk burn-down (open risk score: the sum of the open findings' priority scores)\n",
    );
    let max = r
        .risk_burn_down
        .iter()
        .filter_map(|p| p.open_risk_score)
        .fold(0.0_f64, f64::max);
    for p in &r.risk_burn_down {
        let score = p.open_risk_score.unwrap_or(0.0).max(0.0);
        let len = if max > 0.0 {
            ((score / max) * BAR as f64).round() as usize
        } else {
            0
        };
        out.push_str(&format!(
            "{:<10}  {:>6.0}  {}\n",
            sanitize(p.date.as_deref().unwrap_or("?")),
            score,
            "█".repeat(len)
        ));
    }
    if r.risk_burn_down.is_empty() {
        out.push_str("(the service sent no points)\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_and_one_bar_a_day() {
        let r: ReportSummary = serde_json::from_value(serde_json::json!({
            "risk_burn_down": [
                {"date": "2025-06-14", "open_risk_score": 200},
                {"date": "2025-06-15", "open_risk_score": 100}
            ],
            "verification_pass_rate": 0.75, "regression_rate": 0.04, "open_findings": 12
        }))
        .unwrap();
        let text = render(&r);
        assert!(text.contains("open findings            12"), "{text}");
        assert!(text.contains("verification pass rate   75%"), "{text}");
        assert!(text.contains("regression rate          4%"), "{text}");
        let day = |d: &str| text.lines().find(|l| l.starts_with(d)).unwrap().to_string();
        assert_eq!(day("2025-06-14").matches('█').count(), BAR);
        assert_eq!(day("2025-06-15").matches('█').count(), BAR / 2);
    }
}
