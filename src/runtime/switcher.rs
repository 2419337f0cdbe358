//! How the runtime builds the client of a target chosen in the switcher.

use crate::api::Client;
use crate::app::switch::{SessionChange, SwitchTarget};
use crate::config::{Flags, Resolved};

/// The answer of a switch: its generation, the target, and its client and
/// session (or why there are none).
pub type SwitchDone = (u64, SwitchTarget, Result<(Client, SessionChange), String>);

/// How the runtime makes the client of a target.
#[derive(Clone, Debug)]
pub enum Switcher {
    /// Profiles are resolved from the config file again, with the same flags.
    Profiles { flags: Box<Flags> },
    /// Projects share the client's service, key and rate budget.
    Projects {
        client: Client,
        base: Box<SessionChange>,
    },
}

impl Switcher {
    /// The client and session of a target, or why there is none.
    pub fn switch(&self, target: &SwitchTarget) -> Result<(Client, SessionChange), String> {
        match (self, target) {
            (Switcher::Profiles { flags }, SwitchTarget::Profile(name)) => {
                let resolved = crate::config::resolve_profile(flags, name)
                    .map_err(|e| format!("profile `{name}` not opened: {e}"))?;
                let client = Client::new(resolved.client.clone())
                    .map_err(|e| format!("profile `{name}` not opened: {e}"))?;
                let change = session_change(&resolved, &client);
                Ok((client, change))
            }
            (Switcher::Projects { client, base }, SwitchTarget::Project(id)) => {
                let client = client.with_project(id);
                let change = SessionChange {
                    project_id: client.project_id().to_string(),
                    warnings: Vec::new(),
                    ..(**base).clone()
                };
                Ok((client, change))
            }
            (_, other) => Err(format!(
                "{} cannot be opened from this session",
                other.label()
            )),
        }
    }
}

/// What opening a resolved profile with `client` changes in the session.
pub fn session_change(resolved: &Resolved, client: &Client) -> SessionChange {
    SessionChange {
        profile: resolved.profile.clone(),
        read_only: resolved.read_only,
        people: resolved.people.clone(),
        warnings: resolved.warnings.clone(),
        web_url: resolved.web_url.clone(),
        views: resolved.ui.views.clone(),
        ..SessionChange::of(client)
    }
}
