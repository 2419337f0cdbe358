//! What every handler shares.

use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use super::super::chaos::Chaos;
use super::super::keys::Keyring;
use super::super::ratelimit::RateLimiter;
use super::super::scanner::ScanConfig;
use super::super::store::Store;

/// What every handler shares.
#[derive(Clone)]
pub struct ServerState {
    /// Read by many answers at once (a page of findings is encoded under
    /// a read lock, so pages requested together are encoded in parallel);
    /// changed by one at a time.
    pub store: Arc<RwLock<Store>>,
    pub keys: Arc<Keyring>,
    pub limits: Arc<RateLimiter>,
    pub scan_config: ScanConfig,
    /// Fault mode, when on.
    pub chaos: Option<Arc<Chaos>>,
}

impl ServerState {
    /// The store, locked to change it. A panic elsewhere never leaves it
    /// half-changed (each change is checked before it is applied), so a
    /// poisoned lock is still usable.
    pub fn store(&self) -> RwLockWriteGuard<'_, Store> {
        self.store.write().unwrap_or_else(|e| e.into_inner())
    }

    /// The store, locked to read it, alongside other readers.
    pub fn store_read(&self) -> RwLockReadGuard<'_, Store> {
        self.store.read().unwrap_or_else(|e| e.into_inner())
    }
}
