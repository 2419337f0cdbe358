//! The config file: its serde shape, parse errors with a line number, and
//! warnings for keys krafter does not know.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use color_eyre::eyre::{Result, eyre};
use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The whole config file as written.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ConfigFile {
    /// The profile used when neither `--profile` nor `KRAFTER_PROFILE` names one.
    pub default_profile: Option<String>,
    /// `[profiles.NAME]` tables.
    pub profiles: BTreeMap<String, ProfileConfig>,
    /// `[ui]`.
    pub ui: UiConfig,
    /// `[keys]`: `action = "key"`, with the span of each value.
    pub keys: BTreeMap<String, Spanned<String>>,
    /// `[people]`: `name = "uuid"`, for every profile.
    pub people: BTreeMap<String, String>,
    /// `[alerts]`.
    pub alerts: AlertsConfig,
    /// `[[views]]`: checked view by view (`super::views`), so that a bad
    /// one is a warning, never a failed start.
    pub views: Option<toml::Value>,
}

/// One `[profiles.NAME]` table.
#[derive(Clone, Default, Deserialize)]
#[serde(default)]
pub struct ProfileConfig {
    pub base_url: Option<String>,
    pub org_id: Option<String>,
    pub project_id: Option<String>,
    /// The name of an environment variable that holds the key.
    pub api_key_env: Option<String>,
    /// A shell command that prints the key (a password manager).
    pub api_key_command: Option<String>,
    /// Seconds `api_key_command` may take (default 10).
    pub api_key_command_timeout: Option<u64>,
    /// The key itself (the file should then be readable by its owner only).
    pub api_key: Option<String>,
    /// The user's UUID, for "assign to me".
    pub me: Option<String>,
    pub read_only: Option<bool>,
    pub allow_insecure_http: Option<bool>,
    /// Scans skip the client's own SSRF pre-check (a local sandbox
    /// started with `--allow-private-targets`).
    pub allow_private_targets: Option<bool>,
    /// `[profiles.NAME.people]`: `name = "uuid"`, added to (and winning
    /// over) the global `[people]`.
    pub people: BTreeMap<String, String>,
    /// The Krafter web app, for opening a finding in the browser.
    pub web_url: Option<String>,
    /// `[[profiles.NAME.views]]`: this profile's views.
    pub views: Option<toml::Value>,
}

// The key must never reach Debug output.
impl std::fmt::Debug for ProfileConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProfileConfig")
            .field("base_url", &self.base_url)
            .field("org_id", &self.org_id)
            .field("project_id", &self.project_id)
            .field("api_key_env", &self.api_key_env)
            .field("api_key_command", &self.api_key_command.is_some())
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("me", &self.me)
            .field("read_only", &self.read_only)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("allow_private_targets", &self.allow_private_targets)
            .field("people", &self.people)
            .field("web_url", &self.web_url)
            .field("views", &self.views)
            .finish()
    }
}

/// `[ui]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct UiConfig {
    /// Seconds between command-center refreshes.
    pub refresh_interval: Option<u64>,
    pub page_size: Option<u32>,
    /// `dark` or `light`.
    pub theme: Option<String>,
    /// `[ui.colors]`: `role = "colour"`, with the span of each value.
    pub colors: BTreeMap<String, Spanned<String>>,
    pub default_scan_url: Option<String>,
}

/// `[alerts]` as written.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct AlertsConfig {
    /// Points the health score must fall to alert (1 to 100, default 5).
    pub health_drop: Option<i64>,
    /// Ring the terminal bell on an alert (default true).
    pub bell: Option<bool>,
    /// Show a desktop notification on an alert (default false).
    pub desktop: Option<bool>,
}

/// The keys `[alerts]` accepts.
pub const ALERTS_KEYS: &[&str] = &["health_drop", "bell", "desktop"];

/// A parsed file and what is worth telling the user about it.
#[derive(Clone, Debug)]
pub struct LoadedFile {
    pub config: ConfigFile,
    /// Unknown keys, each naming the key and its line.
    pub warnings: Vec<String>,
    /// Byte offset → 1-based line, for the spans of `config`.
    line_starts: Vec<usize>,
    /// The lines of the `[[views]]` entries.
    pub view_lines: Vec<usize>,
    /// The lines of each profile's `[[profiles.NAME.views]]` entries.
    pub profile_view_lines: BTreeMap<String, Vec<usize>>,
}

impl LoadedFile {
    /// The 1-based line of a byte span of the file.
    pub fn line_of(&self, span: &Range<usize>) -> usize {
        line_of(&self.line_starts, span.start)
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

fn line_of(starts: &[usize], offset: usize) -> usize {
    starts.partition_point(|&s| s <= offset).max(1)
}

/// Parses config text. `path` only names the file in messages.
pub fn parse(text: &str, path: &Path) -> Result<LoadedFile> {
    let starts = line_starts(text);
    let located = |message: &str, span: Option<Range<usize>>| {
        let line = span
            .map(|s| format!(", line {}", line_of(&starts, s.start)))
            .unwrap_or_default();
        eyre!(
            "config file {}{line}: {}; fix it or point --config at another file",
            path.display(),
            message.trim_end()
        )
    };
    let document = DeTable::parse(text).map_err(|e| located(e.message(), e.span()))?;
    let config: ConfigFile = toml::from_str(text).map_err(|e| located(e.message(), e.span()))?;
    let mut warnings = Vec::new();
    unknown_keys(document.get_ref(), &[], &mut |key, span| {
        warnings.push(format!(
            "config file {}, line {}: unknown key `{key}` (ignored); see config.example.toml",
            path.display(),
            line_of(&starts, span.start)
        ));
    });
    let lines_of = |value: Option<&Spanned<DeValue<'_>>>| -> Vec<usize> {
        match value.map(|v| (v.span(), v.get_ref())) {
            Some((_, DeValue::Array(items))) => items
                .iter()
                .map(|i| line_of(&starts, i.span().start))
                .collect(),
            Some((span, _)) => vec![line_of(&starts, span.start)],
            None => Vec::new(),
        }
    };
    let view_lines = lines_of(document.get_ref().get("views"));
    let mut profile_view_lines = BTreeMap::new();
    if let Some(DeValue::Table(profiles)) = document.get_ref().get("profiles").map(|v| v.get_ref())
    {
        for (name, profile) in profiles.iter() {
            if let DeValue::Table(p) = profile.get_ref() {
                profile_view_lines.insert(name.get_ref().to_string(), lines_of(p.get("views")));
            }
        }
    }
    Ok(LoadedFile {
        config,
        warnings,
        line_starts: starts,
        view_lines,
        profile_view_lines,
    })
}

const TOP_KEYS: &[&str] = &[
    "default_profile",
    "profiles",
    "ui",
    "keys",
    "people",
    "alerts",
    "views",
];
const PROFILE_KEYS: &[&str] = &[
    "base_url",
    "org_id",
    "project_id",
    "api_key_env",
    "api_key_command",
    "api_key_command_timeout",
    "api_key",
    "me",
    "read_only",
    "allow_insecure_http",
    "allow_private_targets",
    "people",
    "web_url",
    "views",
];
const UI_KEYS: &[&str] = &[
    "refresh_interval",
    "page_size",
    "theme",
    "colors",
    "default_scan_url",
];

/// Which keys a table at `path` accepts; `None` accepts any (profile names,
/// colour roles and keymap actions are the user's to choose).
fn known_keys(path: &[&str]) -> Option<&'static [&'static str]> {
    match path {
        [] => Some(TOP_KEYS),
        ["profiles"] | ["ui", "colors"] | ["keys"] | ["people"] | ["profiles", _, "people"] => None,
        ["profiles", _] => Some(PROFILE_KEYS),
        ["ui"] => Some(UI_KEYS),
        ["alerts"] => Some(ALERTS_KEYS),
        _ => Some(&[]),
    }
}

fn unknown_keys(table: &DeTable<'_>, path: &[&str], report: &mut dyn FnMut(String, Range<usize>)) {
    let known = known_keys(path);
    for (key, value) in table.iter() {
        let name: &str = key.get_ref();
        let mut child = path.to_vec();
        child.push(name);
        if known.is_some_and(|k| !k.contains(&name)) {
            report(child.join("."), key.span());
            continue;
        }
        // Only tables are walked: the values of known keys are typed by serde.
        if let DeValue::Table(inner) = value.get_ref()
            && !matches!(
                child.as_slice(),
                ["ui", "colors"] | ["keys"] | ["people"] | ["profiles", _, "people"]
            )
        {
            unknown_keys(inner, &child, report);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<LoadedFile> {
        parse(text, Path::new("/tmp/krafter.toml"))
    }

    #[test]
    fn unknown_keys_are_warnings_with_lines() {
        let loaded = load(
            "default_profile = \"w\"\ncolour = 1\n[profiles.w]\nbse_url = \"x\"\n[ui]\nrefresh = 5\n",
        )
        .unwrap();
        assert_eq!(loaded.warnings.len(), 3, "{:?}", loaded.warnings);
        assert!(loaded.warnings[0].contains("line 2: unknown key `colour`"));
        assert!(loaded.warnings[1].contains("line 4: unknown key `profiles.w.bse_url`"));
        assert!(loaded.warnings[2].contains("line 6: unknown key `ui.refresh`"));
    }

    #[test]
    fn syntax_error_names_file_and_line() {
        let err = load("[ui]\npage_size = 10\ntheme = dark\n").unwrap_err();
        let msg = format!("{err}");
        assert!(msg.contains("/tmp/krafter.toml, line 3"), "{msg}");
    }

    #[test]
    fn type_error_names_file_and_line() {
        let err = load("[ui]\n\nrefresh_interval = \"often\"\n").unwrap_err();
        assert!(format!("{err}").contains("line 3"), "{err}");
    }

    #[test]
    fn debug_of_a_profile_hides_the_key() {
        let loaded = load("[profiles.p]\napi_key = \"kr_live_secret\"\n").unwrap();
        let shown = format!("{:?}", loaded.config);
        assert!(!shown.contains("kr_live_secret"), "{shown}");
    }
}
