//! Resolution of the configuration: precedence of every setting, the API
//! key's sources, and the warnings a user must see. No test touches the
//! process environment: the environment is a lookup passed in.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use krafter::cli::GlobalArgs;
use krafter::config::{KeySource, Resolved, ThemeName, resolve_with};

const FILE: &str = r#"
default_profile = "work"

[profiles.work]
base_url = "https://profile.example/api/v1"
org_id = "org-from-profile"
project_id = "project-from-profile"
api_key = "kr_live_from_file"
me = "22222222-2222-2222-2222-222222222222"

[profiles.other]
org_id = "org-other"
project_id = "project-other"
api_key = "kr_live_other"
read_only = true
"#;

struct Setup {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

fn write_config(text: &str) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(&path, text).unwrap();
    set_mode(&path, 0o600);
    Setup { _dir: dir, path }
}

fn set_mode(path: &Path, mode: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
}

fn run(global: &GlobalArgs, env: &[(&str, &str)], path: &Path) -> color_eyre::Result<Resolved> {
    let env: HashMap<String, String> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    resolve_with(global, &|name| env.get(name).cloned(), Some(path))
}

fn flags() -> GlobalArgs {
    GlobalArgs::default()
}

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
fn key_sources_in_order() {
    let text = FILE.replace(
        "api_key = \"kr_live_from_file\"",
        "api_key = \"kr_live_from_file\"\napi_key_env = \"WORK_KEY\"",
    );
    let s = write_config(&text);
    let all = [
        ("MY_KEY", "kr_live_named"),
        ("KRAFTER_API_KEY", "kr_live_default_env"),
        ("WORK_KEY", "kr_live_profile_env"),
    ];
    let mut g = flags();
    g.api_key_env = Some("MY_KEY".into());
    let r = run(&g, &all, &s.path).unwrap();
    assert_eq!(r.client.api_key.expose(), "kr_live_named");
    assert_eq!(r.key_source, KeySource::Env("MY_KEY".into()));

    let r = run(&flags(), &all, &s.path).unwrap();
    assert_eq!(r.client.api_key.expose(), "kr_live_default_env");

    let r = run(&flags(), &all[2..], &s.path).unwrap();
    assert_eq!(r.client.api_key.expose(), "kr_live_profile_env");
    assert_eq!(r.key_source, KeySource::Env("WORK_KEY".into()));

    let r = run(&flags(), &[], &s.path).unwrap();
    assert_eq!(r.client.api_key.expose(), "kr_live_from_file");
    assert_eq!(r.key_source, KeySource::File);

    let err = run(&g, &[], &s.path).unwrap_err().to_string();
    assert!(err.contains("--api-key-env names MY_KEY"), "{err}");
}

#[test]
fn key_command_comes_before_the_file() {
    let text = FILE.replace(
        "api_key = \"kr_live_from_file\"",
        "api_key = \"kr_live_from_file\"\napi_key_command = \"echo '  kr_live_from_command  '\"",
    );
    let s = write_config(&text);
    let r = run(&flags(), &[], &s.path).unwrap();
    assert_eq!(r.client.api_key.expose(), "kr_live_from_command");
    assert_eq!(r.key_source, KeySource::Command);
}

#[test]
fn failing_key_command_is_an_error_without_its_output() {
    let text = FILE.replace(
        "api_key = \"kr_live_from_file\"",
        "api_key_command = \"echo kr_live_half_secret; exit 7\"",
    );
    let s = write_config(&text);
    let err = format!("{:#}", run(&flags(), &[], &s.path).unwrap_err());
    assert!(err.contains("exit status 7"), "{err}");
    assert!(!err.contains("kr_live_half_secret"), "{err}");
}

#[test]
fn hanging_key_command_times_out() {
    let text = FILE.replace(
        "api_key = \"kr_live_from_file\"",
        "api_key_command = \"sleep 60\"\napi_key_command_timeout = 1",
    );
    let s = write_config(&text);
    let started = std::time::Instant::now();
    let err = run(&flags(), &[], &s.path).unwrap_err().to_string();
    assert!(err.contains("did not finish within 1s"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn missing_key_names_every_place_looked() {
    let s = write_config(&FILE.replace("api_key = \"kr_live_from_file\"", ""));
    let err = run(&flags(), &[], &s.path).unwrap_err().to_string();
    for place in [
        "KRAFTER_API_KEY",
        "api_key_env",
        "api_key_command",
        "api_key in [profiles.work]",
    ] {
        assert!(err.contains(place), "{place} missing from: {err}");
    }
    assert!(err.contains("export KRAFTER_API_KEY"), "{err}");
    assert!(err.contains("krafter demo"), "{err}");
}

#[cfg(unix)]
#[test]
fn key_in_a_file_readable_by_others_warns() {
    let s = write_config(FILE);
    let r = run(&flags(), &[], &s.path).unwrap();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    set_mode(&s.path, 0o644);
    let r = run(&flags(), &[], &s.path).unwrap();
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert!(r.warnings[0].contains("chmod 600"), "{}", r.warnings[0]);
}

#[test]
fn remote_http_is_refused_unless_allowed() {
    let s = write_config(FILE);
    let mut g = flags();
    g.base_url = Some("http://krafter.example.com/api/v1".into());
    let err = run(&g, &[], &s.path).unwrap_err().to_string();
    assert!(
        err.contains("refusing the plain http://") && err.contains("--allow-insecure-http"),
        "{err}"
    );

    g.allow_insecure_http = true;
    let r = run(&g, &[], &s.path).unwrap();
    assert!(r.client.allow_insecure_http);
    assert!(r.warnings.iter().any(|w| w.contains("unencrypted")));

    for loopback in [
        "http://127.0.0.1:8787/api/v1",
        "http://localhost:1/api/v1",
        "http://[::1]:9/api/v1",
    ] {
        let mut g = flags();
        g.base_url = Some(loopback.into());
        let r = run(&g, &[], &s.path).unwrap();
        assert!(!r.client.allow_insecure_http, "{loopback}");
    }

    let profile_allows = write_config(&FILE.replace(
        "base_url = \"https://profile.example/api/v1\"",
        "base_url = \"http://lan.example/api/v1\"\nallow_insecure_http = true",
    ));
    assert!(
        run(&flags(), &[], &profile_allows.path)
            .unwrap()
            .client
            .allow_insecure_http
    );
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
    assert_eq!(
        r.ui.colors,
        vec![("critical".to_string(), "#ff0000".to_string())]
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
fn key_overrides_carry_their_lines() {
    let s = write_config(&format!(
        "{FILE}[keys]\ntriage = \"ctrl-t\"\n\nquit = \"not a key!!\"\n"
    ));
    let r = run(&flags(), &[], &s.path).unwrap();
    let text = std::fs::read_to_string(&s.path).unwrap();
    let line_of = |needle: &str| text.lines().position(|l| l.starts_with(needle)).unwrap() + 1;
    assert_eq!(r.keys.len(), 2);
    assert_eq!(r.keys[0].action, "triage");
    assert_eq!(r.keys[0].key, "ctrl-t");
    assert_eq!(r.keys[0].line, Some(line_of("triage")));
    assert_eq!(r.keys[1].action, "quit");
    assert_eq!(r.keys[1].key, "not a key!!");
    assert_eq!(r.keys[1].line, Some(line_of("quit")));
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
fn the_key_is_not_in_debug_output() {
    let s = write_config(FILE);
    let r = run(&flags(), &[], &s.path).unwrap();
    let shown = format!("{r:?}");
    assert!(!shown.contains("kr_live_from_file"), "{shown}");
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
    assert_eq!(r.keys.len(), 2);
    assert_eq!(r.ui.colors.len(), 2);
    assert_eq!(
        r.me.as_deref(),
        Some("22222222-2222-2222-2222-222222222222")
    );
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
    assert_eq!(only.keys[0].key, "Q");
    assert_eq!(only.keys[0].line, Some(6));
}
