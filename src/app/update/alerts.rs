//! Alerts: the auto-refresh's answer turned into alerts (status line, the
//! list, the bell, a desktop notification), and the outage it rides out
//! quietly: one status line with backoff, the last data kept and marked
//! stale, no toast per failed refresh.

use super::{command_center, errors};
use crate::api::ApiError;
use crate::app::effect::Effect;
use crate::app::state::{AppState, Modal};
use crate::engine::alerts::{Alert, Snapshot};
use crate::engine::watch::{Fetched, Outage, WatchAsk};

/// The periodic refresh, which also feeds the alerts: paused while a
/// dialog is open (not under the alerts or changes views, which only show).
pub fn auto_refresh(state: &mut AppState) -> Vec<Effect> {
    let dialog = state.modal.as_ref().is_some_and(|m| !m.is_view());
    if dialog || state.findings.filter_input.is_some() {
        paused(state);
        return Vec::new();
    }
    refresh_due(state)
}

/// The auto-refresh is due: ask for the command center and what the
/// alerts need, within the rate budget; unless a request for it is out.
pub fn refresh_due(state: &mut AppState) -> Vec<Effect> {
    if state.command_center.loading {
        paused(state);
        return Vec::new();
    }
    let now = state.now;
    let watch = &mut state.alerts;
    watch.last_due = Some(now);
    // The retry is going out: until it answers, the next one is not due.
    watch.retry_at = None;
    let ask = WatchAsk::plan(
        &state.budget,
        watch.regressions_offered,
        watch.policy_at.map(|at| now.saturating_duration_since(at)),
    );
    let cc = &mut state.command_center;
    cc.loading = true;
    cc.generation += 1;
    vec![Effect::Refresh {
        generation: cc.generation,
        ask,
    }]
}

/// The command center arrived outside the auto-refresh (start, `r`): the
/// first one is the baseline the alerts compare with.
pub fn command_center_seen(state: &mut AppState) {
    if state.alerts.watcher.last().is_some() {
        return;
    }
    if let Some(data) = &state.command_center.data {
        let baseline = Snapshot::of_command_center(data.clone(), state.wall);
        state.alerts.watcher.observe(baseline);
    }
}

/// The auto-refresh answered.
pub fn refreshed(
    state: &mut AppState,
    generation: u64,
    result: Result<Fetched, ApiError>,
) -> Vec<Effect> {
    if generation != state.command_center.generation {
        return Vec::new();
    }
    match result {
        Ok(fetched) => back(state, generation, fetched),
        Err(e) => failed(state, &e),
    }
}

fn back(state: &mut AppState, generation: u64, fetched: Fetched) -> Vec<Effect> {
    let mut snapshot = fetched.snapshot;
    snapshot.at = state.wall;
    command_center::loaded(state, generation, Ok(snapshot.command_center.clone()));
    let now = state.now;
    let watch = &mut state.alerts;
    watch.regressions_offered &= !fetched.regressions_unsupported;
    if fetched.policy_fetched {
        watch.policy_at = Some(now);
    }
    for problem in &fetched.problems {
        tracing::warn!(%problem, "a part of the auto-refresh failed");
    }
    let ended = watch.outage.take();
    watch.retry_at = None;
    let alerts = watch.watcher.observe(snapshot);
    if let Some(outage) = ended {
        let line = outage.headline(state.alerts.utc_offset);
        state.toast(format!("back online ({line})"), false);
    }
    raise(state, alerts)
}

/// Keeps the new alerts and asks the runtime to tell beyond the screen.
fn raise(state: &mut AppState, alerts: Vec<Alert>) -> Vec<Effect> {
    if alerts.is_empty() {
        return Vec::new();
    }
    let title = match alerts.len() {
        1 => format!("krafter: {}", alerts[0].label()),
        n => format!("krafter: {n} alerts"),
    };
    let body = alerts
        .iter()
        .map(|a| a.message.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let settings = &state.alerts.settings;
    let notify = Effect::Notify {
        title,
        body,
        bell: settings.bell,
        desktop: settings.desktop,
    };
    let tell = settings.bell || settings.desktop;
    state.alerts.raise(alerts);
    if tell { vec![notify] } else { Vec::new() }
}

/// A failed refresh: the status line says since when and when the next try
/// is; the data stays on screen, marked stale.
fn failed(state: &mut AppState, error: &ApiError) -> Vec<Effect> {
    state.command_center.loading = false;
    errors::record(state, error);
    let interval = state.session.refresh_interval;
    let wall = state.wall;
    let watch = &mut state.alerts;
    match watch.outage.as_mut() {
        Some(outage) => outage.failed_again(error),
        None => watch.outage = Some(Outage::start(wall, error)),
    }
    let wait = watch
        .outage
        .as_ref()
        .map_or(interval, |o| o.retry_after(interval));
    watch.retry_at = Some(state.now + wait);
    Vec::new()
}

/// The auto-refresh was due but is paused (a dialog is open): the next one
/// is due an interval later, or a retry a moment after the dialog closes.
pub fn paused(state: &mut AppState) {
    let now = state.now;
    let watch = &mut state.alerts;
    watch.last_due = Some(now);
    if watch.retry_at.is_some_and(|at| at <= now) {
        watch.retry_at = Some(now + crate::engine::watch::FIRST_RETRY);
    }
}

/// Opens the alerts list; what it shows counts as seen.
pub fn open_list(state: &mut AppState) -> Vec<Effect> {
    state.alerts.unseen = 0;
    state.modal = Some(Modal::Alerts { scroll: 0 });
    Vec::new()
}
