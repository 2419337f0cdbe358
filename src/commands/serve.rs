//! `krafter serve`: flags to sandbox options, a banner, and serving until
//! Ctrl-C. The translation from flags lives here, not in the sandbox, so the
//! sandbox knows nothing of the command line.

use color_eyre::eyre::WrapErr;

use crate::cli::{ServeArgs, UsageError};
use crate::sandbox::keys::parse_key_arg;
use crate::sandbox::{DataSource, RateWindow, SandboxOptions, chaos, demo_site, spawn};

/// Parses `N/SECS`, e.g. `100/60`; a bad value is a usage error.
pub fn parse_rate(raw: &str, flag: &str) -> Result<RateWindow, UsageError> {
    let bad = || {
        UsageError(format!(
            "{flag} '{raw}' is not valid; write REQUESTS/SECONDS with both above 0, e.g. 100/60"
        ))
    };
    let (n, secs) = raw.split_once('/').ok_or_else(bad)?;
    let requests: u32 = n.trim().parse().map_err(|_| bad())?;
    let secs: u64 = secs.trim().parse().map_err(|_| bad())?;
    if requests == 0 || secs == 0 {
        return Err(bad());
    }
    Ok(RateWindow::new(requests, secs))
}

/// The options `krafter serve` flags describe. A malformed `--key` or rate
/// is a [`UsageError`] (exit code 2).
pub fn options_from_args(args: &ServeArgs) -> color_eyre::Result<SandboxOptions> {
    let keys = args
        .keys
        .iter()
        .map(|k| parse_key_arg(k).map_err(UsageError))
        .collect::<Result<Vec<_>, _>>()?;
    let data = match (&args.data, args.generate) {
        (Some(path), _) => DataSource::File(path.clone()),
        (None, Some(n)) => DataSource::Generate(n),
        (None, None) => DataSource::Demo,
    };
    let (rate_default, rate_strict) = if args.no_rate_limit {
        (None, None)
    } else {
        (
            Some(parse_rate(&args.rate_default, "--rate-default")?),
            Some(parse_rate(&args.rate_strict, "--rate-strict")?),
        )
    };
    let chaos = args
        .chaos
        .as_deref()
        .map(|spec| chaos::parse(spec).map(|c| c.with_seed(args.chaos_seed)))
        .transpose()
        .map_err(UsageError)?;
    Ok(SandboxOptions {
        addr: args.addr,
        chaos,
        keys,
        data,
        allow_private_targets: args.allow_private_targets,
        rate_default,
        rate_strict,
        demo_site: !args.no_demo_site,
        ..SandboxOptions::demo()
    })
}

/// Runs `krafter serve` until Ctrl-C.
pub async fn run(args: &ServeArgs) -> color_eyre::Result<i32> {
    let options = options_from_args(args)?;
    let sandbox = spawn(options).await?;
    println!("krafter sandbox listening");
    println!("  base URL : {}", sandbox.base_url);
    println!("  org id   : {}", sandbox.org_id);
    println!("  projects : {}", sandbox.projects.join(", "));
    if sandbox.keys_generated {
        // Printing generated keys is the point: nobody else knows them.
        println!("  write key: {}", sandbox.write_key);
        println!("  read key : {}", sandbox.read_key);
    } else {
        println!("  keys     : as given with --key");
    }
    if let Some(me) = &sandbox.me {
        println!("  me       : {me}");
    }
    if let Some(spec) = &args.chaos {
        println!(
            "  fault mode: {spec} (seed {}); failed requests were not applied, except reset_after",
            args.chaos_seed
        );
    }
    if args.allow_private_targets {
        println!("  scans may reach private and loopback addresses (--allow-private-targets)");
    }
    if let Some(url) = &sandbox.demo_site_url {
        println!("  demo site: {url}");
        let key = if sandbox.keys_generated {
            sandbox.write_key.as_str()
        } else {
            "<your write key>"
        };
        println!("Scan the demo site (a real scan, on this machine) with:");
        println!(
            "  KRAFTER_BASE_URL={} KRAFTER_ORG_ID={} KRAFTER_PROJECT_ID={} KRAFTER_API_KEY={key} krafter scan {url} --wait",
            sandbox.base_url,
            sandbox.org_id,
            sandbox
                .projects
                .first()
                .map(String::as_str)
                .unwrap_or_default(),
        );
        // A fix for a problem the home page has now, so the next scan shows it.
        let issue = sandbox
            .demo_site_home_defect()
            .unwrap_or_else(|| "csp".to_string());
        if let Some(fix) = sandbox.demo_site_fix_url(&issue) {
            println!(
                "Ship a fix on it, then scan or verify again: curl -X POST {fix}   (or {}, or any check key)",
                demo_site::FIXABLE.join(", ")
            );
        }
    }
    println!("Press Ctrl-C to stop.");
    stop_signal().await?;
    println!("stopping: finishing requests in flight…");
    sandbox.shutdown().await;
    Ok(crate::cli::exit::OK)
}

/// Ctrl-C, or SIGTERM where there is one (a service manager stopping us).
async fn stop_signal() -> color_eyre::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).wrap_err("could not listen for SIGTERM")?;
        tokio::select! {
            result = tokio::signal::ctrl_c() => result.wrap_err("could not listen for Ctrl-C"),
            _ = term.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c()
            .await
            .wrap_err("could not listen for Ctrl-C")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_parse_or_explain() {
        assert_eq!(
            parse_rate("3/1", "--rate-default").unwrap(),
            RateWindow::new(3, 1)
        );
        assert!(parse_rate("3", "--rate-default").is_err());
        assert!(parse_rate("0/60", "--rate-default").is_err());
        assert!(
            parse_rate("x/60", "--rate-strict")
                .unwrap_err()
                .to_string()
                .contains("--rate-strict")
        );
    }
}
