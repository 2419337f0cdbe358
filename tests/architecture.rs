//! The dependency rule of `docs/architecture.md`, enforced: reads every
//! `crate::`, `super::` and `self::` path in `src/` (outside `#[cfg(test)]`
//! modules), resolves it to the file it names, and fails on an import a
//! layer may not make, or on a cycle between files, naming file and line.

mod architecture_support;

use architecture_support::{Edge, Tree, cycles};

/// What each top-level module may import, besides itself. Entry points
/// (`cli`, `commands`, `logging`) may import anything and are not listed.
const ALLOWED: &[(&str, &[&str])] = &[
    (
        "runtime",
        &[
            "app", "ui", "engine", "journal", "config", "api", "sanitize", "humanize",
        ],
    ),
    (
        "ui",
        &[
            "app", "engine", "journal", "config", "api", "sanitize", "humanize",
        ],
    ),
    (
        "app",
        &["engine", "journal", "config", "api", "sanitize", "humanize"],
    ),
    ("config", &["engine", "api", "sanitize", "humanize"]),
    ("engine", &["journal", "api", "sanitize", "humanize"]),
    ("journal", &["api", "sanitize", "humanize"]),
    ("api", &["sanitize", "humanize"]),
    ("sandbox", &["api", "sanitize", "humanize"]),
    ("sanitize", &[]),
    ("humanize", &[]),
];

/// Imports forbidden even where the layer is allowed: the renderer reads
/// the state and never runs a reducer.
const FORBIDDEN: &[(&str, &str, &str)] = &[(
    "ui",
    "app::update",
    "the renderer reads the state; derive what it needs in a method of a state type",
)];

fn tree() -> Tree {
    Tree::read(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))
}

fn layer_problems(edges: &[Edge]) -> Vec<String> {
    let mut problems = Vec::new();
    for e in edges {
        let (from, to) = (e.importer_layer(), e.imported_layer());
        if from == to {
            continue;
        }
        if let Some((_, allowed)) = ALLOWED.iter().find(|(layer, _)| *layer == from)
            && !allowed.contains(&to)
        {
            problems.push(format!(
                "{}:{}: `{}` imports `{}`, but {from} may import only {}",
                e.file,
                e.line,
                from,
                e.path,
                if allowed.is_empty() {
                    "nothing of ours".to_string()
                } else {
                    allowed.join(", ")
                }
            ));
        }
        for (layer, prefix, why) in FORBIDDEN {
            if from == *layer && e.module.starts_with(prefix) {
                problems.push(format!("{}:{}: `{}`: {why}", e.file, e.line, e.path));
            }
        }
    }
    problems
}

#[test]
fn every_import_follows_the_layer_rule() {
    let tree = tree();
    let problems = layer_problems(&tree.edges);
    assert!(
        problems.is_empty(),
        "imports against docs/architecture.md:\n{}",
        problems.join("\n")
    );
}

#[test]
fn no_import_cycles_between_files() {
    let tree = tree();
    let found = cycles(&tree.edges);
    let text: Vec<String> = found
        .iter()
        .map(|files| {
            let ties: Vec<String> = tree
                .edges
                .iter()
                .filter(|e| files.contains(&e.file) && files.contains(&e.target))
                .map(|e| format!("    {}:{} -> {} ({})", e.file, e.line, e.target, e.path))
                .collect();
            format!("  {}\n{}", files.join(", "), ties.join("\n"))
        })
        .collect();
    assert!(
        found.is_empty(),
        "files that import each other (directly or in a ring):\n{}",
        text.join("\n")
    );
}

#[test]
fn the_rule_catches_what_it_is_meant_to() {
    // The checker itself: a forbidden import, a reducer call from the UI
    // and a two-file ring are each found, with their file and line.
    let tree = Tree::from_files(&[
        ("api/mod.rs", "pub mod client;\n"),
        ("api/client.rs", "use crate::app::state::AppState;\n"),
        ("app/mod.rs", "pub mod state;\npub mod update;\n"),
        ("app/state.rs", "\n\nuse super::update::apply;\n"),
        ("app/update.rs", "use super::state::AppState;\n"),
        ("engine/mod.rs", "#[cfg(test)]\nmod tests;\n"),
        ("engine/tests.rs", "use crate::app::state::AppState;\n"),
        ("ui/mod.rs", "fn f() { crate::app::update::apply(); }\n"),
        (
            "sandbox/mod.rs",
            "// crate::app::x in a comment\nconst S: &str = \"crate::app::y\";\n#[cfg(test)]\nmod tests { use crate::app::state::AppState; }\n",
        ),
    ]);
    let problems = layer_problems(&tree.edges);
    assert!(
        problems.iter().any(|p| p.starts_with("api/client.rs:1:")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("ui/mod.rs:1:") && p.contains("reads the state")),
        "{problems:?}"
    );
    assert!(
        !problems.iter().any(|p| p.starts_with("engine/tests.rs")),
        "a file declared `#[cfg(test)] mod tests;` is a test: {problems:?}"
    );
    assert!(
        !problems.iter().any(|p| p.starts_with("sandbox")),
        "comments, strings and test modules are not imports: {problems:?}"
    );
    let rings = cycles(&tree.edges);
    assert_eq!(
        rings,
        vec![vec![
            "app/state.rs".to_string(),
            "app/update.rs".to_string()
        ]]
    );
    let back = tree
        .edges
        .iter()
        .find(|e| e.file == "app/state.rs")
        .unwrap();
    assert_eq!(back.line, 3);
}
