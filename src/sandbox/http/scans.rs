//! `/scans` routes (contract 5.1): a scan is accepted at once and runs in
//! the background through the passive scanner.

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;

use super::background;
use super::ctx::Ctx;
use super::envelope::Failure;
use super::input::{self, Body};
use super::state::ServerState;
use crate::api::model::ScanTrigger;
use crate::sandbox::scanner;

/// Refuses a URL the scanner must not fetch: the literal rules, then every
/// address its host resolves to. A host that does not resolve is left to
/// the scan, which fails with the reason. The scanner checks again at
/// fetch time and connects only to addresses it checked, on every hop.
async fn check_target(state: &ServerState, raw: &str) -> Result<(), String> {
    let config = &state.scan_config;
    if let Ok(url) = url::Url::parse(raw.trim()) {
        match scanner::locate(&config.local_sites, &url) {
            scanner::LocalTarget::Site(_) => return Ok(()),
            scanner::LocalTarget::WrongPort(why) => return Err(why),
            scanner::LocalTarget::Elsewhere => {}
        }
    }
    if config.allow_private_targets {
        let url = url::Url::parse(raw).map_err(|e| format!("url is not a valid URL ({e})"))?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err("url must be an http or https URL with a host".into());
        }
        return Ok(());
    }
    let url = crate::api::ssrf::check_url(raw).map_err(|e| e.to_string())?;
    let Some(url::Host::Domain(host)) = url.host() else {
        return Ok(());
    };
    let port = url.port_or_known_default().unwrap_or(80);
    let lookup = tokio::time::timeout(config.timeout, config.resolver.resolve(host, port)).await;
    if let Ok(Ok(addresses)) = lookup {
        for ip in addresses {
            if config.allowed_private_addresses.contains(&ip) {
                continue;
            }
            if let Some(rule) = crate::api::ssrf::blocked_ip_rule(ip) {
                return Err(format!(
                    "refused scan URL: {host} resolves to {ip} ({rule}); scan a public address"
                ));
            }
        }
    }
    Ok(())
}

/// `POST /scans/run`: 202 with the queued scan.
pub async fn run(
    State(state): State<ServerState>,
    ctx: Ctx,
    bytes: Bytes,
) -> Result<Response, Failure> {
    let rid = &ctx.rid;
    let body = Body::parse(rid, &bytes, false)?;
    let url = body.required("url")?;
    let trigger = body.known("trigger")?.unwrap_or(ScanTrigger::Manual);
    check_target(&state, &url)
        .await
        .map_err(|why| Failure::invalid(rid, why))?;
    let (data, job) = {
        let mut store = state.store();
        let (project, _) = ctx.project_mut(&mut store)?;
        let (scan, job) = project.create_scan(&url, trigger, Utc::now());
        (scan.to_json(&ctx.org_id, &ctx.project_id), job)
    };
    tokio::spawn(background::run_scan(state, ctx.owner(), job));
    Ok(ctx.reply(StatusCode::ACCEPTED, data))
}

/// `GET /scans`: newest first, cursor paging.
pub async fn list(
    State(state): State<ServerState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> Result<Response, Failure> {
    let q = input::query(raw.as_deref());
    let request = input::page_request(&ctx.rid, &q)?;
    let store = state.store();
    let project = ctx.project(&store)?;
    let page = project.list_scans(&request).map_err(|e| ctx.fail(e))?;
    Ok(ctx.page(page, |s| s.to_json(&ctx.org_id, &ctx.project_id)))
}

/// `GET /scans/{scan_id}`.
pub async fn one(State(state): State<ServerState>, ctx: Ctx) -> Result<Response, Failure> {
    let store = state.store();
    let project = ctx.project(&store)?;
    let scan = project
        .scan(ctx.param("scan_id"))
        .map_err(|e| ctx.fail(e))?;
    let data = scan.to_json(&ctx.org_id, &ctx.project_id);
    Ok(ctx.ok(data))
}
