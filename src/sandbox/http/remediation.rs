//! `/tasks` and `/verifications` routes (contract 5.4 and 5.5).

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::AppState;
use super::background;
use super::envelope::{Failure, RequestId, cursor_meta, success};
use super::guard::Ctx;
use super::input::{self, Body};
use crate::api::model::TaskPriority;
use crate::sandbox::store::{NewTask, PageRequest, TaskChange};

fn page_request(rid: &RequestId, q: &HashMap<String, String>) -> Result<PageRequest, Failure> {
    Ok(PageRequest {
        cursor: q.get("cursor").filter(|c| !c.is_empty()).cloned(),
        limit: input::limit(rid, q)?,
    })
}

/// `POST /tasks`: 201 with the task in `backlog`.
pub async fn create_task(
    State(state): State<AppState>,
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
    let (project, _) = store
        .project_mut(ctx.team, &ctx.org_id, &ctx.project_id)
        .map_err(|e| ctx.fail(e))?;
    let task = project
        .create_task(new, Utc::now())
        .map_err(|e| ctx.fail(e))?;
    Ok(success(
        rid,
        StatusCode::CREATED,
        task.to_json(),
        Map::new(),
    ))
}

/// `GET /tasks`: `status` filter, cursor paging.
pub async fn list_tasks(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> Result<Response, Failure> {
    let q = input::query(raw.as_deref());
    let request = page_request(&ctx.rid, &q)?;
    let status = q
        .get("status")
        .map(|v| input::known(&ctx.rid, "status", v))
        .transpose()?;
    let store = state.store();
    let project = store
        .project(ctx.team, &ctx.org_id, &ctx.project_id)
        .map_err(|e| ctx.fail(e))?;
    let page = project
        .list_tasks(status.as_ref(), &request)
        .map_err(|e| ctx.fail(e))?;
    let data: Vec<Value> = page.items.iter().map(|t| t.to_json()).collect();
    Ok(success(
        &ctx.rid,
        StatusCode::OK,
        Value::Array(data),
        cursor_meta(page.total, page.next_cursor),
    ))
}

/// `GET /tasks/{task_id}`.
pub async fn task(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Failure> {
    let store = state.store();
    let project = store
        .project(ctx.team, &ctx.org_id, &ctx.project_id)
        .map_err(|e| ctx.fail(e))?;
    let task = project
        .task(ctx.param("task_id"))
        .map_err(|e| ctx.fail(e))?;
    Ok(success(
        &ctx.rid,
        StatusCode::OK,
        task.to_json(),
        Map::new(),
    ))
}

/// `PATCH /tasks/{task_id}`.
pub async fn patch_task(
    State(state): State<AppState>,
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
    let (project, _) = store
        .project_mut(ctx.team, &ctx.org_id, &ctx.project_id)
        .map_err(|e| ctx.fail(e))?;
    let task = project
        .patch_task(ctx.param("task_id"), change, Utc::now())
        .map_err(|e| ctx.fail(e))?;
    Ok(success(rid, StatusCode::OK, task.to_json(), Map::new()))
}

/// `POST /verifications/run`: 202 `pending`, then the re-check runs in the
/// background.
pub async fn run_verification(
    State(state): State<AppState>,
    ctx: Ctx,
    bytes: Bytes,
) -> Result<Response, Failure> {
    let rid = &ctx.rid;
    let body = Body::parse(rid, &bytes, false)?;
    let task_id = body.required("task_id")?;
    let (data, job) = {
        let mut store = state.store();
        let (project, _) = store
            .project_mut(ctx.team, &ctx.org_id, &ctx.project_id)
            .map_err(|e| ctx.fail(e))?;
        let (verification, job) = project
            .start_verification(&task_id, Utc::now())
            .map_err(|e| ctx.fail(e))?;
        (verification.to_json(), job)
    };
    tokio::spawn(background::run_verification(state, ctx.owner(), job));
    Ok(success(rid, StatusCode::ACCEPTED, data, Map::new()))
}

/// `GET /verifications`: cursor paging.
pub async fn list_verifications(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> Result<Response, Failure> {
    let q = input::query(raw.as_deref());
    let request = page_request(&ctx.rid, &q)?;
    let store = state.store();
    let project = store
        .project(ctx.team, &ctx.org_id, &ctx.project_id)
        .map_err(|e| ctx.fail(e))?;
    let page = project
        .list_verifications(&request)
        .map_err(|e| ctx.fail(e))?;
    let data: Vec<Value> = page.items.iter().map(|v| v.to_json()).collect();
    Ok(success(
        &ctx.rid,
        StatusCode::OK,
        Value::Array(data),
        cursor_meta(page.total, page.next_cursor),
    ))
}

/// `GET /verifications/{verification_id}`: to follow a running one.
pub async fn verification(State(state): State<AppState>, ctx: Ctx) -> Result<Response, Failure> {
    let store = state.store();
    let project = store
        .project(ctx.team, &ctx.org_id, &ctx.project_id)
        .map_err(|e| ctx.fail(e))?;
    let v = project
        .verification(ctx.param("verification_id"))
        .map_err(|e| ctx.fail(e))?;
    Ok(success(&ctx.rid, StatusCode::OK, v.to_json(), Map::new()))
}

/// `POST /verifications/{verification_id}/approve`, optionally naming
/// `verified_by_id` (default: the data set's first user).
pub async fn approve(
    State(state): State<AppState>,
    ctx: Ctx,
    bytes: Bytes,
) -> Result<Response, Failure> {
    let rid = &ctx.rid;
    let body = Body::parse(rid, &bytes, true)?;
    let named = body.nullable_uuid("verified_by_id")?.flatten();
    let mut store = state.store();
    let (project, users) = store
        .project_mut(ctx.team, &ctx.org_id, &ctx.project_id)
        .map_err(|e| ctx.fail(e))?;
    let by = named
        .or_else(|| users.first().copied())
        .unwrap_or_else(Uuid::nil);
    let v = project
        .approve_verification(ctx.param("verification_id"), by, Utc::now())
        .map_err(|e| ctx.fail(e))?;
    Ok(success(rid, StatusCode::OK, v.to_json(), Map::new()))
}
