//! `/tasks` and `/verifications` routes (contract 5.4 and 5.5).

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use serde_json::Value;
use uuid::Uuid;

use super::background;
use super::ctx::Ctx;
use super::envelope::Failure;
use super::input::{self, Body};
use super::state::ServerState;
use crate::api::model::TaskPriority;
use crate::sandbox::store::{NewTask, TaskChange};

/// `POST /tasks`: 201 with the task in `backlog`.
pub async fn create_task(
    State(state): State<ServerState>,
    ctx: Ctx,
    bytes: Bytes,
) -> Result<Response, Failure> {
    let rid = &ctx.rid;
    let body = Body::parse(rid, &bytes, false)?;
    let finding_raw = body.required("finding_id")?;
    let new = NewTask {
        finding_id: input::uuid(rid, "finding_id", &finding_raw)?,
        title: body.required("title")?,
        priority: body.known("priority")?.unwrap_or(TaskPriority::Medium),
        owner_id: body.nullable_uuid("owner_id")?.flatten(),
        sla_due_at: body.nullable_time("sla_due_at")?.flatten(),
    };
    let mut store = state.store();
    let (project, _) = ctx.project_mut(&mut store)?;
    let task = project
        .create_task(new, Utc::now())
        .map_err(|e| ctx.fail(e))?;
    Ok(ctx.reply(StatusCode::CREATED, task.to_json()))
}

/// `GET /tasks`: `status` filter, cursor paging.
pub async fn list_tasks(
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
        .list_tasks(status.as_ref(), &request)
        .map_err(|e| ctx.fail(e))?;
    Ok(ctx.page(page, |t| t.to_json()))
}

/// `GET /tasks/{task_id}`.
pub async fn task(State(state): State<ServerState>, ctx: Ctx) -> Result<Response, Failure> {
    let store = state.store();
    let project = ctx.project(&store)?;
    let task = project
        .task(ctx.param("task_id"))
        .map_err(|e| ctx.fail(e))?;
    Ok(ctx.ok(task.to_json()))
}

/// `PATCH /tasks/{task_id}`.
pub async fn patch_task(
    State(state): State<ServerState>,
    ctx: Ctx,
    bytes: Bytes,
) -> Result<Response, Failure> {
    let rid = &ctx.rid;
    let body = Body::parse(rid, &bytes, false)?;
    let change = TaskChange {
        status: body.known("status")?,
        owner_id: body.nullable_uuid("owner_id")?,
        priority: body.known("priority")?,
        sla_due_at: body.nullable_time("sla_due_at")?,
        external_ticket_key: body.nullable("external_ticket_key")?,
        pr_url: body.nullable("pr_url")?,
    };
    for key in ["status", "priority"] {
        if body.has(key) && body.value(key).is_some_and(Value::is_null) {
            return Err(Failure::invalid(rid, format!("{key} cannot be null")));
        }
    }
    let mut store = state.store();
    let (project, _) = ctx.project_mut(&mut store)?;
    let task = project
        .patch_task(ctx.param("task_id"), change, Utc::now())
        .map_err(|e| ctx.fail(e))?;
    Ok(ctx.ok(task.to_json()))
}

/// `POST /verifications/run`: 202 `pending`, then the re-check runs in the
/// background.
pub async fn run_verification(
    State(state): State<ServerState>,
    ctx: Ctx,
    bytes: Bytes,
) -> Result<Response, Failure> {
    let rid = &ctx.rid;
    let body = Body::parse(rid, &bytes, false)?;
    let task_id = body.required("task_id")?;
    let (data, job) = {
        let mut store = state.store();
        let (project, _) = ctx.project_mut(&mut store)?;
        let (verification, job) = project
            .start_verification(&task_id, Utc::now())
            .map_err(|e| ctx.fail(e))?;
        (verification.to_json(), job)
    };
    tokio::spawn(background::run_verification(state, ctx.owner(), job));
    Ok(ctx.reply(StatusCode::ACCEPTED, data))
}

/// `GET /verifications`: cursor paging.
pub async fn list_verifications(
    State(state): State<ServerState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> Result<Response, Failure> {
    let q = input::query(raw.as_deref());
    let request = input::page_request(&ctx.rid, &q)?;
    let store = state.store();
    let project = ctx.project(&store)?;
    let page = project
        .list_verifications(&request)
        .map_err(|e| ctx.fail(e))?;
    Ok(ctx.page(page, |v| v.to_json()))
}

/// `GET /verifications/{verification_id}`: to follow a running one.
pub async fn verification(State(state): State<ServerState>, ctx: Ctx) -> Result<Response, Failure> {
    let store = state.store();
    let project = ctx.project(&store)?;
    let v = project
        .verification(ctx.param("verification_id"))
        .map_err(|e| ctx.fail(e))?;
    Ok(ctx.ok(v.to_json()))
}

/// `POST /verifications/{verification_id}/approve`, optionally naming
/// `verified_by_id` (default: the data set's first user).
pub async fn approve(
    State(state): State<ServerState>,
    ctx: Ctx,
    bytes: Bytes,
) -> Result<Response, Failure> {
    let rid = &ctx.rid;
    let body = Body::parse(rid, &bytes, true)?;
    let named = body.nullable_uuid("verified_by_id")?.flatten();
    let mut store = state.store();
    let (project, users) = ctx.project_mut(&mut store)?;
    let by = named
        .or_else(|| users.first().copied())
        .unwrap_or_else(Uuid::nil);
    let v = project
        .approve_verification(ctx.param("verification_id"), by, Utc::now())
        .map_err(|e| ctx.fail(e))?;
    Ok(ctx.ok(v.to_json()))
}
