//! The TUI's settings from `[ui]` and `[keys]`: carried, clamped and
//! warned about here; interpreted by the TUI.

use std::time::Duration;

use super::file::LoadedFile;

/// The shortest refresh interval of the command center: the team's rate
/// budget is shared, so the TUI must not poll faster than this.
pub const MIN_REFRESH: Duration = Duration::from_secs(10);

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

/// A `[ui.colors]` override from the config file: `role = "colour"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColorOverride {
    /// The theme role, e.g. `critical`.
    pub role: String,
    /// The colour as written, e.g. `#ff0000` or `red`.
    pub color: String,
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
    pub colors: Vec<ColorOverride>,
    /// `NO_COLOR` or `--no-color`.
    pub no_color: bool,
    /// Pre-filled URL of the scan prompt.
    pub default_scan_url: Option<String>,
    /// `[alerts]`: used by the TUI and `krafter watch`.
    pub alerts: super::alerts::AlertSettings,
    /// The saved views of the findings list (the built-in ones when the
    /// config names none).
    pub views: Vec<super::views::ViewSpec>,
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
            alerts: super::alerts::AlertSettings::default(),
            views: super::views::builtin(),
        }
    }
}

/// The TUI's settings alone: `[ui]`, `[keys]` and colour, without a
/// profile, org or key (for `krafter demo`, which brings its own service).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UiOnly {
    pub ui: UiSettings,
    pub key_overrides: Vec<KeyOverride>,
    pub warnings: Vec<String>,
}

/// `[ui]` with defaults filled in and out-of-range values clamped (warned).
pub(super) fn ui_settings(loaded: Option<&LoadedFile>, warnings: &mut Vec<String>) -> UiSettings {
    let mut settings = UiSettings::default();
    let Some(loaded) = loaded else {
        return settings;
    };
    let ui = &loaded.config.ui;
    if let Some(secs) = ui.refresh_interval {
        let wanted = Duration::from_secs(secs);
        if wanted < MIN_REFRESH {
            warnings.push(format!(
                "ui.refresh_interval = {secs} is below the minimum of {}s (the rate budget is shared by the team); using {}s",
                MIN_REFRESH.as_secs(),
                MIN_REFRESH.as_secs()
            ));
        }
        settings.refresh_interval = wanted.max(MIN_REFRESH);
    }
    if let Some(size) = ui.page_size {
        let clamped = size.clamp(1, 100);
        if clamped != size {
            warnings.push(format!(
                "ui.page_size = {size} is outside 1..=100 (the service sends at most 100 rows); using {clamped}"
            ));
        }
        settings.page_size = clamped;
    }
    match ui.theme.as_deref() {
        None | Some("dark") => {}
        Some("light") => settings.theme = ThemeName::Light,
        Some(other) => warnings.push(format!(
            "ui.theme = \"{other}\" is not a theme (dark or light); using dark"
        )),
    }
    settings.colors = ui
        .colors
        .iter()
        .map(|(role, color)| ColorOverride {
            role: role.clone(),
            color: color.get_ref().clone(),
            line: Some(loaded.line_of(&color.span())),
        })
        .collect();
    settings.colors.sort_by_key(|c| c.line);
    settings.default_scan_url = ui.default_scan_url.clone();
    settings.alerts = super::alerts::alert_settings(Some(loaded), warnings);
    settings
}

/// `[keys]` in file order, each with its line.
pub(super) fn key_overrides(loaded: &LoadedFile) -> Vec<KeyOverride> {
    let mut keys: Vec<KeyOverride> = loaded
        .config
        .keys
        .iter()
        .map(|(action, key)| KeyOverride {
            action: action.clone(),
            key: key.get_ref().clone(),
            line: Some(loaded.line_of(&key.span())),
        })
        .collect();
    keys.sort_by_key(|k| k.line);
    keys
}
