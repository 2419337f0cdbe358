//! The keymap as data: one registry of commands (id, context, default keys,
//! description) that drives dispatch, the footer hints and the help overlay,
//! with the user's `[keys]` overrides applied on top.

use std::collections::HashMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub use super::key::Key;

use crate::config::KeyOverride;

/// Something the user can ask for with one key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Command {
    Quit,
    Help,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Open,
    Back,
    NextPane,
    Refresh,
    TextFilter,
    FilterMenu,
    ClearFilters,
    Sort,
    Mark,
    Triage,
    Dismiss,
    Assign,
    StatusMenu,
    Start,
    ReadyVerify,
    Reopen,
    Severity,
    Scan,
    Switch,
    Verify,
}

/// Where a command applies; shown as a heading in the help overlay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    Global,
    Navigation,
    Findings,
    Finding,
}

impl Context {
    /// The heading of this context in the help overlay.
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::Navigation => "Moving around",
            Context::Findings => "Findings list",
            Context::Finding => "Selected or marked findings",
        }
    }
}

/// One entry of the registry.
#[derive(Clone, Copy, Debug)]
pub struct Binding {
    pub command: Command,
    /// The id used in the config file's `[keys]` table.
    pub id: &'static str,
    pub context: Context,
    pub defaults: &'static [&'static str],
    pub description: &'static str,
    /// Changes data on the server: hidden and refused in read-only mode.
    pub mutates: bool,
}

const fn b(
    command: Command,
    id: &'static str,
    context: Context,
    defaults: &'static [&'static str],
    description: &'static str,
    mutates: bool,
) -> Binding {
    Binding {
        command,
        id,
        context,
        defaults,
        description,
        mutates,
    }
}

/// Every command krafter's TUI knows, with its default keys.
pub const REGISTRY: &[Binding] = {
    use Command as C;
    use Context::*;
    &[
        b(C::Quit, "quit", Global, &["q"], "quit", false),
        b(
            C::Help,
            "help",
            Global,
            &["?"],
            "show or hide this help",
            false,
        ),
        b(
            C::NextPane,
            "next_pane",
            Global,
            &["tab"],
            "switch pane",
            false,
        ),
        b(C::Refresh, "refresh", Global, &["r"], "refresh", false),
        b(C::Scan, "scan", Global, &["s"], "start a scan", true),
        b(
            C::Switch,
            "switch",
            Global,
            &["P"],
            "switch profile or project",
            false,
        ),
        b(C::Up, "up", Navigation, &["k", "up"], "move up", false),
        b(
            C::Down,
            "down",
            Navigation,
            &["j", "down"],
            "move down",
            false,
        ),
        b(
            C::PageUp,
            "page_up",
            Navigation,
            &["pageup"],
            "page up",
            false,
        ),
        b(
            C::PageDown,
            "page_down",
            Navigation,
            &["pagedown"],
            "page down",
            false,
        ),
        b(
            C::Top,
            "top",
            Navigation,
            &["g", "home"],
            "go to top",
            false,
        ),
        b(
            C::Bottom,
            "bottom",
            Navigation,
            &["G", "end"],
            "go to bottom",
            false,
        ),
        b(
            C::Open,
            "open",
            Navigation,
            &["enter"],
            "open detail",
            false,
        ),
        b(C::Back, "back", Navigation, &["esc"], "back", false),
        b(
            C::TextFilter,
            "text_filter",
            Findings,
            &["/"],
            "fuzzy filter loaded rows",
            false,
        ),
        b(
            C::FilterMenu,
            "filter_menu",
            Findings,
            &["f"],
            "server filters",
            false,
        ),
        b(
            C::ClearFilters,
            "clear_filters",
            Findings,
            &["x"],
            "clear all filters",
            false,
        ),
        b(
            C::Sort,
            "sort",
            Findings,
            &["o"],
            "change sort order",
            false,
        ),
        b(
            C::Mark,
            "mark",
            Findings,
            &["space"],
            "mark for bulk action",
            false,
        ),
        b(C::Triage, "triage", Finding, &["t"], "triage", true),
        b(
            C::Dismiss,
            "dismiss",
            Finding,
            &["d"],
            "dismiss (asks to confirm)",
            true,
        ),
        b(C::Assign, "assign", Finding, &["a"], "assign owner", true),
        b(
            C::StatusMenu,
            "status_menu",
            Finding,
            &["c"],
            "change status",
            true,
        ),
        b(
            C::Start,
            "start",
            Finding,
            &["p"],
            "start work (in_progress)",
            true,
        ),
        b(
            C::ReadyVerify,
            "ready_verify",
            Finding,
            &["v"],
            "ready to verify",
            true,
        ),
        b(C::Reopen, "reopen", Finding, &["n"], "reopen (new)", true),
        b(
            C::Verify,
            "verify",
            Finding,
            &["V"],
            "verify the fix (selected finding); y approves a pass",
            true,
        ),
        b(
            C::Severity,
            "severity",
            Finding,
            &["S"],
            "override severity",
            true,
        ),
    ]
};

/// The effective keymap: the registry with the user's overrides applied.
#[derive(Clone, Debug)]
pub struct Keymap {
    keys: HashMap<Command, Vec<Key>>,
    lookup: HashMap<Key, Command>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap::new(&[]).0
    }
}

impl Keymap {
    /// Builds the keymap, returning a warning for each override that could
    /// not be applied (unknown action, bad key string, conflict). A refused
    /// override leaves that action's default keys in place.
    pub fn new(overrides: &[KeyOverride]) -> (Keymap, Vec<String>) {
        let mut keys: HashMap<Command, Vec<Key>> = REGISTRY
            .iter()
            .map(|b| {
                let parsed = b.defaults.iter().filter_map(|k| Key::parse(k).ok());
                (b.command, parsed.collect())
            })
            .collect();
        let mut warnings = Vec::new();
        for o in overrides {
            let at = o.line.map(|l| format!(" (line {l})")).unwrap_or_default();
            let Some(binding) = REGISTRY.iter().find(|b| b.id == o.action) else {
                let ids: Vec<&str> = REGISTRY.iter().map(|b| b.id).collect();
                warnings.push(format!(
                    "[keys] {}{at}: unknown action; known actions are {}",
                    o.action,
                    ids.join(", ")
                ));
                continue;
            };
            let key = match Key::parse(o.key.trim()) {
                Ok(k) => k,
                Err(why) => {
                    warnings.push(format!(
                        "[keys] {}{at}: {why}; keeping the default",
                        o.action
                    ));
                    continue;
                }
            };
            if key.ctrl && key.code == KeyCode::Char('c') {
                warnings.push(format!(
                    "[keys] {}{at}: ctrl-c always quits and cannot be rebound; keeping the default",
                    o.action
                ));
                continue;
            }
            let taken = keys
                .iter()
                .find(|(cmd, ks)| **cmd != binding.command && ks.contains(&key))
                .map(|(cmd, _)| *cmd);
            if let Some(other) = taken {
                let other_id = REGISTRY
                    .iter()
                    .find(|b| b.command == other)
                    .map_or("?", |b| b.id);
                warnings.push(format!(
                    "[keys] {}{at}: \"{}\" is already bound to {other_id}; rebind {other_id} \
                     first or pick another key; keeping the default",
                    o.action, o.key
                ));
                continue;
            }
            keys.insert(binding.command, vec![key]);
        }
        let lookup = keys
            .iter()
            .flat_map(|(cmd, ks)| ks.iter().map(move |k| (*k, *cmd)))
            .collect();
        (Keymap { keys, lookup }, warnings)
    }

    /// The command bound to a key event, if any.
    pub fn command(&self, event: &KeyEvent) -> Option<Command> {
        let key = Key::from_event(event);
        self.lookup.get(&key).copied().or_else(|| {
            // Terminals disagree on whether shift is reported with a capital.
            match key.code {
                KeyCode::Char(c) if event.modifiers.contains(KeyModifiers::SHIFT) => self
                    .lookup
                    .get(&Key {
                        code: KeyCode::Char(c.to_ascii_uppercase()),
                        ..key
                    })
                    .copied(),
                _ => None,
            }
        })
    }

    /// The keys of a command, e.g. `"k/↑"`.
    pub fn keys_of(&self, command: Command) -> String {
        self.keys
            .get(&command)
            .map(|ks| {
                ks.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .unwrap_or_default()
    }
}

/// The registry entry of a command.
pub fn binding(command: Command) -> Option<&'static Binding> {
    REGISTRY.iter().find(|b| b.command == command)
}
