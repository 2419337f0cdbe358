//! Choosing the profile, and finding the API key for it.

use std::path::Path;
use std::time::Duration;

use color_eyre::eyre::{Result, bail, eyre};

use super::env::{EnvLookup, lookup};
use super::file::{LoadedFile, ProfileConfig};
use super::flags::Flags;
use super::secret::{self, KeySource};
use crate::api::ApiKey;

/// The name given to the settings when the file defines no profile.
pub const DEFAULT_PROFILE: &str = "default";

/// Names the profile and file in messages about a missing setting.
pub(super) struct ProfilePlace<'a> {
    pub(super) name: &'a str,
    pub(super) path: Option<&'a Path>,
}

impl ProfilePlace<'_> {
    fn file(&self) -> String {
        match self.path {
            Some(p) => p.display().to_string(),
            None => "the config file".to_string(),
        }
    }

    pub(super) fn missing(
        &self,
        what: &str,
        flag: &str,
        env: &str,
        key: &str,
    ) -> color_eyre::Report {
        eyre!(
            "no {what} is set; pass {flag}, set {env}, or add `{key} = ...` to [profiles.{}] in {} \
             (config.example.toml shows every key; `krafter demo` runs everything on a local sandbox)",
            self.name,
            self.file()
        )
    }
}

/// The profile asked for, else `default_profile`, else `default` or the
/// only one; an error names the profiles there are.
pub(super) fn select_profile(
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

/// The API key and where it came from, trying each source in order.
pub(super) fn resolve_key(
    global: &Flags,
    env: EnvLookup<'_>,
    profile: &ProfileConfig,
    place: &ProfilePlace<'_>,
    stderr: secret::CommandStderr,
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
        let key = secret::run_key_command(command, timeout, stderr)
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
