//! The API key's sources, the warnings about them, and the transport rules
//! that protect the key.

mod config_support;

use std::time::Duration;

use config_support::{FILE, flags, run, set_mode, write_config};
use krafter::config::KeySource;

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
        err.contains("refusing plain http://") && err.contains("--allow-insecure-http"),
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
fn the_key_is_not_in_debug_output() {
    let s = write_config(FILE);
    let r = run(&flags(), &[], &s.path).unwrap();
    let shown = format!("{r:?}");
    assert!(!shown.contains("kr_live_from_file"), "{shown}");
}
