//! `krafter completions SHELL`: shell completion scripts.

use clap::CommandFactory;
use color_eyre::eyre::{Result, WrapErr};

use crate::cli::{Cli, CompletionsArgs, exit};

/// Prints the completion script of the requested shell on stdout.
pub fn run(args: &CompletionsArgs) -> Result<i32> {
    super::output::emit(&script(args.shell)?)?;
    Ok(exit::OK)
}

/// The completion script of `shell`. Built in memory, because clap_complete
/// panics when its writer fails, and stdout may be a pipe closed early
/// (`| head`), which [`super::emit`] tolerates.
pub fn script(shell: clap_complete::Shell) -> Result<String> {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "krafter", &mut out);
    String::from_utf8(out).wrap_err("the completion script is not UTF-8; please report this")
}
