//! Property tests of the parsers that read outside input: config files,
//! `[keys]` key strings, scan URLs (the SSRF check), `--chaos` specs and the
//! models a server's JSON decodes into. Each runs a bounded number of cases
//! so `cargo test` stays quick; a crash found becomes a named test below.

use std::net::Ipv4Addr;
use std::path::Path;

use krafter::api::model::{CommandCenter, Finding, Scan, Task, Verification};
use krafter::api::ssrf::check_url;
use krafter::app::keymap::Key;
use krafter::sandbox::chaos;
use proptest::prelude::*;
use serde_json::{Map, Value};

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Any JSON, nested a few levels, with keys the models know among others,
/// so wrong types land on real fields.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,12}".prop_map(Value::String),
        prop::sample::select(vec![
            "critical",
            "high",
            "medium",
            "low",
            "new",
            "resolved",
            "security",
            "ready_verify",
            "passed",
            "2025-06-15T10:00:00Z",
            "",
            "-1",
            "1e400",
        ])
        .prop_map(|s| Value::String(s.to_string())),
    ];
    let keys = prop::sample::select(vec![
        "id",
        "title",
        "severity",
        "status",
        "domain",
        "priority",
        "score",
        "impact",
        "confidence",
        "owner_id",
        "affected_assets",
        "evidence",
        "recommended_fix",
        "steps",
        "estimated_minutes",
        "created_at",
        "updated_at",
        "inserted_at",
        "summary",
        "checks",
        "result",
        "health_score",
        "top_priorities",
        "period",
        "expected_impact",
        "value",
        "type",
        "zz_unknown",
    ]);
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((keys.clone(), inner), 0..8).prop_map(|pairs| {
                let mut map = Map::new();
                for (k, v) in pairs {
                    map.insert(k.to_string(), v);
                }
                Value::Object(map)
            }),
        ]
    })
}

proptest! {
    #![proptest_config(config())]

    /// Any JSON decodes into each model or is refused with an error: never
    /// a panic, whatever type sits in whatever field.
    #[test]
    fn models_never_panic_on_any_json(value in json()) {
        let _ = serde_json::from_value::<Finding>(value.clone());
        let _ = serde_json::from_value::<Scan>(value.clone());
        let _ = serde_json::from_value::<Task>(value.clone());
        let _ = serde_json::from_value::<Verification>(value.clone());
        let _ = serde_json::from_value::<CommandCenter>(value);
    }

    /// An unknown enum value is kept as sent, never refused.
    #[test]
    fn unknown_severities_and_statuses_are_kept(word in "[a-z_]{1,12}") {
        let finding: Finding = serde_json::from_value(serde_json::json!({
            "id": "f1", "title": "t", "severity": word, "status": word, "domain": word,
        })).expect("decodes");
        prop_assert_eq!(finding.severity.as_str(), word.as_str());
        prop_assert_eq!(finding.status.as_str(), word.as_str());
    }

    /// Any text as a config file: a parse or an error, never a panic.
    #[test]
    fn config_files_never_panic(text in "(\\[[a-z.]{0,12}\\]\n|[a-z_]{1,10} = (\"[^\"\n]{0,10}\"|[0-9]{1,4}|true|\\[\\])\n|.{0,20}\n){0,12}") {
        let _ = krafter::config::file::parse(&text, Path::new("config.toml"));
    }

    /// Any text as a `[keys]` key string: a key or an explanation.
    #[test]
    fn key_strings_never_panic(text in "((ctrl|alt|shift|CTRL)-){0,3}.{0,6}") {
        if let Err(why) = Key::parse(&text) {
            prop_assert!(!why.is_empty());
        }
    }

    /// Any text as a scan URL: accepted or refused with a reason.
    #[test]
    fn scan_urls_never_panic(text in "(https?://)?[a-z0-9\\[\\]:@.%/-]{0,30}") {
        let _ = check_url(&text);
    }

    /// Every address of a private range is refused, however it is written.
    #[test]
    fn private_ipv4_addresses_are_always_refused(
        range in prop::sample::select(vec![(10u8, 8u8), (172, 12), (192, 16), (169, 16), (127, 8), (100, 10)]),
        rest in any::<u32>(),
    ) {
        let (first, prefix) = range;
        let base = match first {
            10 => u32::from(Ipv4Addr::new(10, 0, 0, 0)),
            172 => u32::from(Ipv4Addr::new(172, 16, 0, 0)),
            192 => u32::from(Ipv4Addr::new(192, 168, 0, 0)),
            169 => u32::from(Ipv4Addr::new(169, 254, 0, 0)),
            127 => u32::from(Ipv4Addr::new(127, 0, 0, 0)),
            _ => u32::from(Ipv4Addr::new(100, 64, 0, 0)),
        };
        let ip = Ipv4Addr::from(base | (rest >> prefix));
        let decimal = u32::from(ip);
        for url in [
            format!("http://{ip}/"),
            format!("https://{decimal}/"),
            format!("http://[::ffff:{ip}]/"),
            format!("http://{ip}:8080/path?q=1"),
        ] {
            prop_assert!(check_url(&url).is_err(), "{url} passed");
        }
    }

    /// Any text as a `--chaos` spec: a spec or an error naming the flag.
    #[test]
    fn chaos_specs_never_panic(text in "([a-z0-9_]{0,8}(=[0-9.]{0,5}(:[0-9.]{0,4}(ms|s|m)?)?)?,?){0,6}") {
        match chaos::parse(&text) {
            Ok(spec) => {
                let total: f64 = spec.faults.iter().map(|(_, r)| r).sum();
                prop_assert!(total <= 1.0 + 1e-9);
            }
            Err(why) => prop_assert!(why.starts_with("--chaos"), "{why}"),
        }
    }

    /// A spec written from valid parts parses to those parts.
    #[test]
    fn valid_chaos_specs_parse_to_what_they_say(
        e500 in 0.0f64..0.3, reset in 0.0f64..0.3, slow in 0.0f64..=1.0, ms in 0u64..5000,
    ) {
        let spec = format!("500={e500},reset={reset},slow={slow}:{ms}ms");
        let parsed = chaos::parse(&spec).expect("valid");
        prop_assert_eq!(parsed.faults.len(), 2);
        prop_assert_eq!(parsed.slow.map(|(r, d)| (r, d.as_millis() as u64)), Some((slow, ms)));
    }
}
