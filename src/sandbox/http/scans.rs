//! `/scans` routes (contract 5.1): a scan is accepted at once and runs in
//! the background through the passive scanner.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use serde_json::{Map, Value};

use super::AppState;
use super::envelope::{Failure, cursor_meta, success};
use super::guard::Ctx;
use super::input::{self, Body};
use crate::api::model::ScanTrigger;
use crate::sandbox::store::{PageRequest, ScanJob, TeamId};

/// Refuses a URL the scanner must not fetch. With private targets allowed
/// only the scheme and host are checked; the scanner re-checks every
/// resolved address and redirect hop at fetch time either way.
fn check_target(state: &AppState, raw: &str) -> Result<(), String> {
    if state.scan_config.allow_private_targets {
        let url = url::Url::parse(raw).map_err(|e| format!("url is not a valid URL ({e})"))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err("url must be an http or https URL with a host".into());
        }
        Ok(())
    } else {
        crate::api::ssrf::check_url(raw)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// `POST /scans/run`: 202 with the queued scan.
pub async fn run(
    State(state): State<AppState>,
    ctx: Ctx,
    bytes: Bytes,
) -> Result<Response, Failure> {
    let rid = &ctx.rid;
    let body = Body::parse(rid, &bytes, false)?;
    let url = body.required("url")?;
    let trigger = body.known("trigger")?.unwrap_or(ScanTrigger::Manual);
    check_target(&state, &url).map_err(|why| Failure::invalid(rid, why))?;
    let (data, job) = {
        let mut store = state.store();
        let (project, _) = store
            .project_mut(ctx.team, &ctx.org_id, &ctx.project_id)
            .map_err(|e| ctx.fail(e))?;
        let (scan, job) = project.create_scan(&url, trigger, Utc::now());
        (scan.to_json(&ctx.org_id, &ctx.project_id), job)
    };
    tokio::spawn(execute(
        state,
        ctx.team,
        ctx.org_id.clone(),
        ctx.project_id.clone(),
        job,
    ));
    Ok(success(rid, StatusCode::ACCEPTED, data, Map::new()))
}

async fn execute(state: AppState, team: TeamId, org_id: String, project_id: String, job: ScanJob) {
    {
        let mut store = state.store();
        if let Ok((project, _)) = store.project_mut(team, &org_id, &project_id) {
            project.mark_scan_running(job.scan_id, Utc::now());
        }
    }
    let outcome = crate::sandbox::scanner::scan(&job.url, &state.scan_config)
        .await
        .map_err(|e| e.to_string());
    let mut store = state.store();
    if let Ok((project, _)) = store.project_mut(team, &org_id, &project_id) {
        project.finish_scan(job.scan_id, outcome, Utc::now());
    }
}

/// `GET /scans`: newest first, cursor paging.
pub async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> Result<Response, Failure> {
    let q = input::query(raw.as_deref());
    let request = PageRequest {
        cursor: q.get("cursor").filter(|c| !c.is_empty()).cloned(),
        limit: input::limit(&ctx.rid, &q)?,
    };
    let store = state.store();
    let project = store
        .project(ctx.team, &ctx.org_id, &ctx.project_id)
        .map_err(|e| ctx.fail(e))?;
    let page = project.list_scans(&request).map_err(|e| ctx.fail(e))?;
    let data: Vec<Value> = page
        .items
        .iter()
        .map(|s| s.to_json(&ctx.org_id, &ctx.project_id))
        .collect();
    Ok(success(
        &ctx.rid,
        StatusCode::OK,
        Value::Array(data),
        cursor_meta(page.total, page.next_cursor),
    ))
}

/// `GET /scans/{scan_id}`.
pub async fn one(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Failure> {
    let store = state.store();
    let project = store
        .project(ctx.team, &ctx.org_id, &ctx.project_id)
        .map_err(|e| ctx.fail(e))?;
    let scan = project
        .scan(ctx.param("scan_id"))
        .map_err(|e| ctx.fail(e))?;
    let data = scan.to_json(&ctx.org_id, &ctx.project_id);
    Ok(success(&ctx.rid, StatusCode::OK, data, Map::new()))
}
