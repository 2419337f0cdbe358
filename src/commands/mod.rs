//! Entry point of every command, and the headless commands.

use crate::cli::{Cli, Command};

/// Runs the command line and returns the process exit code.
pub fn main(cli: Cli) -> i32 {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("krafter: could not start the async runtime: {e}");
            return crate::cli::exit::ERROR;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            None => crate::app::run_tui(&cli.global).await,
            Some(Command::Demo(args)) => crate::app::run_demo(&cli.global, &args).await,
            Some(Command::Serve(args)) => crate::sandbox::serve_command(&args).await,
            Some(_other) => todo!(),
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("krafter: {e:#}");
            crate::cli::exit::ERROR
        }
    }
}
