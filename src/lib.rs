//! krafter: a terminal triage client for Krafter Audit, its headless
//! commands, and `krafter serve`, a local server of the same API.
//!
//! - [`api`]: the typed HTTP client of the contract;
//! - [`app`] and [`ui`]: the TUI (one state, a pure update, effects run by an
//!   API worker, render only when dirty);
//! - [`commands`]: the headless commands;
//! - [`config`]: profiles, precedence and secrets; [`logging`]: the log file;
//! - [`sandbox`]: the local server and its passive scanner.

pub mod api;
pub mod app;
pub mod cli;
pub mod commands;
pub mod config;
pub mod engine;
pub mod humanize;
pub mod journal;
pub mod logging;
pub mod runtime;
pub mod sandbox;
pub mod sanitize;
pub mod ui;
