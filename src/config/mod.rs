//! Configuration: the config file, profiles, precedence (flags > environment >
//! profile > defaults) and the API key's sources.
//!
//! [`resolve`] reads the real environment and the platform's config file;
//! [`resolve_with`] takes both as arguments so that every rule can be tested
//! without touching the process environment.

pub mod file;
pub mod paths;
pub mod secret;

use std::path::{Path, PathBuf};
use std::time::Duration;

use color_eyre::eyre::{Result, WrapErr, bail, eyre};

use crate::api::client::DEFAULT_BASE_URL;
use crate::api::{ApiKey, ClientSettings};
use crate::cli::GlobalArgs;

pub use file::{ConfigFile, LoadedFile, ProfileConfig};
pub use secret::KeySource;

/// The shortest refresh interval of the command center: the team's rate
/// budget is shared, so the TUI must not poll faster than this.
pub const MIN_REFRESH: Duration = Duration::from_secs(10);
/// The name given to the settings when the file defines no profile.
pub const DEFAULT_PROFILE: &str = "default";

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
    /// Where the API key came from (never the key itself).
    pub key_source: KeySource,
    /// The config file that was read, when there was one.
    pub config_file: Option<PathBuf>,
}

/// Looks up an environment variable; empty values count as unset.
pub type EnvLookup<'a> = &'a dyn Fn(&str) -> Option<String>;

fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Resolves the active profile from the flags, the process environment and
/// the config file.
pub fn resolve(global: &GlobalArgs) -> Result<Resolved> {
    resolve_with(
        global,
        &process_env,
        paths::default_config_file().as_deref(),
    )
}

/// Resolves the named profile (the TUI's profile switcher). Flags and
/// environment still win over the profile's values, as everywhere.
pub fn resolve_profile(global: &GlobalArgs, name: &str) -> Result<Resolved> {
    let mut global = global.clone();
    global.profile = Some(name.to_string());
    resolve(&global)
}

/// The names of the profiles in the config file, sorted; empty without a file.
pub fn list_profiles(global: &GlobalArgs) -> Result<Vec<String>> {
    let (_, loaded) = load(
        global,
        &process_env,
        paths::default_config_file().as_deref(),
    )?;
    Ok(loaded
        .map(|l| l.config.profiles.keys().cloned().collect())
        .unwrap_or_default())
}

/// The config file path in use and whether it was named explicitly.
pub fn config_path(
    global: &GlobalArgs,
    env: EnvLookup<'_>,
    default_path: Option<&Path>,
) -> (Option<PathBuf>, bool) {
    let explicit = global
        .config
        .clone()
        .or_else(|| lookup(env, "KRAFTER_CONFIG").map(PathBuf::from));
    match explicit {
        Some(p) => (Some(p), true),
        None => (default_path.map(Path::to_path_buf), false),
    }
}

fn lookup(env: EnvLookup<'_>, name: &str) -> Option<String> {
    env(name).filter(|v| !v.trim().is_empty())
}

/// The TUI's settings alone: `[ui]`, `[keys]` and colour, without a
/// profile, org or key (for `krafter demo`, which brings its own service).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UiOnly {
    pub ui: UiSettings,
    pub keys: Vec<KeyOverride>,
    pub warnings: Vec<String>,
}

/// Reads only the TUI's settings from the config file and environment.
pub fn resolve_ui(global: &GlobalArgs) -> Result<UiOnly> {
    resolve_ui_with(
        global,
        &process_env,
        paths::default_config_file().as_deref(),
    )
}

/// [`resolve_ui`] with the environment and the default config path given.
pub fn resolve_ui_with(
    global: &GlobalArgs,
    env: EnvLookup<'_>,
    default_path: Option<&Path>,
) -> Result<UiOnly> {
    let (_, loaded) = load(global, env, default_path)?;
    let mut warnings = loaded
        .as_ref()
        .map(|l| l.warnings.clone())
        .unwrap_or_default();
    let mut ui = ui_settings(loaded.as_ref().map(|l| &l.config.ui), &mut warnings);
    ui.no_color = global.no_color || lookup(env, "NO_COLOR").is_some();
    let keys = loaded.as_ref().map(key_overrides).unwrap_or_default();
    Ok(UiOnly { ui, keys, warnings })
}

/// Reads the config file: an explicitly named file must exist; the default
/// one may be absent.
fn load(
    global: &GlobalArgs,
    env: EnvLookup<'_>,
    default_path: Option<&Path>,
) -> Result<(Option<PathBuf>, Option<LoadedFile>)> {
    let (path, explicit) = config_path(global, env, default_path);
    let Some(path) = path else {
        return Ok((None, None));
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
            return Ok((Some(path), None));
        }
        Err(e) => {
            return Err(e).wrap_err(format!(
                "could not read the config file {}; check the path given by --config or KRAFTER_CONFIG",
                path.display()
            ));
        }
    };
    let loaded = file::parse(&text, &path)?;
    Ok((Some(path), Some(loaded)))
}

/// [`resolve`] with the environment and the default config path given.
pub fn resolve_with(
    global: &GlobalArgs,
    env: EnvLookup<'_>,
    default_path: Option<&Path>,
) -> Result<Resolved> {
    let (path, loaded) = load(global, env, default_path)?;
    let mut warnings = loaded
        .as_ref()
        .map(|l| l.warnings.clone())
        .unwrap_or_default();
    let requested = global
        .profile
        .clone()
        .or_else(|| lookup(env, "KRAFTER_PROFILE"));
    let (profile_name, profile) = select_profile(loaded.as_ref(), requested, path.as_deref())?;
    let where_ = ProfilePlace {
        name: &profile_name,
        path: path.as_deref(),
    };

    let allow_insecure_http =
        global.allow_insecure_http || profile.allow_insecure_http == Some(true);
    let base_url = global
        .base_url
        .clone()
        .or_else(|| lookup(env, "KRAFTER_BASE_URL"))
        .or(profile.base_url.clone())
        .unwrap_or_else(|| DEFAULT_BASE_URL.to_string());
    let base_url = check_base_url(&base_url, allow_insecure_http, &mut warnings)?;
    let org_id = global
        .org_id
        .clone()
        .or_else(|| lookup(env, "KRAFTER_ORG_ID"))
        .or(profile.org_id.clone())
        .ok_or_else(|| where_.missing("org id", "--org", "KRAFTER_ORG_ID", "org_id"))?;
    let project_id = global
        .project_id
        .clone()
        .or_else(|| lookup(env, "KRAFTER_PROJECT_ID"))
        .or(profile.project_id.clone())
        .ok_or_else(|| {
            where_.missing(
                "project id",
                "--project",
                "KRAFTER_PROJECT_ID",
                "project_id",
            )
        })?;

    if let (Some(path), Some(l)) = (path.as_deref(), loaded.as_ref()) {
        let holds_key = l.config.profiles.values().any(|p| p.api_key.is_some());
        if holds_key && secret::readable_by_others(path) {
            warnings.push(format!(
                "{} holds an API key and can be read by other users; run `chmod 600 {}` \
                 or move the key to KRAFTER_API_KEY or api_key_command",
                path.display(),
                path.display()
            ));
        }
    }
    let (api_key, key_source) = resolve_key(global, env, &profile, &where_)?;

    let me = profile.me.clone();
    if let Some(me) = &me
        && uuid::Uuid::parse_str(me).is_err()
    {
        warnings.push(format!(
            "profile `{profile_name}`: me = \"{me}\" is not a UUID; \"assign to me\" will be refused by the server"
        ));
    }

    let mut client = ClientSettings::new(base_url, org_id, project_id, api_key);
    client.allow_insecure_http = allow_insecure_http;
    let config = loaded.as_ref().map(|l| &l.config);
    let mut ui = ui_settings(config.map(|c| &c.ui), &mut warnings);
    ui.no_color = global.no_color || lookup(env, "NO_COLOR").is_some();
    let keys = match &loaded {
        Some(l) => key_overrides(l),
        None => Vec::new(),
    };
    Ok(Resolved {
        profile: profile_name,
        profiles: config
            .map(|c| c.profiles.keys().cloned().collect())
            .unwrap_or_default(),
        client,
        me,
        read_only: global.read_only || profile.read_only == Some(true),
        ui,
        keys,
        warnings,
        key_source,
        config_file: loaded.as_ref().and(path),
    })
}

/// Names the profile and file in messages about a missing setting.
struct ProfilePlace<'a> {
    name: &'a str,
    path: Option<&'a Path>,
}

impl ProfilePlace<'_> {
    fn file(&self) -> String {
        match self.path {
            Some(p) => p.display().to_string(),
            None => "the config file".to_string(),
        }
    }

    fn missing(&self, what: &str, flag: &str, env: &str, key: &str) -> color_eyre::Report {
        eyre!(
            "no {what} is set; pass {flag}, set {env}, or add `{key} = ...` to [profiles.{}] in {}",
            self.name,
            self.file()
        )
    }
}

fn select_profile(
    loaded: Option<&LoadedFile>,
    requested: Option<String>,
    path: Option<&Path>,
) -> Result<(String, ProfileConfig)> {
    let file = path
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "the config file".into());
    let profiles = loaded.map(|l| &l.config.profiles);
    let names = || {
        profiles
            .map(|p| p.keys().cloned().collect::<Vec<_>>().join(", "))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "none".into())
    };
    let wanted = requested.or_else(|| loaded.and_then(|l| l.config.default_profile.clone()));
    if let Some(name) = wanted {
        return match profiles.and_then(|p| p.get(&name)) {
            Some(p) => Ok((name, p.clone())),
            None if loaded.is_none() => bail!(
                "profile `{name}` was asked for but there is no config file at {file}; \
                 create it (see config.example.toml) or drop --profile / KRAFTER_PROFILE"
            ),
            None => bail!(
                "profile `{name}` is not in {file} (profiles there: {}); \
                 check --profile, KRAFTER_PROFILE and default_profile",
                names()
            ),
        };
    }
    match profiles {
        None => Ok((DEFAULT_PROFILE.into(), ProfileConfig::default())),
        Some(p) if p.is_empty() => Ok((DEFAULT_PROFILE.into(), ProfileConfig::default())),
        Some(p) if p.len() == 1 || p.contains_key(DEFAULT_PROFILE) => {
            let (name, profile) = p
                .get_key_value(DEFAULT_PROFILE)
                .or_else(|| p.iter().next())
                .ok_or_else(|| eyre!("no profile in {file}"))?;
            Ok((name.clone(), profile.clone()))
        }
        Some(_) => bail!(
            "{file} has several profiles ({}) and no default_profile; \
             pick one with --profile NAME or KRAFTER_PROFILE, or set default_profile",
            names()
        ),
    }
}

/// Checks the base URL: http(s) only, and plain http only to a loopback
/// host unless allowed. Returns it without a trailing slash.
pub fn check_base_url(
    raw: &str,
    allow_insecure_http: bool,
    warnings: &mut Vec<String>,
) -> Result<String> {
    let url = url::Url::parse(raw.trim()).map_err(|e| {
        eyre!("the base URL `{raw}` is not a valid URL ({e}); it looks like {DEFAULT_BASE_URL}")
    })?;
    let host = url.host_str().unwrap_or_default().to_string();
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" if allow_insecure_http => warnings.push(format!(
            "plain http:// to {host}: the API key travels unencrypted (allowed by --allow-insecure-http)"
        )),
        "http" => bail!(
            "refusing the plain http:// base URL {raw}: the API key would travel unencrypted to {host}; \
             use https://, or pass --allow-insecure-http if you really mean it (loopback hosts are always allowed)"
        ),
        other => bail!("the base URL must start with https:// (got {other}://)"),
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

fn resolve_key(
    global: &GlobalArgs,
    env: EnvLookup<'_>,
    profile: &ProfileConfig,
    place: &ProfilePlace<'_>,
) -> Result<(ApiKey, KeySource)> {
    let from_env = |name: &str| {
        lookup(env, name).and_then(|v| {
            ApiKey::new(v)
                .ok()
                .map(|k| (k, KeySource::Env(name.into())))
        })
    };
    if let Some(name) = &global.api_key_env {
        return from_env(name).ok_or_else(|| {
            eyre!("--api-key-env names {name}, but {name} is not set or is empty; export it or drop the flag")
        });
    }
    if let Some(found) = from_env(secret::DEFAULT_KEY_ENV) {
        return Ok(found);
    }
    let mut looked = vec![format!(
        "the environment variable {} (not set)",
        secret::DEFAULT_KEY_ENV
    )];
    match &profile.api_key_env {
        Some(name) => match from_env(name) {
            Some(found) => return Ok(found),
            None => looked.push(format!("{name}, named by api_key_env (not set)")),
        },
        None => looked.push("api_key_env (not in the profile)".into()),
    }
    if let Some(command) = &profile.api_key_command {
        let timeout = profile
            .api_key_command_timeout
            .map(Duration::from_secs)
            .unwrap_or(secret::DEFAULT_COMMAND_TIMEOUT);
        let key = secret::run_key_command(command, timeout)
            .map_err(|e| eyre!("profile `{}`: {e}", place.name))?;
        return Ok((key, KeySource::Command));
    }
    looked.push("api_key_command (not in the profile)".into());
    if let Some(key) = &profile.api_key {
        let key = ApiKey::new(key.as_str()).map_err(|_| {
            eyre!(
                "profile `{}`: api_key in {} is empty",
                place.name,
                place.file()
            )
        })?;
        return Ok((key, KeySource::File));
    }
    looked.push(match place.path {
        Some(p) if p.exists() => format!(
            "api_key in [profiles.{}] of {} (not set)",
            place.name,
            p.display()
        ),
        Some(p) => format!("api_key in {} (no such file)", p.display()),
        None => "api_key in a config file (no config directory on this system)".into(),
    });
    Err(eyre!(
        "no API key found for profile `{}`. Looked at: {}.\n\
         Create a key in the Krafter dashboard (app.krafter.dev; audit:read to look, audit:write to change), \
         then `export KRAFTER_API_KEY=...` or set api_key_command in the profile. \
         To try krafter without an account, run `krafter demo`.",
        place.name,
        looked.join("; ")
    ))
}

fn ui_settings(ui: Option<&file::UiConfig>, warnings: &mut Vec<String>) -> UiSettings {
    let mut settings = UiSettings::default();
    let Some(ui) = ui else {
        return settings;
    };
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
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    settings.default_scan_url = ui.default_scan_url.clone();
    settings
}

fn key_overrides(loaded: &LoadedFile) -> Vec<KeyOverride> {
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
