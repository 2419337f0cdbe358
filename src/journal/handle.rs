//! The journal's file: opening it, setting a damaged one aside, the handle.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::Connection;

use super::error::{JournalError, Problem};
use super::lock::JobLock;

/// The journal's file name inside the data directory.
pub const FILE_NAME: &str = "journal.sqlite3";

/// The journal at its usual place, e.g. `~/.local/share/krafter/journal.sqlite3`.
pub fn default_path(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE_NAME)
}

/// A journal that was set aside because it could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetAside {
    /// Where the journal was.
    pub path: PathBuf,
    /// Where it is now.
    pub moved_to: PathBuf,
    /// What was wrong with it.
    pub why: String,
}

impl std::fmt::Display for SetAside {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the journal at {} could not be read ({}); it was moved to {} and a new one was started",
            self.path.display(),
            self.why,
            self.moved_to.display()
        )
    }
}

/// An open journal, and what had to be set aside to open it.
#[derive(Debug)]
pub struct Opened {
    pub journal: Journal,
    pub set_aside: Option<SetAside>,
}

/// A handle on the journal. Clones share one connection; every method is a
/// short synchronous transaction, so async callers run them with
/// `spawn_blocking` (see the bulk engine).
#[derive(Clone)]
pub struct Journal {
    pub(super) conn: Arc<Mutex<Connection>>,
    pub(super) path: PathBuf,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal").field("path", &self.path).finish()
    }
}

impl Journal {
    /// Opens (or creates) the journal at `path`. A damaged file is renamed
    /// to `<name>.corrupt-<time>` and a new journal is started.
    pub fn open(path: &Path) -> Result<Opened, JournalError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| JournalError::Unreadable {
                path: path.to_path_buf(),
                why: format!("its folder could not be created: {e}"),
            })?;
        }
        match connect_patiently(path) {
            Ok(conn) => Ok(Opened {
                journal: Journal::wrap(conn, path),
                set_aside: None,
            }),
            Err(Problem::TooNew(found)) => Err(JournalError::TooNew {
                path: path.to_path_buf(),
                found,
                known: super::schema::VERSION,
            }),
            Err(p @ (Problem::Unreadable(_) | Problem::Busy(_))) => Err(JournalError::Unreadable {
                path: path.to_path_buf(),
                why: p.why(),
            }),
            Err(Problem::Damaged(why)) => {
                let moved_to = set_aside(path).map_err(|e| JournalError::Unreadable {
                    path: path.to_path_buf(),
                    why: format!("{why}; moving it aside failed too: {e}"),
                })?;
                tracing::warn!(path = %path.display(), moved_to = %moved_to.display(), %why, "journal set aside");
                let conn = connect_patiently(path).map_err(|p| JournalError::Unreadable {
                    path: path.to_path_buf(),
                    why: p.why(),
                })?;
                Ok(Opened {
                    journal: Journal::wrap(conn, path),
                    set_aside: Some(SetAside {
                        path: path.to_path_buf(),
                        moved_to,
                        why,
                    }),
                })
            }
        }
    }

    /// Opens the journal at `path` only when it exists: readers (a report
    /// of recent changes) must not leave a new journal behind.
    pub fn open_existing(path: &Path) -> Result<Option<Opened>, JournalError> {
        if !path.exists() {
            return Ok(None);
        }
        Journal::open(path).map(Some)
    }

    fn wrap(conn: Connection, path: &Path) -> Journal {
        Journal {
            conn: Arc::new(Mutex::new(conn)),
            path: path.to_path_buf(),
        }
    }

    /// The file this journal lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub(super) fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic mid-transaction rolls the transaction back when it is
        // dropped, so the connection is consistent even if poisoned.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(super) fn sql_error(
        &self,
        doing: &'static str,
    ) -> impl Fn(rusqlite::Error) -> JournalError + '_ {
        move |e| JournalError::Sql {
            path: self.path.clone(),
            doing,
            why: e.to_string(),
        }
    }

    /// The folder of the per-job lock files.
    pub(super) fn locks_dir(&self) -> PathBuf {
        let mut name = self.path.file_name().unwrap_or_default().to_os_string();
        name.push(".locks");
        self.path.with_file_name(name)
    }

    /// Takes the job's lock for this process: held while the job runs, freed
    /// by the OS when the process dies however it dies, so a job whose lock
    /// is free and whose state says running was interrupted.
    pub fn lock_job(&self, id: &str) -> Result<JobLock, JournalError> {
        JobLock::take(&self.locks_dir(), id).map_err(|e| match e {
            super::lock::LockError::Held => JournalError::Busy(id.to_string()),
            super::lock::LockError::Io(why) => JournalError::Unreadable {
                path: self.locks_dir(),
                why,
            },
        })
    }

    /// True when some process holds the job's lock.
    pub(super) fn is_held(&self, id: &str) -> bool {
        JobLock::is_held(&self.locks_dir(), id)
    }
}

/// Renames the journal and its write-ahead log aside; returns the new path
/// of the main file.
fn set_aside(path: &Path) -> std::io::Result<PathBuf> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".corrupt-{stamp}"));
    let mut moved_to = path.with_file_name(&name);
    let mut n = 1;
    while moved_to.exists() {
        let mut numbered = name.clone();
        numbered.push(format!("-{n}"));
        moved_to = path.with_file_name(numbered);
        n += 1;
    }
    std::fs::rename(path, &moved_to)?;
    for suffix in ["-wal", "-shm"] {
        let mut side = path.as_os_str().to_os_string();
        side.push(suffix);
        let side = PathBuf::from(side);
        if side.exists() {
            let mut to = moved_to.as_os_str().to_os_string();
            to.push(suffix);
            std::fs::rename(&side, PathBuf::from(to))?;
        }
    }
    Ok(moved_to)
}

/// Connects, trying again for a few seconds while another connection holds
/// a lock. SQLite's own busy timeout covers most waits, but not all: when
/// waiting could deadlock (two connections switching a new file to WAL at
/// once), it answers "busy" at once, and a fresh attempt is what works.
fn connect_patiently(path: &Path) -> Result<Connection, Problem> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        match super::schema::connect(path) {
            Err(Problem::Busy(_)) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

/// Now, as the journal writes times.
pub(super) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
