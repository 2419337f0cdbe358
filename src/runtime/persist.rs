//! What the TUI keeps on disk besides the journal: the command history,
//! the remembered views, a view saved into the config file; and the
//! clipboard through the terminal (OSC 52).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use base64::Engine;

use crate::app::state::Remembered;
use crate::config::views::ViewSpec;

/// The OSC 52 sequence that puts `text` on the clipboard of the terminal
/// (and of tmux with `set-clipboard on`, and across SSH).
pub fn osc52(text: &str) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    format!("\x1b]52;c;{encoded}\x07")
}

/// Writes the OSC 52 sequence of `text` to the terminal.
pub fn copy(out: &mut impl Write, text: &str) {
    // Like the bell, it moves no cursor: safe between two frames.
    if let Err(e) = out
        .write_all(osc52(text).as_bytes())
        .and_then(|()| out.flush())
    {
        tracing::warn!(error = %e, "the clipboard sequence could not be written");
    }
}

/// Replaces a file's content at once: a crash leaves the old file or the
/// new one, never half of it. The file keeps its permissions (a config
/// file may hold a key).
pub fn replace(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".krafter-tmp");
    let tmp = std::path::PathBuf::from(tmp);
    std::fs::write(&tmp, text)?;
    if let Ok(meta) = std::fs::metadata(path) {
        std::fs::set_permissions(&tmp, meta.permissions())?;
    }
    std::fs::rename(&tmp, path)
}

/// The command history of a file, oldest first; none when it is missing.
pub fn read_history(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .map(|t| {
            t.lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Writes the command history, one line each.
pub fn write_history(path: &Path, lines: &[String]) {
    let mut text = lines.join("\n");
    text.push('\n');
    if let Err(e) = replace(path, &text) {
        tracing::warn!(error = %e, path = %path.display(), "the command history could not be written");
    }
}

/// The remembered views of a file; none when it is missing or unreadable.
pub fn read_remembered(path: &Path) -> BTreeMap<String, Remembered> {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

/// Writes the remembered views.
pub fn write_remembered(path: &Path, remembered: &BTreeMap<String, Remembered>) {
    let written = serde_json::to_string_pretty(remembered)
        .map_err(std::io::Error::other)
        .and_then(|text| replace(path, &text));
    if let Err(e) = written {
        tracing::warn!(error = %e, path = %path.display(), "the remembered views could not be written");
    }
}

/// Saves `view` into the config file at `path` (created when missing),
/// keeping everything else in it, among `profile`'s own views when it has
/// some; the path on success.
pub fn save_view(path: &Path, profile: &str, view: &ViewSpec) -> Result<String, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(format!("{} could not be read: {e}", path.display())),
    };
    let saved = crate::config::views::with_view_saved_for(&text, Some(profile), view)?;
    replace(path, &saved).map_err(|e| format!("{} could not be written: {e}", path.display()))?;
    Ok(path.display().to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn osc52_carries_the_text_in_base64() {
        assert_eq!(super::osc52("f-1"), "\x1b]52;c;Zi0x\x07");
    }
}
