//! Keymap overrides from `[keys]`: applied, or refused with a warning that
//! names the line, never a panic.

mod tui_fixtures;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use krafter::app::effect::Effect;
use krafter::app::keymap::{Intent, Key, Keymap, REGISTRY, Scope};
use krafter::app::state::Modal;
use krafter::app::switch::SessionChange;
use krafter::config::{ColorOverride, KeyOverride, UiSettings};
use tui_fixtures::*;

fn o(action: &str, key: &str, line: usize) -> KeyOverride {
    KeyOverride {
        action: action.into(),
        key: key.into(),
        line: Some(line),
    }
}

fn event(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, modifiers)
}

#[test]
fn defaults_have_no_conflicts() {
    let (map, warnings) = Keymap::new(&[]);
    assert!(warnings.is_empty());
    let mut seen = std::collections::HashMap::new();
    for b in REGISTRY {
        for k in b.defaults {
            let key = Key::parse(k).expect("default keys parse");
            let scope = b.context.scope();
            assert!(
                seen.insert((scope, key), b.id).is_none(),
                "{k} bound twice in {scope:?}"
            );
            assert!(!map.keys_of(b.intent).is_empty());
        }
    }
}

#[test]
fn override_rebinds_an_action() {
    let (map, warnings) = Keymap::new(&[o("triage", "ctrl-t", 12)]);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        map.intent(
            Scope::Panes,
            &event(KeyCode::Char('t'), KeyModifiers::CONTROL)
        ),
        Some(Intent::Triage)
    );
    assert_eq!(
        map.intent(Scope::Panes, &event(KeyCode::Char('t'), KeyModifiers::NONE)),
        None,
        "old key freed"
    );
    assert_eq!(map.keys_of(Intent::Triage), "ctrl-t");
}

#[test]
fn shifted_letters_match_with_or_without_shift_reported() {
    let (map, _) = Keymap::new(&[]);
    assert_eq!(
        map.intent(
            Scope::Panes,
            &event(KeyCode::Char('G'), KeyModifiers::SHIFT)
        ),
        Some(Intent::Bottom)
    );
    assert_eq!(
        map.intent(Scope::Panes, &event(KeyCode::Char('G'), KeyModifiers::NONE)),
        Some(Intent::Bottom)
    );
}

#[test]
fn bad_key_string_warns_with_the_line_and_keeps_the_default() {
    let (map, warnings) = Keymap::new(&[o("dismiss", "ctrl-", 7), o("assign", "hyper-q", 8)]);
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].contains("line 7") && warnings[0].contains("dismiss"),
        "{}",
        warnings[0]
    );
    assert!(
        warnings[1].contains("line 8") && warnings[1].contains("not a key"),
        "{}",
        warnings[1]
    );
    assert_eq!(
        map.intent(Scope::Panes, &event(KeyCode::Char('d'), KeyModifiers::NONE)),
        Some(Intent::Dismiss)
    );
}

#[test]
fn conflict_names_both_actions() {
    let (map, warnings) = Keymap::new(&[o("triage", "d", 3)]);
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].contains("line 3"));
    assert!(
        warnings[0].contains("already bound to dismiss"),
        "{}",
        warnings[0]
    );
    assert_eq!(
        map.intent(Scope::Panes, &event(KeyCode::Char('t'), KeyModifiers::NONE)),
        Some(Intent::Triage)
    );
    assert_eq!(
        map.intent(Scope::Panes, &event(KeyCode::Char('d'), KeyModifiers::NONE)),
        Some(Intent::Dismiss)
    );
}

#[test]
fn unknown_action_and_ctrl_c_are_refused() {
    let (_, warnings) = Keymap::new(&[o("explode", "e", 1), o("quit", "ctrl-c", 2)]);
    assert!(warnings[0].contains("unknown action") && warnings[0].contains("triage"));
    assert!(warnings[1].contains("ctrl-c always quits"));
}

#[test]
fn warnings_reach_the_screen_and_overrides_drive_dispatch() {
    let keys = [o("triage", "T", 4), o("refresh", "t", 5), o("quit", "", 6)];
    let mut s = state_with(session(), &keys);
    assert_eq!(s.toasts.len(), 1, "the empty key is reported");
    assert!(s.toasts[0].error && s.toasts[0].text.contains("line 6"));
    load(&mut s, 3, 3);
    press(&mut s, &[key(KeyCode::Tab)]);
    let e = press(&mut s, &[ch('T')]);
    assert!(matches!(&e[0], Effect::Patch { .. }), "{e:?}");
    let e = press(&mut s, &[ch('t')]);
    assert!(
        matches!(&e[0], Effect::LoadCommandCenter { .. }),
        "t now refreshes: {e:?}"
    );
}

fn colour(role: &str, color: &str, line: usize) -> ColorOverride {
    ColorOverride {
        role: role.into(),
        color: color.into(),
        line: Some(line),
    }
}

#[test]
fn colour_overrides_apply_and_bad_ones_warn() {
    let ui = UiSettings {
        colors: vec![
            colour("critical", "#ff00ff", 3),
            colour("critical", "not-a-colour", 4),
            colour("sparkle", "red", 5),
        ],
        ..UiSettings::default()
    };
    let (s, theme) = krafter::commands::tui::open(SessionChange::default(), &ui, &[]);
    assert_eq!(theme.critical, ratatui::style::Color::Rgb(255, 0, 255));
    let texts: Vec<&str> = s.toasts.iter().map(|t| t.text.as_str()).collect();
    assert!(
        texts.iter().any(|t| t.starts_with("[ui.colors] critical")
            && t.contains("not-a-colour")
            && t.contains("(line 4)")
            && t.contains("#rrggbb")),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("[ui.colors] sparkle (line 5)") && t.contains("unknown role")),
        "{texts:?}"
    );
}

#[test]
fn dialog_keys_are_rebindable_and_listed_per_scope() {
    let keys = [o("menu_down", "n", 9), o("menu_choose", "tab", 10)];
    let mut s = state_with(session(), &keys);
    assert!(
        s.toasts.is_empty(),
        "n and tab are free in menus: {:?}",
        s.toasts
    );
    // `n` still reopens on the panes: a key means one thing per scope.
    assert_eq!(
        s.keymap
            .intent(Scope::Panes, &event(KeyCode::Char('n'), KeyModifiers::NONE)),
        Some(Intent::Reopen)
    );
    load(&mut s, 3, 3);
    press(&mut s, &[key(KeyCode::Tab), ch('f'), ch('n'), ch('n')]);
    assert!(
        matches!(s.modal, Some(Modal::FilterFields { selected: 2 })),
        "{:?}",
        s.modal
    );
    press(&mut s, &[key(KeyCode::Tab)]);
    assert!(
        matches!(s.modal, Some(Modal::FilterValues { .. })),
        "tab now takes the choice: {:?}",
        s.modal
    );
    // Whatever the bindings, esc closes a dialog.
    press(&mut s, &[key(KeyCode::Esc)]);
    assert!(s.modal.is_none());
}

#[test]
fn a_prompt_key_that_could_no_longer_be_typed_is_refused() {
    let (map, warnings) =
        Keymap::new(&[o("prompt_submit", "x", 4), o("prompt_cancel", "ctrl-g", 5)]);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("line 4") && warnings[0].contains("typed"),
        "{}",
        warnings[0]
    );
    assert_eq!(map.keys_of(Intent::PromptSubmit), "enter");
    assert_eq!(map.keys_of(Intent::PromptCancel), "ctrl-g");
}

#[test]
fn a_conflict_inside_a_dialog_scope_is_refused() {
    let (map, warnings) = Keymap::new(&[o("menu_up", "j", 2)]);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("already bound to menu_down"),
        "{}",
        warnings[0]
    );
    assert_eq!(map.keys_of(Intent::MenuUp), "↑/k");
}
