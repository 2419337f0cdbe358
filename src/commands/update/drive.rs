//! Running a recorded job headless: the engine, a progress line on stderr
//! when it is a terminal, and the report.

use color_eyre::eyre::Result;

use crate::api::Client;
use crate::commands::progress::{ProgressLine, paced_text};
use crate::engine::bulk::eta::rate_text;
use crate::engine::bulk::{self, Event, Progress, Report, StartOptions, WhenSpent};
use crate::journal::Journal;

/// Runs (or resumes) the job to its end. A spent rate budget stops it
/// (nobody is there to resume a pause); the job is then left interrupted.
pub async fn run_job(client: &Client, journal: &Journal, job_id: &str) -> Result<Report> {
    let options = StartOptions {
        when_spent: WhenSpent::Stop,
        ..StartOptions::default()
    };
    let mut started = bulk::start(client.clone(), journal.clone(), job_id, options)?;
    let mut line = ProgressLine::new("updating");
    let mut report = None;
    while let Some(event) = started.events.recv().await {
        match event {
            Event::Progress(p) => line.show(&progress_text(&p, line.elapsed())),
            Event::Finished(r) => {
                report = Some(*r);
                break;
            }
            _ => {}
        }
    }
    line.finish();
    report.ok_or_else(|| {
        color_eyre::eyre::eyre!(
            "the job stopped without a report; `krafter jobs` shows where it stands and \
             `krafter update --resume {job_id}` goes on"
        )
    })
}

/// `updating 120/2000 (6%) ETA 18m20s · 2 skipped · 1 failed · 100/min`.
pub fn progress_text(p: &Progress, elapsed: std::time::Duration) -> String {
    let c = &p.counts;
    let mut text = paced_text(
        "updating",
        c.finished() as u64,
        c.total as u64,
        elapsed,
        p.eta,
        p.waiting,
    );
    if c.skipped > 0 {
        text.push_str(&format!(" · {} skipped", c.skipped));
    }
    if c.failed > 0 {
        text.push_str(&format!(" · {} failed", c.failed));
    }
    text.push_str(&format!(" · {}", rate_text(&p.budget)));
    text
}
