//! Planning a job before anything is sent: what it applies to, read from
//! the server as cheaply as the contract allows ([`super::current`]), then
//! recorded in the journal and started. `krafter update` and the TUI plan
//! their jobs here alike.

use std::collections::HashMap;

use crate::api::model::FindingQuery;
use crate::api::{ApiError, Client};
use crate::journal::{Change, Item, JobRecord, Journal, NewJob, Selection};

use super::current::{self, OnRead};
use super::preview::{Current, Preview, Target};
use super::undo::{self, UndoError};
use super::{StartError, StartOptions, Started, scope_of, start};

/// Which findings a new job changes.
#[derive(Clone, Debug, PartialEq)]
pub enum Pick {
    /// These ids.
    Ids(Vec<String>),
    /// Every finding matching the server filters.
    Filter(FindingQuery),
    /// Every finding matching the filters but `excluded`, and `extra` ids
    /// besides (the TUI's marks: a filter marked, then rows toggled).
    Marked {
        query: FindingQuery,
        excluded: Vec<String>,
        extra: Vec<String>,
    },
}

impl Pick {
    /// The selection as the journal records it.
    pub fn selection(&self) -> Selection {
        match self {
            Pick::Ids(ids) => Selection::Ids { count: ids.len() },
            Pick::Filter(q) | Pick::Marked { query: q, .. } => {
                let pairs = [
                    ("severity", q.severity.as_ref().map(|v| v.to_string())),
                    ("status", q.status.as_ref().map(|v| v.to_string())),
                    ("domain", q.domain.as_ref().map(|v| v.to_string())),
                    ("owner_id", q.owner_id.clone()),
                    ("q", q.q.clone()),
                ];
                Selection::Filter {
                    filters: pairs
                        .into_iter()
                        .filter_map(|(k, v)| v.map(|v| (k.to_string(), v)))
                        .collect(),
                }
            }
        }
    }
}

/// The findings `pick` selects, each to get `change`, and their current
/// values (a finding absent from the map was not found).
pub async fn read(
    client: &Client,
    pick: &Pick,
    change: &Change,
    on_read: OnRead<'_>,
) -> Result<(Vec<Target>, HashMap<String, Current>), ApiError> {
    let target = |id: &str| Target {
        id: id.to_string(),
        change: change.clone(),
        guard: None,
        title: None,
    };
    match pick {
        Pick::Ids(ids) => {
            let found = current::by_ids(client, ids, on_read).await?;
            Ok((ids.iter().map(|id| target(id)).collect(), found))
        }
        Pick::Filter(query) => {
            let found = current::by_filter(client, query, on_read).await?;
            let targets = found.iter().map(|(id, _)| target(id)).collect();
            Ok((targets, found.into_iter().collect()))
        }
        Pick::Marked {
            query,
            excluded,
            extra,
        } => {
            let found = current::by_filter(client, query, on_read).await?;
            let mut targets: Vec<Target> = found
                .iter()
                .filter(|(id, _)| !excluded.contains(id))
                .map(|(id, _)| target(id))
                .collect();
            let mut values: HashMap<String, Current> = found.into_iter().collect();
            let more: Vec<String> = extra
                .iter()
                .filter(|id| !values.contains_key(*id))
                .cloned()
                .collect();
            if !more.is_empty() {
                values.extend(current::by_ids(client, &more, on_read).await?);
            }
            targets.extend(more.iter().map(|id| target(id)));
            Ok((targets, values))
        }
    }
}

/// Why an undo cannot be planned.
#[derive(Debug, thiserror::Error)]
pub enum UndoPlanError {
    #[error(transparent)]
    Undo(#[from] UndoError),
    #[error(transparent)]
    Start(#[from] StartError),
    #[error(transparent)]
    Api(#[from] ApiError),
}

/// The targets of the undo of `job` (whose items are `items`) and the
/// findings' current values.
pub async fn read_undo(
    client: &Client,
    job: &JobRecord,
    items: &[Item],
    on_read: OnRead<'_>,
) -> Result<(Vec<Target>, HashMap<String, Current>), UndoPlanError> {
    let targets = undo::targets(job, items)?;
    if job.scope != scope_of(client) {
        return Err(StartError::OtherScope {
            id: job.id.clone(),
            scope: job.scope.clone(),
            profile: job.profile.clone(),
        }
        .into());
    }
    let ids: Vec<String> = targets.iter().map(|t| t.id.clone()).collect();
    let current = current::by_ids(client, &ids, on_read).await?;
    Ok((targets, current))
}

/// Records `record` with the items of `preview` (before anything is sent)
/// and starts it.
pub fn record_and_start(
    client: Client,
    journal: Journal,
    record: &NewJob,
    preview: &Preview,
    options: StartOptions,
) -> Result<Started, StartError> {
    let id = journal.create_job(record, &preview.journal_items())?;
    start(client, journal, &id, options)
}
