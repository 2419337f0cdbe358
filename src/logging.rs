//! Logging to a file (the TUI owns the terminal), via `tracing`.
//!
//! The level comes from `--log-level` or `KRAFTER_LOG` (a level such as
//! `debug`, or a full filter such as `krafter=debug,reqwest=warn`), default
//! `warn`. Nothing logged may contain the API key or, at info and above, a
//! response body.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::filter::filter_fn;
use tracing_subscriber::fmt;
use tracing_subscriber::prelude::*;

/// The level used when none is given.
pub const DEFAULT_LEVEL: &str = "warn";

/// The target of events meant for the log file alone, never echoed to
/// stderr (e.g. a failure that is already printed as the command's message).
pub const FILE_ONLY: &str = "krafter::file_only";

/// Where log lines go besides the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Echo {
    /// The file only: the TUI and `demo` own the terminal.
    FileOnly,
    /// The file and stderr (`serve`, whose request log is its output).
    Stderr,
}

impl Echo {
    /// The level used when none is given: `warn`, or `info` for `serve` so
    /// that its request log shows.
    pub fn default_level(self) -> &'static str {
        match self {
            Echo::FileOnly => DEFAULT_LEVEL,
            Echo::Stderr => "info",
        }
    }
}

/// What [`init`] set up, for `krafter config path` and for messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogSetup {
    /// The log file, when it could be opened.
    pub file: Option<PathBuf>,
    /// Why the level or the file could not be used, for the user to read.
    pub problems: Vec<String>,
}

/// Dependencies whose trace output is about wire bytes and frames: at a
/// bare level such as `trace` they are held at `info`, so a request's
/// headers (the API key among them) can never reach the log through them.
/// Naming one in a full filter (`hyper=trace`) is a deliberate choice and
/// is left alone.
const WIRE_TARGETS: [&str; 6] = ["hyper", "hyper_util", "h2", "rustls", "reqwest", "tower"];

/// A bare level (`debug`, `trace`) with the wire-level dependencies capped;
/// a full filter as given.
fn with_wire_caps(wanted: &str) -> String {
    if wanted.contains('=') || wanted.contains(',') {
        return wanted.to_string();
    }
    std::iter::once(wanted.to_string())
        .chain(WIRE_TARGETS.iter().map(|t| format!("{t}=info")))
        .collect::<Vec<_>>()
        .join(",")
}

/// Parses a level or filter, falling back to `default` with a problem noted.
pub fn filter(level: Option<&str>, default: &str, problems: &mut Vec<String>) -> EnvFilter {
    let wanted = level.map(str::trim).filter(|l| !l.is_empty());
    match wanted.map(|w| EnvFilter::try_new(with_wire_caps(w))) {
        Some(Ok(filter)) => filter,
        Some(Err(e)) => {
            problems.push(format!(
                "log level `{}` is not valid ({e}); using {default}. Use error, warn, info, debug or trace",
                wanted.unwrap_or_default()
            ));
            EnvFilter::new(default)
        }
        None => EnvFilter::new(default),
    }
}

fn open_log(path: &Path) -> std::io::Result<std::fs::File> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Installs the global subscriber. Never fails: a log file that cannot be
/// opened is reported in [`LogSetup::problems`] and logging goes on without it.
pub fn init(level: Option<&str>, log_file: Option<&Path>, echo: Echo) -> LogSetup {
    let mut problems = Vec::new();
    let filter = filter(level, echo.default_level(), &mut problems);
    let file = match log_file.map(|p| (p, open_log(p))) {
        Some((path, Ok(file))) => Some((path.to_path_buf(), file)),
        Some((path, Err(e))) => {
            problems.push(format!(
                "could not open the log file {} ({e}); logging to it is off",
                path.display()
            ));
            None
        }
        None => None,
    };
    let file_layer = file
        .as_ref()
        .and_then(|(_, f)| f.try_clone().ok())
        .map(|f| {
            fmt::layer()
                .with_ansi(false)
                .with_target(true)
                .with_writer(Mutex::new(f))
        });
    let stderr_layer = (echo == Echo::Stderr).then(|| {
        fmt::layer()
            .with_writer(std::io::stderr)
            .with_filter(filter_fn(|meta| meta.target() != FILE_ONLY))
    });
    // A second init (tests running commands in-process) keeps the first.
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(file_layer)
        .with(stderr_layer)
        .try_init();
    LogSetup {
        file: file.map(|(p, _)| p),
        problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_level_caps_the_wire_level_dependencies() {
        let caps = with_wire_caps("trace");
        assert!(caps.starts_with("trace,"), "{caps}");
        assert!(caps.contains("hyper=info") && caps.contains("rustls=info"));
        assert_eq!(
            with_wire_caps("krafter=trace,hyper=trace"),
            "krafter=trace,hyper=trace"
        );
    }

    #[test]
    fn bad_level_falls_back_with_a_message() {
        let mut problems = Vec::new();
        let f = filter(Some("loud=="), DEFAULT_LEVEL, &mut problems);
        assert_eq!(f.to_string(), "warn");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("not valid"));
    }

    #[test]
    fn level_and_directives_are_accepted() {
        let mut problems = Vec::new();
        let info = filter(Some("info"), DEFAULT_LEVEL, &mut problems).to_string();
        let directives: Vec<&str> = info.split(',').collect();
        assert!(directives.contains(&"info"), "{info}");
        assert!(directives.contains(&"hyper=info"), "{info}");
        assert_eq!(
            filter(None, DEFAULT_LEVEL, &mut problems).to_string(),
            "warn"
        );
        assert_eq!(
            filter(None, Echo::Stderr.default_level(), &mut problems).to_string(),
            "info"
        );
        filter(
            Some("krafter=trace,reqwest=warn"),
            DEFAULT_LEVEL,
            &mut problems,
        );
        assert!(problems.is_empty());
    }
}
