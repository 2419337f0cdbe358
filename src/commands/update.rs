//! `krafter update ID...`: change status, owner or severity of findings, one
//! PATCH per id (the contract has no bulk route), paced by the client.

use std::time::SystemTime;

use color_eyre::eyre::Result;
use serde_json::{Value, json};

use crate::api::ApiError;
use crate::api::model::{Finding, FindingPatch};
use crate::api::transitions::RESOLVED_EXPLANATION;
use crate::cli::{GlobalArgs, HealthFormat, UpdateArgs, exit};
use crate::sanitize::sanitize;

use super::filters::{self, Owner};
use super::layout::truncate;
use super::progress::ProgressLine;
use super::session::Session;
use crate::cli::UsageError;

/// Columns of a finding's title in the per-id lines.
const TITLE_WIDTH: usize = 50;

/// Progress is drawn from this many ids on.
const PROGRESS_FROM: usize = 4;

/// What happened to one id.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The server applied the change.
    Updated(Box<Finding>),
    /// The server refused the move; its reason.
    Skipped(String),
    /// Anything else went wrong.
    Failed(ApiError),
    /// Not tried because an earlier error would repeat (bad key, no scope).
    NotAttempted(String),
}

/// Builds the PATCH body from the flags (exit 2 on a bad value).
pub fn plan(args: &UpdateArgs, me: Option<&str>) -> Result<FindingPatch, UsageError> {
    let status = match args.status.as_deref().map(str::trim) {
        Some("resolved") => {
            return Err(UsageError(format!(
                "krafter does not set `resolved` by hand. {RESOLVED_EXPLANATION} \
                 `krafter verify ID --approve` does that once the fix is shipped."
            )));
        }
        Some(raw) => Some(filters::status(raw)?),
        None => None,
    };
    let owner_id = if args.unassign {
        Some(None)
    } else {
        match args
            .owner
            .as_deref()
            .map(|o| filters::owner(o, me, false))
            .transpose()?
        {
            Some(Owner::User(id)) => Some(Some(id)),
            Some(Owner::Nobody) | None => None,
        }
    };
    let patch = FindingPatch {
        status,
        owner_id,
        severity: args
            .severity
            .as_deref()
            .map(filters::severity)
            .transpose()?,
    };
    if patch.is_empty() {
        return Err(UsageError(
            "nothing to change: give --status, --owner, --unassign or --severity".into(),
        ));
    }
    Ok(patch)
}

/// Sorts a PATCH result into an outcome: an illegal move is a skip with the
/// server's reason, anything else a failure.
pub fn classify(result: Result<Finding, ApiError>) -> Outcome {
    match result {
        Ok(f) => Outcome::Updated(Box::new(f)),
        Err(e) if e.code() == Some("invalid_transition") => Outcome::Skipped(
            e.server_message()
                .map(str::to_string)
                .unwrap_or_else(|| e.to_string()),
        ),
        Err(e) => Outcome::Failed(e),
    }
}

/// Errors that would fail every following PATCH the same way.
fn stops_the_batch(e: &ApiError) -> bool {
    matches!(e.status(), Some(401 | 403))
}

/// Runs the command.
pub async fn run(global: &GlobalArgs, args: &UpdateArgs) -> Result<i32> {
    let resolved = super::session::resolve(global)?;
    let patch = plan(args, resolved.people.me())?;
    super::session::ensure_writable(&resolved, "update findings")?;
    let session = Session::connect(resolved)?;
    let mut ids: Vec<String> = Vec::new();
    for id in args.ids.iter().map(|i| i.trim().to_string()) {
        if !id.is_empty() && !ids.contains(&id) {
            ids.push(id);
        }
    }
    let mut progress = ProgressLine::new("updating");
    let mut results: Vec<(String, Outcome)> = Vec::with_capacity(ids.len());
    let mut stop: Option<String> = None;
    for (done, id) in ids.iter().enumerate() {
        if ids.len() >= PROGRESS_FROM {
            let budget = session.client.budget();
            let now = SystemTime::now();
            let left = (ids.len() - done) as u64;
            progress.count_paced(
                done as u64,
                ids.len() as u64,
                budget.eta(left, now),
                budget.eta(1, now),
            );
        }
        if let Some(why) = &stop {
            results.push((id.clone(), Outcome::NotAttempted(why.clone())));
            continue;
        }
        let outcome = classify(session.client.patch_finding(id, &patch).await);
        if let Outcome::Failed(e) = &outcome {
            tracing::warn!(finding = %id, error = %e, "update failed");
            if stops_the_batch(e) {
                stop = Some(format!("stopped after {id}: {e}"));
            }
        }
        results.push((id.clone(), outcome));
    }
    progress.finish();
    let counts = Counts::of(&results);
    match args.format {
        HealthFormat::Json => {
            super::output::emit(&(serde_json::to_string_pretty(&render_json(&results))? + "\n"))?;
            eprintln!("{}", counts.line());
        }
        HealthFormat::Table => {
            super::output::emit(&format!("{}{}\n", render_lines(&results), counts.line()))?;
        }
    }
    Ok(counts.exit_code())
}

/// How many ids ended each way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub updated: usize,
    pub skipped: usize,
    pub failed: usize,
}

impl Counts {
    /// Counts outcomes; not attempted counts as failed.
    pub fn of(results: &[(String, Outcome)]) -> Counts {
        let mut c = Counts::default();
        for (_, o) in results {
            match o {
                Outcome::Updated(_) => c.updated += 1,
                Outcome::Skipped(_) => c.skipped += 1,
                Outcome::Failed(_) | Outcome::NotAttempted(_) => c.failed += 1,
            }
        }
        c
    }

    /// `updated N, skipped N, failed N`.
    pub fn line(&self) -> String {
        format!(
            "updated {}, skipped {}, failed {}",
            self.updated, self.skipped, self.failed
        )
    }

    /// 0 when every id was updated, 4 otherwise.
    pub fn exit_code(&self) -> i32 {
        if self.skipped + self.failed == 0 {
            exit::OK
        } else {
            exit::PARTIAL
        }
    }
}

/// One line per id.
pub fn render_lines(results: &[(String, Outcome)]) -> String {
    let mut out = String::new();
    for (id, outcome) in results {
        let id = sanitize(id);
        let line = match outcome {
            Outcome::Updated(f) => format!(
                "updated  {id}  status {}, owner {}, severity {}  {}",
                sanitize(f.status.as_str()),
                sanitize(f.owner_id.as_deref().unwrap_or("none")),
                sanitize(f.severity.as_str()),
                truncate(&sanitize(&f.title), TITLE_WIDTH)
            )
            .trim_end()
            .to_string(),
            Outcome::Skipped(reason) => format!("skipped  {id}  {}", sanitize(reason)),
            Outcome::Failed(e) => format!("failed   {id}  {}", sanitize(&e.to_string())),
            Outcome::NotAttempted(why) => {
                format!("failed   {id}  not attempted ({})", sanitize(why))
            }
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// A JSON array with one object per id.
pub fn render_json(results: &[(String, Outcome)]) -> Value {
    Value::Array(
        results
            .iter()
            .map(|(id, outcome)| match outcome {
                Outcome::Updated(f) => json!({"id": id, "result": "updated", "finding": f}),
                Outcome::Skipped(reason) => {
                    json!({"id": id, "result": "skipped", "reason": reason})
                }
                Outcome::Failed(e) => json!({
                    "id": id, "result": "failed", "error": e.to_string(),
                    "http_status": e.status(), "request_id": e.request_id(),
                }),
                Outcome::NotAttempted(why) => json!({"id": id, "result": "failed", "error": why}),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::StatusError;
    use crate::api::enums::FindingStatus;

    fn args() -> UpdateArgs {
        UpdateArgs {
            ids: vec!["f1".into()],
            status: None,
            owner: None,
            unassign: false,
            severity: None,
            format: HealthFormat::Table,
        }
    }

    fn status_error(status: u16, code: &str, message: &str) -> ApiError {
        ApiError::Status(StatusError {
            status,
            code: Some(code.into()),
            message: message.into(),
            request_id: Some("req-1".into()),
            retry_after: None,
        })
    }

    #[test]
    fn resolved_is_refused_with_the_verification_path() {
        let mut a = args();
        a.status = Some("resolved".into());
        let e = plan(&a, None).unwrap_err();
        assert!(e.0.contains("approve"), "{}", e.0);
    }

    #[test]
    fn plan_builds_the_patch() {
        let me = "22222222-2222-2222-2222-222222222222";
        let mut a = args();
        assert!(plan(&a, None).unwrap_err().0.contains("nothing to change"));
        a.status = Some("triaged".into());
        a.owner = Some("me".into());
        let p = plan(&a, Some(me)).unwrap();
        assert_eq!(p.status, Some(FindingStatus::Triaged));
        assert_eq!(p.owner_id, Some(Some(me.to_string())));
        a.owner = None;
        a.unassign = true;
        assert_eq!(plan(&a, None).unwrap().owner_id, Some(None));
        a.severity = Some("severe".into());
        assert!(plan(&a, None).is_err());
    }

    #[test]
    fn refused_moves_are_skips_with_the_server_reason() {
        let skipped = classify(Err(status_error(
            422,
            "invalid_transition",
            "new can go to triaged, dismissed",
        )));
        assert_eq!(
            skipped,
            Outcome::Skipped("new can go to triaged, dismissed".into())
        );
        let failed = classify(Err(status_error(404, "not_found", "no such finding")));
        assert!(matches!(failed, Outcome::Failed(_)));
    }

    #[test]
    fn summary_line_and_exit_code() {
        let results = vec![
            ("a".to_string(), Outcome::Updated(Box::default())),
            ("b".to_string(), Outcome::Skipped("no".into())),
            (
                "c".to_string(),
                Outcome::Failed(status_error(500, "internal", "boom")),
            ),
        ];
        let c = Counts::of(&results);
        assert_eq!(c.line(), "updated 1, skipped 1, failed 1");
        assert_eq!(c.exit_code(), exit::PARTIAL);
        assert_eq!(Counts::of(&results[..1]).exit_code(), exit::OK);
        let text = render_lines(&results);
        assert!(
            text.contains("failed   c  HTTP 500 internal: boom"),
            "{text}"
        );
        assert!(text.contains("request_id req-1"));
        let json = render_json(&results);
        assert_eq!(json[2]["http_status"], 500);
        assert_eq!(json[1]["reason"], "no");
    }
}
