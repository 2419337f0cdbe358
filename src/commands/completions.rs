//! `krafter completions SHELL`: shell completion scripts.

use clap::CommandFactory;
use color_eyre::eyre::Result;

use crate::cli::{Cli, CompletionsArgs, exit};

/// Prints the completion script of the requested shell on stdout.
pub fn run(args: &CompletionsArgs) -> Result<i32> {
    let mut command = Cli::command();
    clap_complete::generate(args.shell, &mut command, "krafter", &mut std::io::stdout());
    Ok(exit::OK)
}
