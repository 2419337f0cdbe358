//! Shared by the `config_*` tests: a config file in a temporary directory
//! and `resolve_with` run on it. No test touches the process environment:
//! the environment is a lookup passed in.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use krafter::config::{Flags, Resolved, resolve_with};

/// Two profiles, `work` (the default, with a key in the file) and
/// `other` (read-only).
pub const FILE: &str = r#"
default_profile = "work"

[profiles.work]
base_url = "https://profile.example/api/v1"
org_id = "org-from-profile"
project_id = "project-from-profile"
api_key = "kr_live_from_file"
me = "22222222-2222-2222-2222-222222222222"

[profiles.other]
org_id = "org-other"
project_id = "project-other"
api_key = "kr_live_other"
read_only = true
"#;

/// A config file that lives as long as this value.
pub struct Setup {
    _dir: tempfile::TempDir,
    pub path: PathBuf,
}

/// Writes `text` as a config file readable by its owner only.
pub fn write_config(text: &str) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, text).unwrap();
    set_mode(&path, 0o600);
    Setup { _dir: dir, path }
}

/// Sets unix mode bits (no-op elsewhere).
pub fn set_mode(path: &Path, mode: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
}

/// Resolves with `global` as the flags, `env` as the environment and `path`
/// as the default config file.
pub fn run(global: &Flags, env: &[(&str, &str)], path: &Path) -> color_eyre::Result<Resolved> {
    let env: HashMap<String, String> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    resolve_with(global, &|name| env.get(name).cloned(), Some(path))
}

/// No flags given.
pub fn flags() -> Flags {
    Flags::default()
}
