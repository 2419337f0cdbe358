//! API answers: each one is matched to the request it answers and dropped
//! when it is stale.

use std::time::Duration;

use super::{change, list};
use crate::api::model::{CommandCenter, Finding, Scan, ScanStatus};
use crate::api::{ApiError, Page};
use crate::app::effect::Effect;
use crate::app::state::{AppState, Connection, LastError};
use crate::sanitize::sanitize;

/// Longest wait between two polls of a scan.
pub(super) const MAX_POLL: Duration = Duration::from_secs(10);
/// How long a scan is followed before the TUI stops polling it.
pub const SCAN_FOLLOW_LIMIT: Duration = Duration::from_secs(10 * 60);

/// Notes an error in the status bar and the connection state.
pub(super) fn record_error(state: &mut AppState, error: &ApiError) {
    state.connection = match error {
        ApiError::Connect { .. } | ApiError::Timeout { .. } | ApiError::Tls { .. } => {
            Connection::Offline
        }
        _ => Connection::Online,
    };
    state.last_error = Some(LastError {
        message: sanitize(&error.to_string()).into_owned(),
        request_id: error.request_id().map(|r| sanitize(r).into_owned()),
    });
}

/// A short message for a toast: the server's words when it sent some.
pub(super) fn short(error: &ApiError) -> String {
    let text = match (error.status(), error.server_message()) {
        (Some(429), _) => {
            let wait = match error {
                ApiError::Status(s) => s.retry_after.map(|r| format!(" in {r}s")),
                _ => None,
            };
            format!("rate limit reached; try again{}", wait.unwrap_or_default())
        }
        (_, Some(msg)) if !msg.is_empty() => msg.to_string(),
        _ => error.to_string(),
    };
    sanitize(&text).into_owned()
}

/// Reloads the command center, the list and the open detail.
pub fn refresh_all(state: &mut AppState) -> Vec<Effect> {
    let mut effects = refresh_command_center(state);
    effects.extend(list::reload(state));
    if let Some(d) = state.detail.as_mut() {
        d.generation += 1;
        d.loading = true;
        effects.push(Effect::LoadFinding {
            generation: d.generation,
            id: d.id.clone(),
        });
    }
    effects
}

/// Asks for the command center unless a request for it is already out.
pub(super) fn refresh_command_center(state: &mut AppState) -> Vec<Effect> {
    let cc = &mut state.command_center;
    if cc.loading {
        return Vec::new();
    }
    cc.loading = true;
    cc.generation += 1;
    vec![Effect::LoadCommandCenter {
        generation: cc.generation,
    }]
}

/// The periodic refresh: paused while a dialog is open.
pub fn auto_refresh(state: &mut AppState) -> Vec<Effect> {
    if state.modal.is_some() || state.findings.filter_input.is_some() {
        return Vec::new();
    }
    refresh_command_center(state)
}

/// The command center arrived (or failed): keep the last data on failure.
pub fn command_center(
    state: &mut AppState,
    generation: u64,
    result: Result<CommandCenter, ApiError>,
) -> Vec<Effect> {
    if generation != state.command_center.generation {
        return Vec::new();
    }
    state.command_center.loading = false;
    match result {
        Ok(data) => {
            state.connection = Connection::Online;
            let cc = &mut state.command_center;
            cc.selected = cc.selected.min(data.top_priorities.len().saturating_sub(1));
            cc.data = Some(data);
            cc.updated_at = Some(state.now);
        }
        Err(e) => {
            record_error(state, &e);
            state.toast(format!("command center not refreshed: {}", short(&e)), true);
        }
    }
    Vec::new()
}

/// A page of findings arrived: appended when it answers the current query
/// and follows the loaded rows, dropped otherwise.
pub fn findings_page(
    state: &mut AppState,
    generation: u64,
    offset: u64,
    result: Result<Page<Finding>, ApiError>,
) -> Vec<Effect> {
    let f = &mut state.findings;
    if generation != f.generation || offset != list::received(f) {
        return Vec::new();
    }
    f.loading = false;
    match result {
        Ok(page) => {
            state.connection = Connection::Online;
            let f = &mut state.findings;
            let before = f.pager.progress().fetched;
            f.pager.record(&page);
            // A server that ignores the position sends the same page again:
            // the pager stops there and its rows are not added twice.
            let repeated = !page.items.is_empty() && f.pager.progress().fetched == before;
            let mut items = if repeated { Vec::new() } else { page.items };
            let first_ignored = f.owner_ignored == 0;
            if let Some(owner) = f.pager.query().owner_id.clone() {
                let before = items.len();
                items.retain(|row| owner_matches(row, &owner));
                f.owner_ignored += (before - items.len()) as u64;
            }
            let appended_from = f.rows.len();
            f.rows.extend(items);
            f.total = f.pager.progress().total.or(f.total);
            f.exhausted = f.pager.is_done();
            if f.owner_ignored > 0 {
                // The server's total counts everyone's rows.
                f.total = f.exhausted.then_some(f.rows.len() as u64);
                if first_ignored {
                    state.toast("the server ignored the owner filter; filtering here", false);
                }
            }
            list::append_visible(&mut state.findings, appended_from);
            list::keep_in_view(state, state.size);
            // With a text filter few rows may match; chaining pages here
            // would walk the whole list. Moving the cursor still loads more.
            if state.findings.text_filter.is_empty() && state.findings.filter_input.is_none() {
                list::prefetch(state)
            } else {
                Vec::new()
            }
        }
        Err(e) => {
            record_error(state, &e);
            let kept = state.findings.rows.len();
            state.toast(
                format!(
                    "findings not loaded: {}; the {kept} loaded rows are kept, press r to retry",
                    short(&e)
                ),
                true,
            );
            Vec::new()
        }
    }
}

/// True when `row` belongs to `owner` (`none`: unassigned), as the owner
/// filter means it.
fn owner_matches(row: &Finding, owner: &str) -> bool {
    match (&row.owner_id, owner) {
        (None, "none") => true,
        (Some(id), wanted) => id.eq_ignore_ascii_case(wanted),
        (None, _) => false,
    }
}

/// A fresh copy of the finding shown in the detail.
pub fn finding(
    state: &mut AppState,
    generation: u64,
    result: Result<Finding, ApiError>,
) -> Vec<Effect> {
    let Some(d) = state.detail.as_mut().filter(|d| d.generation == generation) else {
        return Vec::new();
    };
    d.loading = false;
    match result {
        Ok(finding) => {
            state.connection = Connection::Online;
            // A change still in flight wins over an older copy.
            if state.pending.values().any(|p| p.finding_id == finding.id) {
                return Vec::new();
            }
            let id = finding.id.clone();
            if let Some(d) = state.detail.as_mut() {
                d.finding = Some(finding.clone());
            }
            change::replace(state, &id, &finding);
        }
        Err(e) => {
            record_error(state, &e);
            state.toast(format!("finding not loaded: {}", short(&e)), true);
        }
    }
    Vec::new()
}

/// The server accepted a change (its copy wins) or refused it (the row
/// goes back to what it was, with a toast saying why).
pub fn patched(
    state: &mut AppState,
    request: u64,
    result: Result<Finding, ApiError>,
) -> Vec<Effect> {
    let Some(pending) = state.pending.remove(&request) else {
        return Vec::new();
    };
    let id = pending.finding_id.clone();
    match result {
        Ok(finding) => {
            state.connection = Connection::Online;
            change::replace(state, &id, &finding);
            let title = sanitize(&finding.title).into_owned();
            state.toast(format!("{}: “{title}”", pending.what), false);
            refresh_command_center(state)
        }
        Err(e) => {
            record_error(state, &e);
            if let Some(before) = &pending.before {
                change::replace(state, &id, before);
            }
            let name = pending
                .before
                .as_ref()
                .map_or(id.clone(), |f| format!("“{}”", sanitize(&f.title)));
            state.toast(
                format!(
                    "could not {} {name}: {}; the change was undone",
                    pending.what,
                    short(&e)
                ),
                true,
            );
            Vec::new()
        }
    }
}

/// `POST /scans/run` answered: start polling, or say why not.
pub fn scan_started(state: &mut AppState, result: Result<Scan, ApiError>) -> Vec<Effect> {
    match result {
        Ok(scan) => scan_polled(state, Ok(scan)),
        Err(e) => {
            record_error(state, &e);
            let url = state.scan.take().map(|s| s.url).unwrap_or_default();
            state.toast(
                format!("scan of {} not started: {}", sanitize(&url), short(&e)),
                true,
            );
            Vec::new()
        }
    }
}

/// A poll of the running scan: poll again with backoff until it finishes,
/// then refresh and say how many findings are new.
pub fn scan_polled(state: &mut AppState, result: Result<Scan, ApiError>) -> Vec<Effect> {
    if state.scan.is_none() {
        return Vec::new();
    }
    if let Err(e) = &result {
        record_error(state, e);
    }
    let Some(progress) = state.scan.as_mut() else {
        return Vec::new();
    };
    match result {
        Ok(scan) => {
            progress.status = scan.status.clone();
            progress.id = Some(scan.id.clone());
            if scan.status.is_finished() {
                progress.finished_at = Some(state.now);
            }
            let url = sanitize(&progress.url).into_owned();
            let effects = match &scan.status {
                ScanStatus::Completed => {
                    let new = scan.summary_count("new").unwrap_or(0);
                    let text = format!("scan of {url} completed: {new} new finding(s)");
                    state.toast(text, false);
                    refresh_all(state)
                }
                ScanStatus::Failed => {
                    let why =
                        sanitize(scan.failure_reason().unwrap_or("no reason given")).into_owned();
                    state.toast(format!("scan of {url} failed: {why}"), true);
                    Vec::new()
                }
                _ if state.now.saturating_duration_since(progress.started) >= SCAN_FOLLOW_LIMIT => {
                    progress.finished_at = Some(state.now);
                    stop_following(state, &url, &scan.id);
                    Vec::new()
                }
                _ => {
                    let after = progress.poll_delay;
                    progress.poll_delay = (after * 3 / 2).min(MAX_POLL);
                    vec![Effect::PollScan {
                        id: scan.id.clone(),
                        after,
                    }]
                }
            };
            if let Some(p) = state.scan.as_mut() {
                p.last = Some(scan);
            }
            effects
        }
        Err(e) => {
            let retry = e.status().is_none_or(|s| s == 429 || s >= 500);
            let late = state.now.saturating_duration_since(progress.started) >= SCAN_FOLLOW_LIMIT;
            match (&progress.id, retry) {
                (Some(id), true) if late => {
                    let (url, id) = (sanitize(&progress.url).into_owned(), id.clone());
                    progress.finished_at = Some(state.now);
                    stop_following(state, &url, &id);
                    Vec::new()
                }
                (Some(id), true) => {
                    let after = progress
                        .poll_delay
                        .max(Duration::from_secs(e_retry_after(&e)));
                    progress.poll_delay = (progress.poll_delay * 2).min(MAX_POLL);
                    vec![Effect::PollScan {
                        id: id.clone(),
                        after,
                    }]
                }
                _ => {
                    state.scan = None;
                    state.toast(format!("scan status unknown: {}", short(&e)), true);
                    Vec::new()
                }
            }
        }
    }
}

/// Polling gave up on a scan that is still going: say where it stands and
/// how to find it later.
fn stop_following(state: &mut AppState, url: &str, id: &str) {
    let minutes = SCAN_FOLLOW_LIMIT.as_secs() / 60;
    state.toast(
        format!(
            "scan of {url} still running after {minutes} min; stopped following it \
             (scan {}); press r later to see its findings",
            sanitize(id)
        ),
        true,
    );
}

fn e_retry_after(error: &ApiError) -> u64 {
    match error {
        ApiError::Status(s) => s.retry_after.unwrap_or(0),
        _ => 0,
    }
}

/// One finding of a bulk job answered.
pub fn bulk_item(
    state: &mut AppState,
    job: u64,
    finding_id: &str,
    result: Result<Finding, ApiError>,
) -> Vec<Effect> {
    if state.bulk.as_ref().is_none_or(|b| b.job != job) {
        return Vec::new();
    }
    match result {
        Ok(finding) => {
            // Applied: another press of the key must not send it again.
            state.findings.marks.remove(finding_id);
            change::replace(state, finding_id, &finding);
        }
        Err(e) => {
            record_error(state, &e);
            let name = state
                .finding(finding_id)
                .map_or(finding_id.to_string(), |f| {
                    format!("“{}”", sanitize(&f.title))
                });
            if let Some(b) = state.bulk.as_mut() {
                b.failures.push((name, short(&e)));
            }
        }
    }
    let Some(b) = state.bulk.as_mut() else {
        return Vec::new();
    };
    b.done += 1;
    b.answered.push(finding_id.to_string());
    super::session::finish_bulk_if_done(state)
}
