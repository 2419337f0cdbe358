//! Where krafter keeps its files, by the platform's conventions
//! (`~/.config/krafter` and `~/.local/state/krafter` on Linux).

use std::path::{Path, PathBuf};

use directories::ProjectDirs;

/// The file name of the configuration inside the config directory.
pub const CONFIG_FILE_NAME: &str = "config.toml";
/// The file name of the log inside the state (or data) directory.
pub const LOG_FILE_NAME: &str = "krafter.log";

/// Every path krafter uses. A path is `None` only when the platform has no
/// home directory to derive it from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paths {
    /// The config file in use: `--config`/`KRAFTER_CONFIG`, else the default.
    pub config_file: Option<PathBuf>,
    /// True when the config file came from `--config` or `KRAFTER_CONFIG`.
    pub config_file_explicit: bool,
    /// The log file.
    pub log_file: Option<PathBuf>,
    /// The data directory.
    pub data_dir: Option<PathBuf>,
}

fn project_dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("dev", "krafter", "krafter")
}

/// The default config file, e.g. `~/.config/krafter/config.toml`.
pub fn default_config_file() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join(CONFIG_FILE_NAME))
}

/// The log file: in the state directory where the platform has one (Linux),
/// else in the local data directory.
pub fn log_file() -> Option<PathBuf> {
    project_dirs().map(|d| {
        d.state_dir()
            .unwrap_or_else(|| d.data_local_dir())
            .join(LOG_FILE_NAME)
    })
}

/// The state directory (the command history, the remembered views), e.g.
/// `~/.local/state/krafter`; the local data directory where the platform
/// has no state directory.
pub fn state_dir() -> Option<PathBuf> {
    project_dirs().map(|d| {
        d.state_dir()
            .unwrap_or_else(|| d.data_local_dir())
            .to_path_buf()
    })
}

/// The data directory, e.g. `~/.local/share/krafter`.
pub fn data_dir() -> Option<PathBuf> {
    project_dirs().map(|d| d.data_dir().to_path_buf())
}

/// The paths in use given an explicit config file (flag or environment).
pub fn paths(explicit_config: Option<&Path>) -> Paths {
    Paths {
        config_file: explicit_config
            .map(Path::to_path_buf)
            .or_else(default_config_file),
        config_file_explicit: explicit_config.is_some(),
        log_file: log_file(),
        data_dir: data_dir(),
    }
}
