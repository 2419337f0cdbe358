//! `krafter findings`: list findings as a table, JSON or CSV.

use std::borrow::Borrow;

use color_eyre::eyre::Result;

use crate::api::model::{AsSent, Finding, FindingQuery};
use crate::api::paginate::{self, Progress};
use crate::cli::{FindingsArgs, GlobalArgs, ListFormat, exit};
use crate::engine::people::People;

use super::filters::{self, OwnerFilter};
use super::layout::{Column, output_width, render_table};
use super::progress::ProgressLine;
use super::session::Session;

/// Rows listed when neither `--limit` nor `--all` is given.
pub const DEFAULT_LIMIT: u32 = 50;
/// The largest page the service sends.
pub const MAX_PAGE: u32 = 100;

/// Builds the server-side query from the flags (exit 2 on unknown values).
pub fn query(
    args: &FindingsArgs,
    me: Option<&str>,
) -> Result<FindingQuery, crate::cli::UsageError> {
    Ok(FindingQuery {
        severity: args
            .severity
            .as_deref()
            .map(filters::severity)
            .transpose()?,
        status: args.status.as_deref().map(filters::status).transpose()?,
        domain: args.domain.as_deref().map(filters::domain).transpose()?,
        owner_id: args
            .owner
            .as_deref()
            .map(|o| filters::owner(o, me, true))
            .transpose()?
            .map(|o| match o {
                OwnerFilter::User(id) => id,
                OwnerFilter::Nobody => "none".to_string(),
            }),
        q: None,
    })
}

/// Runs the command.
pub async fn run(global: &GlobalArgs, args: &FindingsArgs) -> Result<i32> {
    let resolved = super::session::resolve(global)?;
    let query = query(args, resolved.people.me())?;
    let session = Session::connect(resolved)?;
    let limit = (!args.all).then(|| u64::from(args.limit.unwrap_or(DEFAULT_LIMIT)));
    let mut progress = ProgressLine::new("fetching findings");
    let (rows, total) = paginate::fetch_findings_up_to::<AsSent<Finding>>(
        &session.client,
        &query,
        MAX_PAGE,
        limit,
        &mut |p: Progress| progress.count(p.fetched, p.total),
    )
    .await?;
    progress.finish();
    let (rows, ignored) = keep_owner(rows, query.owner_id.as_deref());
    if ignored > 0 {
        eprintln!(
            "krafter: the server ignored the owner filter ({ignored} rows of other owners); \
             filtered here, so totals count only the rows fetched"
        );
    }
    let total = if args.all || ignored > 0 {
        Some(rows.len() as u64)
    } else {
        total
    };
    let text = match args.format {
        ListFormat::Json => render_json(&rows)?,
        ListFormat::Csv => render_csv(&typed(&rows))?,
        ListFormat::Table => {
            let findings = typed(&rows);
            let mut t = render_table_text(&findings, &session.resolved.people, output_width());
            t.push_str(&footer(findings.len(), total));
            t
        }
    };
    super::output::emit(&text)?;
    Ok(exit::OK)
}

/// The typed views of the rows, borrowed: the table and CSV need no copy.
fn typed(rows: &[AsSent<Finding>]) -> Vec<&Finding> {
    rows.iter().map(|r| &r.typed).collect()
}

/// The owner filter is a sandbox extension (contract 5.3): a service that
/// ignores it would hand back everyone's findings as "mine". Keeps only the
/// rows of the asked owner and counts the others.
pub fn keep_owner(
    rows: Vec<AsSent<Finding>>,
    owner: Option<&str>,
) -> (Vec<AsSent<Finding>>, usize) {
    let Some(owner) = owner else {
        return (rows, 0);
    };
    let before = rows.len();
    let kept: Vec<_> = rows
        .into_iter()
        .filter(|r| match (&r.typed.owner_id, owner) {
            (None, "none") => true,
            (Some(id), wanted) => id.eq_ignore_ascii_case(wanted),
            (None, _) => false,
        })
        .collect();
    let ignored = before - kept.len();
    (kept, ignored)
}

/// `showing 50 of 230 findings` when there are more.
pub fn footer(shown: usize, total: Option<u64>) -> String {
    match total {
        Some(t) if t > shown as u64 => {
            format!("{shown} of {t} findings; use --limit N or --all for more\n")
        }
        _ => format!("{shown} finding{}\n", if shown == 1 { "" } else { "s" }),
    }
}

/// A JSON array of the findings with every field the server sent.
pub fn render_json<T: serde::Serialize>(findings: &[T]) -> Result<String> {
    Ok(serde_json::to_string_pretty(findings)? + "\n")
}

/// The CSV header.
pub const CSV_HEADER: [&str; 16] = [
    "id",
    "title",
    "severity",
    "status",
    "domain",
    "priority_score",
    "impact",
    "effort",
    "risk",
    "confidence",
    "owner_id",
    "url",
    "fix_summary",
    "estimated_minutes",
    "created_at",
    "updated_at",
];

/// The first characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell a spreadsheet will show as text: one that would start a
/// formula (`=HYPERLINK(...)` in a hostile title) gets a leading `'`.
/// Only for text from the server; numbers are written as parsed, so a
/// negative score stays a number.
pub fn spreadsheet_text(cell: &str) -> String {
    if cell.starts_with(FORMULA_STARTS) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// A header row and one line per finding.
pub fn render_csv<F: Borrow<Finding>>(findings: &[F]) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(CSV_HEADER)?;
    let opt = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    // Enum columns are text too: an unknown value is written as sent.
    let text = spreadsheet_text;
    for f in findings {
        let f = f.borrow();
        let created = f.created_at.as_ref().or(f.inserted_at.as_ref());
        writer.write_record([
            text(&f.id),
            text(&f.title),
            text(&f.severity.to_string()),
            text(&f.status.to_string()),
            text(&f.domain.to_string()),
            opt(f.priority.score),
            opt(f.priority.impact),
            opt(f.priority.effort),
            opt(f.priority.risk),
            f.confidence.map(|c| c.to_string()).unwrap_or_default(),
            text(f.owner_id.as_deref().unwrap_or_default()),
            text(f.primary_url().unwrap_or_default()),
            text(&f.recommended_fix.summary),
            opt(f.recommended_fix.estimated_minutes),
            text(created.map(|t| t.raw()).unwrap_or_default()),
            text(f.updated_at.as_ref().map(|t| t.raw()).unwrap_or_default()),
        ])?;
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8(bytes)?)
}

/// The findings as a table `width` columns wide.
pub fn render_table_text<F: Borrow<Finding>>(
    findings: &[F],
    people: &People,
    width: usize,
) -> String {
    let columns = [
        Column::fixed("ID", 36).droppable(0),
        Column::fixed("SEVERITY", 11),
        Column::fixed("STATUS", 12),
        Column::fixed("DOMAIN", 13).droppable(3),
        Column::fixed("SCORE", 5).droppable(1),
        Column::fixed("OWNER", 16).droppable(2),
        Column::flex("TITLE", 30),
    ];
    let rows: Vec<Vec<String>> = findings
        .iter()
        .map(|f| {
            let f = f.borrow();
            vec![
                f.id.clone(),
                format!("{} {}", f.severity.symbol(), f.severity),
                f.status.to_string(),
                f.domain.to_string(),
                f.priority.score.map(|s| s.to_string()).unwrap_or_default(),
                people.short(f.owner_id.as_deref()),
                f.title.clone(),
            ]
        })
        .collect();
    render_table(&columns, &rows, width)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> Vec<Finding> {
        serde_json::from_value(serde_json::json!([
            {
                "id": "d4e5f6a7-8b9c-0d1e-2f3a-4b5c6d7e8f9a", "domain": "security",
                "title": "Missing Content-Security-Policy header",
                "severity": "critical", "status": "new", "confidence": 0.95,
                "priority": { "impact": 80, "effort": 20, "risk": 90, "score": 88 },
                "owner_id": null,
                "affected_assets": [{ "type": "url", "value": "https://example.com" }],
                "recommended_fix": { "summary": "Add a CSP, \"strict\"", "steps": ["a"], "estimated_minutes": 60 },
                "created_at": "2025-06-15T10:05:00Z", "cvss": 9.1
            },
            {
                "id": "e5f6a7b8-0000-0000-0000-000000000001", "domain": "quantum",
                "title": "Evil\u{1b}]0;pwned\u{7} title", "severity": "catastrophic", "status": "new",
                "owner_id": "22222222-2222-2222-2222-222222222222",
                "inserted_at": "2025-06-15T10:06:00Z"
            }
        ]))
        .unwrap()
    }

    #[test]
    fn owner_filter_is_applied_here_when_the_server_ignores_it() {
        let rows: Vec<AsSent<Finding>> = serde_json::from_value(serde_json::json!([
            {"id": "a", "owner_id": "22222222-2222-2222-2222-222222222222"},
            {"id": "b", "owner_id": null},
            {"id": "c", "owner_id": "33333333-3333-3333-3333-333333333333"}
        ]))
        .unwrap();
        let (mine, ignored) =
            keep_owner(rows.clone(), Some("22222222-2222-2222-2222-222222222222"));
        assert_eq!((mine.len(), ignored), (1, 2));
        assert_eq!(mine[0].typed.id, "a");
        let (nobody, ignored) = keep_owner(rows.clone(), Some("none"));
        assert_eq!((nobody[0].typed.id.as_str(), ignored), ("b", 2));
        assert_eq!(keep_owner(rows, None).1, 0);
    }

    #[test]
    fn json_export_is_what_the_server_sent() {
        let sent = serde_json::json!([{"id": "a", "priority": {"score": "87", "impact": null}, "confidence": "high"}]);
        let rows: Vec<AsSent<Finding>> = serde_json::from_value(sent.clone()).unwrap();
        let out: serde_json::Value = serde_json::from_str(&render_json(&rows).unwrap()).unwrap();
        assert_eq!(out, sent);
    }

    #[test]
    fn json_keeps_every_server_field() {
        let json: serde_json::Value =
            serde_json::from_str(&render_json(&sample()).unwrap()).unwrap();
        assert_eq!(json.as_array().unwrap().len(), 2);
        assert_eq!(json[0]["cvss"], 9.1);
        assert_eq!(json[1]["severity"], "catastrophic");
        assert_eq!(json[1]["inserted_at"], "2025-06-15T10:06:00Z");
    }

    #[test]
    fn csv_has_a_header_and_one_record_per_finding() {
        let text = render_csv(&sample()).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(
            reader.headers().unwrap().iter().collect::<Vec<_>>(),
            CSV_HEADER.to_vec()
        );
        let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(records.len(), 2);
        assert_eq!(&records[0][5], "88");
        assert_eq!(&records[0][11], "https://example.com");
        assert_eq!(&records[0][12], "Add a CSP, \"strict\"");
        assert_eq!(&records[1][14], "2025-06-15T10:06:00Z");
    }

    #[test]
    fn csv_text_cells_cannot_start_a_formula_but_numbers_stay_numbers() {
        let rows: Vec<Finding> = serde_json::from_value(serde_json::json!([{
            "id": "@id", "title": "=HYPERLINK(\"https://evil.example\",\"x\")",
            "severity": "+1", "status": "-2", "domain": "\tseo",
            "priority": { "score": -5, "impact": 3 }, "confidence": -0.5,
            "owner_id": "\rowner",
            "affected_assets": [{ "type": "url", "value": "=cmd|' /C calc'!A0" }],
            "recommended_fix": { "summary": "-fix", "estimated_minutes": -10 },
            "created_at": "=now()", "updated_at": "@sum(A1)"
        }, {
            "id": "plain", "title": "a = b + c - d @ e"
        }]))
        .unwrap();
        let text = render_csv(&rows).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        let hostile = &records[0];
        for (i, cell) in hostile.iter().enumerate() {
            let numeric = matches!(i, 5..=9 | 13);
            if numeric {
                assert!(!cell.starts_with('\''), "column {i}: {cell:?}");
            } else {
                assert!(
                    cell.starts_with('\''),
                    "column {i} not neutralised: {cell:?}"
                );
            }
        }
        assert_eq!(&hostile[1], "'=HYPERLINK(\"https://evil.example\",\"x\")");
        assert_eq!(&hostile[5], "-5");
        assert_eq!(&hostile[9], "-0.5");
        assert_eq!(&hostile[13], "-10");
        assert_eq!(&records[1][0], "plain");
        assert_eq!(&records[1][1], "a = b + c - d @ e");
    }

    #[test]
    fn table_is_safe_and_fits() {
        let me = People::new(
            Vec::new(),
            Some("22222222-2222-2222-2222-222222222222".into()),
        );
        let text = render_table_text(&sample(), &me, 100);
        assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text:?}");
        assert!(text.lines().all(|l| super::super::layout::width(l) <= 100));
        assert!(text.contains("? catastro"), "{text}");
        // The owner column needs room; wide terminals show it, `me` by name.
        assert!(!text.lines().next().unwrap().contains("OWNER"), "{text}");
        let wide = render_table_text(&sample(), &me, 140);
        let header = wide.lines().next().unwrap();
        assert!(
            header.contains("OWNER") && header.contains("DOMAIN"),
            "{wide}"
        );
        assert!(wide.lines().nth(2).unwrap().contains("  me  "), "{wide}");
        let narrow = render_table_text(&sample(), &me, 60);
        assert!(
            narrow.lines().all(|l| super::super::layout::width(l) <= 60),
            "{narrow}"
        );
        assert!(narrow.contains("Missing Content"), "{narrow}");
    }

    #[test]
    fn footer_points_at_more() {
        assert_eq!(
            footer(50, Some(230)),
            "50 of 230 findings; use --limit N or --all for more\n"
        );
        assert_eq!(footer(1, Some(1)), "1 finding\n");
    }

    #[test]
    fn query_refuses_unknown_filters_and_maps_owner() {
        let mut args = FindingsArgs {
            severity: Some("critical".into()),
            status: None,
            domain: None,
            owner: Some("none".into()),
            limit: None,
            all: false,
            format: ListFormat::Table,
        };
        assert_eq!(
            query(&args, None).unwrap().owner_id.as_deref(),
            Some("none")
        );
        args.severity = Some("urgent".into());
        assert!(query(&args, None).is_err());
    }
}
