//! Configuration: the config file, profiles, precedence (flags > environment >
//! profile > defaults) and the API key's sources.
//!
//! [`resolve`] reads the real environment and the platform's config file;
//! [`resolve_with`] takes both as arguments so that every rule can be tested
//! without touching the process environment.

pub mod alerts;
mod base_url;
mod env;
pub mod file;
mod flags;
pub mod paths;
mod profile;
pub mod secret;
mod ui;
pub mod views;

use std::path::{Path, PathBuf};

use color_eyre::eyre::{Result, WrapErr};

use crate::api::ClientSettings;
use crate::api::client::DEFAULT_BASE_URL;
use crate::engine::people::People;
pub use flags::Flags;

pub use alerts::AlertSettings;
pub use base_url::check_base_url;
pub use file::{ConfigFile, LoadedFile, ProfileConfig};
pub use secret::KeySource;
pub use ui::{ColorOverride, KeyOverride, MIN_REFRESH, ThemeName, UiOnly, UiSettings};

pub use env::EnvLookup;
pub use profile::DEFAULT_PROFILE;

use env::{lookup, process_env};
use profile::{ProfilePlace, resolve_key, select_profile};
use ui::{key_overrides, ui_settings};

/// Everything a command needs, resolved from flags, environment and file.
#[derive(Clone, Debug)]
pub struct Resolved {
    /// The active profile's name (`default` when the file has none).
    pub profile: String,
    /// Every profile of the file, for the TUI's switcher.
    pub profiles: Vec<String>,
    pub client: ClientSettings,
    /// People by name (sorted by name: the global `[people]` with the
    /// profile's `[profiles.NAME.people]` on top) and the user's own UUID
    /// (`me`, for "assign to me").
    pub people: People,
    pub read_only: bool,
    pub ui: UiSettings,
    /// `[keys]`: the user's key bindings.
    pub key_overrides: Vec<KeyOverride>,
    /// Problems worth telling the user that did not stop krafter
    /// (a config file readable by others, an unknown key, ...).
    pub warnings: Vec<String>,
    /// Where the API key came from (never the key itself).
    pub key_source: KeySource,
    /// The config file that was read, when there was one.
    pub config_file: Option<PathBuf>,
    /// The profile's Krafter web app (`web_url`), for opening findings.
    pub web_url: Option<String>,
}

/// Resolves the active profile from the flags, the process environment and
/// the config file.
pub fn resolve(global: &Flags) -> Result<Resolved> {
    resolve_with(
        global,
        &process_env,
        paths::default_config_file().as_deref(),
    )
}

/// Resolves the named profile (the TUI's profile switcher). Flags and
/// environment still win over the profile's values, as everywhere. The
/// stderr of an `api_key_command` is discarded: the TUI owns the screen.
pub fn resolve_profile(global: &Flags, name: &str) -> Result<Resolved> {
    let mut global = global.clone();
    global.profile = Some(name.to_string());
    resolve_inner(
        &global,
        &process_env,
        paths::default_config_file().as_deref(),
        secret::CommandStderr::Discard,
    )
}

/// The names of the profiles in the config file, sorted; empty without a file.
pub fn list_profiles(global: &Flags) -> Result<Vec<String>> {
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
    global: &Flags,
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

/// A flag's value; an empty one (e.g. `KRAFTER_BASE_URL=` read by clap)
/// counts as not given.
fn given(value: &Option<String>) -> Option<String> {
    value.clone().filter(|v| !v.trim().is_empty())
}

/// Reads only the TUI's settings from the config file and environment.
pub fn resolve_ui(global: &Flags) -> Result<UiOnly> {
    resolve_ui_with(
        global,
        &process_env,
        paths::default_config_file().as_deref(),
    )
}

/// [`resolve_ui`] with the environment and the default config path given.
pub fn resolve_ui_with(
    global: &Flags,
    env: EnvLookup<'_>,
    default_path: Option<&Path>,
) -> Result<UiOnly> {
    let (_, loaded) = load(global, env, default_path)?;
    let mut warnings = loaded
        .as_ref()
        .map(|l| l.warnings.clone())
        .unwrap_or_default();
    let mut ui = ui_settings(loaded.as_ref(), &mut warnings);
    ui.no_color = global.no_color || lookup(env, "NO_COLOR").is_some();
    ui.views = views::resolve_views(loaded.as_ref(), None, &[], &mut warnings);
    let keys = loaded.as_ref().map(key_overrides).unwrap_or_default();
    Ok(UiOnly {
        ui,
        key_overrides: keys,
        warnings,
    })
}

/// Reads the config file: an explicitly named file must exist; the default
/// one may be absent.
fn load(
    global: &Flags,
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
    global: &Flags,
    env: EnvLookup<'_>,
    default_path: Option<&Path>,
) -> Result<Resolved> {
    resolve_inner(global, env, default_path, secret::CommandStderr::Terminal)
}

fn resolve_inner(
    global: &Flags,
    env: EnvLookup<'_>,
    default_path: Option<&Path>,
    stderr: secret::CommandStderr,
) -> Result<Resolved> {
    let (path, loaded) = load(global, env, default_path)?;
    let mut warnings = loaded
        .as_ref()
        .map(|l| l.warnings.clone())
        .unwrap_or_default();
    let requested = given(&global.profile).or_else(|| lookup(env, "KRAFTER_PROFILE"));
    let (profile_name, profile) = select_profile(loaded.as_ref(), requested, path.as_deref())?;
    let where_ = ProfilePlace {
        name: &profile_name,
        path: path.as_deref(),
    };

    let allow_insecure_http =
        global.allow_insecure_http || profile.allow_insecure_http == Some(true);
    let base_url = given(&global.base_url)
        .or_else(|| lookup(env, "KRAFTER_BASE_URL"))
        .or(profile.base_url.clone())
        .unwrap_or_else(|| DEFAULT_BASE_URL.to_string());
    let base_url = check_base_url(&base_url, allow_insecure_http, &mut warnings)?;
    let org_id = given(&global.org_id)
        .or_else(|| lookup(env, "KRAFTER_ORG_ID"))
        .or(profile.org_id.clone())
        .ok_or_else(|| where_.missing("org id", "--org", "KRAFTER_ORG_ID", "org_id"))?;
    let project_id = given(&global.project_id)
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
    let (api_key, key_source) = resolve_key(global, env, &profile, &where_, stderr)?;

    let me = profile.me.clone();
    if let Some(me) = &me
        && uuid::Uuid::parse_str(me).is_err()
    {
        warnings.push(format!(
            "profile `{profile_name}`: me = \"{me}\" is not a UUID; \"assign to me\" will be refused by the server"
        ));
    }

    let people = people(
        loaded.as_ref().map(|l| &l.config.people),
        &profile.people,
        &mut warnings,
    );

    let mut client = ClientSettings::new(base_url, org_id, project_id, api_key);
    client.allow_insecure_http = allow_insecure_http;
    client.allow_private_targets = profile.allow_private_targets == Some(true);
    let config = loaded.as_ref().map(|l| &l.config);
    let mut ui = ui_settings(loaded.as_ref(), &mut warnings);
    ui.no_color = global.no_color || lookup(env, "NO_COLOR").is_some();
    ui.views = views::resolve_views(loaded.as_ref(), Some(&profile_name), &people, &mut warnings);
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
        people: People::new(people, me),
        read_only: global.read_only || profile.read_only == Some(true),
        ui,
        key_overrides: keys,
        warnings,
        key_source,
        config_file: loaded.as_ref().and(path),
        web_url: profile.web_url.clone().filter(|u| !u.trim().is_empty()),
    })
}

/// Merges the global and the profile's people; a value that is not a UUID
/// is left out with a warning (the server would refuse it as an owner).
fn people(
    global: Option<&std::collections::BTreeMap<String, String>>,
    profile: &std::collections::BTreeMap<String, String>,
    warnings: &mut Vec<String>,
) -> Vec<(String, String)> {
    let mut merged = global.cloned().unwrap_or_default();
    merged.extend(profile.iter().map(|(k, v)| (k.clone(), v.clone())));
    merged
        .into_iter()
        .filter(|(name, id)| match uuid::Uuid::parse_str(id.trim()) {
            Ok(_) => true,
            Err(_) => {
                warnings.push(format!(
                    "[people] {name} = \"{id}\" is not a UUID and is ignored; \
                     use the user id from the Krafter dashboard"
                ));
                false
            }
        })
        .map(|(name, id)| (name, id.trim().to_string()))
        .collect()
}
