//! `krafter scan URL [--wait]`: start a scan and, optionally, follow it.

use std::time::{Duration, Instant};

use color_eyre::eyre::{Result, eyre};

use crate::api::enums::{ScanStatus, ScanTrigger};
use crate::api::model::{AsSent, Scan, ScanRequest};
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
    // JSON is written as the server sent it, so the typed view and the
    // raw answer travel together.
    let sent = session.client.run_scan_as_sent(&request).await?;
    if !args.wait {
        super::output::emit(&render(&sent.typed, &sent.raw, args.format)?)?;
        return Ok(exit::OK);
    }
    let mut progress = ProgressLine::new("scan");
    let started = Instant::now();
    let client = &session.client;
    let id = sent.typed.id.clone();
    let followed = follow(
        sent,
        Duration::from_secs(args.timeout),
        |s: &AsSent<Scan>| s.typed.status.is_finished(),
        || client.get_scan_as_sent(&id),
        |s| {
            progress.show(&format!(
                "scan {} {} ({})",
                sanitize(&s.typed.id),
                sanitize(s.typed.status.as_str()),
                human(started.elapsed())
            ))
        },
    )
    .await;
    progress.finish();
    let sent = match followed {
        Ok(sent) => sent,
        Err(Stopped::TooLate { last }) => {
            return Err(eyre!(
                "scan {} is still {} after {}s; it goes on: check it later or wait longer with --timeout",
                last.typed.id,
                last.typed.status,
                args.timeout
            ));
        }
        Err(Stopped::Failed { error, .. }) => {
            return Err(eyre!(error).wrap_err(format!("could not follow scan {id}")));
        }
    };
    let scan = &sent.typed;
    super::output::emit(&render(scan, &sent.raw, args.format)?)?;
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

/// The scan as JSON (`raw`, as the server sent it), or a few lines of text.
pub fn render(scan: &Scan, raw: &serde_json::Value, format: RecordFormat) -> Result<String> {
    if format == RecordFormat::Json {
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
    fn completed_scan_shows_its_summary() {
        let raw = serde_json::json!({
            "id": "a1b2", "status": "completed", "trigger": "manual",
            "summary": {"findings": 7, "new": 2, "regressions": 1, "by_severity": {"critical": 1, "high": 6}}
        });
        let scan: Scan = serde_json::from_value(raw.clone()).unwrap();
        let text = render(&scan, &raw, RecordFormat::Table).unwrap();
        assert!(text.starts_with("scan a1b2 completed\n"), "{text}");
        assert!(text.contains("findings 7, new 2, regressions 1"));
        assert!(text.contains("critical 1, high 6"));
        let json: serde_json::Value =
            serde_json::from_str(&render(&scan, &raw, RecordFormat::Json).unwrap()).unwrap();
        assert_eq!(json["summary"]["new"], 2);
    }
}
