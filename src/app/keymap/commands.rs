//! The command line's commands, beside the keys: completion, `:help`
//! and the help overlay list them from here.

/// Every command, with what it takes, for completion and `:help`.
pub const COMMANDS: &[(&str, &str)] = &[
    ("view", "NAME: show a saved view"),
    ("project", "SLUG: switch to a project"),
    ("profile", "NAME: switch to a profile"),
    (
        "sort",
        "KEYS: sort by keys in turn (priority, severity, age, status, sla)",
    ),
    (
        "filter",
        "severity=.. status=..|open domain=.. owner=me|none|NAME text=..; `clear` clears",
    ),
    (
        "group",
        "check|page|none: group the rows by check or page (z cycles)",
    ),
    ("goto", "N: the cursor to row N"),
    ("open", "ID: the detail of a finding"),
    ("mark-filter", "mark every finding of the server filters"),
    (
        "save-view",
        "NAME: save the filters and sort as a view in the config file",
    ),
    ("help", "the keys and these commands"),
];
