//! Precedence of every setting: flag > environment > profile > default.

mod config_support;

use std::collections::HashMap;
use std::time::Duration;

use config_support::{FILE, flags, run, write_config};
use krafter::config::ThemeName;

#[test]
fn base_url_org_and_project_follow_flag_env_profile_default() {
    let s = write_config(FILE);
    let env = [
        ("KRAFTER_BASE_URL", "https://env.example/api/v1"),
        ("KRAFTER_ORG_ID", "org-from-env"),
        ("KRAFTER_PROJECT_ID", "project-from-env"),
    ];
    let mut g = flags();
    g.base_url = Some("https://flag.example/api/v1/".into());
    g.org_id = Some("org-from-flag".into());
    g.project_id = Some("project-from-flag".into());
    let r = run(&g, &env, &s.path).unwrap();
    assert_eq!(r.client.base_url, "https://flag.example/api/v1");
    assert_eq!(r.client.org_id, "org-from-flag");
    assert_eq!(r.client.project_id, "project-from-flag");

    let r = run(&flags(), &env, &s.path).unwrap();
    assert_eq!(r.client.base_url, "https://env.example/api/v1");
    assert_eq!(r.client.org_id, "org-from-env");
    assert_eq!(r.client.project_id, "project-from-env");

    let r = run(&flags(), &[], &s.path).unwrap();
    assert_eq!(r.client.base_url, "https://profile.example/api/v1");
    assert_eq!(r.client.org_id, "org-from-profile");
    assert_eq!(r.client.project_id, "project-from-profile");

    let mut g = flags();
    g.profile = Some("other".into());
    let r = run(&g, &[], &s.path).unwrap();
    assert_eq!(r.client.base_url, "https://app.krafter.dev/api/v1");
}

#[test]
fn profile_follows_flag_env_default_profile() {
    let s = write_config(FILE);
    let r = run(&flags(), &[], &s.path).unwrap();
    assert_eq!(r.profile, "work");
    assert_eq!(r.profiles, vec!["other".to_string(), "work".to_string()]);
    let r = run(&flags(), &[("KRAFTER_PROFILE", "other")], &s.path).unwrap();
    assert_eq!(r.profile, "other");
    assert_eq!(r.client.org_id, "org-other");
    let mut g = flags();
    g.profile = Some("work".into());
    let r = run(&g, &[("KRAFTER_PROFILE", "other")], &s.path).unwrap();
    assert_eq!(r.profile, "work");

    g.profile = Some("missing".into());
    let err = run(&g, &[], &s.path).unwrap_err().to_string();
    assert!(err.contains("profile `missing` is not in"), "{err}");
    assert!(err.contains("other, work"), "{err}");
}

#[test]
fn several_profiles_without_a_default_is_a_clear_error() {
    let s = write_config(&FILE.replace("default_profile = \"work\"", ""));
    let err = run(&flags(), &[], &s.path).unwrap_err().to_string();
    assert!(err.contains("several profiles (other, work)"), "{err}");
    assert!(err.contains("--profile"), "{err}");
}

#[test]
fn no_file_works_from_flags_and_environment() {
    let dir = tempfile::tempdir().unwrap();
    let absent = dir.path().join("nope.toml");
    let env = [
        ("KRAFTER_ORG_ID", "o"),
        ("KRAFTER_PROJECT_ID", "p"),
        ("KRAFTER_API_KEY", "kr_live_env"),
    ];
    let r = run(&flags(), &env, &absent).unwrap();
    assert_eq!(r.profile, "default");
    assert_eq!(r.config_file, None);
    assert_eq!(r.client.base_url, "https://app.krafter.dev/api/v1");

    let mut g = flags();
    g.config = Some(absent.clone());
    let err = run(&g, &env, &absent).unwrap_err();
    assert!(
        format!("{err:#}").contains("could not read the config file"),
        "{err:#}"
    );

    let err = run(&flags(), &[("KRAFTER_API_KEY", "k")], &absent)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("no org id") && err.contains("--org") && err.contains("KRAFTER_ORG_ID"),
        "{err}"
    );
}

#[test]
fn empty_values_count_as_unset() {
    // `KRAFTER_BASE_URL=` reaches the flags as an empty string through clap.
    let s = write_config(FILE);
    let mut g = flags();
    g.base_url = Some(String::new());
    g.profile = Some(" ".into());
    g.org_id = Some(String::new());
    let r = run(&g, &[("KRAFTER_PROJECT_ID", "")], &s.path).unwrap();
    assert_eq!(r.profile, "work");
    assert_eq!(r.client.base_url, "https://profile.example/api/v1");
    assert_eq!(r.client.org_id, "org-from-profile");
    assert_eq!(r.client.project_id, "project-from-profile");
}

#[test]
fn read_only_from_profile_or_flag() {
    let s = write_config(FILE);
    assert!(!run(&flags(), &[], &s.path).unwrap().read_only);
    let mut g = flags();
    g.read_only = true;
    assert!(run(&g, &[], &s.path).unwrap().read_only);
    assert!(
        run(&flags(), &[("KRAFTER_PROFILE", "other")], &s.path)
            .unwrap()
            .read_only
    );
}

#[test]
fn ui_settings_are_read_and_clamped() {
    let s = write_config(&format!(
        "{FILE}\n[ui]\nrefresh_interval = 3\npage_size = 500\ntheme = \"light\"\ndefault_scan_url = \"https://example.com\"\n[ui.colors]\ncritical = \"#ff0000\"\n"
    ));
    let r = run(&flags(), &[], &s.path).unwrap();
    assert_eq!(r.ui.refresh_interval, Duration::from_secs(10));
    assert_eq!(r.ui.page_size, 100);
    assert_eq!(r.ui.theme, ThemeName::Light);
    assert_eq!(r.ui.colors.len(), 1);
    assert_eq!(
        (r.ui.colors[0].role.as_str(), r.ui.colors[0].color.as_str()),
        ("critical", "#ff0000")
    );
    assert_eq!(
        r.ui.default_scan_url.as_deref(),
        Some("https://example.com")
    );
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("refresh_interval = 3")),
        "{:?}",
        r.warnings
    );
    assert!(
        r.warnings.iter().any(|w| w.contains("page_size = 500")),
        "{:?}",
        r.warnings
    );
    assert!(!r.ui.no_color);

    let defaults = run(&flags(), &[], &write_config(FILE).path).unwrap();
    assert_eq!(defaults.ui.refresh_interval, Duration::from_secs(60));
    assert_eq!(defaults.ui.theme, ThemeName::Dark);
}

#[test]
fn no_color_from_flag_or_environment() {
    let s = write_config(FILE);
    assert!(
        run(&flags(), &[("NO_COLOR", "1")], &s.path)
            .unwrap()
            .ui
            .no_color
    );
    assert!(
        !run(&flags(), &[("NO_COLOR", "")], &s.path)
            .unwrap()
            .ui
            .no_color
    );
    let mut g = flags();
    g.no_color = true;
    assert!(run(&g, &[], &s.path).unwrap().ui.no_color);
}

#[test]
fn ui_settings_alone_need_no_profile_or_key() {
    // Several profiles, no default, no key anywhere: resolve fails, the UI
    // settings (what `krafter demo` needs) still load.
    let s =
        write_config("[profiles.a]\n[profiles.b]\n[ui]\ntheme = \"light\"\n[keys]\nquit = \"Q\"\n");
    assert!(run(&flags(), &[], &s.path).is_err());
    let env: HashMap<String, String> = HashMap::from([("NO_COLOR".into(), "1".into())]);
    let only = krafter::config::resolve_ui_with(&flags(), &|n| env.get(n).cloned(), Some(&s.path))
        .unwrap();
    assert_eq!(only.ui.theme, ThemeName::Light);
    assert!(only.ui.no_color);
    assert_eq!(only.key_overrides[0].key, "Q");
    assert_eq!(only.key_overrides[0].line, Some(6));
}
