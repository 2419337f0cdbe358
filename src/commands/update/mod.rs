//! `krafter update`: change findings by id, from stdin or by filter, with a
//! preview first, a local journal, `--resume` and `--undo`. The work itself
//! is the bulk engine's ([`crate::engine::bulk`]), shared with the TUI.

use std::io::Read;
use std::time::SystemTime;

use color_eyre::eyre::{Result, eyre};

use crate::api::Client;
use crate::cli::{GlobalArgs, RecordFormat, UpdateArgs, exit};
use crate::commands::progress::ProgressLine;
use crate::engine::bulk::{self, Preview, Report, undo};
use crate::journal::{self, JobRecord, Journal, NewJob as JournalJob};

use super::session::Session;
use crate::cli::UsageError;

mod drive;
mod input;
mod render;

pub use crate::engine::bulk::plan::Pick;
pub use input::{NewJob, Request, plan};
pub use render::{change_text, job_json};

/// Opens the journal in the data directory, saying on stderr when a
/// damaged one had to be set aside.
pub fn open_journal() -> Result<Journal> {
    let dir = crate::config::paths::data_dir().ok_or_else(|| {
        eyre!("no data directory to keep the journal of bulk jobs in (no home directory?)")
    })?;
    let opened = Journal::open(&journal::default_path(&dir))?;
    if let Some(aside) = &opened.set_aside {
        eprintln!("krafter: warning: {aside}");
    }
    Ok(opened.journal)
}

/// Runs the command.
pub async fn run(global: &GlobalArgs, args: &UpdateArgs) -> Result<i32> {
    let resolved = super::session::resolve(global)?;
    // Before anything else: a read-only profile gets the same answer
    // whatever else is wrong with the arguments.
    if !args.dry_run {
        super::session::ensure_writable(&resolved, "update findings")?;
    }
    let stdin = if args.stdin {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| UsageError(format!("--stdin could not be read: {e}")))?;
        Some(text)
    } else {
        None
    };
    let request = plan(args, resolved.people.me(), stdin.as_deref())?;
    let profile = resolved.profile.clone();
    let session = Session::connect(resolved)?;
    let journal = open_journal()?;
    let client = &session.client;
    let report = match request {
        Request::Change(job) => {
            let Some(report) = new_job(client, &journal, &profile, &job, args.format).await? else {
                return Ok(exit::OK);
            };
            report
        }
        Request::Resume(id) => {
            let job = match id {
                Some(id) => journal.find_job(&id)?,
                None => journal
                    .newest_unfinished(Some(&bulk::scope_of(client)))?
                    .ok_or_else(|| {
                        eyre!(
                            "no interrupted job of project {} to resume; `krafter jobs` lists them",
                            client.project_id()
                        )
                    })?,
            };
            eprintln!(
                "resuming job {} ({}: {})",
                job.id,
                job.selection.describe(),
                change_text(&job)
            );
            drive::run_job(client, &journal, &job.id).await?
        }
        Request::Undo {
            job,
            comment,
            dry_run,
        } => {
            let original = journal.find_job(&job)?;
            let Some(report) = undo_job(
                client,
                &journal,
                &profile,
                &original,
                comment,
                dry_run,
                args.format,
            )
            .await?
            else {
                return Ok(exit::OK);
            };
            report
        }
    };
    finish(&report, args.format)
}

/// Reads, previews, records and runs a new job; `None` after a dry run.
async fn new_job(
    client: &Client,
    journal: &Journal,
    profile: &str,
    job: &NewJob,
    format: RecordFormat,
) -> Result<Option<Report>> {
    let mut reading = ProgressLine::new("reading findings");
    let mut on_read = |n: u64, total: Option<u64>| reading.count(n, total);
    let (targets, current) = bulk::plan::read(client, &job.pick, &job.change, &mut on_read).await?;
    reading.finish();
    let preview = bulk::preview(&targets, &current, &client.budget(), SystemTime::now());
    let change = job.change.describe();
    if job.dry_run {
        show_preview(&preview, &change, format)?;
        return Ok(None);
    }
    let record = JournalJob {
        profile: profile.to_string(),
        scope: bulk::scope_of(client),
        selection: job.selection(),
        change: job.change.clone(),
        reason: job.reason,
        comment: job.comment.clone(),
        undo_of: None,
    };
    run_recorded(client, journal, &record, &preview, &change)
        .await
        .map(Some)
}

/// Previews and runs the undo of `original`; `None` after a dry run.
async fn undo_job(
    client: &Client,
    journal: &Journal,
    profile: &str,
    original: &JobRecord,
    comment: Option<String>,
    dry_run: bool,
    format: RecordFormat,
) -> Result<Option<Report>> {
    let items = journal.items(&original.id)?;
    let mut reading = ProgressLine::new("reading findings");
    let (targets, current) =
        bulk::plan::read_undo(client, original, &items, &mut |n, t| reading.count(n, t)).await?;
    reading.finish();
    let preview = bulk::preview(&targets, &current, &client.budget(), SystemTime::now());
    let change = format!("back to before job {}", original.id);
    if dry_run {
        show_preview(&preview, &change, format)?;
        return Ok(None);
    }
    let mut record = undo::new_job(original, profile);
    record.comment = comment;
    run_recorded(client, journal, &record, &preview, &change)
        .await
        .map(Some)
}

/// Records the job with its preview's items, says so, and runs it.
async fn run_recorded(
    client: &Client,
    journal: &Journal,
    record: &JournalJob,
    preview: &Preview,
    change: &str,
) -> Result<Report> {
    let id = journal.create_job(record, &preview.journal_items())?;
    eprintln!("job {id}: {}", render::preview_summary(preview, change));
    drive::run_job(client, journal, &id).await
}

fn show_preview(preview: &Preview, change: &str, format: RecordFormat) -> Result<()> {
    match format {
        RecordFormat::Table => super::output::emit(&render::preview_table(preview, change)),
        RecordFormat::Json => super::output::emit(
            &(serde_json::to_string_pretty(&render::preview_json(preview))? + "\n"),
        ),
    }
}

/// Prints the report and says how to go on; the exit code.
fn finish(report: &Report, format: RecordFormat) -> Result<i32> {
    match format {
        RecordFormat::Table => super::output::emit(&render::report_table(report))?,
        RecordFormat::Json => {
            super::output::emit(
                &(serde_json::to_string_pretty(&render::report_json(report))? + "\n"),
            )?;
            eprintln!("{}", render::counts_line(report));
        }
    }
    let id = &report.job.id;
    if let Some(message) = &report.job.message {
        eprintln!("krafter: job {id} {message}");
    }
    if report.job.state.is_unfinished() && report.left() > 0 {
        eprintln!(
            "krafter: {} not sent yet; `krafter update --resume {id}` sends them",
            report.left()
        );
    }
    if report.counts.updated > 0 && report.job.undo_of.is_none() {
        eprintln!("krafter: `krafter update --undo {id}` puts these findings back");
    }
    Ok(if report.all_applied() {
        exit::OK
    } else {
        exit::PARTIAL
    })
}
