//! `krafter tasks`: the project's remediation tasks as a table, JSON (as
//! the server sent them) or CSV. Each row is the [`TaskView`] the TUI's
//! tasks pane shows.

use chrono::{DateTime, Utc};
use color_eyre::eyre::Result;

use crate::api::model::{AsSent, Task};
use crate::api::paginate::fetch_all_by_cursor;
use crate::cli::{GlobalArgs, ListFormat, TasksArgs, exit};
use crate::engine::people::People;
use crate::engine::sla::{Sla, task_due};
use crate::engine::task_view::TaskView;

use super::export::spreadsheet_text;
use super::filters;
use super::layout::{Column, output_width, render_table};
use super::progress::ProgressLine;
use super::session::Session;

/// Rows asked for per page.
const PAGE: u32 = 100;

/// Runs the command.
pub async fn run(global: &GlobalArgs, args: &TasksArgs) -> Result<i32> {
    let status = args
        .status
        .as_deref()
        .map(filters::task_status)
        .transpose()?;
    let session = Session::open(global)?;
    let client = &session.client;
    let status = status.as_ref();
    let mut progress = ProgressLine::new("fetching tasks");
    let rows: Vec<AsSent<Task>> = fetch_all_by_cursor(
        |cursor| async move {
            client
                .list_tasks_as(status, cursor.as_deref(), Some(PAGE))
                .await
        },
        |p| progress.count(p.fetched, p.total),
    )
    .await?;
    progress.finish();
    let now = Utc::now();
    let text = match args.format {
        ListFormat::Json => serde_json::to_string_pretty(&rows)? + "\n",
        ListFormat::Ndjson => super::output::json_lines(&rows)?,
        ListFormat::Csv => render_csv(&rows, now)?,
        ListFormat::Table => {
            let tasks: Vec<&Task> = rows.iter().map(|r| &r.typed).collect();
            let mut t = render_table_text(&tasks, &session.resolved.people, now, output_width());
            t.push_str(&format!(
                "{} task{}\n",
                tasks.len(),
                if tasks.len() == 1 { "" } else { "s" }
            ));
            t
        }
    };
    super::output::emit(&text)?;
    Ok(exit::OK)
}

/// The table of tasks `width` columns wide.
pub fn render_table_text(
    tasks: &[&Task],
    people: &People,
    now: DateTime<Utc>,
    width: usize,
) -> String {
    let columns = [
        // Narrow terminals lose the PR, then the id, before the owner and
        // the ticket (`--format json` has everything).
        Column::fixed("ID", 36).droppable(4),
        Column::flex("TITLE", 24),
        Column::fixed("STATUS", 12),
        Column::fixed("PRIORITY", 8),
        Column::fixed("OWNER", 16).droppable(3),
        Column::fixed("SLA", 13),
        Column::fixed("TICKET", 12).droppable(2),
        Column::fixed("PR", 40).droppable(5),
    ];
    let rows: Vec<Vec<String>> = tasks
        .iter()
        .map(|task| {
            let v = TaskView::of(task, None, people, now);
            vec![
                v.id, v.title, v.status, v.priority, v.owner, v.sla, v.ticket, v.pr,
            ]
        })
        .collect();
    render_table(&columns, &rows, width)
}

/// The CSV header.
pub const CSV_HEADER: [&str; 12] = [
    "id",
    "finding_id",
    "title",
    "status",
    "priority",
    "owner_id",
    "sla_due_at",
    "sla",
    "external_ticket_key",
    "pr_url",
    "created_at",
    "updated_at",
];

/// A header row and one line per task; text cells cannot start a formula.
pub fn render_csv(rows: &[AsSent<Task>], now: DateTime<Utc>) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(CSV_HEADER)?;
    let text = spreadsheet_text;
    let raw = |t: &Option<crate::api::model::Timestamp>| {
        t.as_ref().map(|t| text(t.raw())).unwrap_or_default()
    };
    for row in rows {
        let t = &row.typed;
        let created = t.created_at.as_ref().or(t.inserted_at.as_ref()).cloned();
        writer.write_record([
            text(&t.id),
            text(&t.finding_id),
            text(&t.title),
            text(t.status.as_str()),
            text(t.priority.as_str()),
            t.owner_id.as_deref().map(text).unwrap_or_default(),
            raw(&t.sla_due_at),
            // Computed here, not sent: no formula can hide in it.
            Sla::at(task_due(t), now).text(),
            t.external_ticket_key
                .as_deref()
                .map(text)
                .unwrap_or_default(),
            t.pr_url.as_deref().map(text).unwrap_or_default(),
            raw(&created),
            raw(&t.updated_at),
        ])?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn rows() -> Vec<AsSent<Task>> {
        serde_json::from_value(serde_json::json!([
            {"id": "t-1", "finding_id": "f-1", "title": "=HYPERLINK(\"x\")", "status": "in_progress",
             "priority": "high", "owner_id": null, "sla_due_at": "2025-06-15T09:00:00Z",
             "external_ticket_key": "SEC-1", "pr_url": "https://git.example/pr/1",
             "created_at": "2025-06-14T09:00:00Z", "zeta": 1},
            {"id": "t-2", "finding_id": "f-2", "title": "Fix\u{1b}[2J it", "status": "done",
             "priority": "low", "sla_due_at": null}
        ]))
        .unwrap()
    }

    #[test]
    fn table_shows_time_left_and_is_safe() {
        let now = Utc.with_ymd_and_hms(2025, 6, 15, 12, 0, 0).unwrap();
        let rows = rows();
        let tasks: Vec<&Task> = rows.iter().map(|r| &r.typed).collect();
        let text = render_table_text(&tasks, &People::default(), now, 160);
        assert!(text.contains("⚠ overdue 3h"), "{text}");
        assert!(
            text.contains("SEC-1") && text.contains("https://git.example/pr/1"),
            "{text}"
        );
        assert!(!text.contains('\u{1b}'), "{text:?}");
        let narrow = render_table_text(&tasks, &People::default(), now, 70);
        assert!(
            narrow.lines().all(|l| super::super::layout::width(l) <= 70),
            "{narrow}"
        );
        assert!(
            narrow.contains("overdue"),
            "the SLA survives a narrow terminal: {narrow}"
        );
    }

    #[test]
    fn csv_neutralises_formulas_and_json_keeps_what_was_sent() {
        let now = Utc.with_ymd_and_hms(2025, 6, 15, 12, 0, 0).unwrap();
        let csv = render_csv(&rows(), now).unwrap();
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(&records[0][2], "'=HYPERLINK(\"x\")");
        assert_eq!(&records[0][7], "⚠ overdue 3h");
        assert_eq!(&records[1][7], "-");
        let json: serde_json::Value =
            serde_json::from_str(&serde_json::to_string(&rows()).unwrap()).unwrap();
        assert_eq!(json[0]["zeta"], 1);
        assert!(json[1]["sla_due_at"].is_null());
    }
}
