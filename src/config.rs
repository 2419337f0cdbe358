//! Configuration: the config file, profiles, precedence (flags > environment >
//! profile > defaults) and the API key's sources.

use std::time::Duration;

use crate::api::ClientSettings;
use crate::cli::GlobalArgs;

/// A `[keys]` override from the config file: `action = "key"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyOverride {
    /// The keymap action id, e.g. `triage`.
    pub action: String,
    /// The key string as written, e.g. `ctrl-t` or `T`.
    pub key: String,
    /// 1-based line in the config file, for warnings.
    pub line: Option<usize>,
}

/// Colour theme.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ThemeName {
    #[default]
    Dark,
    Light,
}

/// Settings of the TUI.
#[derive(Clone, Debug, PartialEq)]
pub struct UiSettings {
    /// How often the command center refreshes (at least 10 s).
    pub refresh_interval: Duration,
    /// Rows asked for per findings page (the server may send fewer).
    pub page_size: u32,
    pub theme: ThemeName,
    /// User colour overrides, `role = "colour"` (e.g. `critical = "#ff0000"`).
    pub colors: Vec<(String, String)>,
    /// `NO_COLOR` or `--no-color`.
    pub no_color: bool,
    /// Pre-filled URL of the scan prompt.
    pub default_scan_url: Option<String>,
}

impl Default for UiSettings {
    fn default() -> Self {
        UiSettings {
            refresh_interval: Duration::from_secs(60),
            page_size: 100,
            theme: ThemeName::Dark,
            colors: Vec::new(),
            no_color: false,
            default_scan_url: None,
        }
    }
}

/// Everything a command needs, resolved from flags, environment and file.
#[derive(Clone, Debug)]
pub struct Resolved {
    /// The active profile's name (`default` when the file has none).
    pub profile: String,
    /// Every profile of the file, for the TUI's switcher.
    pub profiles: Vec<String>,
    pub client: ClientSettings,
    /// The user's UUID, for "assign to me".
    pub me: Option<String>,
    pub read_only: bool,
    pub ui: UiSettings,
    pub keys: Vec<KeyOverride>,
    /// Problems worth telling the user that did not stop krafter
    /// (a config file readable by others, an unknown key, ...).
    pub warnings: Vec<String>,
}

/// Resolves the active profile.
#[allow(unused_variables)]
pub fn resolve(global: &GlobalArgs) -> color_eyre::Result<Resolved> {
    todo!()
}
