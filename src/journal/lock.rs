//! One lock file per running job. The OS frees a file lock when its process
//! ends, however it ends, so "state running, lock free" means the process
//! died: the job was interrupted and may be resumed.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

/// Held by the process running a job; dropping it frees the job.
#[derive(Debug)]
pub struct JobLock {
    file: File,
}

pub(super) enum LockError {
    /// Another process holds it.
    Held,
    Io(String),
}

fn lock_path(dir: &Path, id: &str) -> PathBuf {
    // Job ids are UUIDs; anything else is kept out of the path.
    let safe: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    dir.join(format!("{safe}.lock"))
}

impl JobLock {
    pub(super) fn take(dir: &Path, id: &str) -> Result<JobLock, LockError> {
        std::fs::create_dir_all(dir).map_err(|e| LockError::Io(e.to_string()))?;
        let path = lock_path(dir, id);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| LockError::Io(e.to_string()))?;
        match file.try_lock() {
            Ok(()) => Ok(JobLock { file }),
            Err(TryLockError::WouldBlock) => Err(LockError::Held),
            Err(TryLockError::Error(e)) => Err(LockError::Io(e.to_string())),
        }
    }

    /// True when a live process holds the job's lock.
    pub(super) fn is_held(dir: &Path, id: &str) -> bool {
        let Ok(file) = OpenOptions::new().write(true).open(lock_path(dir, id)) else {
            return false;
        };
        // Taking it (and freeing it at once) proves nobody holds it.
        matches!(file.try_lock(), Err(TryLockError::WouldBlock))
    }
}

impl Drop for JobLock {
    fn drop(&mut self) {
        // The file stays: removing it could race with another process that
        // opened it to take the lock, and an empty file costs nothing.
        let _ = self.file.unlock();
    }
}
