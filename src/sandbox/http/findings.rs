//! `/findings` routes (contract 5.3).

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;

use super::ctx::Ctx;
use super::envelope::{Failure, RawJson, cursor_meta, success_raw};
use super::input::{self, Body};
use super::state::ServerState;
use crate::sandbox::store::{FindingChange, FindingFilter, OwnerFilter};

/// `GET /findings`: filters, offset paging, `meta.total`.
pub async fn list(
    State(state): State<ServerState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> Result<Response, Failure> {
    let q = input::query(raw.as_deref());
    let rid = &ctx.rid;
    let limit = input::limit(rid, &q)?;
    let offset = input::offset(rid, &q)?;
    let filter = FindingFilter {
        severity: input::known_param(rid, &q, "severity")?,
        status: input::known_param(rid, &q, "status")?,
        domain: input::known_param(rid, &q, "domain")?,
        owner: match q.get("owner_id").map(String::as_str) {
            None => None,
            Some("none") => Some(OwnerFilter::Unassigned),
            Some(raw) => Some(OwnerFilter::User(
                input::uuid(rid, "owner_id", raw)
                    .map_err(|_| Failure::invalid(rid, "owner_id must be a UUID or 'none'"))?,
            )),
        },
        q: q.get("q")
            .filter(|s| !s.is_empty())
            .map(|s| s.to_lowercase()),
    };
    if !ctx.project(&state.store_read())?.is_indexed() {
        // Only a project built by hand and put in the store gets here.
        ctx.project_mut(&mut state.store())?.0.reindex();
    }
    let (data, total) = {
        // Read-locked: pages asked for together are encoded in parallel.
        let store = state.store_read();
        let project = ctx.project(&store)?;
        let (rows, total) = project.list_indexed(&filter, offset, limit);
        let wire: Vec<_> = rows
            .iter()
            .map(|f| f.wire(&ctx.org_id, &ctx.project_id))
            .collect();
        // Encoded straight from the records, with no tree of values; the
        // store is free again before the answer is written out.
        (RawJson::encode(&wire), total)
    };
    // Offset paging: the total, and never a cursor.
    let meta = cursor_meta(total, None);
    Ok(success_raw(rid, StatusCode::OK, data, meta))
}

/// `GET /findings/{finding_id}`.
pub async fn one(State(state): State<ServerState>, ctx: Ctx) -> Result<Response, Failure> {
    let store = state.store();
    let project = ctx.project(&store)?;
    let finding = project
        .finding(ctx.param("finding_id"))
        .map_err(|e| ctx.fail(e))?;
    let data = finding.to_json(&ctx.org_id, &ctx.project_id);
    Ok(ctx.ok(data))
}

/// `PATCH /findings/{finding_id}`: status, owner_id, severity.
pub async fn patch(
    State(state): State<ServerState>,
    ctx: Ctx,
    bytes: Bytes,
) -> Result<Response, Failure> {
    let body = Body::parse(&ctx.rid, &bytes, false)?;
    let change = FindingChange {
        status: body.known("status")?,
        owner_id: body.nullable_uuid("owner_id")?,
        severity: body.known("severity")?,
    };
    if body.has("status") && change.status.is_none() {
        return Err(Failure::invalid(&ctx.rid, "status cannot be null"));
    }
    if body.has("severity") && change.severity.is_none() {
        return Err(Failure::invalid(&ctx.rid, "severity cannot be null"));
    }
    let mut store = state.store();
    let (project, _) = ctx.project_mut(&mut store)?;
    let finding = project
        .patch_finding(ctx.param("finding_id"), change, Utc::now())
        .map_err(|e| ctx.fail(e))?;
    let data = finding.to_json(&ctx.org_id, &ctx.project_id);
    Ok(ctx.ok(data))
}
