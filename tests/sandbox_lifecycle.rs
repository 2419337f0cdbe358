//! Starting and stopping `krafter serve`, its flags, and data files.

mod support_sandbox;

use clap::Parser;
use krafter::cli::{Cli, Command};
use krafter::commands::serve::options_from_args;
use krafter::sandbox::{DataSource, RateWindow, SandboxOptions, Scope, spawn};
use support_sandbox::Api;

fn serve_options(args: &[&str]) -> color_eyre::Result<SandboxOptions> {
    let mut argv = vec!["krafter", "serve"];
    argv.extend_from_slice(args);
    let cli = Cli::try_parse_from(argv).expect("valid flags");
    match cli.command {
        Some(Command::Serve(args)) => options_from_args(&args),
        _ => panic!("not the serve command"),
    }
}

#[test]
fn serve_flags_become_options() {
    let o = serve_options(&[]).unwrap();
    assert_eq!(o.addr.to_string(), "127.0.0.1:8787");
    assert!(o.keys.is_empty());
    assert_eq!(o.data, DataSource::Demo);
    assert_eq!(o.rate_default, Some(RateWindow::new(100, 60)));
    assert_eq!(o.rate_strict, Some(RateWindow::new(30, 60)));
    assert!(!o.allow_private_targets);

    let o = serve_options(&[
        "--addr",
        "127.0.0.1:0",
        "--key",
        "kr_live_a=audit:write",
        "--key",
        "kr_live_b=audit:read",
        "--generate",
        "10",
        "--rate-default",
        "3/1",
        "--rate-strict",
        "1/5",
        "--allow-private-targets",
    ])
    .unwrap();
    assert_eq!(
        o.keys,
        vec![
            ("kr_live_a".to_string(), Scope::Write),
            ("kr_live_b".to_string(), Scope::Read)
        ]
    );
    assert_eq!(o.data, DataSource::Generate(10));
    assert_eq!(o.rate_default, Some(RateWindow::new(3, 1)));
    assert_eq!(o.rate_strict, Some(RateWindow::new(1, 5)));
    assert!(o.allow_private_targets);

    let o = serve_options(&["--no-rate-limit", "--data", "x.json"]).unwrap();
    assert_eq!((o.rate_default, o.rate_strict), (None, None));
    assert_eq!(o.data, DataSource::File("x.json".into()));

    let err = serve_options(&["--key", "kr_live_a=admin"])
        .unwrap_err()
        .to_string();
    assert!(err.contains("audit:read or audit:write"), "{err}");
    let err = serve_options(&["--rate-default", "fast"])
        .unwrap_err()
        .to_string();
    assert!(err.contains("REQUESTS/SECONDS"), "{err}");
    // Options never show keys.
    let o = serve_options(&["--key", "kr_live_secret=audit:write"]).unwrap();
    assert!(!format!("{o:?}").contains("kr_live_secret"));
}

#[tokio::test]
async fn shutdown_stops_serving() {
    let api = Api::start(SandboxOptions::for_tests()).await;
    assert_eq!(api.get("/findings").await.status, 200);
    let url = api.url("/findings");
    let http = api.http.clone();
    api.sandbox.shutdown().await;
    let after = http.get(&url).send().await;
    assert!(after.is_err(), "still answering after shutdown");
}

#[tokio::test]
async fn client_settings_point_at_a_project_with_the_write_key() {
    let sandbox = spawn(SandboxOptions::for_tests().with_data(DataSource::Demo))
        .await
        .unwrap();
    assert_eq!(sandbox.projects.len(), 3);
    assert_eq!(sandbox.projects[0], "production-website");
    assert!(
        sandbox.base_url.starts_with("http://127.0.0.1:") && sandbox.base_url.ends_with("/api/v1")
    );
    assert_ne!(sandbox.addr.port(), 0);
    assert!(sandbox.me.is_some());
    let settings = sandbox.client_settings("customer-portal");
    assert_eq!(settings.base_url, sandbox.base_url);
    assert_eq!(settings.org_id, sandbox.org_id);
    assert_eq!(settings.project_id, "customer-portal");
    assert_eq!(settings.api_key.expose(), sandbox.write_key);
    assert!(!format!("{settings:?}").contains(&sandbox.write_key));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_bad_data_file_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.json");
    let err = spawn(SandboxOptions::for_tests().with_data(DataSource::File(missing)))
        .await
        .unwrap_err();
    assert!(format!("{err:#}").contains("--data"), "{err:#}");

    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\"org\": 1}").unwrap();
    let err = spawn(SandboxOptions::for_tests().with_data(DataSource::File(broken)))
        .await
        .unwrap_err();
    assert!(
        format!("{err:#}").contains("not a valid data set"),
        "{err:#}"
    );

    let mut data = support_sandbox::fixture::small_data_set();
    data["projects"][0]["tasks"][0]["finding_id"] = "0e0e0e0e-0000-4000-8000-000000000000".into();
    let orphan = dir.path().join("orphan.json");
    std::fs::write(&orphan, data.to_string()).unwrap();
    let err = spawn(SandboxOptions::for_tests().with_data(DataSource::File(orphan)))
        .await
        .unwrap_err();
    assert!(
        format!("{err:#}").contains("not in project shop"),
        "{err:#}"
    );
}

#[tokio::test]
async fn the_demo_data_file_loads_as_a_data_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.json");
    std::fs::write(&path, krafter::sandbox::seed::DEMO_JSON).unwrap();
    let from_file = Api::start(SandboxOptions::for_tests().with_data(DataSource::File(path))).await;
    let demo = Api::start(SandboxOptions::for_tests().with_data(DataSource::Demo)).await;
    let a = from_file.get("/findings?limit=100").await.body;
    let b = demo.get("/findings?limit=100").await.body;
    assert_eq!(a["meta"]["total"], b["meta"]["total"]);
    assert_eq!(a["data"][0]["id"], b["data"][0]["id"], "deterministic");
}

#[tokio::test]
async fn the_demo_has_a_history_to_show() {
    let api = Api::start(SandboxOptions::for_tests().with_data(DataSource::Demo)).await;
    let mut total = 0;
    for project in &api.sandbox.projects {
        total += api.get_in(project, "/findings?limit=1").await.body["meta"]["total"]
            .as_u64()
            .unwrap();
        let scans = api.get_in(project, "/scans?limit=100").await.body;
        let rows = scans["data"].as_array().unwrap();
        assert!(rows.len() >= 10, "{project} has a scan history");
        assert!(rows.iter().all(|s| s["status"] == "completed"));
        assert!(rows[0]["summary"]["findings"].as_u64().unwrap() > 0);
        let regressions = api.get_in(project, "/regressions?status=open").await.body;
        assert!(
            regressions["meta"]["total"].as_u64().unwrap() >= 1,
            "{project}"
        );
        let tasks = api.get_in(project, "/tasks?limit=1").await.body;
        assert!(tasks["meta"]["total"].as_u64().unwrap() > 5, "{project}");
    }
    assert!(
        (150..=600).contains(&total),
        "well over a hundred findings, got {total}"
    );
    let (verifications, _) = api.all_pages("/verifications", 100).await;
    let results: std::collections::HashSet<&str> = verifications
        .iter()
        .filter_map(|v| v["result"].as_str())
        .collect();
    assert!(results.contains("passed") && results.contains("failed"));
    let owners = api.get("/findings?limit=100").await.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["owner_id"].as_str().map(str::to_string))
        .collect::<std::collections::HashSet<_>>();
    assert!(owners.len() >= 3, "a handful of owners");
}
