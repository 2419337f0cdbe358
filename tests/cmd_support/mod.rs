//! Shared by the `cmd_*` tests: a sandbox on a free loopback port and the
//! real binary run against it in a home of its own.

#![allow(dead_code)]

use std::process::{Command, Output};

use krafter::sandbox::{DataSource, RunningSandbox, SandboxOptions};
use serde_json::Value;

/// A sandbox with the demo data set.
pub async fn sandbox() -> RunningSandbox {
    sandbox_with(DataSource::Demo).await
}

/// A sandbox with `data`, no rate limits.
pub async fn sandbox_with(data: DataSource) -> RunningSandbox {
    krafter::sandbox::spawn(SandboxOptions::for_tests().with_data(data))
        .await
        .expect("sandbox starts")
}

/// What a run of the binary gave.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the binary against `sb` with `key`, in a home of its own.
pub fn krafter_with(sb: &RunningSandbox, key: &str, args: &[&str]) -> Run {
    krafter_env(sb, key, &[], args)
}

/// [`krafter_with`], with extra environment variables.
pub fn krafter_env(sb: &RunningSandbox, key: &str, env: &[(&str, &str)], args: &[&str]) -> Run {
    let home = tempfile::tempdir().unwrap();
    let out: Output = Command::new(env!("CARGO_BIN_EXE_krafter"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("KRAFTER_BASE_URL", &sb.base_url)
        .env("KRAFTER_ORG_ID", &sb.org_id)
        .env("KRAFTER_PROJECT_ID", &sb.projects[0])
        .env("KRAFTER_API_KEY", key)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs the binary against `sb` with its write key.
pub fn krafter(sb: &RunningSandbox, args: &[&str]) -> Run {
    krafter_with(sb, &sb.write_key, args)
}

/// Stdout as JSON, or a panic that shows it.
pub fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}\n{}", run.stdout, run.stderr))
}
