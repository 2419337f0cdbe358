//! `krafter verify FINDING_ID [--approve]`: re-check a finding's fix
//! through its task and, when the check passes, approve it so the finding
//! becomes `resolved` (contract 5.3 to 5.5).

use std::time::{Duration, Instant};

use color_eyre::eyre::{Result, WrapErr, eyre};
use serde_json::Value;

use crate::api::Client;
use crate::api::enums::{FindingStatus, VerificationResult};
use crate::api::model::{AsSent, Finding, Task, Verification};
use crate::api::remediation::*;
use crate::cli::{GlobalArgs, RecordFormat, VerifyArgs, exit};
use crate::sanitize::sanitize;

use super::progress::ProgressLine;
use super::session::Session;
use crate::engine::duration::human;
use crate::engine::poll::{Stopped, follow};

/// Runs the command.
pub async fn run(global: &GlobalArgs, args: &VerifyArgs) -> Result<i32> {
    let resolved = super::session::resolve(global)?;
    super::session::ensure_writable(&resolved, "verify a fix")?;
    let session = Session::connect(resolved)?;
    let client = &session.client;
    let id = args.id.trim();

    let finding = client
        .get_finding(id)
        .await
        .wrap_err_with(|| format!("could not read finding {}", sanitize(id)))?;
    if finding.status == FindingStatus::Resolved {
        eprintln!(
            "krafter: finding {} is already resolved; nothing to verify",
            sanitize(&finding.id)
        );
        return Ok(exit::OK);
    }
    let task_id = match args.task.as_deref().map(str::trim) {
        Some(id) => {
            eprintln!(
                "krafter: verifying finding {} through task {}",
                sanitize(&finding.id),
                sanitize(id)
            );
            id.to_string()
        }
        None => task_for(client, &finding).await?.id,
    };
    let started = client
        .run_verification_as::<AsSent<Verification>>(&task_id)
        .await
        .wrap_err_with(|| {
            format!(
                "could not start a verification of task {}",
                sanitize(&task_id)
            )
        })?;
    let verification = wait_for(client, started, Duration::from_secs(args.timeout)).await?;

    if verification.typed.result != VerificationResult::Passed {
        super::output::emit(&render(&verification, &finding.id, false, args.format)?)?;
        eprintln!(
            "krafter: verification {} {}: {}",
            sanitize(&verification.typed.id),
            sanitize(verification.typed.result.as_str()),
            sanitize(&failure_reason(
                &verification.typed,
                &format!("run krafter verify {} again", finding.id)
            ))
        );
        return Ok(exit::ERROR);
    }
    if !args.approve {
        super::output::emit(&render(&verification, &finding.id, false, args.format)?)?;
        return Ok(exit::OK);
    }
    let approval = approve(client, &verification.typed.id)
        .await
        .map_err(|e| match e {
            ApprovalError::Refused(_) => color_eyre::Report::new(e).wrap_err(format!(
                "verification {} passed but was not approved; approve it with krafter approve {}",
                sanitize(&verification.typed.id),
                sanitize(&verification.typed.id)
            )),
            other => color_eyre::Report::new(other),
        })?;
    if let Some(e) = &approval.despite {
        eprintln!(
            "krafter: the approval's answer failed ({}), but the verification reads back approved",
            sanitize(&e.to_string())
        );
    }
    super::output::emit(&render(
        &approval.verification,
        &finding.id,
        true,
        args.format,
    )?)?;
    Ok(exit::OK)
}

/// The finding's newest task, or a new one titled after the finding.
async fn task_for(client: &Client, finding: &Finding) -> Result<Task> {
    let newest = newest_task_of(client, &finding.id)
        .await
        .wrap_err("could not list the tasks")?;
    if let Some(task) = newest {
        eprintln!(
            "krafter: verifying finding {} through its task {} ({})",
            sanitize(&finding.id),
            sanitize(&task.id),
            sanitize(task.status.as_str())
        );
        return Ok(task);
    }
    let task = client
        .create_task(&new_task_for(finding))
        .await
        .wrap_err_with(|| format!("could not create a task for finding {}", finding.id))?;
    eprintln!(
        "krafter: created task {} for finding {}",
        sanitize(&task.id),
        sanitize(&finding.id)
    );
    Ok(task)
}

/// Polls until the verification is no longer pending, on the shared
/// schedule, with a progress line on stderr.
async fn wait_for(
    client: &Client,
    v: AsSent<Verification>,
    timeout: Duration,
) -> Result<AsSent<Verification>> {
    let mut progress = ProgressLine::new("verify");
    let started = Instant::now();
    let id = v.typed.id.clone();
    let followed = follow(
        v,
        timeout,
        |v: &AsSent<Verification>| v.typed.result != VerificationResult::Pending,
        || read_verification_as::<AsSent<Verification>>(client, &id),
        |v| {
            progress.show(&format!(
                "verification {} {} ({})",
                sanitize(&v.typed.id),
                sanitize(v.typed.result.as_str()),
                human(started.elapsed())
            ))
        },
    )
    .await;
    progress.finish();
    match followed {
        Ok(v) => Ok(v),
        Err(Stopped::TooLate { .. }) => Err(eyre!(
            "verification {id} is still pending after {}s; it goes on on the server: run krafter verify again with a longer --timeout",
            timeout.as_secs()
        )),
        Err(Stopped::Failed { error, .. }) => {
            Err(eyre!(error).wrap_err(format!("could not read verification {id}")))
        }
    }
}

/// The verification as JSON (exactly as the service sent it), or its
/// checks as text.
pub fn render(
    sent: &AsSent<Verification>,
    finding_id: &str,
    approved: bool,
    format: RecordFormat,
) -> Result<String> {
    if format == RecordFormat::Json {
        return Ok(serde_json::to_string_pretty(sent)? + "\n");
    }
    let v = &sent.typed;
    let mut out = format!(
        "verification {} {}\nfinding {}, task {}\n",
        sanitize(&v.id),
        sanitize(v.result.as_str()),
        sanitize(finding_id),
        sanitize(&v.task_id)
    );
    for check in &v.checks {
        out.push_str(&format!(
            "check {}: {}\n  before: {}\n  after:  {}\n",
            sanitize(&check.key),
            sanitize(&check.status),
            observation(&check.before),
            observation(&check.after)
        ));
    }
    if approved {
        out.push_str(&format!(
            "approved: finding {} is now resolved\n",
            sanitize(finding_id)
        ));
    } else if v.result == VerificationResult::Passed {
        out.push_str("not approved yet: run again with --approve to resolve the finding\n");
    }
    Ok(out)
}

/// A check's observation on one line: text as is, nothing as `(none)`.
fn observation(value: &Value) -> String {
    match value {
        Value::Null => "(none)".into(),
        Value::String(s) if s.is_empty() => "(empty)".into(),
        Value::String(s) => sanitize(s).into_owned(),
        other => sanitize(&other.to_string()).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verification(result: &str) -> AsSent<Verification> {
        serde_json::from_value(serde_json::json!({
            "id": "v1", "task_id": "t1", "result": result, "zeta": true,
            "checks": [{"key": "security.csp_missing", "before": "", "after": null, "status": "failed"}]
        }))
        .unwrap()
    }

    #[test]
    fn failed_check_shows_before_after_and_what_to_do() {
        let v = verification("failed");
        let text = render(&v, "f1", false, RecordFormat::Table).unwrap();
        assert!(text.starts_with("verification v1 failed\nfinding f1, task t1\n"));
        assert!(
            text.contains(
                "check security.csp_missing: failed\n  before: (empty)\n  after:  (none)\n"
            )
        );
        assert!(!text.contains("resolved"));
        let json = render(&v, "f1", false, RecordFormat::Json).unwrap();
        assert!(json.contains("\"zeta\": true"), "as sent: {json}");
        assert!(failure_reason(&v.typed, "run krafter verify f1 again").contains(
            "still failing: security.csp_missing; ship the fix, then run krafter verify f1 again"
        ));
    }

    #[test]
    fn approval_says_the_finding_is_resolved() {
        let v = verification("passed");
        let text = render(&v, "f1", true, RecordFormat::Table).unwrap();
        assert!(
            text.ends_with("approved: finding f1 is now resolved\n"),
            "{text}"
        );
        let text = render(&v, "f1", false, RecordFormat::Table).unwrap();
        assert!(text.contains("--approve"), "{text}");
    }

    #[test]
    fn scan_errors_are_the_reason_given() {
        let mut v = verification("failed").typed;
        v.extra.insert("error".into(), "connection refused".into());
        assert!(
            failure_reason(&v, "run krafter verify f1 again")
                .starts_with("connection refused; check that the site")
        );
    }
}
