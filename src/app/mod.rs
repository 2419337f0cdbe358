//! The TUI's core: one state, one action type, a pure update, effects run by
//! an API worker.

pub mod action;
pub mod bulk;
pub mod effect;
pub mod event_loop;
pub mod findings;
pub mod key;
pub mod keymap;
pub mod state;
pub mod switch;
pub mod terminal;
pub mod update;
pub mod worker;

use std::time::Instant;

use color_eyre::eyre::eyre;

use crate::api::Client;
use crate::cli::{DemoArgs, GlobalArgs};
use crate::config::{KeyOverride, UiSettings};
use crate::sandbox::{DataSource, SandboxOptions};
use keymap::Keymap;
use state::{AppState, SessionInfo};
use switch::{SessionChange, SwitchTarget, Switcher};

/// Opens the TUI against the configured service.
pub async fn run_tui(global: &GlobalArgs) -> color_eyre::Result<i32> {
    let resolved = crate::config::resolve(global)?;
    let client = Client::new(resolved.client.clone())?;
    let change = SessionChange {
        profile: resolved.profile.clone(),
        me: resolved.me.clone(),
        read_only: resolved.read_only,
        people: resolved.people.clone(),
        warnings: resolved.warnings.clone(),
        ..SessionChange::of(&client)
    };
    let mut state = initial_state(change, &resolved.ui, &resolved.keys);
    state.targets = resolved
        .profiles
        .iter()
        .cloned()
        .map(SwitchTarget::Profile)
        .collect();
    let switcher = Switcher::Profiles {
        global: Box::new(global.clone()),
    };
    finish(event_loop::run(state, client, switcher).await?)
}

/// Starts the sandbox with demo data on an ephemeral loopback port, opens the
/// TUI against it, and stops the sandbox when the TUI quits.
pub async fn run_demo(global: &GlobalArgs, args: &DemoArgs) -> color_eyre::Result<i32> {
    let data = args.generate.map_or(DataSource::Demo, DataSource::Generate);
    let sandbox = crate::sandbox::spawn(SandboxOptions::demo().with_data(data)).await?;
    // The config file's UI settings and keys still apply; its service does not.
    let ui_only = crate::config::resolve_ui(global)?;
    let (mut ui, keys, warnings) = (ui_only.ui, ui_only.keys, ui_only.warnings);
    // The scan prompt offers the demo's own site unless the config names one.
    if ui.default_scan_url.is_none() {
        ui.default_scan_url = sandbox.demo_site_url.clone();
    }
    let outcome = async {
        let project = sandbox.projects.first().ok_or_else(|| {
            eyre!("the demo sandbox has no project; this is a bug in its data set")
        })?;
        let client = Client::new(sandbox.client_settings(project))?;
        let change = SessionChange {
            profile: "demo".to_string(),
            me: sandbox.me.clone(),
            read_only: global.read_only,
            people: sandbox.people.clone(),
            warnings,
            ..SessionChange::of(&client)
        };
        let mut state = initial_state(change.clone(), &ui, &keys);
        state.targets = sandbox
            .projects
            .iter()
            .cloned()
            .map(SwitchTarget::Project)
            .collect();
        let switcher = Switcher::Projects {
            client: client.clone(),
            base: Box::new(change),
        };
        event_loop::run(state, client, switcher).await
    }
    .await;
    sandbox.shutdown().await;
    finish(outcome?)
}

/// Prints what a bulk job left undone, once the terminal is back.
fn finish(report: Option<String>) -> color_eyre::Result<i32> {
    match report {
        Some(text) => {
            eprintln!("{text}");
            Ok(1)
        }
        None => Ok(0),
    }
}

/// The state a session starts from; config warnings (and bad key
/// overrides) become error toasts so they are seen and stay until read.
pub fn initial_state(change: SessionChange, ui: &UiSettings, keys: &[KeyOverride]) -> AppState {
    let session = SessionInfo {
        base_url: change.base_url,
        org_id: change.org_id,
        project_id: change.project_id,
        profile: change.profile,
        me: change.me,
        read_only: change.read_only,
        refresh_interval: ui.refresh_interval,
        page_size: ui.page_size,
        default_scan_url: ui.default_scan_url.clone(),
        people: change.people,
    };
    build_state(session, ui, keys, change.warnings)
}

/// The state for a session, without a client (tests build it this way).
pub fn build_state(
    session: SessionInfo,
    ui: &UiSettings,
    keys: &[KeyOverride],
    mut warnings: Vec<String>,
) -> AppState {
    let (keymap, key_warnings) = Keymap::new(keys);
    let (theme, color_warnings) = crate::ui::theme::Theme::from_settings(ui);
    warnings.extend(key_warnings);
    warnings.extend(color_warnings);
    let mut state = AppState::new(session, keymap, Instant::now(), chrono::Utc::now());
    state.theme = theme;
    for w in warnings {
        state.toast(w, true);
    }
    state
}
