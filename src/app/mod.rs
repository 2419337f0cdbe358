//! The TUI's core: one state, one action type, a pure update, effects run by
//! an API worker.

pub mod action;
pub mod effect;
pub mod event_loop;
pub mod key;
pub mod keymap;
pub mod state;
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

/// Opens the TUI against the configured service.
pub async fn run_tui(global: &GlobalArgs) -> color_eyre::Result<i32> {
    let resolved = crate::config::resolve(global)?;
    let client = Client::new(resolved.client.clone())?;
    let state = initial_state(
        &client,
        &resolved.profile,
        resolved.me.clone(),
        resolved.read_only,
        &resolved.ui,
        &resolved.keys,
        resolved.warnings.clone(),
    );
    event_loop::run(state, client).await?;
    Ok(0)
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
        let state = initial_state(
            &client,
            "demo",
            sandbox.me.clone(),
            global.read_only,
            &ui,
            &keys,
            warnings,
        );
        event_loop::run(state, client).await
    }
    .await;
    sandbox.shutdown().await;
    outcome.map(|()| 0)
}

/// The state a session starts from; config warnings (and bad key
/// overrides) become error toasts so they are seen and stay until read.
pub fn initial_state(
    client: &Client,
    profile: &str,
    me: Option<String>,
    read_only: bool,
    ui: &UiSettings,
    keys: &[KeyOverride],
    warnings: Vec<String>,
) -> AppState {
    let session = SessionInfo {
        base_url: client.base_url().to_string(),
        org_id: client.org_id().to_string(),
        project_id: client.project_id().to_string(),
        profile: profile.to_string(),
        me,
        read_only,
        refresh_interval: ui.refresh_interval,
        page_size: ui.page_size,
        default_scan_url: ui.default_scan_url.clone(),
    };
    build_state(session, ui, keys, warnings)
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
