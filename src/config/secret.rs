//! The API key's sources, in order: an environment variable, a command (a
//! password manager), the config file. The key itself is never printed,
//! logged or put in an error.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::api::ApiKey;

/// The environment variable read when no other is named.
pub const DEFAULT_KEY_ENV: &str = "KRAFTER_API_KEY";
/// How long `api_key_command` may run unless the profile says otherwise.
pub const DEFAULT_COMMAND_TIMEOUT: Duration = Duration::from_secs(10);

/// Where the key in use came from (shown by `krafter config check`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeySource {
    /// An environment variable, by name.
    Env(String),
    /// The profile's `api_key_command`.
    Command,
    /// `api_key` in the config file.
    File,
}

impl std::fmt::Display for KeySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeySource::Env(name) => write!(f, "environment variable {name}"),
            KeySource::Command => f.write_str("api_key_command"),
            KeySource::File => f.write_str("api_key in the config file"),
        }
    }
}

/// Why `api_key_command` gave no key. None of the messages holds its output.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyCommandError {
    #[error("api_key_command could not be started ({0}); check that `sh` is available")]
    Spawn(String),
    #[error(
        "api_key_command did not finish within {}s and was stopped; \
         check that it does not wait for input, or raise api_key_command_timeout",
        .0.as_secs()
    )]
    Timeout(Duration),
    #[error(
        "api_key_command failed ({0}); run it yourself to see why (its output is not shown here \
         because it may hold the key)"
    )]
    Failed(String),
    #[error("api_key_command printed nothing; it must print the key on stdout")]
    Empty,
    #[error(
        "the first line api_key_command printed is not a key (it holds spaces or control \
         characters); make it print only the key on its first line"
    )]
    NotAKey,
    #[error("api_key_command printed something that is not UTF-8 text")]
    NotText,
}

/// Where the stderr of `api_key_command` goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommandStderr {
    /// To the user's terminal, so that a password manager can say "not
    /// signed in" (headless commands, and before the TUI starts).
    Terminal,
    /// Nowhere: the TUI owns the screen (its profile switcher).
    Discard,
}

/// Runs `command` with `sh -c` and returns its trimmed stdout as the key.
/// After `timeout` the whole process group is killed.
///
/// This blocks the calling thread for up to `timeout`. That is fine where it
/// runs today: config resolution at the start of a command or of the TUI,
/// inside the `block_on` future on the main thread, before any task, request
/// or screen exists that could be held up. A caller resolving while other
/// work is under way (the TUI's profile switcher) must run the resolution on
/// `tokio::task::spawn_blocking`, as the switcher does.
pub fn run_key_command(
    command: &str,
    timeout: Duration,
    stderr: CommandStderr,
) -> Result<ApiKey, KeyCommandError> {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(match stderr {
            CommandStderr::Terminal => Stdio::inherit(),
            CommandStderr::Discard => Stdio::null(),
        });
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        // Its own group, so a timeout can stop the children it started too.
        cmd.process_group(0);
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| KeyCommandError::Spawn(e.kind().to_string()))?;
    let pid = child.id();
    let mut stdout = child.stdout.take();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut out = Vec::new();
        let read = stdout.as_mut().map(|s| s.read_to_end(&mut out));
        let status = child.wait();
        let _ = tx.send((read.map(|r| r.is_ok()), status, out));
    });
    let (read_ok, status, out) = match rx.recv_timeout(timeout) {
        Ok(done) => done,
        Err(_) => {
            kill_group(pid);
            return Err(KeyCommandError::Timeout(timeout));
        }
    };
    let status = status.map_err(|e| KeyCommandError::Failed(e.kind().to_string()))?;
    if !status.success() {
        let why = match status.code() {
            Some(code) => format!("exit status {code}"),
            None => "killed by a signal".to_string(),
        };
        return Err(KeyCommandError::Failed(why));
    }
    if read_ok != Some(true) {
        return Err(KeyCommandError::Failed(
            "its output could not be read".into(),
        ));
    }
    let text = String::from_utf8(out).map_err(|_| KeyCommandError::NotText)?;
    key_from_output(&text)
}

/// The key is the first non-blank line, as password managers print it
/// (`pass show` puts the secret first and notes below it).
fn key_from_output(text: &str) -> Result<ApiKey, KeyCommandError> {
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .ok_or(KeyCommandError::Empty)?;
    ApiKey::new(first).map_err(|_| KeyCommandError::NotAKey)
}

#[cfg(unix)]
fn kill_group(pid: u32) {
    // The group id is the child's pid (process_group(0) above).
    let _ = Command::new("kill")
        .arg("-KILL")
        .arg("--")
        .arg(format!("-{pid}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

#[cfg(not(unix))]
fn kill_group(_pid: u32) {}

/// True when the file can be read by its group or by others (unix mode
/// bits); always false elsewhere.
pub fn readable_by_others(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path)
            .map(|m| m.permissions().mode() & 0o077 != 0)
            .unwrap_or(false)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_the_first_line_a_password_manager_prints() {
        let key = key_from_output("\n  kr_live_abc  \nurl: example.com\nuser: me\n").unwrap();
        assert_eq!(key.expose(), "kr_live_abc");
        assert!(matches!(
            key_from_output(" \n\n"),
            Err(KeyCommandError::Empty)
        ));
        let err = key_from_output("kr_live SECRET\n").unwrap_err();
        assert!(matches!(err, KeyCommandError::NotAKey));
        assert!(!err.to_string().contains("SECRET"));
    }

    #[test]
    fn command_output_is_trimmed() {
        let key = run_key_command(
            "printf '  kr_live_abc\\n'",
            DEFAULT_COMMAND_TIMEOUT,
            CommandStderr::Discard,
        )
        .unwrap();
        assert_eq!(key.expose(), "kr_live_abc");
    }

    #[test]
    fn failing_command_does_not_echo_its_output() {
        let err = run_key_command(
            "echo kr_live_leaked; exit 3",
            DEFAULT_COMMAND_TIMEOUT,
            CommandStderr::Discard,
        )
        .unwrap_err();
        assert_eq!(err, KeyCommandError::Failed("exit status 3".into()));
        assert!(!err.to_string().contains("kr_live_leaked"));
    }

    #[test]
    fn empty_output_is_an_error() {
        let err = run_key_command(
            "printf '\\n  \\n'",
            DEFAULT_COMMAND_TIMEOUT,
            CommandStderr::Discard,
        )
        .unwrap_err();
        assert_eq!(err, KeyCommandError::Empty);
    }

    #[test]
    fn hanging_command_is_stopped_at_the_timeout() {
        let started = std::time::Instant::now();
        let err = run_key_command(
            "sleep 30; echo late",
            Duration::from_millis(300),
            CommandStderr::Discard,
        )
        .unwrap_err();
        assert_eq!(err, KeyCommandError::Timeout(Duration::from_millis(300)));
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}
