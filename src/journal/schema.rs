//! Opening a journal file: settings that make it crash-safe, the check that
//! it is a readable journal, and the tables.

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;

use super::error::{Problem, problem_of};

/// The schema this krafter writes (`PRAGMA user_version`).
pub const VERSION: i64 = 1;

const TABLES: &str = "
CREATE TABLE jobs (
    id               TEXT PRIMARY KEY,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    profile          TEXT NOT NULL,
    base_url         TEXT NOT NULL,
    org_id           TEXT NOT NULL,
    project_id       TEXT NOT NULL,
    selection        TEXT NOT NULL,
    change_status    TEXT,
    change_owner_set INTEGER NOT NULL,
    change_owner     TEXT,
    change_severity  TEXT,
    reason           TEXT,
    comment          TEXT,
    undo_of          TEXT REFERENCES jobs(id),
    state            TEXT NOT NULL,
    message          TEXT
);
CREATE TABLE items (
    job_id            TEXT NOT NULL REFERENCES jobs(id),
    seq               INTEGER NOT NULL,
    finding_id        TEXT NOT NULL,
    title             TEXT NOT NULL,
    has_before        INTEGER NOT NULL,
    before_status     TEXT,
    before_owner      TEXT,
    before_severity   TEXT,
    before_updated_at TEXT,
    to_status         TEXT,
    to_owner_set      INTEGER NOT NULL,
    to_owner          TEXT,
    to_severity       TEXT,
    outcome           TEXT NOT NULL,
    detail            TEXT,
    http_status       INTEGER,
    request_id        TEXT,
    after_updated_at  TEXT,
    finished_at       TEXT,
    PRIMARY KEY (job_id, seq)
);
CREATE INDEX items_by_finding ON items(finding_id);
";

/// Opens `path` as a journal, creating the tables in a new file.
pub(super) fn connect(path: &Path) -> Result<Connection, Problem> {
    let conn = Connection::open(path).map_err(|e| problem_of(&e))?;
    conn.busy_timeout(Duration::from_secs(5))
        .map_err(|e| problem_of(&e))?;
    // The first read of the header: a file that is not SQLite fails here.
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| problem_of(&e))?;
    if version > VERSION {
        return Err(Problem::TooNew(version));
    }
    // WAL: a write is appended and committed atomically; a crash mid-write
    // leaves the last committed state. FULL: each commit reaches the disk
    // before the request it describes is sent.
    let _mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .map_err(|e| problem_of(&e))?;
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
        .map_err(|e| problem_of(&e))?;
    let check: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| problem_of(&e))?;
    if check != "ok" {
        return Err(Problem::Damaged(format!(
            "its integrity check failed: {check}"
        )));
    }
    if version == 0 {
        create(&conn)?;
    } else {
        let tables = tables(&conn)?;
        if tables != ["items", "jobs"] {
            return Err(Problem::Damaged(format!(
                "its tables are not a journal's ({})",
                tables.join(", ")
            )));
        }
    }
    Ok(conn)
}

fn tables(conn: &Connection) -> Result<Vec<String>, Problem> {
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .map_err(|e| problem_of(&e))?;
    stmt.query_map([], |r| r.get(0))
        .and_then(Iterator::collect)
        .map_err(|e| problem_of(&e))
}

/// Creates the tables of a new journal. Under the write lock, and after
/// looking again: two krafter processes may start on a new data directory
/// at once, and the second must find the first's journal, not call it
/// damaged.
fn create(conn: &Connection) -> Result<(), Problem> {
    let sql = |e: rusqlite::Error| problem_of(&e);
    conn.execute_batch("BEGIN IMMEDIATE").map_err(sql)?;
    let result = (|| {
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(sql)?;
        let tables = tables(conn)?;
        match version {
            0 if tables.is_empty() => conn
                .execute_batch(&format!("{TABLES} PRAGMA user_version = {VERSION};"))
                .map_err(sql),
            0 => Err(Problem::Damaged(format!(
                "it is a database of something else (tables {})",
                tables.join(", ")
            ))),
            VERSION if tables == ["items", "jobs"] => Ok(()),
            v if v > VERSION => Err(Problem::TooNew(v)),
            _ => Err(Problem::Damaged(format!(
                "its tables are not a journal's ({})",
                tables.join(", ")
            ))),
        }
    })();
    match result {
        Ok(()) => conn.execute_batch("COMMIT").map_err(sql),
        Err(p) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(p)
        }
    }
}
