//! Engines the TUI and the headless commands share: one per workflow.

pub mod bulk;
