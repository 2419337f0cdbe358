//! Saved views: `[[views]]` (and `[[profiles.NAME.views]]`) in the config
//! file, checked one by one so that a bad view is a warning with its line
//! and the others still load; the built-in views when none are written;
//! and saving a view back into the file without touching the rest of it.

use crate::api::model::{Domain, FindingStatus, Severity};

/// The sort keys a view may name, in the order `o` cycles them.
pub const SORT_KEYS: &[&str] = &["priority", "severity", "age", "status", "sla"];
/// The columns a view may choose.
pub const COLUMNS: &[&str] = &[
    "severity", "status", "domain", "score", "owner", "age", "sla", "page", "check",
];
/// What a view may group its rows by (`none`: not grouped).
pub const GROUP_BY: &[&str] = &["check", "page", "none"];
/// The keys of one view.
pub const VIEW_KEYS: &[&str] = &[
    "name", "severity", "status", "domain", "owner", "text", "sort", "columns", "group_by",
];
/// Views past this many are not reachable by a digit, but `:view` opens them.
pub const DIGIT_VIEWS: usize = 9;

/// Whose findings a view shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OwnerSpec {
    /// The profile's `me`.
    Me,
    /// Unassigned findings.
    Unassigned,
    /// A user's UUID (a `[people]` name is resolved to it).
    Id(String),
}

/// One saved view as the config describes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ViewSpec {
    pub name: String,
    pub severity: Option<Severity>,
    pub status: Option<FindingStatus>,
    /// `status = "open"`: every status but resolved and dismissed (the
    /// service filters one status at a time, so the list filters these).
    pub open_only: bool,
    pub domain: Option<Domain>,
    pub owner: Option<OwnerSpec>,
    /// Text the title or the description contains (the server's `q`).
    pub text: Option<String>,
    /// Sort keys, first one first (names of [`SORT_KEYS`]).
    pub sort: Vec<String>,
    /// Columns in order (names of [`COLUMNS`]); empty: the default set.
    pub columns: Vec<String>,
    /// `check` or `page` (of [`GROUP_BY`]); `None`: not grouped.
    pub group_by: Option<String>,
}

impl ViewSpec {
    fn named(name: &str) -> ViewSpec {
        ViewSpec {
            name: name.to_string(),
            ..ViewSpec::default()
        }
    }
}

/// The views krafter offers when the config names none.
pub fn builtin() -> Vec<ViewSpec> {
    vec![
        ViewSpec::named("All"),
        ViewSpec {
            owner: Some(OwnerSpec::Me),
            open_only: true,
            sort: vec!["status".into(), "severity".into()],
            ..ViewSpec::named("Mine")
        },
        ViewSpec {
            status: Some(FindingStatus::New),
            ..ViewSpec::named("Untriaged")
        },
        ViewSpec {
            severity: Some(Severity::Critical),
            sort: vec!["status".into()],
            ..ViewSpec::named("Critical open")
        },
    ]
}

/// Reads the views of an array of tables; `lines` are the 1-based lines
/// of its entries, `people` resolves owner names. A bad entry is left out
/// with a warning naming its line.
pub fn parse_views(
    value: &toml::Value,
    lines: &[usize],
    people: &[(String, String)],
    place: &str,
    warnings: &mut Vec<String>,
) -> Vec<ViewSpec> {
    let Some(items) = value.as_array() else {
        let at = lines
            .first()
            .map(|l| format!(", line {l}"))
            .unwrap_or_default();
        warnings.push(format!(
            "{place}{at}: views must be [[views]] tables; the built-in views are used"
        ));
        return Vec::new();
    };
    let mut views: Vec<ViewSpec> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = lines
            .get(i)
            .map(|l| format!(", line {l}"))
            .unwrap_or_default();
        match parse_view(item, people) {
            Ok(view)
                if views
                    .iter()
                    .any(|v| v.name.eq_ignore_ascii_case(&view.name)) =>
            {
                warnings.push(format!(
                    "{place}{at}: a second view named `{}` is ignored",
                    view.name
                ));
            }
            Ok(view) => views.push(view),
            Err(why) => warnings.push(format!("{place}{at}: view ignored: {why}")),
        }
    }
    views
}

fn parse_view(item: &toml::Value, people: &[(String, String)]) -> Result<ViewSpec, String> {
    let table = item
        .as_table()
        .ok_or("a view is a table with at least a name")?;
    if let Some(key) = table.keys().find(|k| !VIEW_KEYS.contains(&k.as_str())) {
        return Err(format!(
            "unknown key `{key}` (known: {})",
            VIEW_KEYS.join(", ")
        ));
    }
    let text = |key: &str| -> Result<Option<String>, String> {
        match table.get(key) {
            None => Ok(None),
            Some(toml::Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(toml::Value::String(s)) => Ok(Some(s.trim().to_string())),
            Some(_) => Err(format!("`{key}` must be a string")),
        }
    };
    let list = |key: &str, known: &[&str]| -> Result<Vec<String>, String> {
        let raw: Vec<String> = match table.get(key) {
            None => return Ok(Vec::new()),
            Some(toml::Value::String(s)) => s.split(',').map(|p| p.trim().to_string()).collect(),
            Some(toml::Value::Array(a)) => a
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect::<Option<_>>()
                .ok_or(format!("`{key}` must be a list of strings"))?,
            Some(_) => return Err(format!("`{key}` must be a list of strings")),
        };
        raw.into_iter()
            .filter(|s| !s.is_empty())
            .map(|s| {
                let s = s.to_ascii_lowercase();
                if known.contains(&s.as_str()) {
                    Ok(s)
                } else {
                    Err(format!(
                        "`{key}` has `{s}`, which is not one of {}",
                        known.join(", ")
                    ))
                }
            })
            .collect()
    };
    let name = text("name")?.ok_or("a view needs a name")?;
    let severity = match text("severity")? {
        None => None,
        Some(s) => Some(Severity::parse_known(&s).ok_or(format!(
            "severity `{s}` is not critical, high, medium or low"
        ))?),
    };
    let (status, open_only) = match text("status")? {
        None => (None, false),
        Some(s) if s.eq_ignore_ascii_case("open") => (None, true),
        Some(s) => (Some(FindingStatus::parse_known(&s).ok_or(format!(
            "status `{s}` is not open, new, triaged, in_progress, ready_verify, resolved or dismissed"
        ))?), false),
    };
    let domain = match text("domain")? {
        None => None,
        Some(s) => Some(Domain::parse_known(&s).ok_or(format!(
            "domain `{s}` is not security, performance, accessibility or seo"
        ))?),
    };
    let owner = match text("owner")? {
        None => None,
        Some(o) => Some(owner_spec(&o, people)?),
    };
    let group_by = match text("group_by")?.map(|g| g.to_ascii_lowercase()) {
        None => None,
        Some(g) if g == "none" => None,
        Some(g) if GROUP_BY.contains(&g.as_str()) => Some(g),
        Some(g) => {
            return Err(format!(
                "group_by `{g}` is not one of {}",
                GROUP_BY.join(", ")
            ));
        }
    };
    Ok(ViewSpec {
        name,
        severity,
        status,
        open_only,
        domain,
        owner,
        text: text("text")?,
        sort: list("sort", SORT_KEYS)?,
        columns: list("columns", COLUMNS)?,
        group_by,
    })
}

/// `me`, `none`, a `[people]` name or a UUID.
pub fn owner_spec(raw: &str, people: &[(String, String)]) -> Result<OwnerSpec, String> {
    match raw {
        "me" => Ok(OwnerSpec::Me),
        "none" => Ok(OwnerSpec::Unassigned),
        _ if uuid::Uuid::parse_str(raw).is_ok() => Ok(OwnerSpec::Id(raw.to_string())),
        _ => people
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(raw))
            .map(|(_, id)| OwnerSpec::Id(id.clone()))
            .ok_or(format!(
                "owner `{raw}` is not me, none, a UUID or a name of [people]"
            )),
    }
}

/// Saves `view` where the session read its views from: among the
/// `[[profiles.PROFILE.views]]` when that profile has views of its own,
/// else among the file's `[[views]]`. See [`with_view_saved`].
pub fn with_view_saved_for(
    text: &str,
    profile: Option<&str>,
    view: &ViewSpec,
) -> Result<String, String> {
    let own = profile.filter(|name| {
        text.parse::<toml_edit::DocumentMut>().is_ok_and(|doc| {
            doc.get("profiles")
                .and_then(|p| p.get(name))
                .and_then(|p| p.get("views"))
                .is_some()
        })
    });
    with_view_saved(text, own, view)
}

/// The config text with `view` appended as a new `[[views]]` table (of
/// `profile` when given), every other byte kept: comments, order and
/// spacing. A view of the same name is replaced in place.
pub fn with_view_saved(
    text: &str,
    profile: Option<&str>,
    view: &ViewSpec,
) -> Result<String, String> {
    use toml_edit::{ArrayOfTables, DocumentMut, Item, Table, value};
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| format!("the config file is not valid TOML: {e}"))?;
    let mut table = Table::new();
    table.insert("name", value(view.name.as_str()));
    if let Some(s) = &view.severity {
        table.insert("severity", value(s.as_str()));
    }
    if let Some(s) = &view.status {
        table.insert("status", value(s.as_str()));
    } else if view.open_only {
        table.insert("status", value("open"));
    }
    if let Some(d) = &view.domain {
        table.insert("domain", value(d.as_str()));
    }
    match &view.owner {
        Some(OwnerSpec::Me) => {
            table.insert("owner", value("me"));
        }
        Some(OwnerSpec::Unassigned) => {
            table.insert("owner", value("none"));
        }
        Some(OwnerSpec::Id(id)) => {
            table.insert("owner", value(id.as_str()));
        }
        None => {}
    }
    if let Some(t) = &view.text {
        table.insert("text", value(t.as_str()));
    }
    let strings = |v: &[String]| {
        let mut a = toml_edit::Array::new();
        for s in v {
            a.push(s.as_str());
        }
        value(a)
    };
    if !view.sort.is_empty() {
        table.insert("sort", strings(&view.sort));
    }
    if !view.columns.is_empty() {
        table.insert("columns", strings(&view.columns));
    }
    if let Some(g) = &view.group_by {
        table.insert("group_by", value(g.as_str()));
    }
    let parent: &mut Table = match profile {
        None => doc.as_table_mut(),
        Some(name) => {
            let profiles = doc
                .as_table_mut()
                .entry("profiles")
                .or_insert(Item::Table(implicit_table()))
                .as_table_mut()
                .ok_or("`profiles` in the config file is not a table")?;
            profiles
                .entry(name)
                .or_insert(Item::Table(Table::new()))
                .as_table_mut()
                .ok_or(format!(
                    "`profiles.{name}` in the config file is not a table"
                ))?
        }
    };
    let views = parent
        .entry("views")
        .or_insert(Item::ArrayOfTables(ArrayOfTables::new()))
        .as_array_of_tables_mut()
        .ok_or("`views` in the config file is not an array of [[views]] tables")?;
    let same = views.iter().position(|t| {
        t.get("name")
            .and_then(|n| n.as_str())
            .is_some_and(|n| n.eq_ignore_ascii_case(&view.name))
    });
    match same {
        Some(i) => {
            if let Some(old) = views.get_mut(i) {
                *old = table;
            }
        }
        None => views.push(table),
    }
    Ok(doc.to_string())
}

fn implicit_table() -> toml_edit::Table {
    let mut t = toml_edit::Table::new();
    t.set_implicit(true);
    t
}

/// The views of a session: the profile's own when it has some, else the
/// file's `[[views]]`, else the built-in ones.
pub fn resolve_views(
    loaded: Option<&super::file::LoadedFile>,
    profile: Option<&str>,
    people: &[(String, String)],
    warnings: &mut Vec<String>,
) -> Vec<ViewSpec> {
    let Some(loaded) = loaded else {
        return builtin();
    };
    let config = &loaded.config;
    if let Some(name) = profile
        && let Some(value) = config.profiles.get(name).and_then(|p| p.views.as_ref())
    {
        let lines = loaded
            .profile_view_lines
            .get(name)
            .cloned()
            .unwrap_or_default();
        let place = format!("[[profiles.{name}.views]]");
        let views = parse_views(value, &lines, people, &place, warnings);
        if !views.is_empty() {
            return views;
        }
    }
    if let Some(value) = &config.views {
        let views = parse_views(value, &loaded.view_lines, people, "[[views]]", warnings);
        if !views.is_empty() {
            return views;
        }
    }
    builtin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saving_keeps_comments_and_layout() {
        let text = "# my krafter\ndefault_profile = \"w\"   # work\n\n[profiles.w]\nbase_url = \"https://x\"\n\n# my views\n[[views]]\nname = \"Old\"\n";
        let view = ViewSpec {
            severity: Some(Severity::High),
            sort: vec!["severity".into(), "age".into()],
            ..ViewSpec::named("High")
        };
        let saved = with_view_saved(text, None, &view).unwrap();
        assert!(saved.starts_with(text), "{saved}");
        assert!(
            saved.contains(
                "[[views]]\nname = \"High\"\nseverity = \"high\"\nsort = [\"severity\", \"age\"]\n"
            ),
            "{saved}"
        );
    }

    #[test]
    fn saving_goes_to_the_profile_that_has_views_of_its_own() {
        let text = "[profiles.w]\nbase_url = \"https://x\"\n\n[[profiles.w.views]]\nname = \"Mine\"\nowner = \"me\"\n\n[profiles.v]\nbase_url = \"https://y\"\n";
        let view = ViewSpec::named("Crit");
        let saved = with_view_saved_for(text, Some("w"), &view).unwrap();
        assert!(
            saved.contains("[[profiles.w.views]]\nname = \"Crit\""),
            "{saved}"
        );
        assert!(!saved.contains("\n[[views]]"), "{saved}");
        // A profile without views of its own reads the file's.
        let saved = with_view_saved_for(text, Some("v"), &view).unwrap();
        assert!(saved.contains("[[views]]\nname = \"Crit\""), "{saved}");
        assert!(!saved.contains("profiles.v.views"), "{saved}");
    }

    #[test]
    fn group_by_is_read_checked_and_saved() {
        let value: toml::Value = toml::from_str(
            "[[views]]\nname = \"By check\"\ngroup_by = \"check\"\n[[views]]\nname = \"Bad\"\ngroup_by = \"owner\"\n[[views]]\nname = \"Flat\"\ngroup_by = \"none\"\n",
        )
        .unwrap();
        let mut warnings = Vec::new();
        let views = parse_views(&value["views"], &[1, 4, 7], &[], "[[views]]", &mut warnings);
        assert_eq!(views.len(), 2, "{views:?}");
        assert_eq!(views[0].group_by.as_deref(), Some("check"));
        assert_eq!(views[1].group_by, None);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains("line 4") && warnings[0].contains("group_by `owner`"),
            "{warnings:?}"
        );
        let saved = with_view_saved("", None, &views[0]).unwrap();
        assert!(saved.contains("group_by = \"check\""), "{saved}");
    }

    #[test]
    fn status_open_means_every_open_status() {
        let value: toml::Value =
            toml::from_str("[[views]]\nname = \"Open\"\nstatus = \"open\"\n").unwrap();
        let mut warnings = Vec::new();
        let views = parse_views(&value["views"], &[1], &[], "[[views]]", &mut warnings);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert!(views[0].open_only && views[0].status.is_none());
        let saved = with_view_saved("", None, &views[0]).unwrap();
        assert!(saved.contains("status = \"open\""), "{saved}");
        let mine = builtin().into_iter().find(|v| v.name == "Mine").unwrap();
        assert!(mine.open_only, "the built-in Mine shows open findings");
    }

    #[test]
    fn saving_a_known_name_replaces_it() {
        let text = "[[views]]\nname = \"Mine\"\nowner = \"me\"\n";
        let saved = with_view_saved(text, None, &ViewSpec::named("mine")).unwrap();
        assert_eq!(saved.matches("[[views]]").count(), 1, "{saved}");
        assert!(!saved.contains("owner"), "{saved}");
    }
}
