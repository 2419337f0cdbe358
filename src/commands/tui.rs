//! Opening the TUI: on the configured service (`krafter`), or on a demo
//! sandbox started for the session (`krafter demo`).

use color_eyre::eyre::eyre;

use crate::api::Client;
use crate::app::state::AppState;
use crate::app::switch::{SessionChange, SwitchTarget};
use crate::cli::{DemoArgs, GlobalArgs};
use crate::config::{KeyOverride, UiSettings};
use crate::engine::people::People;
use crate::runtime::{Runtime, Switcher, event_loop, session_change};
use crate::sandbox::{DataSource, SandboxOptions};
use crate::ui::theme::Theme;

/// Opens the TUI against the configured service.
pub async fn run(global: &GlobalArgs) -> color_eyre::Result<i32> {
    let flags = global.flags();
    let resolved = crate::config::resolve(&flags)?;
    let client = Client::new(resolved.client.clone())?;
    let change = session_change(&resolved, &client);
    let (mut state, theme) = open(change, &resolved.ui, &resolved.key_overrides);
    state.targets = resolved
        .profiles
        .iter()
        .cloned()
        .map(SwitchTarget::Profile)
        .collect();
    let switcher = Switcher::Profiles {
        flags: Box::new(flags),
    };
    finish(event_loop::run(Runtime::new(state, client, switcher), theme).await?)
}

/// Starts the sandbox with demo data on an ephemeral loopback port, opens the
/// TUI against it, and stops the sandbox when the TUI quits.
pub async fn demo(global: &GlobalArgs, args: &DemoArgs) -> color_eyre::Result<i32> {
    let data = args.generate.map_or(DataSource::Demo, DataSource::Generate);
    let sandbox = crate::sandbox::spawn(SandboxOptions::demo().with_data(data)).await?;
    // The config file's UI settings and keys still apply; its service does not.
    let ui_only = crate::config::resolve_ui(&global.flags())?;
    let (mut ui, keys, warnings) = (ui_only.ui, ui_only.key_overrides, ui_only.warnings);
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
            read_only: global.read_only,
            people: People::new(sandbox.people.clone(), sandbox.me.clone()),
            warnings,
            ..SessionChange::of(&client)
        };
        let (mut state, theme) = open(change.clone(), &ui, &keys);
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
        event_loop::run(Runtime::new(state, client, switcher), theme).await
    }
    .await;
    sandbox.shutdown().await;
    finish(outcome?)
}

/// The state and the colours of a session; bad colour overrides become
/// error toasts like every other config warning.
pub fn open(mut change: SessionChange, ui: &UiSettings, keys: &[KeyOverride]) -> (AppState, Theme) {
    let (theme, warnings) = Theme::from_settings(ui);
    change.warnings.extend(warnings);
    (AppState::open(change, ui, keys), theme)
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
