//! `krafter config path` and `krafter config check [--online]`.

use color_eyre::eyre::{Result, WrapErr};

use crate::api::Client;
use crate::cli::{ConfigCommand, GlobalArgs, exit};
use crate::config::{Resolved, paths};
use crate::sanitize::sanitize;

/// Runs the command.
pub async fn run(global: &GlobalArgs, command: &ConfigCommand) -> Result<i32> {
    match command {
        ConfigCommand::Path => {
            super::output::emit(&render_paths(&paths::paths(global.config.as_deref())))?;
            Ok(exit::OK)
        }
        ConfigCommand::Check { online } => check(global, *online).await,
    }
}

/// Every path krafter uses, one per line.
pub fn render_paths(p: &paths::Paths) -> String {
    let show = |path: &Option<std::path::PathBuf>| match path {
        Some(p) => p.display().to_string(),
        None => "(unknown: this system has no home directory)".into(),
    };
    let state = match &p.config_file {
        Some(f) if f.exists() => "",
        Some(_) => " (not created yet; see config.example.toml)",
        None => "",
    };
    let origin = if p.config_file_explicit {
        " [--config / KRAFTER_CONFIG]"
    } else {
        ""
    };
    format!(
        "config file  {}{state}{origin}\nlog file     {}\ndata dir     {}\n",
        show(&p.config_file),
        show(&p.log_file),
        show(&p.data_dir)
    )
}

/// The resolved settings, without the key.
pub fn render_resolved(r: &Resolved) -> String {
    let yes = |b: bool| if b { "yes" } else { "no" };
    let mut out = String::new();
    out.push_str(&format!(
        "config file  {}\n",
        r.config_file
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "none (flags and environment only)".into())
    ));
    let others = if r.profiles.is_empty() {
        String::new()
    } else {
        format!(" (profiles: {})", r.profiles.join(", "))
    };
    out.push_str(&format!("profile      {}{others}\n", r.profile));
    out.push_str(&format!("base url     {}\n", r.client.base_url));
    out.push_str(&format!("org          {}\n", r.client.org_id));
    out.push_str(&format!("project      {}\n", r.client.project_id));
    out.push_str(&format!("api key      from {} (not shown)\n", r.key_source));
    out.push_str(&format!(
        "me           {}\n",
        r.people.me().unwrap_or("not set (\"assign to me\" is off)")
    ));
    out.push_str(&format!("read only    {}\n", yes(r.read_only)));
    out.push_str(&format!(
        "ui           refresh every {}s, page size {}, theme {}, colours {}\n",
        r.ui.refresh_interval.as_secs(),
        r.ui.page_size,
        match r.ui.theme {
            crate::config::ThemeName::Dark => "dark",
            crate::config::ThemeName::Light => "light",
        },
        if r.ui.no_color { "off" } else { "on" }
    ));
    // Counts, so a user sees the tables were read where they meant them
    // (a misspelt table name is only an unknown-key warning).
    out.push_str(&format!(
        "people       {} (from [people] and the profile's [profiles.{}.people])\n",
        count(r.people.len(), "person", "people"),
        r.profile
    ));
    out.push_str(&format!(
        "keys         {}\n",
        match r.key_overrides.len() {
            0 => "no overrides in [keys] (the defaults)".to_string(),
            n => format!("{} in [keys]", count(n, "override", "overrides")),
        }
    ));
    let out = sanitize_lines(out);
    let mut out = out;
    for w in &r.warnings {
        out.push_str(&format!("warning: {}\n", sanitize(w)));
    }
    out
}

fn count(n: usize, one: &str, many: &str) -> String {
    match n {
        0 => format!("no {many}"),
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

fn sanitize_lines(text: String) -> String {
    text.lines()
        .map(|l| sanitize(l).into_owned() + "\n")
        .collect()
}

/// What the TUI would refuse in the key overrides and colour settings: it
/// builds the same keymap and theme, so `check` and the TUI agree.
pub fn ui_problems(resolved: &Resolved) -> Vec<String> {
    let (_, mut problems) = crate::app::keymap::Keymap::new(&resolved.key_overrides);
    let (_, colours) = crate::ui::theme::Theme::from_settings(&resolved.ui);
    problems.extend(colours);
    problems
}

async fn check(global: &GlobalArgs, online: bool) -> Result<i32> {
    let resolved =
        crate::config::resolve(&global.flags()).wrap_err("the configuration is not usable")?;
    super::output::emit(&render_resolved(&resolved))?;
    let problems = ui_problems(&resolved);
    if !problems.is_empty() {
        for problem in &problems {
            super::output::emit(&format!("warning: {}\n", sanitize(problem)))?;
        }
        return Err(color_eyre::eyre::eyre!(
            "{} problem(s) in [keys] or [ui.colors]; fix the lines above (the TUI would \
             ignore them and keep the defaults)",
            problems.len()
        ));
    }
    if !online {
        super::output::emit("ok (offline: add --online to call the API once)\n")?;
        return Ok(exit::OK);
    }
    let client = Client::new(resolved.client.clone())?;
    match client.command_center().await {
        Ok(center) => {
            super::output::emit(&format!(
                "online       ok: {} answered, health score {}\n",
                client.base_url(),
                center
                    .health_score
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| "?".into())
            ))?;
            Ok(exit::OK)
        }
        Err(e) => {
            super::output::emit("online       failed\n")?;
            Err(e).wrap_err(format!("calling {} failed", resolved.client.base_url))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn paths_name_every_file() {
        let p = paths::Paths {
            config_file: Some(PathBuf::from("/nonexistent/krafter/config.toml")),
            config_file_explicit: true,
            log_file: Some(PathBuf::from("/state/krafter/krafter.log")),
            data_dir: None,
        };
        let text = render_paths(&p);
        assert!(text.contains("config file  /nonexistent/krafter/config.toml (not created yet"));
        assert!(text.contains("[--config / KRAFTER_CONFIG]"));
        assert!(text.contains("log file     /state/krafter/krafter.log"));
        assert!(text.contains("data dir     (unknown"));
    }
}
