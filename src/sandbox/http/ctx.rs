//! The request context of an audit route: the caller's team and the project
//! the path addresses, and the replies every handler sends through it.

use std::collections::HashMap;

use axum::extract::{FromRequestParts, Path};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::envelope::{self, Failure, RequestId, cursor_meta, success};
use super::state::ServerState;
use crate::sandbox::keys::Grant;
use crate::sandbox::store::{CursorPage, Project, Store, StoreError, TeamId};

/// The project a request addresses, checked to belong to the caller's
/// team (another team's org or project is simply not found).
pub struct Ctx {
    pub rid: RequestId,
    pub team: TeamId,
    pub org_id: String,
    pub project_id: String,
    params: HashMap<String, String>,
}

impl Ctx {
    /// A path parameter such as `finding_id`.
    pub fn param(&self, name: &str) -> &str {
        self.params.get(name).map(String::as_str).unwrap_or("")
    }

    /// Who background work started by this request belongs to.
    pub fn owner(&self) -> super::background::Owner {
        super::background::Owner {
            team: self.team,
            org_id: self.org_id.clone(),
            project_id: self.project_id.clone(),
        }
    }

    /// The failure a store refusal maps to.
    pub fn fail(&self, e: StoreError) -> Failure {
        Failure::from_store(&self.rid, e)
    }

    /// The addressed project in the locked store.
    pub fn project<'s>(&self, store: &'s Store) -> Result<&'s Project, Failure> {
        store
            .project(self.team, &self.org_id, &self.project_id)
            .map_err(|e| self.fail(e))
    }

    /// The addressed project, to change, and the data set's users.
    pub fn project_mut<'s>(
        &self,
        store: &'s mut Store,
    ) -> Result<(&'s mut Project, &'s [Uuid]), Failure> {
        store
            .project_mut(self.team, &self.org_id, &self.project_id)
            .map_err(|e| self.fail(e))
    }

    /// `data` in the success envelope, with the request id as the only meta.
    pub fn reply(&self, status: StatusCode, data: Value) -> Response {
        success(&self.rid, status, data, Map::new())
    }

    /// `200` with `data`.
    pub fn ok(&self, data: Value) -> Response {
        self.reply(StatusCode::OK, data)
    }

    /// One page of a cursor list: its rows as `data`, `total` and
    /// `next_cursor` in `meta`.
    pub fn page<T>(&self, page: CursorPage<'_, T>, row: impl Fn(&T) -> Value) -> Response {
        let data: Vec<Value> = page.items.iter().map(|item| row(item)).collect();
        success(
            &self.rid,
            StatusCode::OK,
            Value::Array(data),
            cursor_meta(page.total, page.next_cursor),
        )
    }
}

impl FromRequestParts<ServerState> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &ServerState,
    ) -> Result<Self, Self::Rejection> {
        let rid = parts
            .extensions
            .get::<RequestId>()
            .cloned()
            .unwrap_or_else(RequestId::fresh);
        let Some(grant) = parts.extensions.get::<Grant>().copied() else {
            return Err(envelope::unauthorized());
        };
        let params = Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map(|Path(p)| p)
            .unwrap_or_default();
        let org_id = params.get("org_id").cloned().unwrap_or_default();
        let project_id = params.get("project_id").cloned().unwrap_or_default();
        if let Err(e) = state.store().project(grant.team, &org_id, &project_id) {
            return Err(Failure::from_store(&rid, e).into_response());
        }
        Ok(Ctx {
            rid,
            team: grant.team,
            org_id,
            project_id,
            params,
        })
    }
}
