//! The effective keymap: the registry with the user's overrides applied,
//! looked up per scope.

use std::collections::HashMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::key::Key;
use super::registry::{Context, Intent, REGISTRY, Scope, binding, binding_by_id};
use crate::config::KeyOverride;

/// The effective keymap.
#[derive(Clone, Debug)]
pub struct Keymap {
    keys: HashMap<Intent, Vec<Key>>,
    lookup: HashMap<(Scope, Key), Intent>,
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
        let mut keys: HashMap<Intent, Vec<Key>> = REGISTRY
            .iter()
            .map(|b| {
                let parsed = b.defaults.iter().filter_map(|k| Key::parse(k).ok());
                (b.intent, parsed.collect())
            })
            .collect();
        let mut warnings = Vec::new();
        for o in overrides {
            match check_override(o, &keys) {
                Ok((intent, key)) => {
                    keys.insert(intent, vec![key]);
                }
                Err(why) => warnings.push(why),
            }
        }
        let lookup = keys
            .iter()
            .flat_map(|(intent, ks)| {
                let scope = binding(*intent).map_or(Scope::Panes, |b| b.context.scope());
                ks.iter().map(move |k| ((scope, *k), *intent))
            })
            .collect();
        (Keymap { keys, lookup }, warnings)
    }

    /// The intent a key event has in `scope`, if any.
    pub fn intent(&self, scope: Scope, event: &KeyEvent) -> Option<Intent> {
        let key = Key::from_event(event);
        let with_char = |c: char| {
            self.lookup.get(&(
                scope,
                Key {
                    code: KeyCode::Char(c),
                    ..key
                },
            ))
        };
        self.lookup
            .get(&(scope, key))
            .copied()
            .or_else(|| match key.code {
                // Terminals disagree on whether shift is reported with a capital.
                KeyCode::Char(c) if event.modifiers.contains(KeyModifiers::SHIFT) => {
                    with_char(c.to_ascii_uppercase()).copied()
                }
                // A confirmation takes its key in either case: caps lock is no
                // reason to refuse a yes.
                KeyCode::Char(c) if scope == Scope::Confirm => {
                    with_char(c.to_ascii_lowercase()).copied()
                }
                _ => None,
            })
    }

    /// The first key of an intent, for a short hint, e.g. `"↑"`.
    pub fn key_of(&self, intent: Intent) -> String {
        self.keys
            .get(&intent)
            .and_then(|ks| ks.first())
            .map(ToString::to_string)
            .unwrap_or_default()
    }

    /// The keys of an intent, e.g. `"k/↑"`.
    pub fn keys_of(&self, intent: Intent) -> String {
        self.keys
            .get(&intent)
            .map(|ks| {
                ks.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .unwrap_or_default()
    }
}

/// The intent and key of an override, or why it is refused.
fn check_override(
    o: &KeyOverride,
    keys: &HashMap<Intent, Vec<Key>>,
) -> Result<(Intent, Key), String> {
    let at = o.line.map(|l| format!(" (line {l})")).unwrap_or_default();
    let keep = "keeping the default";
    let Some(b) = binding_by_id(&o.action) else {
        let ids: Vec<&str> = REGISTRY.iter().map(|b| b.id).collect();
        return Err(format!(
            "[keys] {}{at}: unknown action; known actions are {}",
            o.action,
            ids.join(", ")
        ));
    };
    let key = Key::parse(o.key.trim())
        .map_err(|why| format!("[keys] {}{at}: {why}; {keep}", o.action))?;
    if key.ctrl && key.code == KeyCode::Char('c') {
        return Err(format!(
            "[keys] {}{at}: ctrl-c always quits and cannot be rebound; {keep}",
            o.action
        ));
    }
    if matches!(b.context, Context::Prompt | Context::BulkPreview)
        && !key.ctrl
        && !key.alt
        && matches!(key.code, KeyCode::Char(_))
    {
        return Err(format!(
            "[keys] {}{at}: \"{}\" could no longer be typed in a prompt; use a key \
             such as enter, esc, tab or ctrl-/alt- plus one; {keep}",
            o.action, o.key
        ));
    }
    let scope = b.context.scope();
    let taken = keys.iter().find(|(intent, ks)| {
        **intent != b.intent
            && ks.contains(&key)
            && binding(**intent).is_some_and(|other| other.context.scope() == scope)
    });
    if let Some((other, _)) = taken {
        let other_id = binding(*other).map_or("?", |b| b.id);
        return Err(format!(
            "[keys] {}{at}: \"{}\" is already bound to {other_id}; rebind {other_id} \
             first or pick another key; {keep}",
            o.action, o.key
        ));
    }
    Ok((b.intent, key))
}
