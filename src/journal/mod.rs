//! The local journal of bulk jobs: what the server cannot hold.
//!
//! Every job (its selection, its change, the reason and comment, and per
//! finding the values before, the outcome and the server's `updated_at`
//! after) is written to SQLite in the data directory *before* the first
//! request and after each item. SQLite's transactions with a write-ahead log
//! and `synchronous = FULL` mean a `kill -9` or a power cut mid-write leaves
//! either the old row or the new one, never half of each. The same rows are
//! the findings' local activity history.
//!
//! A file that is not a readable journal is renamed aside (never emptied)
//! and a new one is started; [`Opened::set_aside`] says where it went so the
//! caller can tell the user.

mod error;
mod handle;
mod lock;
mod model;
mod query;
mod recent;
mod schema;
mod store;

pub use error::JournalError;
pub use handle::{FILE_NAME, Journal, Opened, SetAside, default_path};
pub use recent::RecentChange;
pub use store::NewItem;

pub use lock::JobLock;
pub use model::*;

#[cfg(test)]
mod tests;
