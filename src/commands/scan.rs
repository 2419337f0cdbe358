//! `krafter scan URL [--wait]`: start a scan and, optionally, follow it.

use std::time::{Duration, Instant};

use color_eyre::eyre::{Result, eyre};

use crate::api::enums::{ScanStatus, ScanTrigger};
use crate::api::model::{Scan, ScanRequest};
use crate::cli::{GlobalArgs, HealthFormat, ScanArgs, exit};
use crate::sanitize::sanitize;

use super::progress::{ProgressLine, human_duration};
use super::{Session, UsageError};

/// Runs the command.
pub async fn run(global: &GlobalArgs, args: &ScanArgs) -> Result<i32> {
    let trigger = ScanTrigger::parse_known(args.trigger.trim()).ok_or_else(|| {
        UsageError(format!(
            "unknown trigger `{}`; use one of: manual, scheduled, post_deploy",
            args.trigger
        ))
    })?;
    let resolved = super::resolve(global)?;
    super::ensure_writable(&resolved, "start a scan")?;
    let session = Session::connect(resolved)?;
    let request = ScanRequest {
        url: args.url.trim().to_string(),
        trigger,
    };
    // JSON is written as the server sent it, so the typed view and the
    // raw answer travel together.
    let sent = session.client.run_scan_as_sent(&request).await?;
    let (mut scan, mut raw) = (sent.typed, sent.raw);
    if !args.wait {
        super::emit(&render(&scan, &raw, args.format)?)?;
        return Ok(exit::OK);
    }
    let mut progress = ProgressLine::new("scan");
    let deadline = Instant::now() + Duration::from_secs(args.timeout);
    let mut attempt = 0;
    while !scan.status.is_finished() {
        progress.show(&format!(
            "scan {} {} ({})",
            sanitize(&scan.id),
            sanitize(scan.status.as_str()),
            human_duration(progress.elapsed())
        ));
        let delay = poll_delay(attempt);
        if Instant::now() + delay > deadline {
            progress.finish();
            return Err(eyre!(
                "scan {} is still {} after {}s; it goes on: check it later or wait longer with --timeout",
                scan.id,
                scan.status,
                args.timeout
            ));
        }
        tokio::time::sleep(delay).await;
        attempt += 1;
        let sent = session.client.get_scan_as_sent(&scan.id).await?;
        (scan, raw) = (sent.typed, sent.raw);
    }
    progress.finish();
    super::emit(&render(&scan, &raw, args.format)?)?;
    if scan.status == ScanStatus::Failed {
        eprintln!(
            "krafter: scan {} failed: {}",
            sanitize(&scan.id),
            sanitize(
                scan.failure_reason()
                    .unwrap_or("the service gave no reason")
            )
        );
        return Ok(exit::ERROR);
    }
    Ok(exit::OK)
}

/// Wait before the `attempt`-th poll: quick at first, then every 10 s at
/// most, so a long scan does not eat the team's rate budget.
pub fn poll_delay(attempt: u32) -> Duration {
    let ms = 1000.0 * 1.5f64.powi(attempt.min(10) as i32);
    Duration::from_millis(ms.min(10_000.0) as u64)
}

/// The scan as JSON (`raw`, as the server sent it), or a few lines of text.
pub fn render(scan: &Scan, raw: &serde_json::Value, format: HealthFormat) -> Result<String> {
    if format == HealthFormat::Json {
        return Ok(serde_json::to_string_pretty(raw)? + "\n");
    }
    let mut out = format!(
        "scan {} {}\n",
        sanitize(&scan.id),
        sanitize(scan.status.as_str())
    );
    if scan.status == ScanStatus::Completed {
        let n = |k: &str| {
            scan.summary_count(k)
                .map(|v| v.to_string())
                .unwrap_or_else(|| "?".into())
        };
        out.push_str(&format!(
            "findings {}, new {}, regressions {}\n",
            n("findings"),
            n("new"),
            n("regressions")
        ));
        if let Some(by) = scan.summary.get("by_severity").and_then(|v| v.as_object()) {
            let parts: Vec<String> = by
                .iter()
                .map(|(k, v)| format!("{} {}", sanitize(k), v))
                .collect();
            if !parts.is_empty() {
                out.push_str(&format!("by severity: {}\n", parts.join(", ")));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polling_backs_off_to_ten_seconds() {
        assert_eq!(poll_delay(0), Duration::from_secs(1));
        assert!(poll_delay(1) > poll_delay(0));
        assert_eq!(poll_delay(20), Duration::from_secs(10));
    }

    #[test]
    fn completed_scan_shows_its_summary() {
        let raw = serde_json::json!({
            "id": "a1b2", "status": "completed", "trigger": "manual",
            "summary": {"findings": 7, "new": 2, "regressions": 1, "by_severity": {"critical": 1, "high": 6}}
        });
        let scan: Scan = serde_json::from_value(raw.clone()).unwrap();
        let text = render(&scan, &raw, HealthFormat::Table).unwrap();
        assert!(text.starts_with("scan a1b2 completed\n"), "{text}");
        assert!(text.contains("findings 7, new 2, regressions 1"));
        assert!(text.contains("critical 1, high 6"));
        let json: serde_json::Value =
            serde_json::from_str(&render(&scan, &raw, HealthFormat::Json).unwrap()).unwrap();
        assert_eq!(json["summary"]["new"], 2);
    }
}
