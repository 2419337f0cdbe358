//! The config file itself: key overrides with their lines, unknown keys,
//! parse errors, and the documented example.

mod config_support;

use std::path::Path;

use config_support::{FILE, flags, run, write_config};

#[test]
fn key_overrides_carry_their_lines() {
    let s = write_config(&format!(
        "{FILE}[keys]\ntriage = \"ctrl-t\"\n\nquit = \"not a key!!\"\n"
    ));
    let r = run(&flags(), &[], &s.path).unwrap();
    let text = std::fs::read_to_string(&s.path).unwrap();
    let line_of = |needle: &str| text.lines().position(|l| l.starts_with(needle)).unwrap() + 1;
    assert_eq!(r.key_overrides.len(), 2);
    assert_eq!(r.key_overrides[0].action, "triage");
    assert_eq!(r.key_overrides[0].key, "ctrl-t");
    assert_eq!(r.key_overrides[0].line, Some(line_of("triage")));
    assert_eq!(r.key_overrides[1].action, "quit");
    assert_eq!(r.key_overrides[1].key, "not a key!!");
    assert_eq!(r.key_overrides[1].line, Some(line_of("quit")));
}

#[test]
fn unknown_keys_warn_and_bad_files_name_the_line() {
    let s = write_config(&format!("{FILE}[ui]\nrefresh_intervall = 30\n"));
    let r = run(&flags(), &[], &s.path).unwrap();
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("unknown key `ui.refresh_intervall`")),
        "{:?}",
        r.warnings
    );
    let bad = write_config("[profiles.work]\norg_id = \"x\"\nproject_id = = 3\n");
    let err = run(&flags(), &[], &bad.path).unwrap_err().to_string();
    assert!(
        err.contains(&format!("{}, line 3", bad.path.display())),
        "{err}"
    );
}

#[test]
fn example_config_parses_without_warnings() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config.example.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let loaded = krafter::config::file::parse(&text, &path).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.config.profiles.len(), 2);
    // The environment's key comes first, so the example's command is not run.
    let r = run(&flags(), &[("KRAFTER_API_KEY", "kr_live_x")], &path).unwrap();
    assert_eq!(r.profile, "production");
    assert_eq!(r.client.project_id, "production-website");
    assert_eq!(r.key_overrides.len(), 3);
    assert_eq!(r.ui.colors.len(), 2);
    assert_eq!(r.people.me(), Some("22222222-2222-2222-2222-222222222222"));
    // [people] and the profile's own people, sorted by name.
    let names: Vec<&str> = r.people.iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["alex", "dana", "sam"]);
    assert_eq!(
        r.people.id_of("dana"),
        Some("44444444-4444-4444-4444-444444444444")
    );
}

#[test]
fn people_of_the_profile_win_and_bad_uuids_are_reported() {
    let s = write_config(
        "[profiles.w]\norg_id = \"o\"\nproject_id = \"p\"\n\
         [profiles.w.people]\nalex = \"55555555-5555-4555-8555-555555555555\"\n\
         [people]\nalex = \"22222222-2222-2222-2222-222222222222\"\nbob = \"not-a-uuid\"\n",
    );
    let r = run(&flags(), &[("KRAFTER_API_KEY", "kr_live_x")], &s.path).unwrap();
    let people: Vec<(&str, &str)> = r.people.iter().collect();
    assert_eq!(people, [("alex", "55555555-5555-4555-8555-555555555555")]);
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("bob") && w.contains("not a UUID")),
        "{:?}",
        r.warnings
    );
    assert!(!r.warnings.iter().any(|w| w.contains("unknown key")));
}
