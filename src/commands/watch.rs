//! `krafter watch`: the TUI's alerts, headless. One line (or one JSON
//! object) per alert on stdout, flushed at once, for a tmux pane or a pipe
//! into a chat webhook; what the watcher itself goes through (the baseline,
//! an outage and its end) goes to stderr.

use std::io::Write;
use std::time::{Duration, Instant};

use chrono::{Offset, Utc};
use color_eyre::eyre::{Result, eyre};

use crate::api::{ApiError, Client};
use crate::cli::{GlobalArgs, WatchArgs, WatchFormat, exit};
use crate::engine::alerts::{Alert, Watcher};
use crate::engine::watch::{Outage, WatchAsk, fetch};
use crate::humanize;

use super::session::Session;

/// Below this interval, a warning: the rate budget is the team's.
const GENTLE_INTERVAL: Duration = Duration::from_secs(10);

/// Runs until a signal stops it.
pub async fn run(global: &GlobalArgs, args: &WatchArgs) -> Result<i32> {
    let session = Session::open(global)?;
    let settings = session.resolved.ui.alerts.clone();
    let interval = args
        .interval
        .map(Duration::from_secs)
        .unwrap_or(session.resolved.ui.refresh_interval);
    if interval < GENTLE_INTERVAL {
        eprintln!(
            "krafter: warning: refreshing every {} spends up to {} requests a minute of the team's budget",
            humanize::duration(interval),
            (60 / interval.as_secs().max(1)) * 3
        );
    }
    let watch = watch(
        &session.client,
        Watcher::new(settings.rules),
        interval,
        args.format,
    );
    tokio::select! {
        result = watch => result,
        () = stop_signal() => Ok(exit::OK),
    }
}

/// SIGINT or SIGTERM.
async fn stop_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        // Without signal handlers the default action still stops the process.
        return std::future::pending().await;
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
}

/// True for errors waiting will not cure: the key or the project is wrong.
fn is_fatal(error: &ApiError) -> bool {
    matches!(error.status(), Some(401 | 403 | 404))
}

async fn watch(
    client: &Client,
    mut watcher: Watcher,
    interval: Duration,
    format: WatchFormat,
) -> Result<i32> {
    let mut regressions_offered = true;
    let mut policy_at: Option<Instant> = None;
    let mut outage: Option<Outage> = None;
    let local = chrono::Local::now().offset().fix();
    loop {
        let ask = WatchAsk::plan(
            &client.budget(),
            regressions_offered,
            policy_at.map(|t| t.elapsed()),
        );
        let wait = match fetch(client, ask, Utc::now()).await {
            Ok(fetched) => {
                if let Some(gone) = outage.take() {
                    eprintln!(
                        "krafter: back online ({}, {} failed refresh(es))",
                        gone.headline(local),
                        gone.failures
                    );
                }
                regressions_offered &= !fetched.regressions_unsupported;
                if fetched.policy_fetched {
                    policy_at = Some(Instant::now());
                }
                for problem in &fetched.problems {
                    tracing::warn!(%problem, "a part of the watch refresh failed");
                }
                let first = watcher.last().is_none();
                let snapshot = fetched.snapshot;
                let baseline = first.then(|| baseline_line(&snapshot, client, interval));
                for alert in watcher.observe(snapshot) {
                    print_alert(&alert, format)?;
                }
                if let Some(line) = baseline {
                    eprintln!("{line}");
                }
                interval
            }
            Err(e) if is_fatal(&e) => {
                return Err(eyre!(e).wrap_err("the watch stopped: the service refused it"));
            }
            Err(e) => {
                let o = match outage.as_mut() {
                    Some(o) => {
                        o.failed_again(&e);
                        o
                    }
                    None => {
                        let o = outage.insert(Outage::start(Utc::now(), &e));
                        let wait = o.retry_after(interval);
                        eprintln!(
                            "krafter: {}, retrying in {} ({})",
                            o.headline(local),
                            humanize::duration(wait),
                            o.reason
                        );
                        o
                    }
                };
                o.retry_after(interval)
            }
        };
        tokio::time::sleep(wait).await;
    }
}

/// The line that says the watch has its baseline (tests and people wait
/// for it before expecting alerts).
fn baseline_line(
    snapshot: &crate::engine::alerts::Snapshot,
    client: &Client,
    interval: Duration,
) -> String {
    let cc = &snapshot.command_center;
    let number = |n: Option<i64>| n.map_or("?".to_string(), |n| n.to_string());
    format!(
        "krafter: watching {} every {}: health {}, {} critical open; alerts follow on stdout",
        crate::sanitize::sanitize(client.project_id()),
        humanize::duration(interval),
        number(cc.health_score),
        number(cc.critical_findings)
    )
}

/// One alert, one line, flushed at once so a pipe sees it now.
fn print_alert(alert: &Alert, format: WatchFormat) -> Result<()> {
    let line = match format {
        WatchFormat::Text => text_line(alert),
        WatchFormat::Json => serde_json::to_string(alert)?,
    };
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{line}").and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        // The reader went away: nobody is listening any more.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            Err(eyre!("stdout was closed; stopping the watch"))
        }
        Err(e) => Err(color_eyre::Report::new(e).wrap_err("could not write an alert")),
    }
}

/// `2025-06-15T02:14:00Z  health      health fell 8 points: 72 → 64`.
pub fn text_line(alert: &Alert) -> String {
    format!("{}  {:<10}  {}", alert.at, alert.label(), alert.message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::CommandCenter;
    use crate::engine::alerts::Snapshot;
    use chrono::TimeZone;

    #[test]
    fn a_text_line_has_the_time_the_kind_and_the_message() {
        let mut w = Watcher::default();
        let at = Utc.with_ymd_and_hms(2025, 6, 15, 2, 14, 0).unwrap();
        let cc = |h| CommandCenter {
            health_score: Some(h),
            ..CommandCenter::default()
        };
        w.observe(Snapshot::of_command_center(cc(72), at));
        let alerts = w.observe(Snapshot::of_command_center(cc(64), at));
        assert_eq!(
            text_line(&alerts[0]),
            "2025-06-15T02:14:00Z  health      health fell 8 points: 72 → 64"
        );
    }
}
