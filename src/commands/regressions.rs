//! `krafter regressions [--status open|closed]`: resolved findings that a
//! scan found again (a sandbox route: a service without it is told so).

use color_eyre::eyre::Result;

use crate::api::model::{AsSent, Regression};
use crate::api::paginate::fetch_all_by_cursor;
use crate::cli::{GlobalArgs, ListFormat, RegressionsArgs, exit};
use crate::engine::people::short_id;

use super::export::spreadsheet_text;
use super::filters;
use super::layout::{Column, output_width, render_table};
use super::session::Session;

/// Rows asked for per page.
const PAGE: u32 = 100;
/// Findings read for their titles, at most; later rows show the id only.
const TITLES: usize = 50;

/// Runs the command.
pub async fn run(global: &GlobalArgs, args: &RegressionsArgs) -> Result<i32> {
    let status = args
        .status
        .as_deref()
        .map(filters::regression_status)
        .transpose()?;
    let session = Session::open(global)?;
    let client = &session.client;
    let status = status.as_ref();
    let rows: Vec<AsSent<Regression>> = fetch_all_by_cursor(
        |cursor| async move {
            client
                .list_regressions_as(status, cursor.as_deref(), Some(PAGE))
                .await
        },
        |_| {},
    )
    .await?;
    let text = match args.format {
        ListFormat::Json => serde_json::to_string_pretty(&rows)? + "\n",
        ListFormat::Ndjson => super::output::json_lines(&rows)?,
        ListFormat::Csv => render_csv(&rows)?,
        ListFormat::Table => {
            // The titles make the table readable; a few reads, bounded.
            let mut titles: Vec<(String, String)> = Vec::new();
            for r in &rows {
                let id = &r.typed.finding_id;
                if titles.len() >= TITLES || titles.iter().any(|(f, _)| f == id) {
                    continue;
                }
                if let Ok(f) = client.get_finding(id).await {
                    titles.push((f.id, f.title));
                }
            }
            render_table_text(&rows, &titles, output_width())
        }
    };
    super::output::emit(&text)?;
    Ok(exit::OK)
}

/// The table: status, finding, the scan that found it again, when.
pub fn render_table_text(
    rows: &[AsSent<Regression>],
    titles: &[(String, String)],
    width: usize,
) -> String {
    let columns = [
        // Narrow terminals lose the ids before the finding's title.
        Column::fixed("ID", 36).droppable(4),
        Column::fixed("STATUS", 11),
        Column::flex("FINDING", 20),
        Column::fixed("FINDING ID", 36).droppable(5),
        Column::fixed("SCAN", 8),
        Column::fixed("DETECTED", 20),
        Column::fixed("CLOSED", 20).droppable(3),
    ];
    let time = |t: &Option<crate::api::model::Timestamp>| {
        t.as_ref()
            .map(|t| t.raw().to_string())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| "-".into())
    };
    let lines: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let r = &r.typed;
            let title = titles
                .iter()
                .find(|(id, _)| *id == r.finding_id)
                .map(|(_, t)| t.clone())
                .unwrap_or_else(|| format!("finding {}", short_id(&r.finding_id)));
            let status = match r.status.as_str() {
                "open" => "↺ open".to_string(),
                "closed" => "✓ closed".to_string(),
                other => other.to_string(),
            };
            vec![
                r.id.clone(),
                status,
                title,
                r.finding_id.clone(),
                r.scan_id.as_deref().map_or("-".to_string(), short_id),
                time(&r.detected_at),
                time(&r.closed_at),
            ]
        })
        .collect();
    let open = rows
        .iter()
        .filter(|r| r.typed.status.as_str() == "open")
        .count();
    let mut out = render_table(&columns, &lines, width);
    out.push_str(&format!(
        "{} regression{}, {open} open\n",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    ));
    out
}

/// The CSV header.
pub const CSV_HEADER: [&str; 6] = [
    "id",
    "finding_id",
    "scan_id",
    "status",
    "detected_at",
    "closed_at",
];

/// A header row and one line per regression.
pub fn render_csv(rows: &[AsSent<Regression>]) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(CSV_HEADER)?;
    let text = spreadsheet_text;
    for r in rows.iter().map(|r| &r.typed) {
        let raw = |t: &Option<crate::api::model::Timestamp>| {
            t.as_ref().map(|t| text(t.raw())).unwrap_or_default()
        };
        writer.write_record([
            text(&r.id),
            text(&r.finding_id),
            r.scan_id.as_deref().map(text).unwrap_or_default(),
            text(r.status.as_str()),
            raw(&r.detected_at),
            raw(&r.closed_at),
        ])?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_names_the_finding_the_scan_and_when() {
        let rows: Vec<AsSent<Regression>> = serde_json::from_value(serde_json::json!([
            {"id": "r-1", "finding_id": "f-1", "scan_id": "5c1f0a2e-aaaa-4bbb-8ccc-123456789abc",
             "status": "open", "detected_at": "2025-06-15T10:00:00Z", "closed_at": null},
            {"id": "r-2", "finding_id": "a1b2c3d4-0000-4000-8000-000000000002", "scan_id": null, "status": "closed",
             "detected_at": "2025-06-10T10:00:00Z", "closed_at": "2025-06-12T10:00:00Z"}
        ]))
        .unwrap();
        let titles = vec![("f-1".to_string(), "Missing CSP\u{1b}[2J".to_string())];
        let text = render_table_text(&rows, &titles, 160);
        assert!(
            text.contains("↺ open") && text.contains("Missing CSP"),
            "{text}"
        );
        assert!(
            text.contains("5c1f0a2e") && text.contains("2025-06-15T10:00:00Z"),
            "{text}"
        );
        assert!(text.contains("finding a1b2c3d4"), "{text}");
        assert!(!text.contains('\u{1b}'));
        assert!(text.ends_with("2 regressions, 1 open\n"), "{text}");
        let csv = render_csv(&rows).unwrap();
        assert!(csv.lines().nth(2).unwrap().contains("closed"), "{csv}");
    }
}
