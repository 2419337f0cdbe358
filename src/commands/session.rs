//! What a headless command connects with: the resolved configuration, its
//! warnings, and a client.

use color_eyre::eyre::Result;

use crate::api::Client;
use crate::cli::GlobalArgs;
use crate::config::Resolved;

/// A change refused because the profile or `--read-only` forbids writes.
#[derive(Debug, thiserror::Error)]
#[error(
    "refusing to {0}: profile `{1}` is read-only (read_only in the config file or --read-only); \
     use a profile that allows changes"
)]
pub struct ReadOnlyError(pub String, pub String);

/// The resolved configuration and a client for it.
#[derive(Debug)]
pub struct Session {
    pub resolved: Resolved,
    pub client: Client,
}

/// Resolves the configuration and prints its warnings on stderr.
pub fn resolve(global: &GlobalArgs) -> Result<Resolved> {
    let resolved = crate::config::resolve(&global.flags())?;
    for warning in &resolved.warnings {
        eprintln!("krafter: warning: {warning}");
    }
    Ok(resolved)
}

/// Fails with a clear message, before any request, when writes are off.
pub fn ensure_writable(resolved: &Resolved, action: &str) -> Result<()> {
    if resolved.read_only {
        return Err(ReadOnlyError(action.to_string(), resolved.profile.clone()).into());
    }
    Ok(())
}

impl Session {
    /// Resolves the configuration and builds the client.
    pub fn open(global: &GlobalArgs) -> Result<Session> {
        Session::connect(resolve(global)?)
    }

    /// Builds the client of resolved settings.
    pub fn connect(resolved: Resolved) -> Result<Session> {
        let client = Client::new(resolved.client.clone())?;
        Ok(Session { resolved, client })
    }
}
