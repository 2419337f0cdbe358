//! The TUI's core: one state, one action type, a pure update, effects run by
//! an API worker.

use crate::cli::{DemoArgs, GlobalArgs};

/// Opens the TUI against the configured service.
#[allow(unused_variables)]
pub async fn run_tui(global: &GlobalArgs) -> color_eyre::Result<i32> {
    todo!()
}

/// Starts the sandbox with demo data on an ephemeral loopback port, opens the
/// TUI against it, and stops the sandbox when the TUI quits.
#[allow(unused_variables)]
pub async fn run_demo(global: &GlobalArgs, args: &DemoArgs) -> color_eyre::Result<i32> {
    todo!()
}
