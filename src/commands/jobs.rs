//! `krafter jobs`: the bulk jobs of the local journal, newest first.

use color_eyre::eyre::Result;
use serde_json::{Value, json};

use crate::cli::{GlobalArgs, JobsArgs, RecordFormat, exit};
use crate::journal::JobSummary;
use crate::sanitize::sanitize;

use super::layout::truncate;
use super::update::{change_text, job_json, open_journal};

/// Runs the command. Needs no network and no API key.
pub fn run(_global: &GlobalArgs, args: &JobsArgs) -> Result<i32> {
    let journal = open_journal()?;
    let jobs = journal.jobs()?;
    let text = match args.format {
        RecordFormat::Table => render_table(&jobs),
        RecordFormat::Json => serde_json::to_string_pretty(&render_json(&jobs))? + "\n",
    };
    super::output::emit(&text)?;
    Ok(exit::OK)
}

/// One row per job: id, created, state, counts, selection, change.
pub fn render_table(jobs: &[JobSummary]) -> String {
    if jobs.is_empty() {
        return "no bulk jobs yet\n".into();
    }
    let mut out = format!(
        "{:<36}  {:<20}  {:<11}  {:>7} {:>7} {:>7} {:>7} {:>7}  {}\n",
        "id",
        "created",
        "state",
        "items",
        "updated",
        "skipped",
        "failed",
        "left",
        "selection → change"
    );
    for s in jobs {
        let c = &s.counts;
        let created = s
            .job
            .created_at
            .get(..19)
            .unwrap_or(&s.job.created_at)
            .replace('T', " ");
        let what = format!("{} → {}", s.job.selection.describe(), change_text(&s.job));
        out.push_str(&format!(
            "{:<36}  {:<20}  {:<11}  {:>7} {:>7} {:>7} {:>7} {:>7}  {}\n",
            sanitize(&s.job.id),
            created,
            s.job.state.as_str(),
            c.total,
            c.updated + c.unchanged,
            c.skipped,
            c.failed,
            c.open + c.not_sent,
            truncate(&sanitize(&what), 60)
        ));
    }
    out
}

/// Every job with its counts.
pub fn render_json(jobs: &[JobSummary]) -> Value {
    Value::Array(
        jobs.iter()
            .map(|s| json!({"job": job_json(&s.job), "counts": s.counts}))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{Change, Counts, JobRecord, JobState, Scope, Selection};

    #[test]
    fn a_row_says_what_the_job_did_and_where_it_stands() {
        assert_eq!(render_table(&[]), "no bulk jobs yet\n");
        let job = JobRecord {
            id: "4b873cda-20d0-43a6-9f47-e05986db328e".into(),
            created_at: "2026-11-30T03:38:09.123Z".into(),
            profile: "default".into(),
            scope: Scope::default(),
            selection: Selection::Filter {
                filters: vec![("severity".into(), "high".into())],
            },
            change: Change {
                status: Some(crate::api::enums::FindingStatus::Triaged),
                ..Change::default()
            },
            reason: None,
            comment: None,
            undo_of: None,
            state: JobState::Interrupted,
            message: None,
        };
        let counts = Counts {
            total: 12,
            updated: 5,
            unchanged: 2,
            skipped: 4,
            open: 1,
            ..Counts::default()
        };
        let text = render_table(&[JobSummary { job, counts }]);
        let row = text.lines().nth(1).unwrap_or_default();
        assert!(
            row.starts_with(
                "4b873cda-20d0-43a6-9f47-e05986db328e  2026-11-30 03:38:09   interrupted"
            ),
            "{row}"
        );
        assert!(row.contains("12       7       4       0       1"), "{row}");
        assert!(
            row.ends_with("where severity=high → status → triaged"),
            "{row}"
        );
        let json = render_json(&[]);
        assert_eq!(json, serde_json::json!([]));
    }
}
