//! What every handler shares.

use std::sync::{Arc, Mutex, MutexGuard};

use super::super::chaos::Chaos;
use super::super::keys::Keyring;
use super::super::ratelimit::RateLimiter;
use super::super::scanner::ScanConfig;
use super::super::store::Store;

/// What every handler shares.
#[derive(Clone)]
pub struct ServerState {
    pub store: Arc<Mutex<Store>>,
    pub keys: Arc<Keyring>,
    pub limits: Arc<RateLimiter>,
    pub scan_config: ScanConfig,
    /// Fault mode, when on.
    pub chaos: Option<Arc<Chaos>>,
}

impl ServerState {
    /// The store, locked. A panic elsewhere never leaves it half-changed
    /// (each change is checked before it is applied), so a poisoned lock
    /// is still usable.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }
}
