//! `krafter verifications [--task TASK_ID]` and `krafter approve ID`: the
//! runs of a fix's re-check with their checks, and approving a passed one.
//! Approving is sent once; a failed answer is checked by reading the
//! verification back, and the command says what really happened.

use color_eyre::eyre::{Result, WrapErr};

use crate::api::model::{AsSent, Verification};
use crate::api::paginate::fetch_all_by_cursor;
use crate::api::remediation::{
    ApprovalError, approve as approve_once, observation, verifications_of_task,
};
use crate::cli::{ApproveArgs, GlobalArgs, ListFormat, RecordFormat, VerificationsArgs, exit};
use crate::sanitize::sanitize;

use super::export::spreadsheet_text;
use super::layout::{Column, output_width, render_table};
use super::progress::ProgressLine;
use super::session::Session;

/// Rows asked for per page.
const PAGE: u32 = 100;

/// Runs `krafter verifications`.
pub async fn run(global: &GlobalArgs, args: &VerificationsArgs) -> Result<i32> {
    let session = Session::open(global)?;
    let client = &session.client;
    let rows: Vec<AsSent<Verification>> = match args.task.as_deref().map(str::trim) {
        Some(task_id) => {
            // Bounded by the task's creation when the service can say it
            // (a sandbox route); else every page is looked at.
            let since = client
                .get_task(task_id)
                .await
                .ok()
                .and_then(|t| t.created());
            verifications_of_task(client, task_id, since)
                .await
                .wrap_err_with(|| {
                    format!(
                        "could not list the verifications of task {}",
                        sanitize(task_id)
                    )
                })?
        }
        None => {
            let mut progress = ProgressLine::new("fetching verifications");
            let all = fetch_all_by_cursor(
                |cursor| async move {
                    client
                        .list_verifications_as(cursor.as_deref(), Some(PAGE))
                        .await
                },
                |p| progress.count(p.fetched, p.total),
            )
            .await?;
            progress.finish();
            all
        }
    };
    let text = match args.format {
        ListFormat::Json => serde_json::to_string_pretty(&rows)? + "\n",
        ListFormat::Ndjson => super::output::json_lines(&rows)?,
        ListFormat::Csv => render_csv(&rows)?,
        ListFormat::Table => render_table_text(&rows, output_width()),
    };
    super::output::emit(&text)?;
    Ok(exit::OK)
}

/// One line per check: the run, its result, the check, before → after.
pub fn render_table_text(rows: &[AsSent<Verification>], width: usize) -> String {
    let columns = [
        Column::fixed("ID", 36).droppable(1),
        Column::fixed("TASK", 36).droppable(2),
        Column::fixed("RESULT", 9),
        Column::fixed("APPROVED", 8).droppable(3),
        Column::fixed("CHECK", 28),
        Column::flex("BEFORE → AFTER", 20),
    ];
    let mut lines: Vec<Vec<String>> = Vec::new();
    for v in rows.iter().map(|r| &r.typed) {
        let approved = if crate::api::remediation::is_approved(v) {
            "yes"
        } else {
            "no"
        };
        let head = |check: &str, change: String| {
            vec![
                v.id.clone(),
                v.task_id.clone(),
                v.result.to_string(),
                approved.to_string(),
                check.to_string(),
                change,
            ]
        };
        if v.checks.is_empty() {
            let why = v
                .extra
                .get("error")
                .and_then(|e| e.as_str())
                .unwrap_or("-")
                .to_string();
            lines.push(head("-", why));
        }
        for c in &v.checks {
            let change = format!("{} → {}", observation(&c.before), observation(&c.after));
            lines.push(head(&format!("{} ({})", c.key, c.status), change));
        }
    }
    let mut out = render_table(&columns, &lines, width);
    out.push_str(&format!(
        "{} verification{}\n",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    ));
    out
}

/// The CSV header: one line per check.
pub const CSV_HEADER: [&str; 10] = [
    "id",
    "task_id",
    "result",
    "verified_by_id",
    "verified_at",
    "created_at",
    "check",
    "check_status",
    "before",
    "after",
];

/// One line per check (a run without checks gets one line of its own).
pub fn render_csv(rows: &[AsSent<Verification>]) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(CSV_HEADER)?;
    let text = spreadsheet_text;
    for v in rows.iter().map(|r| &r.typed) {
        let raw = |t: &Option<crate::api::model::Timestamp>| {
            t.as_ref().map(|t| text(t.raw())).unwrap_or_default()
        };
        let created = v.created_at.clone().or_else(|| v.inserted_at.clone());
        let head = [
            text(&v.id),
            text(&v.task_id),
            text(v.result.as_str()),
            v.verified_by_id.as_deref().map(text).unwrap_or_default(),
            raw(&v.verified_at),
            raw(&created),
        ];
        if v.checks.is_empty() {
            let mut record = head.to_vec();
            record.extend([String::new(), String::new(), String::new(), String::new()]);
            writer.write_record(record)?;
        }
        for c in &v.checks {
            let mut record = head.to_vec();
            record.extend([
                text(&c.key),
                text(&c.status),
                text(&observation(&c.before)),
                text(&observation(&c.after)),
            ]);
            writer.write_record(record)?;
        }
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

/// Runs `krafter approve ID`.
pub async fn approve(global: &GlobalArgs, args: &ApproveArgs) -> Result<i32> {
    let resolved = super::session::resolve(global)?;
    super::session::ensure_writable(&resolved, "approve a verification")?;
    let session = Session::connect(resolved)?;
    let id = args.id.trim();
    match approve_once(&session.client, id).await {
        Ok(approval) => {
            if let Some(e) = &approval.despite {
                eprintln!(
                    "krafter: the approval's answer failed ({}), but verification {} reads back approved",
                    sanitize(&e.to_string()),
                    sanitize(id)
                );
            }
            super::output::emit(&render(&approval.verification, args.format)?)?;
            Ok(exit::OK)
        }
        Err(e @ ApprovalError::Refused(_)) => Err(color_eyre::Report::new(e)
            .wrap_err(format!("verification {} was not approved", sanitize(id)))),
        Err(e) => Err(color_eyre::Report::new(e)),
    }
}

/// The verification as JSON (as sent), or its result and checks as text.
pub fn render(v: &AsSent<Verification>, format: RecordFormat) -> Result<String> {
    if format == RecordFormat::Json {
        return Ok(serde_json::to_string_pretty(v)? + "\n");
    }
    let t = &v.typed;
    let mut out = format!(
        "verification {} {}\ntask {}\n",
        sanitize(&t.id),
        sanitize(t.result.as_str()),
        sanitize(&t.task_id)
    );
    for c in &t.checks {
        out.push_str(&format!(
            "check {}: {}\n  before: {}\n  after:  {}\n",
            sanitize(&c.key),
            sanitize(&c.status),
            sanitize(&observation(&c.before)),
            sanitize(&observation(&c.after))
        ));
    }
    if crate::api::remediation::is_approved(t) {
        let when = t
            .verified_at
            .as_ref()
            .map(|w| sanitize(w.raw()).into_owned())
            .unwrap_or_default();
        out.push_str(&format!(
            "approved {when}: its task is done and its finding resolved\n"
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<AsSent<Verification>> {
        serde_json::from_value(serde_json::json!([
            {"id": "v-2", "task_id": "t-1", "result": "passed", "verified_at": "2025-06-15T10:00:00Z",
             "verified_by_id": "u-1",
             "checks": [{"key": "security.csp_missing", "before": "", "after": "default-src 'self'", "status": "passed"}]},
            {"id": "v-1", "task_id": "t-1", "result": "failed", "verified_at": null,
             "checks": [{"key": "security.csp_missing", "before": "", "after": null, "status": "failed"}]},
            {"id": "v-0", "task_id": "t-1", "result": "failed", "error": "connection refused", "checks": []}
        ]))
        .unwrap()
    }

    #[test]
    fn table_has_one_line_per_check_with_before_and_after() {
        let text = render_table_text(&rows(), 200);
        assert!(text.contains("(empty) → default-src 'self'"), "{text}");
        assert!(text.contains("(empty) → (none)"), "{text}");
        assert!(text.contains("connection refused"), "{text}");
        assert!(text.ends_with("3 verifications\n"), "{text}");
    }

    #[test]
    fn csv_and_record_forms() {
        let csv = render_csv(&rows()).unwrap();
        assert_eq!(csv.lines().count(), 4, "{csv}");
        let one = render(&rows()[0], RecordFormat::Table).unwrap();
        assert!(one.contains("approved 2025-06-15T10:00:00Z"), "{one}");
        let json: serde_json::Value =
            serde_json::from_str(&render(&rows()[1], RecordFormat::Json).unwrap()).unwrap();
        assert!(json["verified_at"].is_null(), "as sent: {json}");
    }
}
