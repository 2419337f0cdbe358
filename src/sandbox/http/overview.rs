//! Command center, reports, regressions, policies and integrations
//! (contract 5.2, 5.6, 5.7).

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use chrono::Utc;
use serde_json::Value;

use super::ctx::Ctx;
use super::envelope::Failure;
use super::input::{self, Body};
use super::state::ServerState;

/// `GET /command-center`.
pub async fn command_center(
    State(state): State<ServerState>,
    ctx: Ctx,
) -> Result<Response, Failure> {
    let store = state.store();
    let project = ctx.project(&store)?;
    let data = project.command_center(&ctx.org_id, Utc::now());
    Ok(ctx.ok(data))
}

/// `GET /reports/summary` (`date_from`/`date_to` are accepted and ignored).
pub async fn report_summary(
    State(state): State<ServerState>,
    ctx: Ctx,
) -> Result<Response, Failure> {
    let store = state.store();
    let project = ctx.project(&store)?;
    let data = project.report_summary(Utc::now());
    Ok(ctx.ok(data))
}

/// `GET /regressions`: `status` filter, cursor paging.
pub async fn regressions(
    State(state): State<ServerState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> Result<Response, Failure> {
    let q = input::query(raw.as_deref());
    let request = input::page_request(&ctx.rid, &q)?;
    let status = input::known_param(&ctx.rid, &q, "status")?;
    let store = state.store();
    let project = ctx.project(&store)?;
    let page = project
        .list_regressions(status.as_ref(), &request)
        .map_err(|e| ctx.fail(e))?;
    Ok(ctx.page(page, |r| r.to_json()))
}

/// `GET /policies/current`, created with the defaults when missing.
pub async fn policy(State(state): State<ServerState>, ctx: Ctx) -> Result<Response, Failure> {
    let mut store = state.store();
    let (project, _) = ctx.project_mut(&mut store)?;
    let data = project.policy_current(Utc::now()).to_json();
    Ok(ctx.ok(data))
}

/// `PUT /policies/current`: `name` (string) and `config` (object), stored
/// as given.
pub async fn put_policy(
    State(state): State<ServerState>,
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
    let (project, _) = ctx.project_mut(&mut store)?;
    let data = project.put_policy(name, config, Utc::now()).to_json();
    Ok(ctx.ok(data))
}

/// `GET /integrations`: one row per provider.
pub async fn integrations(State(state): State<ServerState>, ctx: Ctx) -> Result<Response, Failure> {
    let store = state.store();
    let project = ctx.project(&store)?;
    let data = Value::Array(project.integrations(Utc::now()));
    Ok(ctx.ok(data))
}
