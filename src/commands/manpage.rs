//! `krafter manpage`: the man page, in roff, from the CLI definition.

use clap::CommandFactory;
use color_eyre::eyre::{Result, WrapErr};

use crate::cli::{Cli, exit};

/// Prints the man page on stdout.
pub fn run() -> Result<i32> {
    super::output::emit(&page()?)?;
    Ok(exit::OK)
}

/// The man page of `krafter(1)`. Rendered in memory so that a pipe closed
/// early (`| head`) is handled by [`super::emit`] like any other output.
pub fn page() -> Result<String> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .wrap_err("could not render the man page; please report this")?;
    String::from_utf8(out).wrap_err("the man page is not UTF-8; please report this")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_names_krafter_and_its_commands() {
        let page = page().unwrap();
        // Only roff string definitions may come before the title header.
        let first_macro = page
            .lines()
            .find(|l| !l.starts_with(".ie") && !l.starts_with(".el"))
            .unwrap_or_default();
        assert!(first_macro.starts_with(".TH krafter 1"), "{page}");
        for command in ["findings", "update", "serve", "completions", "manpage"] {
            assert!(page.contains(command), "{command} missing");
        }
    }
}
