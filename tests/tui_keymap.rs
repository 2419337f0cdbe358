//! Keymap overrides from `[keys]`: applied, or refused with a warning that
//! names the line, never a panic.

mod tui_fixtures;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use krafter::app::effect::Effect;
use krafter::app::keymap::{Command, Key, Keymap, REGISTRY};
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
            assert!(seen.insert(key, b.id).is_none(), "{k} bound twice");
            assert!(!map.keys_of(b.command).is_empty());
        }
    }
}

#[test]
fn override_rebinds_an_action() {
    let (map, warnings) = Keymap::new(&[o("triage", "ctrl-t", 12)]);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        map.command(&event(KeyCode::Char('t'), KeyModifiers::CONTROL)),
        Some(Command::Triage)
    );
    assert_eq!(
        map.command(&event(KeyCode::Char('t'), KeyModifiers::NONE)),
        None,
        "old key freed"
    );
    assert_eq!(map.keys_of(Command::Triage), "ctrl-t");
}

#[test]
fn shifted_letters_match_with_or_without_shift_reported() {
    let (map, _) = Keymap::new(&[]);
    assert_eq!(
        map.command(&event(KeyCode::Char('G'), KeyModifiers::SHIFT)),
        Some(Command::Bottom)
    );
    assert_eq!(
        map.command(&event(KeyCode::Char('G'), KeyModifiers::NONE)),
        Some(Command::Bottom)
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
        map.command(&event(KeyCode::Char('d'), KeyModifiers::NONE)),
        Some(Command::Dismiss)
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
        map.command(&event(KeyCode::Char('t'), KeyModifiers::NONE)),
        Some(Command::Triage)
    );
    assert_eq!(
        map.command(&event(KeyCode::Char('d'), KeyModifiers::NONE)),
        Some(Command::Dismiss)
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
    let mut s = state_with(session(), &UiSettings::default(), &keys);
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
    let s = state_with(session(), &ui, &[]);
    assert_eq!(s.theme.critical, ratatui::style::Color::Rgb(255, 0, 255));
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
