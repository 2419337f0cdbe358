//! Reading the imports of a source tree, for `tests/architecture.rs`: every
//! `crate::`, `super::` and `self::` path outside comments, strings and
//! `#[cfg(test)]` modules, resolved to the file that defines its module.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// One import: a path in `file` at `line`, naming something of `target`.
#[derive(Clone, Debug)]
pub struct Edge {
    /// Relative to `src/`, e.g. `app/update/list.rs`.
    pub file: String,
    pub line: usize,
    /// The path as written, e.g. `crate::app::state::AppState`.
    pub path: String,
    /// The module it resolves to, without `crate::`, e.g. `app::state`.
    pub module: String,
    /// The file that module lives in.
    pub target: String,
}

impl Edge {
    /// The top-level module of the importing file.
    pub fn importer_layer(&self) -> &str {
        top(&self.file)
    }

    /// The top-level module of the imported file.
    pub fn imported_layer(&self) -> &str {
        top(&self.target)
    }
}

fn top(file: &str) -> &str {
    let first = file.split('/').next().unwrap_or(file);
    first.strip_suffix(".rs").unwrap_or(first)
}

/// The files of a tree and the imports between them.
pub struct Tree {
    pub edges: Vec<Edge>,
}

impl Tree {
    /// Reads every `.rs` file under `src`.
    pub fn read(src: &str) -> Tree {
        let mut files = Vec::new();
        collect(Path::new(src), Path::new(src), &mut files);
        let borrowed: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        Tree::from_files(&borrowed)
    }

    /// A tree of `(path relative to src, text)` pairs.
    pub fn from_files(files: &[(&str, &str)]) -> Tree {
        let known: BTreeSet<String> = files.iter().map(|(p, _)| p.to_string()).collect();
        let tests_only = test_files(files);
        let mut edges = Vec::new();
        for (file, text) in files {
            if matches!(*file, "lib.rs" | "main.rs") || tests_only.contains(*file) {
                continue;
            }
            let here = module_of(file);
            let code = code_only(text);
            let children = child_modules(&code);
            let mut found = paths(&code);
            // `child::item` names a module this file declares.
            for (line, path) in bare_paths(&code, &children) {
                found.push((line, format!("self::{path}"), Vec::new()));
            }
            for (line, path, inline) in found {
                let mut here = here.clone();
                here.extend(inline);
                let Some(absolute) = absolute(&here, file, &path) else {
                    continue;
                };
                let (module, target) = resolve(&known, &absolute);
                if target.is_empty() || target == *file {
                    continue;
                }
                edges.push(Edge {
                    file: file.to_string(),
                    line,
                    path,
                    module,
                    target,
                });
            }
        }
        Tree { edges }
    }
}

/// Files that are test modules: declared `#[cfg(test)] mod name;`.
fn test_files(files: &[(&str, &str)]) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (file, text) in files {
        let dir = match file.strip_suffix("mod.rs") {
            Some(parent) => parent.to_string(),
            None if matches!(*file, "lib.rs" | "main.rs") => String::new(),
            None => format!("{}/", file.trim_end_matches(".rs")),
        };
        let mut rest = *text;
        while let Some(at) = rest.find("#[cfg(test)]") {
            rest = &rest[at + "#[cfg(test)]".len()..];
            let next = rest.trim_start();
            let Some(decl) = next.strip_prefix("mod ") else {
                continue;
            };
            let name: String = decl
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && decl[name.len()..].trim_start().starts_with(';') {
                found.insert(format!("{dir}{name}.rs"));
                found.insert(format!("{dir}{name}/mod.rs"));
            }
        }
    }
    found
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("src/ is readable")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path
                .strip_prefix(root)
                .expect("under src/")
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&path).expect("a readable source file");
            out.push((rel, text));
        }
    }
}

/// The module path of a file: `app/update/mod.rs` is `app::update`,
/// `app/update/list.rs` is `app::update::list`.
fn module_of(file: &str) -> Vec<String> {
    let trimmed = file.strip_suffix(".rs").unwrap_or(file);
    let mut parts: Vec<String> = trimmed.split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// `path` written in `file` (module `here`) as segments from the crate root.
fn absolute(here: &[String], file: &str, path: &str) -> Option<Vec<String>> {
    let mut segments = path.split("::").map(str::trim);
    let first = segments.next()?;
    let mut base: Vec<String> = match first {
        "crate" => Vec::new(),
        "self" => here.to_vec(),
        "super" => {
            let mut b = here.to_vec();
            b.pop();
            b
        }
        _ => return None,
    };
    // `super::super::x`, and `self` inside a use group, are already folded
    // into `path` by `paths`; a file's `super` is the module above it.
    let _ = file;
    for s in segments {
        match s {
            "super" => {
                base.pop();
            }
            "self" | "*" | "" => {}
            other => base.push(other.to_string()),
        }
    }
    Some(base)
}

/// The deepest module of `segments` that is a file of the tree, and that
/// file.
fn resolve(known: &BTreeSet<String>, segments: &[String]) -> (String, String) {
    let mut found = (String::new(), String::new());
    for n in 1..=segments.len() {
        let dir = segments[..n].join("/");
        for candidate in [format!("{dir}.rs"), format!("{dir}/mod.rs")] {
            if known.contains(&candidate) {
                found = (segments[..n].join("::"), candidate);
            }
        }
    }
    found
}

/// The text with comments, strings, character literals and `#[cfg(test)]`
/// modules blanked out (newlines kept, so lines still count).
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && is_raw_start(&chars, i) {
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            // chars[j] is the opening quote.
            out.push_str(&" ".repeat(j + 1 - i));
            i = j + 1;
            while i < chars.len() {
                if chars[i] == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#')) {
                    out.push_str(&" ".repeat(hashes + 1));
                    i += hashes + 1;
                    break;
                }
                out.push(blank(chars[i]));
                i += 1;
            }
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' && is_char_literal(&chars, i) {
            let end = chars[i + 1..]
                .iter()
                .position(|&c| c == '\'')
                .map_or(chars.len(), |p| i + 1 + p + 1);
            // An escaped quote: '\''.
            let end = if chars.get(i + 1) == Some(&'\\') && chars.get(i + 2) == Some(&'\'') {
                i + 4
            } else {
                end
            };
            out.push_str(&" ".repeat(end - i));
            i = end;
        } else {
            out.push(c);
            i += 1;
        }
    }
    strip_test_modules(&out)
}

fn is_raw_start(chars: &[char], i: usize) -> bool {
    let before_ok = i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
    let mut j = i + 1;
    while chars.get(j) == Some(&'#') {
        j += 1;
    }
    before_ok && chars.get(j) == Some(&'"')
}

/// `'x'`, `'\n'` or `'\u{1b}'`, as opposed to a lifetime `'a`.
fn is_char_literal(chars: &[char], i: usize) -> bool {
    match chars.get(i + 1) {
        Some('\\') => true,
        Some(_) => chars.get(i + 2) == Some(&'\''),
        None => false,
    }
}

/// Blanks `#[cfg(test)] mod name { ... }` blocks.
fn strip_test_modules(code: &str) -> String {
    let mut out: Vec<char> = code.chars().collect();
    let text: String = out.iter().collect();
    let mut from = 0;
    while let Some(found) = text[from..].find("#[cfg(test)]") {
        let start = from + found;
        let rest = &text[start..];
        let Some(open_rel) = rest.find('{') else {
            break;
        };
        let head = &rest[..open_rel];
        if !head.contains("mod ") {
            from = start + 1;
            continue;
        }
        let chars: Vec<char> = text.chars().collect();
        // Byte offsets and char offsets agree only for ASCII; map them.
        let start_c = text[..start].chars().count();
        let open_c = text[..start + open_rel].chars().count();
        let mut depth = 0;
        let mut end_c = chars.len();
        for (k, ch) in chars.iter().enumerate().skip(open_c) {
            match ch {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end_c = k + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        for ch in out.iter_mut().take(end_c).skip(start_c) {
            if *ch != '\n' {
                *ch = ' ';
            }
        }
        from = text
            .char_indices()
            .nth(end_c)
            .map_or(text.len(), |(b, _)| b);
    }
    out.into_iter().collect()
}

/// The modules a file declares: `mod name;` and `pub mod name;`.
fn child_modules(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let words: Vec<&str> = code
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ';'))
        .filter(|w| !w.is_empty())
        .collect();
    for pair in words.windows(2) {
        if pair[0] == "mod"
            && let Some(name) = pair[1].strip_suffix(';')
        {
            out.insert(name.to_string());
        }
    }
    out
}

/// Paths that start with a child module's name, e.g. `list::reload(...)`
/// or `pub use list::Row`, expanded like the others.
fn bare_paths(code: &str, children: &BTreeSet<String>) -> Vec<(usize, String)> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\n' {
            line += 1;
            i += 1;
            continue;
        }
        let starts_word = i == 0
            || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_' || chars[i - 1] == ':');
        if starts_word
            && let Some(child) = children
                .iter()
                .find(|c| matches_at(&chars, i, c) && followed_by_path(&chars, i + c.len()))
        {
            let (paths, end) = parse_tree(&chars, i, child.clone());
            for p in paths {
                out.push((line, p));
            }
            line += chars[i..end].iter().filter(|&&c| c == '\n').count();
            i = end;
            continue;
        }
        i += 1;
    }
    out
}

/// Every `crate::`, `super::` and `self::` path of the code, with its line;
/// use groups (`use crate::a::{b, c::{d}}`) are expanded.
/// Each comes with the inline modules (`mod name { ... }`) it sits in,
/// which `super` and `self` are relative to.
fn paths(code: &str) -> Vec<(usize, String, Vec<String>)> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = 1;
    let mut depth = 0usize;
    // Inline modules open here: their name and the depth inside them.
    let mut inline: Vec<(String, usize)> = Vec::new();
    while i < chars.len() {
        match chars[i] {
            '\n' => {
                line += 1;
                i += 1;
                continue;
            }
            '{' => {
                depth += 1;
                i += 1;
                continue;
            }
            '}' => {
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                depth = depth.saturating_sub(1);
                i += 1;
                continue;
            }
            _ => {}
        }
        if matches_at(&chars, i, "mod")
            && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_'))
        {
            let mut j = i + 3;
            while chars.get(j).is_some_and(|c| c.is_whitespace()) {
                j += 1;
            }
            let start = j;
            while chars
                .get(j)
                .is_some_and(|c| c.is_alphanumeric() || *c == '_')
            {
                j += 1;
            }
            let name: String = chars[start..j].iter().collect();
            while chars.get(j).is_some_and(|c| c.is_whitespace()) {
                j += 1;
            }
            if !name.is_empty() && chars.get(j) == Some(&'{') {
                inline.push((name, depth + 1));
            }
        }
        let starts_word = i == 0
            || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_' || chars[i - 1] == ':');
        if starts_word {
            for root in ["crate", "super", "self"] {
                if matches_at(&chars, i, root) && followed_by_path(&chars, i + root.len()) {
                    let (paths, end) = parse_tree(&chars, i, root.to_string());
                    let within: Vec<String> = inline.iter().map(|(n, _)| n.clone()).collect();
                    for p in paths {
                        out.push((line, p, within.clone()));
                    }
                    line += chars[i..end].iter().filter(|&&c| c == '\n').count();
                    i = end;
                    break;
                }
            }
        }
        i += 1;
    }
    out
}

fn matches_at(chars: &[char], i: usize, word: &str) -> bool {
    let w: Vec<char> = word.chars().collect();
    chars.len() >= i + w.len()
        && chars[i..i + w.len()] == w[..]
        && chars
            .get(i + w.len())
            .is_none_or(|c| !(c.is_alphanumeric() || *c == '_'))
}

fn followed_by_path(chars: &[char], mut i: usize) -> bool {
    while chars.get(i).is_some_and(|c| c.is_whitespace()) {
        i += 1;
    }
    chars.get(i) == Some(&':') && chars.get(i + 1) == Some(&':')
}

/// Parses a path starting at `i` (at `root`), expanding groups; returns
/// the full paths and where parsing stopped.
fn parse_tree(chars: &[char], i: usize, _root: String) -> (Vec<String>, usize) {
    let mut j = i;
    let mut prefix = String::new();
    loop {
        while chars.get(j).is_some_and(|c| c.is_whitespace()) {
            j += 1;
        }
        if chars.get(j) == Some(&'{') {
            let (items, end) = parse_group(chars, j + 1);
            let full = items
                .into_iter()
                .map(|item| {
                    if item == "self" {
                        prefix.trim_end_matches("::").to_string()
                    } else {
                        format!("{prefix}{item}")
                    }
                })
                .collect();
            return (full, end);
        }
        let start = j;
        while chars
            .get(j)
            .is_some_and(|c| c.is_alphanumeric() || *c == '_' || *c == '*')
        {
            j += 1;
        }
        if j == start {
            return (vec![prefix.trim_end_matches("::").to_string()], j);
        }
        prefix.extend(&chars[start..j]);
        let mut k = j;
        while chars.get(k).is_some_and(|c| c.is_whitespace()) {
            k += 1;
        }
        if chars.get(k) == Some(&':') && chars.get(k + 1) == Some(&':') {
            prefix.push_str("::");
            j = k + 2;
        } else {
            return (vec![prefix], j);
        }
    }
}

/// The items of a use group from just after `{`, each relative to the
/// group's prefix; returns them and the index after the closing `}`.
fn parse_group(chars: &[char], mut j: usize) -> (Vec<String>, usize) {
    let mut items = Vec::new();
    loop {
        while chars.get(j).is_some_and(|c| c.is_whitespace() || *c == ',') {
            j += 1;
        }
        match chars.get(j) {
            None => return (items, j),
            Some('}') => return (items, j + 1),
            _ => {}
        }
        let (sub, end) = parse_tree(chars, j, String::new());
        items.extend(sub);
        j = end;
        // Skip `as alias`.
        while chars.get(j).is_some_and(|c| *c != ',' && *c != '}') {
            j += 1;
        }
    }
}

/// Rings of files that import each other, each sorted, as Tarjan's strongly
/// connected components of more than one file.
pub fn cycles(edges: &[Edge]) -> Vec<Vec<String>> {
    let mut graph: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for e in edges {
        graph.entry(&e.file).or_default().insert(&e.target);
        graph.entry(&e.target).or_default();
    }
    let nodes: Vec<&str> = graph.keys().copied().collect();
    let index_of: BTreeMap<&str, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let adj: Vec<Vec<usize>> = nodes
        .iter()
        .map(|n| graph[n].iter().map(|t| index_of[t]).collect())
        .collect();
    let mut tarjan = Tarjan {
        adj: &adj,
        index: vec![None; nodes.len()],
        low: vec![0; nodes.len()],
        on_stack: vec![false; nodes.len()],
        stack: Vec::new(),
        next: 0,
        found: Vec::new(),
    };
    for v in 0..nodes.len() {
        if tarjan.index[v].is_none() {
            tarjan.visit(v);
        }
    }
    let mut rings: Vec<Vec<String>> = tarjan
        .found
        .into_iter()
        .filter(|c| c.len() > 1)
        .map(|c| {
            let mut names: Vec<String> = c.into_iter().map(|v| nodes[v].to_string()).collect();
            names.sort();
            names
        })
        .collect();
    rings.sort();
    rings
}

struct Tarjan<'a> {
    adj: &'a [Vec<usize>],
    index: Vec<Option<usize>>,
    low: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
    next: usize,
    found: Vec<Vec<usize>>,
}

impl Tarjan<'_> {
    fn visit(&mut self, v: usize) {
        self.index[v] = Some(self.next);
        self.low[v] = self.next;
        self.next += 1;
        self.stack.push(v);
        self.on_stack[v] = true;
        for &w in &self.adj[v] {
            match self.index[w] {
                None => {
                    self.visit(w);
                    self.low[v] = self.low[v].min(self.low[w]);
                }
                Some(iw) if self.on_stack[w] => self.low[v] = self.low[v].min(iw),
                Some(_) => {}
            }
        }
        if Some(self.low[v]) == self.index[v] {
            let mut component = Vec::new();
            while let Some(w) = self.stack.pop() {
                self.on_stack[w] = false;
                component.push(w);
                if w == v {
                    break;
                }
            }
            self.found.push(component);
        }
    }
}
