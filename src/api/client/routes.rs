//! Routes of krafter's sandbox that a service was seen to lack. A client
//! remembers them for its lifetime (one session: a switch builds a new
//! client), so a fallback is chosen at once instead of being rediscovered
//! by a 404 on every poll.

use std::sync::Mutex;

/// A sandbox route the client can do without.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SandboxRoute {
    /// `GET /verifications/{id}`; the list is read instead.
    VerificationById,
    /// `GET /regressions`; no badges, no count.
    Regressions,
}

/// The sandbox routes found missing, shared by a client's clones.
#[derive(Debug, Default)]
pub(super) struct MissingRoutes(Mutex<Vec<SandboxRoute>>);

impl MissingRoutes {
    pub(super) fn contains(&self, route: SandboxRoute) -> bool {
        self.0.lock().is_ok_and(|seen| seen.contains(&route))
    }

    pub(super) fn insert(&self, route: SandboxRoute) {
        if let Ok(mut seen) = self.0.lock()
            && !seen.contains(&route)
        {
            seen.push(route);
        }
    }
}
