//! `krafter scan URL [--wait]`: start a scan and, optionally, follow it.

use std::time::{Duration, Instant};

use color_eyre::eyre::{Result, eyre};

use crate::api::enums::{ScanStatus, ScanTrigger};
use crate::api::model::{Scan, ScanRequest};
use crate::cli::{GlobalArgs, RecordFormat, ScanArgs, exit};
use crate::sanitize::sanitize;

use super::progress::ProgressLine;
use super::session::Session;
use crate::cli::UsageError;
use crate::engine::duration::human;
use crate::engine::poll::{Stopped, follow};

/// Runs the command.
pub async fn run(global: &GlobalArgs, args: &ScanArgs) -> Result<i32> {
    let trigger = ScanTrigger::parse_known(args.trigger.trim()).ok_or_else(|| {
        UsageError(format!(
            "unknown trigger `{}`; use one of: manual, scheduled, post_deploy",
            args.trigger
        ))
    })?;
    let mut resolved = super::session::resolve(global)?;
    super::session::ensure_writable(&resolved, "start a scan")?;
    // The flag or the profile's key: the client's own SSRF pre-check is
    // skipped, and the server's answer decides.
    resolved.client.allow_private_targets |= args.allow_private_targets;
    let session = Session::connect(resolved)?;
    let request = ScanRequest {
        url: args.url.trim().to_string(),
        trigger,
    };
    let scan = session.client.run_scan(&request).await?;
    if !args.wait {
        super::output::emit(&render(&scan, args.format)?)?;
        return Ok(exit::OK);
    }
    let mut progress = ProgressLine::new("scan");
    let started = Instant::now();
    let client = &session.client;
    let id = scan.id.clone();
    let followed = follow(
        scan,
        Duration::from_secs(args.timeout),
        |s: &Scan| s.status.is_finished(),
        || client.get_scan(&id),
        |s| {
            progress.show(&format!(
                "scan {} {} ({})",
                sanitize(&s.id),
                sanitize(s.status.as_str()),
                human(started.elapsed())
            ))
        },
    )
    .await;
    progress.finish();
    let scan = match followed {
        Ok(scan) => scan,
        Err(Stopped::TooLate { last }) => {
            return Err(eyre!(
                "scan {} is still {} after {}s; it goes on: check it later or wait longer with --timeout",
                last.id,
                last.status,
                args.timeout
            ));
        }
        Err(Stopped::Failed { error, .. }) => {
            return Err(eyre!(error).wrap_err(format!("could not follow scan {id}")));
        }
    };
    super::output::emit(&render(&scan, args.format)?)?;
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

/// The scan as JSON, or a few lines of text.
pub fn render(scan: &Scan, format: RecordFormat) -> Result<String> {
    if format == RecordFormat::Json {
        return Ok(serde_json::to_string_pretty(scan)? + "\n");
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
    fn completed_scan_shows_its_summary() {
        let scan: Scan = serde_json::from_value(serde_json::json!({
            "id": "a1b2", "status": "completed", "trigger": "manual",
            "summary": {"findings": 7, "new": 2, "regressions": 1, "by_severity": {"critical": 1, "high": 6}}
        }))
        .unwrap();
        let text = render(&scan, RecordFormat::Table).unwrap();
        assert!(text.starts_with("scan a1b2 completed\n"), "{text}");
        assert!(text.contains("findings 7, new 2, regressions 1"));
        assert!(text.contains("critical 1, high 6"));
        let json: serde_json::Value =
            serde_json::from_str(&render(&scan, RecordFormat::Json).unwrap()).unwrap();
        assert_eq!(json["summary"]["new"], 2);
    }
}
