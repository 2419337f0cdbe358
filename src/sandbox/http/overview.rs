//! Command center, reports, regressions, policies and integrations
//! (contract 5.2, 5.6, 5.7).

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
use crate::sandbox::store::PageRequest;

/// `GET /command-center`.
pub async fn command_center(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Failure> {
    let store = state.store();
    let project = store
        .project(ctx.team, &ctx.org_id, &ctx.project_id)
        .map_err(|e| ctx.fail(e))?;
    let data = project.command_center(&ctx.org_id, Utc::now());
    Ok(success(&ctx.rid, StatusCode::OK, data, Map::new()))
}

/// `GET /reports/summary` (`date_from`/`date_to` are accepted and ignored).
pub async fn report_summary(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Failure> {
    let store = state.store();
    let project = store
        .project(ctx.team, &ctx.org_id, &ctx.project_id)
        .map_err(|e| ctx.fail(e))?;
    let data = project.report_summary(Utc::now());
    Ok(success(&ctx.rid, StatusCode::OK, data, Map::new()))
}

/// `GET /regressions`: `status` filter, cursor paging.
pub async fn regressions(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> Result<Response, Failure> {
    let q = input::query(raw.as_deref());
    let request = PageRequest {
        cursor: q.get("cursor").filter(|c| !c.is_empty()).cloned(),
        limit: input::limit(&ctx.rid, &q)?,
    };
    let status = q
        .get("status")
        .map(|v| input::known(&ctx.rid, "status", v))
        .transpose()?;
    let store = state.store();
    let project = store
        .project(ctx.team, &ctx.org_id, &ctx.project_id)
        .map_err(|e| ctx.fail(e))?;
    let page = project
        .list_regressions(status.as_ref(), &request)
        .map_err(|e| ctx.fail(e))?;
    let data: Vec<Value> = page.items.iter().map(|r| r.to_json()).collect();
    Ok(success(
        &ctx.rid,
        StatusCode::OK,
        Value::Array(data),
        cursor_meta(page.total, page.next_cursor),
    ))
}

/// `GET /policies/current`, created with the defaults when missing.
pub async fn policy(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Failure> {
    let mut store = state.store();
    let (project, _) = store
        .project_mut(ctx.team, &ctx.org_id, &ctx.project_id)
        .map_err(|e| ctx.fail(e))?;
    let data = project.policy_current(Utc::now()).to_json();
    Ok(success(&ctx.rid, StatusCode::OK, data, Map::new()))
}

/// `PUT /policies/current`: `name` (string) and `config` (object), stored
/// as given.
pub async fn put_policy(
    State(state): State<AppState>,
    ctx: Ctx,
    bytes: Bytes,
) -> Result<Response, Failure> {
    let rid = &ctx.rid;
    let body = Body::parse(rid, &bytes, false)?;
    let name = body.string("name")?;
    if name.as_deref().is_some_and(|n| n.trim().is_empty()) {
        return Err(Failure::invalid(rid, "name cannot be empty"));
    }
    let config = match body.value("config") {
        None | Some(Value::Null) => None,
        Some(Value::Object(map)) => Some(Value::Object(map.clone())),
        Some(_) => return Err(Failure::bad_request(rid, "config must be a JSON object")),
    };
    if name.is_none() && config.is_none() {
        return Err(Failure::invalid(rid, "give name and/or config"));
    }
    let mut store = state.store();
    let (project, _) = store
        .project_mut(ctx.team, &ctx.org_id, &ctx.project_id)
        .map_err(|e| ctx.fail(e))?;
    let data = project.put_policy(name, config, Utc::now()).to_json();
    Ok(success(rid, StatusCode::OK, data, Map::new()))
}

/// `GET /integrations`: one row per provider.
pub async fn integrations(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Failure> {
    let store = state.store();
    let project = store
        .project(ctx.team, &ctx.org_id, &ctx.project_id)
        .map_err(|e| ctx.fail(e))?;
    let data = Value::Array(project.integrations(Utc::now()));
    Ok(success(&ctx.rid, StatusCode::OK, data, Map::new()))
}
