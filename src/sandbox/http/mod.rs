//! The HTTP face of the sandbox: thin axum routes over the store.

mod background;
pub mod conn;
mod ctx;
mod envelope;
mod faults;
mod findings;
mod guard;
mod input;
mod overview;
mod remediation;
mod scans;
mod state;

use axum::Router;
use axum::extract::Request;
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use envelope::{Failure, RequestId};
pub use state::ServerState;

async fn no_route(req: Request) -> Response {
    let rid = req
        .extensions()
        .get::<RequestId>()
        .cloned()
        .unwrap_or_else(RequestId::fresh);
    Failure::not_found(
        &rid,
        format!(
            "no route {} {}; see the API reference for the audit routes",
            req.method(),
            req.uri().path()
        ),
    )
    .into_response()
}

/// Every route of contract section 5.
pub fn router(state: ServerState) -> Router {
    let audit = Router::new()
        .route("/scans/run", post(scans::run))
        .route("/scans", get(scans::list))
        .route("/scans/{scan_id}", get(scans::one))
        .route("/command-center", get(overview::command_center))
        .route("/findings", get(findings::list))
        .route(
            "/findings/{finding_id}",
            get(findings::one).patch(findings::patch),
        )
        .route(
            "/tasks",
            get(remediation::list_tasks).post(remediation::create_task),
        )
        .route(
            "/tasks/{task_id}",
            get(remediation::task).patch(remediation::patch_task),
        )
        .route("/verifications", get(remediation::list_verifications))
        .route("/verifications/run", post(remediation::run_verification))
        .route(
            "/verifications/{verification_id}",
            get(remediation::verification),
        )
        .route(
            "/verifications/{verification_id}/approve",
            post(remediation::approve),
        )
        .route("/regressions", get(overview::regressions))
        .route(
            "/policies/current",
            get(overview::policy).put(overview::put_policy),
        )
        .route("/integrations", get(overview::integrations))
        .route("/reports/summary", get(overview::report_summary))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            guard::authorize,
        ))
        .method_not_allowed_fallback(no_route);
    Router::new()
        .nest("/api/v1/orgs/{org_id}/projects/{project_id}/audit", audit)
        .fallback(no_route)
        .method_not_allowed_fallback(no_route)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            faults::inject,
        ))
        .layer(middleware::from_fn(guard::request_id))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            guard::rate_headers,
        ))
        .with_state(state)
}
