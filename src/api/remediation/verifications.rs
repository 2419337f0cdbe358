//! Reading verifications: one by id (or from the list where the service
//! lacks that route, remembered per client), a task's verifications, and
//! why one did not pass.

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::api::client::Client;
use crate::api::client::SandboxRoute;
use crate::api::error::{ApiError, StatusError};
use crate::api::model::{AsSent, Identified, Verification};
use crate::api::paginate::CursorPager;

type ApiResult<T> = std::result::Result<T, ApiError>;

/// Rows asked for per page when walking verifications.
const PAGE: u32 = 100;

/// `GET /verifications/{id}`, or, where the service lacks that route (a
/// 404), the verification list searched for the id; the 404 stands when
/// the list does not have it either.
pub async fn read_verification(client: &Client, id: &str) -> ApiResult<Verification> {
    read_verification_as(client, id).await
}

/// [`read_verification`], decoded into `T` (e.g. [`AsSent`]).
///
/// Once the list had a verification the single route could not find, the
/// route is missing on this service: the client remembers it, and later
/// reads go straight to the list (newest first, so a recent run is found
/// on the first page) instead of asking for the route again.
pub async fn read_verification_as<T>(client: &Client, id: &str) -> ApiResult<T>
where
    T: DeserializeOwned + Identified,
{
    let mut missing = None;
    if !client.lacks(SandboxRoute::VerificationById) {
        match client.get_verification_as::<T>(id).await {
            Ok(v) => return Ok(v),
            Err(e) if e.is_not_found() => missing = Some(e),
            Err(e) => return Err(e),
        }
    }
    let mut pager = CursorPager::new();
    while !pager.is_done() {
        let page = client
            .list_verifications_as::<T>(pager.cursor(), Some(PAGE))
            .await?;
        pager.record(&page);
        if let Some(v) = page.items.into_iter().find(|v| v.id() == id) {
            if missing.is_some() {
                client.note_lacking(SandboxRoute::VerificationById);
            }
            return Ok(v);
        }
    }
    Err(missing.unwrap_or_else(|| {
        ApiError::Status(StatusError {
            status: 404,
            code: Some("not_found".into()),
            message: format!("verification {id} is not in the project's verification list"),
            request_id: None,
            retry_after: None,
        })
    }))
}

/// The verifications of task `task_id`, newest first, as sent. The list
/// has no task filter; it comes newest first, so the walk stops at the
/// first row older than `since` (the task's creation: none of its
/// verifications can be older).
pub async fn verifications_of_task(
    client: &Client,
    task_id: &str,
    since: Option<DateTime<Utc>>,
) -> ApiResult<Vec<AsSent<Verification>>> {
    let mut pager = CursorPager::new();
    let mut out = Vec::new();
    while !pager.is_done() {
        let page = client
            .list_verifications_as::<AsSent<Verification>>(pager.cursor(), Some(PAGE))
            .await?;
        pager.record(&page);
        let mut older = false;
        for v in page.items {
            let created = v.typed.created();
            if let (Some(since), Some(created)) = (since, created)
                && created < since
            {
                older = true;
                break;
            }
            if v.typed.task_id == task_id {
                out.push(v);
            }
        }
        if older {
            break;
        }
    }
    Ok(out)
}

/// The checks of a verification that did not pass, as `key: before → after`.
pub fn still_wrong(v: &Verification) -> Vec<String> {
    v.checks
        .iter()
        .filter(|c| c.status != "passed")
        .map(|c| {
            format!(
                "{}: {} → {}",
                c.key,
                observation(&c.before),
                observation(&c.after)
            )
        })
        .collect()
}

/// A check's observation on one line: text as is, nothing as `(none)`.
pub fn observation(value: &Value) -> String {
    match value {
        Value::Null => "(none)".into(),
        Value::String(s) if s.is_empty() => "(empty)".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Why a verification did not pass, as a person should read it.
/// `again` says how to run it again (a command, or a key in the TUI).
pub fn failure_reason(v: &Verification, again: &str) -> String {
    if let Some(why) = v.extra.get("error").and_then(Value::as_str) {
        return format!("{why}; check that the site is reachable, then {again}");
    }
    let failing: Vec<&str> = v
        .checks
        .iter()
        .filter(|c| c.status != "passed")
        .map(|c| c.key.as_str())
        .collect();
    if failing.is_empty() {
        return "the service gave no reason".into();
    }
    format!(
        "still failing: {}; ship the fix, then {again}",
        failing.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_still_wrong_shows_before_and_after() {
        let v: Verification = serde_json::from_value(serde_json::json!({
            "id": "v1", "task_id": "t1", "result": "failed",
            "checks": [
                {"key": "security.csp_missing", "before": "", "after": null, "status": "failed"},
                {"key": "security.hsts", "before": "x", "after": "y", "status": "passed"}
            ]
        }))
        .unwrap();
        assert_eq!(still_wrong(&v), ["security.csp_missing: (empty) → (none)"]);
    }
}
