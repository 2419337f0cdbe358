//! The profile/project switcher: what can be switched to, and how the event
//! loop builds the client of the chosen target.

use crate::api::Client;
use crate::cli::GlobalArgs;

/// Something the switcher offers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SwitchTarget {
    /// A profile of the config file.
    Profile(String),
    /// A project of the same org and service (the demo's projects).
    Project(String),
}

impl SwitchTarget {
    /// Its line in the switcher.
    pub fn label(&self) -> String {
        match self {
            SwitchTarget::Profile(name) => format!("profile {name}"),
            SwitchTarget::Project(id) => format!("project {id}"),
        }
    }
}

/// What a switch changes in the session.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SessionChange {
    pub profile: String,
    pub base_url: String,
    pub org_id: String,
    pub project_id: String,
    pub me: Option<String>,
    pub read_only: bool,
    /// Names of people, `(name, uuid)`.
    pub people: Vec<(String, String)>,
    /// Problems the new profile's config has, shown as toasts.
    pub warnings: Vec<String>,
}

impl SessionChange {
    /// The service, org and project of a client; the rest left empty.
    pub fn of(client: &Client) -> SessionChange {
        SessionChange {
            base_url: client.base_url().to_string(),
            org_id: client.org_id().to_string(),
            project_id: client.project_id().to_string(),
            ..SessionChange::default()
        }
    }
}

/// How the event loop makes the client of a target.
#[derive(Clone, Debug)]
pub enum Switcher {
    /// Profiles are resolved from the config file again, with the same flags.
    Profiles { global: Box<GlobalArgs> },
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
            (Switcher::Profiles { global }, SwitchTarget::Profile(name)) => {
                let resolved = crate::config::resolve_profile(global, name)
                    .map_err(|e| format!("profile `{name}` not opened: {e}"))?;
                let client = Client::new(resolved.client.clone())
                    .map_err(|e| format!("profile `{name}` not opened: {e}"))?;
                let change = SessionChange {
                    profile: resolved.profile.clone(),
                    me: resolved.me.clone(),
                    read_only: resolved.read_only,
                    people: resolved.people.clone(),
                    warnings: resolved.warnings.clone(),
                    ..SessionChange::of(&client)
                };
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
