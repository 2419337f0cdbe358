//! Entry point of every command, and the headless commands.
//!
//! Each headless command lives in its own file and keeps its formatting in
//! pure functions, so output is tested on model values.

pub mod changes;
pub mod completions;
pub mod config;
pub mod export;
pub mod filters;
pub mod finding;
pub mod findings;
pub mod gate;
pub mod health;
pub mod jobs;
pub mod layout;
pub mod manpage;
pub mod output;
pub mod progress;
pub mod regressions;
pub mod report;
pub mod scan;
pub mod serve;
pub mod session;
pub mod task;
pub mod tasks;
pub mod tui;
pub mod update;
pub mod verifications;
pub mod verify;
pub mod watch;

use crate::api::ApiError;
use crate::cli::UsageError;
use crate::cli::{Cli, Command, exit};
use crate::logging::{self, Echo};

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
            None => tui::run(&global).await,
            Some(Command::Demo(args)) => tui::demo(&global, &args).await,
            Some(Command::Serve(args)) => serve::run(&args).await,
            Some(Command::Health(args)) => health::run(&global, &args).await,
            Some(Command::Findings(args)) => findings::run(&global, &args).await,
            Some(Command::Finding(args)) => finding::run(&global, &args).await,
            Some(Command::Scan(args)) => scan::run(&global, &args).await,
            Some(Command::Update(args)) => update::run(&global, &args).await,
            Some(Command::Jobs(args)) => jobs::run(&global, &args),
            Some(Command::Verify(args)) => verify::run(&global, &args).await,
            Some(Command::Watch(args)) => watch::run(&global, &args).await,
            Some(Command::Changes(args)) => changes::run(&global, &args).await,
            Some(Command::Gate(args)) => gate::run(&global, &args).await,
            Some(Command::Tasks(args)) => tasks::run(&global, &args).await,
            Some(Command::Task(cmd)) => task::run(&global, &cmd).await,
            Some(Command::Verifications(args)) => verifications::run(&global, &args).await,
            Some(Command::Approve(args)) => verifications::approve(&global, &args).await,
            Some(Command::Regressions(args)) => regressions::run(&global, &args).await,
            Some(Command::Report(args)) => report::run(&global, &args).await,
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
        Some(Command::Jobs(_)) => "jobs",
        Some(Command::Verify(_)) => "verify",
        Some(Command::Watch(_)) => "watch",
        Some(Command::Changes(_)) => "changes",
        Some(Command::Gate(_)) => "gate",
        Some(Command::Tasks(_)) => "tasks",
        Some(Command::Task(_)) => "task",
        Some(Command::Verifications(_)) => "verifications",
        Some(Command::Approve(_)) => "approve",
        Some(Command::Regressions(_)) => "regressions",
        Some(Command::Report(_)) => "report",
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
