//! What the TUI and the headless commands share: one engine per workflow,
//! and the domain rules both must apply the same way.
//!
//! - [`bulk`]: bulk jobs: read, preview, run, resume, undo (journalled);
//! - [`poll`]: following a scan or a verification (one backoff, one limit);
//! - [`duration`]: how long something took or has left, in one format;
//! - [`people`]: owners by name, with one matching rule;
//! - [`present`]: the facts of one finding, for the detail pane and
//!   `krafter finding`;
//! - [`alerts`] and [`watch`]: what got worse between two refreshes, and
//!   one refresh within the rate budget (the TUI and `krafter watch`);
//! - [`sla`]: when a finding's service level runs out;
//! - [`gate`] and [`export`]: the release gate and the SARIF, JUnit and
//!   Markdown writers;
//! - [`changes`]: what changed since a time (`krafter changes`, the TUI).
//! - [`sla`]: what is due when, what is overdue, and how the time left reads;
//! - [`task_view`]: the columns of one task, for the tasks pane and
//!   `krafter tasks`;
//! - [`task_index`]: a finding's newest task without walking every task.
//!
//! It imports only [`crate::journal`], [`crate::api`] and the leaves: see
//! `docs/architecture.md`.

pub mod alerts;
pub mod bulk;
pub mod changes;
pub mod duration;
pub mod export;
pub mod gate;
pub mod people;
pub mod poll;
pub mod present;
pub mod sla;
pub mod task_index;
pub mod task_view;
pub mod watch;
