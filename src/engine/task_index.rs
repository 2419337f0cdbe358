//! Which task is a finding's newest, without walking every task on every
//! key press. The task list has no finding filter and comes newest first,
//! so a session keeps an index of what it has read:
//!
//! - a lookup first reads the top of the list down to the newest task it
//!   already knows (the tasks created since: one short page as a rule);
//! - only a finding not seen yet makes it read on into older pages, from
//!   where the last walk stopped; each older page is read once a session.
//!
//! Tasks are never deleted and only ever added at the top, so the index
//! cannot go stale in any other way.

use std::collections::HashMap;

use crate::api::model::Task;
use crate::api::{ApiError, Client, CursorPager};

/// Rows asked for when reading the tasks created since the last look.
const CATCH_UP_PAGE: u32 = 20;
/// Rows asked for per older page.
const PAGE: u32 = 100;

/// Where the walk of older pages goes on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
enum Tail {
    /// Nothing read yet: from the first page.
    #[default]
    Start,
    /// After this cursor.
    After(String),
    /// Every page was read.
    End,
}

/// The newest task of each finding seen this session.
#[derive(Clone, Debug, Default)]
pub struct TaskIndex {
    newest: HashMap<String, Task>,
    /// The newest task of the whole list, as last seen.
    head: Option<String>,
    tail: Tail,
}

impl TaskIndex {
    /// An empty index (a new session).
    pub fn new() -> Self {
        TaskIndex::default()
    }

    /// The finding's newest task as far as the index knows, without asking.
    pub fn known(&self, finding_id: &str) -> Option<&Task> {
        self.newest.get(finding_id)
    }

    /// A task this session created or changed: the newest of its finding.
    pub fn record(&mut self, task: &Task) {
        self.newest.insert(task.finding_id.clone(), task.clone());
    }

    /// The newest task of `finding_id`, or `None` when it has none.
    pub async fn newest_task_of(
        &mut self,
        client: &Client,
        finding_id: &str,
    ) -> Result<Option<Task>, ApiError> {
        if self.head.is_some() {
            self.catch_up(client).await?;
        }
        if let Some(task) = self.newest.get(finding_id) {
            return Ok(Some(task.clone()));
        }
        loop {
            let cursor = match &self.tail {
                Tail::End => return Ok(None),
                Tail::Start => None,
                Tail::After(c) => Some(c.clone()),
            };
            let page = client
                .list_tasks(None, cursor.as_deref(), Some(PAGE))
                .await?;
            if self.head.is_none() {
                self.head = page.items.first().map(|t| t.id.clone());
            }
            self.tail = match &page.next_cursor {
                Some(next) if !page.items.is_empty() && cursor.as_ref() != Some(next) => {
                    Tail::After(next.clone())
                }
                _ => Tail::End,
            };
            for task in page.items {
                // Pages come newest first: the first task seen of a finding
                // is its newest, and one recorded here is newer still.
                self.newest.entry(task.finding_id.clone()).or_insert(task);
            }
            if let Some(task) = self.newest.get(finding_id) {
                return Ok(Some(task.clone()));
            }
        }
    }

    /// Reads the tasks created since the last look, down to the known head.
    async fn catch_up(&mut self, client: &Client) -> Result<(), ApiError> {
        let mut pager = CursorPager::new();
        let mut fresh: HashMap<String, Task> = HashMap::new();
        let mut new_head = None;
        'walk: while !pager.is_done() {
            let page = client
                .list_tasks(None, pager.cursor(), Some(CATCH_UP_PAGE))
                .await?;
            pager.record(&page);
            for task in page.items {
                if self.head.as_deref() == Some(task.id.as_str()) {
                    break 'walk;
                }
                new_head.get_or_insert_with(|| task.id.clone());
                fresh.entry(task.finding_id.clone()).or_insert(task);
            }
        }
        self.newest.extend(fresh);
        if let Some(head) = new_head {
            self.head = Some(head);
        }
        Ok(())
    }
}
