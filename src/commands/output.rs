//! Writing what a command prints.

use color_eyre::eyre::Result;

/// One JSON value per line (`--format ndjson`), each as the server sent it.
pub fn json_lines<T: serde::Serialize>(rows: &[T]) -> Result<String> {
    let mut out = String::new();
    for row in rows {
        out.push_str(&serde_json::to_string(row)?);
        out.push('\n');
    }
    Ok(out)
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
