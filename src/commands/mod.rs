//! Entry point of every command, and the headless commands.
//!
//! Each headless command lives in its own file and keeps its formatting in
//! pure functions, so output is tested on model values.

pub mod completions;
pub mod config;
pub mod export;
pub mod filters;
pub mod finding;
pub mod findings;
pub mod health;
pub mod layout;
pub mod manpage;
pub mod progress;
pub mod scan;
pub mod update;
pub mod verify;

use color_eyre::eyre::Result;

use crate::api::{ApiError, Client};
use crate::cli::{Cli, Command, GlobalArgs, exit};
use crate::config::Resolved;
use crate::logging::{self, Echo};

pub use crate::cli::UsageError;

/// A change refused because the profile or `--read-only` forbids writes.
#[derive(Debug, thiserror::Error)]
#[error(
    "refusing to {0}: profile `{1}` is read-only (read_only in the config file or --read-only); \
     use a profile that allows changes"
)]
pub struct ReadOnlyError(pub String, pub String);

/// Runs the command line and returns the process exit code.
pub fn main(cli: Cli) -> i32 {
    let echo = match cli.command {
        Some(Command::Serve(_)) => Echo::Stderr,
        _ => Echo::FileOnly,
    };
    let log_file = crate::config::paths::log_file();
    let setup = logging::init(cli.global.log_level.as_deref(), log_file.as_deref(), echo);
    for problem in &setup.problems {
        eprintln!("krafter: warning: {problem}");
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("krafter: could not start the async runtime: {e}");
            return exit::ERROR;
        }
    };
    let global = cli.global;
    tracing::info!(
        command = command_name(&cli.command),
        "krafter {}",
        env!("CARGO_PKG_VERSION")
    );
    let result = runtime.block_on(async {
        match cli.command {
            None => crate::app::run_tui(&global).await,
            Some(Command::Demo(args)) => crate::app::run_demo(&global, &args).await,
            Some(Command::Serve(args)) => crate::sandbox::serve_command(&args).await,
            Some(Command::Health(args)) => health::run(&global, &args).await,
            Some(Command::Findings(args)) => findings::run(&global, &args).await,
            Some(Command::Finding(args)) => finding::run(&global, &args).await,
            Some(Command::Scan(args)) => scan::run(&global, &args).await,
            Some(Command::Update(args)) => update::run(&global, &args).await,
            Some(Command::Verify(args)) => verify::run(&global, &args).await,
            Some(Command::Config(cmd)) => config::run(&global, &cmd).await,
            Some(Command::Completions(args)) => completions::run(&args),
            Some(Command::Manpage) => manpage::run(),
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            // To the log file only: the message is printed just below, and
            // `serve` echoes its log to stderr, which would show it twice.
            tracing::error!(target: logging::FILE_ONLY, error = %e, "command failed");
            eprintln!("krafter: {e:#}");
            exit_code_of(&e)
        }
    }
}

/// The command's name for the log; its arguments are left out (a scan URL
/// may carry a token in its query).
fn command_name(command: &Option<Command>) -> &'static str {
    match command {
        None => "tui",
        Some(Command::Demo(_)) => "demo",
        Some(Command::Serve(_)) => "serve",
        Some(Command::Health(_)) => "health",
        Some(Command::Findings(_)) => "findings",
        Some(Command::Finding(_)) => "finding",
        Some(Command::Scan(_)) => "scan",
        Some(Command::Update(_)) => "update",
        Some(Command::Verify(_)) => "verify",
        Some(Command::Config(_)) => "config",
        Some(Command::Completions(_)) => "completions",
        Some(Command::Manpage) => "manpage",
    }
}

/// The exit code of an error: 2 for usage errors and URLs refused before
/// sending, 1 for everything else.
pub fn exit_code_of(e: &color_eyre::Report) -> i32 {
    if e.downcast_ref::<UsageError>().is_some() {
        return exit::USAGE;
    }
    if let Some(ApiError::Refused(_)) = e.downcast_ref::<ApiError>() {
        return exit::USAGE;
    }
    exit::ERROR
}

/// Writes command output to stdout. A reader that went away (`| head`) is
/// not an error: the output simply is not wanted any more.
pub fn emit(text: &str) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(color_eyre::Report::new(e).wrap_err("could not write the output")),
    }
}

/// The resolved configuration and a client for it.
#[derive(Debug)]
pub struct Session {
    pub resolved: Resolved,
    pub client: Client,
}

/// Resolves the configuration and prints its warnings on stderr.
pub fn resolve(global: &GlobalArgs) -> Result<Resolved> {
    let resolved = crate::config::resolve(global)?;
    for warning in &resolved.warnings {
        eprintln!("krafter: warning: {warning}");
    }
    Ok(resolved)
}

/// Fails with a clear message, before any request, when writes are off.
pub fn ensure_writable(resolved: &Resolved, action: &str) -> Result<()> {
    if resolved.read_only {
        return Err(ReadOnlyError(action.to_string(), resolved.profile.clone()).into());
    }
    Ok(())
}

impl Session {
    /// Resolves the configuration and builds the client.
    pub fn open(global: &GlobalArgs) -> Result<Session> {
        Session::connect(resolve(global)?)
    }

    /// Builds the client of resolved settings.
    pub fn connect(resolved: Resolved) -> Result<Session> {
        let client = Client::new(resolved.client.clone())?;
        Ok(Session { resolved, client })
    }
}
