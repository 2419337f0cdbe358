//! Opening the TUI: on the configured service (`krafter`), or on a demo
//! sandbox started for the session (`krafter demo`).

use color_eyre::eyre::eyre;

use crate::api::Client;
use crate::app::state::AppState;
use crate::app::switch::{SessionChange, SwitchTarget};
use crate::cli::{DemoArgs, GlobalArgs};
use crate::config::{KeyOverride, UiSettings};
use crate::engine::people::People;
use crate::journal::{self, Journal};
use crate::runtime::{Runtime, Switcher, event_loop, session_change};
use crate::sandbox::{DataSource, SandboxOptions};
use crate::ui::theme::Theme;
use std::path::Path;

/// Opens the TUI against the configured service.
pub async fn run(global: &GlobalArgs) -> color_eyre::Result<i32> {
    let flags = global.flags();
    let resolved = crate::config::resolve(&flags)?;
    let client = Client::new(resolved.client.clone())?;
    let mut change = session_change(&resolved, &client);
    let journal = open_journal(None, &mut change.warnings);
    let (mut state, theme) = open(change, &resolved.ui, &resolved.key_overrides);
    keep_on_disk(&mut state, resolved.config_file.clone());
    state.targets = resolved
        .profiles
        .iter()
        .cloned()
        .map(SwitchTarget::Profile)
        .collect();
    let switcher = Switcher::Profiles {
        flags: Box::new(flags),
    };
    finish(event_loop::run(Runtime::new(state, client, switcher, journal), theme).await?)
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
    let demo_journal =
        std::env::temp_dir().join(format!("krafter-demo-{}.sqlite3", std::process::id()));
    let outcome = async {
        let project = sandbox.projects.first().ok_or_else(|| {
            eyre!("the demo sandbox has no project; this is a bug in its data set")
        })?;
        let client = Client::new(sandbox.client_settings(project))?;
        let mut change = SessionChange {
            profile: "demo".to_string(),
            read_only: global.read_only,
            people: People::new(sandbox.people.clone(), sandbox.me.clone()),
            warnings,
            ..SessionChange::of(&client)
        };
        // The demo's data lives only as long as its sandbox: so does the
        // journal of its bulk jobs.
        let journal = open_journal(Some(&demo_journal), &mut change.warnings);
        let (mut state, theme) = open(change.clone(), &ui, &keys);
        keep_on_disk(&mut state, global.flags().config.clone());
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
        event_loop::run(Runtime::new(state, client, switcher, journal), theme).await
    }
    .await;
    sandbox.shutdown().await;
    for suffix in ["", "-wal", "-shm", ".locks"] {
        let mut path = demo_journal.clone().into_os_string();
        path.push(suffix);
        let path = std::path::PathBuf::from(path);
        let _ = if path.is_dir() {
            std::fs::remove_dir_all(path)
        } else {
            std::fs::remove_file(path)
        };
    }
    finish(outcome?)
}

/// The state and the colours of a session; bad colour overrides become
/// error toasts like every other config warning.
pub fn open(mut change: SessionChange, ui: &UiSettings, keys: &[KeyOverride]) -> (AppState, Theme) {
    let (theme, warnings) = Theme::from_settings(ui);
    change.warnings.extend(warnings);
    (AppState::open(change, ui, keys), theme)
}

/// Where the session keeps what outlives it: the config file (saved
/// views), the command history and the remembered views (read now), and
/// whether it runs over SSH (no browser opens there).
fn keep_on_disk(state: &mut AppState, config_file: Option<std::path::PathBuf>) {
    let s = &mut state.session;
    s.over_ssh =
        std::env::var_os("SSH_CONNECTION").is_some() || std::env::var_os("SSH_TTY").is_some();
    s.config_file = config_file.or_else(|| {
        std::env::var_os("KRAFTER_CONFIG")
            .map(std::path::PathBuf::from)
            .or_else(crate::config::paths::default_config_file)
    });
    s.state_dir = crate::config::paths::state_dir();
    if let Some(dir) = &state.session.state_dir {
        use crate::runtime::persist;
        state.command_history = persist::read_history(&dir.join(crate::app::update::HISTORY_FILE));
        state.remembered = persist::read_remembered(&dir.join(crate::app::update::REMEMBERED_FILE))
            .into_iter()
            .collect();
    }
}

/// The journal of bulk jobs: `path`, or the one in the data directory. When
/// it cannot be opened the TUI still runs, with bulk changes refused and a
/// warning saying why; a damaged one is set aside and named.
fn open_journal(path: Option<&Path>, warnings: &mut Vec<String>) -> Result<Journal, String> {
    let path = match path {
        Some(p) => p.to_path_buf(),
        None => match crate::config::paths::data_dir() {
            Some(dir) => journal::default_path(&dir),
            None => {
                let why = "no data directory to keep it in (no home directory?)".to_string();
                warnings.push(format!("bulk changes are off: {why}"));
                return Err(why);
            }
        },
    };
    match Journal::open(&path) {
        Ok(opened) => {
            if let Some(aside) = opened.set_aside {
                warnings.push(aside.to_string());
            }
            Ok(opened.journal)
        }
        Err(e) => {
            warnings.push(format!("bulk changes are off: {e}"));
            Err(e.to_string())
        }
    }
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
