//! Fetching what a change report is computed from. The findings are
//! required; the regressions (a \[sandbox\] route), the report summary and
//! the journal degrade to a note when missing.

use chrono::{DateTime, Utc};

use super::report::{ChangeReport, Inputs};
use crate::api::model::FindingQuery;
use crate::api::paginate::{fetch_all_findings, fetch_all_regressions};
use crate::api::{ApiError, Client};
use crate::journal::Journal;

/// Rows per request.
const PAGE: u32 = 100;

/// Fetches and computes the report of `since..now` for the client's
/// project. Costs one request per 100 findings, one per 100 regressions,
/// the report summary and the command center.
pub async fn collect(
    client: &Client,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
    journal: Option<Journal>,
) -> Result<ChangeReport, ApiError> {
    let mut inputs = Inputs {
        findings: fetch_all_findings(client, &FindingQuery::default(), PAGE, |_| {}).await?,
        ..Inputs::default()
    };
    match fetch_all_regressions(client, None, PAGE, |_| {}).await {
        Ok(list) => inputs.regressions = Some(list),
        Err(e) if e.is_not_found() => inputs
            .notes
            .push("this service offers no regressions list: regressions are left out".into()),
        Err(e) => return Err(e),
    }
    match client.report_summary().await {
        Ok(summary) => inputs.summary = Some(summary),
        Err(e) if e.is_not_found() => inputs
            .notes
            .push("this service offers no report summary: no risk burn-down".into()),
        Err(e) => return Err(e),
    }
    inputs.command_center = Some(client.command_center().await?);
    match journal {
        None => inputs
            .notes
            .push("no local journal: status changes made through krafter are not listed".into()),
        Some(journal) => {
            let (org, project) = (client.org_id().to_string(), client.project_id().to_string());
            let read =
                tokio::task::spawn_blocking(move || journal.changes_since(&org, &project, since))
                    .await;
            match read {
                Ok(Ok(changes)) => inputs.journal = Some(changes),
                Ok(Err(e)) => inputs.notes.push(format!("the local journal: {e}")),
                Err(e) => inputs
                    .notes
                    .push(format!("the local journal could not be read: {e}")),
            }
        }
    }
    Ok(ChangeReport::compute(since, now, inputs))
}
