//! Where the session points, and the settings it runs with.

use std::time::Duration;

use crate::app::switch::SwitchTarget;
use crate::engine::people::People;

/// What the status bar shows about the session.
#[derive(Clone, Debug, Default)]
pub struct SessionInfo {
    pub base_url: String,
    pub org_id: String,
    pub project_id: String,
    pub profile: String,
    /// People by name, and who "me" is.
    pub people: People,
    pub read_only: bool,
    pub refresh_interval: Duration,
    pub page_size: u32,
    pub default_scan_url: Option<String>,
    /// Scan URLs skip the SSRF pre-check (the server still decides).
    pub allow_private_targets: bool,
    /// The Krafter web app of the profile (`web_url`), for `O`.
    pub web_url: Option<String>,
    /// Running over SSH (`SSH_CONNECTION` or `SSH_TTY`): no browser can
    /// open here, so `O` copies the link instead.
    pub over_ssh: bool,
    /// The config file, where `W` saves a view.
    pub config_file: Option<std::path::PathBuf>,
    /// Where the command history and the remembered views are kept;
    /// `None` keeps them for the session only.
    pub state_dir: Option<std::path::PathBuf>,
}

impl SessionInfo {
    /// The user's own UUID, when the profile names it.
    pub fn me(&self) -> Option<&str> {
        self.people.me()
    }

    /// True when `target` is what the session is on now.
    pub fn is_on(&self, target: &SwitchTarget) -> bool {
        match target {
            SwitchTarget::Profile(name) => *name == self.profile,
            SwitchTarget::Project(id) => *id == self.project_id,
        }
    }
}
