//! What the switcher offers and what a switch changes in the session. The
//! runtime builds the client of the chosen target (`crate::runtime`).

use crate::api::Client;
use crate::engine::people::People;

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
    pub read_only: bool,
    /// People by name, and who "me" is.
    pub people: People,
    /// Problems the new profile's config has, shown as toasts.
    pub warnings: Vec<String>,
    /// Scan URLs skip the client's own SSRF pre-check (the profile's
    /// `allow_private_targets`, for a sandbox scanning a local site).
    pub allow_private_targets: bool,
    /// The profile's Krafter web app, for opening findings in the browser.
    pub web_url: Option<String>,
    /// The profile's saved views; empty keeps the ones the session has.
    pub views: Vec<crate::config::views::ViewSpec>,
}

impl SessionChange {
    /// The service, org and project of a client; the rest left empty.
    pub fn of(client: &Client) -> SessionChange {
        SessionChange {
            base_url: client.base_url().to_string(),
            org_id: client.org_id().to_string(),
            project_id: client.project_id().to_string(),
            allow_private_targets: client.allows_private_targets(),
            ..SessionChange::default()
        }
    }
}
