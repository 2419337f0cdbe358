//! How `krafter update` writes a preview and a report: pure functions of
//! the engine's values.

use serde_json::{Value, json};

use crate::commands::layout::truncate;
use crate::engine::bulk::eta::rate_text;
use crate::engine::bulk::{Preview, Report, Verdict};
use crate::journal::{Before, Change, Item, JobRecord, Outcome, Values};
use crate::sanitize::sanitize;

/// Columns of a finding's title in the per-item lines.
const TITLE_WIDTH: usize = 50;

/// The summary of a preview, e.g. for stderr before a job runs.
pub fn preview_summary(p: &Preview, change: &str) -> String {
    let mut text = format!(
        "{} to change ({change}), {} already so",
        p.requests(),
        p.unchanged()
    );
    let skipped = p.skipped_by_group();
    let n: usize = skipped.iter().map(|(_, n)| n).sum();
    text.push_str(&format!(", {n} skipped"));
    if n > 0 {
        let groups: Vec<String> = skipped.iter().map(|(g, n)| format!("{g} {n}")).collect();
        text.push_str(&format!(" ({})", groups.join(", ")));
    }
    text.push_str(&format!("; {}", p.cost_text()));
    text
}

/// `--dry-run` as a table: the summary, a sample, then every skip.
pub fn preview_table(p: &Preview, change: &str) -> String {
    let mut out = format!("preview: {}\n", preview_summary(p, change));
    let sample = p.sample();
    if !sample.is_empty() {
        out.push_str("for example:\n");
        for (title, n) in sample {
            let times = if n > 1 {
                format!(" (×{n})")
            } else {
                String::new()
            };
            out.push_str(&format!("  {}{times}\n", truncate(&sanitize(title), 72)));
        }
    }
    for item in &p.items {
        if let Verdict::Skip(skip) = &item.verdict {
            out.push_str(&format!(
                "skipped  {}  {}\n",
                sanitize(&item.id),
                sanitize(&skip.reason())
            ));
        }
    }
    out
}

/// `--dry-run` as JSON.
pub fn preview_json(p: &Preview) -> Value {
    let items: Vec<Value> = p
        .items
        .iter()
        .map(|i| {
            let (verdict, reason) = match &i.verdict {
                Verdict::Send => ("change", None),
                Verdict::Unchanged => ("unchanged", None),
                Verdict::Skip(s) => ("skipped", Some(s.reason())),
            };
            json!({
                "id": i.id, "title": i.title, "verdict": verdict, "reason": reason,
                "before": i.before.as_ref().map(before_json),
                "after": i.before.as_ref().map(|b| i.change.applied_to(&b.values)),
            })
        })
        .collect();
    let skipped: serde_json::Map<String, Value> = p
        .skipped_by_group()
        .into_iter()
        .map(|(g, n)| (g.to_string(), json!(n)))
        .collect();
    json!({
        "preview": {
            "to_change": p.requests(),
            "unchanged": p.unchanged(),
            "skipped": skipped,
            "requests": p.requests(),
            "eta_seconds": p.eta.map(|d| d.as_secs()),
            "rate": rate_text(&p.budget),
            "summary": p.cost_text(),
            "sample": p.sample().into_iter().map(|(title, _)| title).collect::<Vec<_>>(),
        },
        "items": items,
    })
}

fn before_json(b: &Before) -> Value {
    json!({
        "status": b.values.status, "owner_id": b.values.owner_id,
        "severity": b.values.severity, "updated_at": b.updated_at,
    })
}

fn values_text(v: &Values) -> String {
    format!(
        "status {}, owner {}, severity {}",
        sanitize(v.status.as_str()),
        sanitize(v.owner_id.as_deref().unwrap_or("none")),
        sanitize(v.severity.as_str())
    )
}

/// One line per item, then the counts.
pub fn report_table(report: &Report) -> String {
    let mut out = String::new();
    for item in &report.items {
        out.push_str(&item_line(item));
        out.push('\n');
    }
    out.push_str(&counts_line(report));
    out.push('\n');
    out
}

fn item_line(item: &Item) -> String {
    let id = sanitize(&item.finding_id);
    let title = truncate(&sanitize(&item.title), TITLE_WIDTH);
    let after = item
        .before
        .as_ref()
        .map(|b| values_text(&item.change.applied_to(&b.values)))
        .unwrap_or_else(|| item.change.describe());
    let line = match &item.outcome {
        Outcome::Updated { .. } => format!("updated  {id}  {after}  {title}"),
        Outcome::Unchanged => format!("already  {id}  {after}  {title}"),
        Outcome::Skipped { reason } => format!("skipped  {id}  {}", sanitize(reason)),
        Outcome::Failed { reason, .. } => format!("failed   {id}  {}", sanitize(reason)),
        Outcome::NotSent { reason } => format!("not sent {id}  {}", sanitize(reason)),
        Outcome::Pending => format!("not sent {id}  the job stopped first; --resume sends it"),
        Outcome::InFlight => {
            format!("unknown  {id}  sent, no answer; --resume sends it again with the same value")
        }
    };
    line.trim_end().to_string()
}

/// `updated N, skipped N, failed N`, then `already N` and `not sent N`
/// when there are any.
pub fn counts_line(report: &Report) -> String {
    let c = &report.counts;
    let mut line = format!(
        "updated {}, skipped {}, failed {}",
        c.updated, c.skipped, c.failed
    );
    if c.unchanged > 0 {
        line.push_str(&format!(", already {}", c.unchanged));
    }
    if report.left() > 0 {
        line.push_str(&format!(", not sent {}", report.left()));
    }
    line
}

/// The report as JSON: the job, the counts, every item.
pub fn report_json(report: &Report) -> Value {
    let items: Vec<Value> = report.items.iter().map(item_json).collect();
    json!({
        "job": job_json(&report.job),
        "counts": report.counts,
        "items": items,
    })
}

/// A job's record as JSON (shared with `krafter jobs`).
pub fn job_json(job: &JobRecord) -> Value {
    json!({
        "id": job.id,
        "created_at": job.created_at,
        "state": job.state,
        "message": job.message,
        "profile": job.profile,
        "project_id": job.scope.project_id,
        "selection": job.selection,
        "change": change_text(job),
        "reason": job.reason.map(|r| r.as_str()),
        "comment": job.comment,
        "undo_of": job.undo_of,
    })
}

/// The job's change in words; an undo puts back each finding's own values.
pub fn change_text(job: &JobRecord) -> String {
    if job.undo_of.is_some() && job.change == Change::default() {
        "previous values".into()
    } else {
        job.change.describe()
    }
}

fn item_json(item: &Item) -> Value {
    let mut v = json!({
        "id": item.finding_id,
        "title": item.title,
        "before": item.before.as_ref().map(before_json),
        "after": item.before.as_ref().map(|b| item.change.applied_to(&b.values)),
    });
    if let (Value::Object(map), Ok(Value::Object(outcome))) =
        (&mut v, serde_json::to_value(&item.outcome))
    {
        map.extend(outcome);
    }
    v
}
