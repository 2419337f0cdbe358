//! `krafter verify FINDING_ID [--approve]`: re-check a finding's fix
//! through its task and, when the check passes, approve it so the finding
//! becomes `resolved` (contract 5.3 to 5.5).

use std::time::{Duration, Instant};

use color_eyre::eyre::{Result, WrapErr, eyre};
use serde_json::Value;

use crate::api::Client;
use crate::api::enums::{FindingStatus, VerificationResult};
use crate::api::model::{Finding, Task, Verification};
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
    let task = task_for(client, &finding).await?;
    let started = client
        .run_verification(&task.id)
        .await
        .wrap_err_with(|| format!("could not start a verification of task {}", task.id))?;
    let verification = wait_for(client, started, Duration::from_secs(args.timeout)).await?;

    if verification.result != VerificationResult::Passed {
        super::output::emit(&render(&verification, &finding.id, false, args.format)?)?;
        eprintln!(
            "krafter: verification {} {}: {}",
            sanitize(&verification.id),
            sanitize(verification.result.as_str()),
            sanitize(&failure_reason(
                &verification,
                &format!("run krafter verify {} again", finding.id)
            ))
        );
        return Ok(exit::ERROR);
    }
    if !args.approve {
        super::output::emit(&render(&verification, &finding.id, false, args.format)?)?;
        return Ok(exit::OK);
    }
    let approved = client
        .approve_verification(&verification.id)
        .await
        .wrap_err_with(|| {
            format!(
                "verification {} passed but could not be approved; approve it again with krafter verify {} --approve",
                verification.id, finding.id
            )
        })?;
    super::output::emit(&render(&approved, &finding.id, true, args.format)?)?;
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
async fn wait_for(client: &Client, v: Verification, timeout: Duration) -> Result<Verification> {
    let mut progress = ProgressLine::new("verify");
    let started = Instant::now();
    let id = v.id.clone();
    let followed = follow(
        v,
        timeout,
        |v: &Verification| v.result != VerificationResult::Pending,
        || read_verification(client, &id),
        |v| {
            progress.show(&format!(
                "verification {} {} ({})",
                sanitize(&v.id),
                sanitize(v.result.as_str()),
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

/// The verification as JSON (as the service sent it), or its checks as text.
pub fn render(
    v: &Verification,
    finding_id: &str,
    approved: bool,
    format: RecordFormat,
) -> Result<String> {
    if format == RecordFormat::Json {
        return Ok(serde_json::to_string_pretty(v)? + "\n");
    }
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

    fn verification(result: &str) -> Verification {
        serde_json::from_value(serde_json::json!({
            "id": "v1", "task_id": "t1", "result": result,
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
        assert!(failure_reason(&v, "run krafter verify f1 again").contains(
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
        let mut v = verification("failed");
        v.extra.insert("error".into(), "connection refused".into());
        assert!(
            failure_reason(&v, "run krafter verify f1 again")
                .starts_with("connection refused; check that the site")
        );
    }
}
