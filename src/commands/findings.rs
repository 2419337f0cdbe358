//! `krafter findings`: list findings as a table, JSON or CSV.

use color_eyre::eyre::Result;

use crate::api::Client;
use crate::api::model::{Finding, FindingQuery};
use crate::api::paginate::{self, Progress};
use crate::cli::{FindingsArgs, Format, GlobalArgs, exit};

use super::Session;
use super::filters::{self, Owner};
use super::layout::{Column, output_width, render_table};
use super::progress::ProgressLine;

/// Rows listed when neither `--limit` nor `--all` is given.
pub const DEFAULT_LIMIT: u32 = 50;
/// The largest page the service sends.
pub const MAX_PAGE: u32 = 100;

/// Builds the server-side query from the flags (exit 2 on unknown values).
pub fn query(args: &FindingsArgs, me: Option<&str>) -> Result<FindingQuery, super::UsageError> {
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
                Owner::User(id) => id,
                Owner::Nobody => "none".to_string(),
            }),
        q: None,
    })
}

/// Runs the command.
pub async fn run(global: &GlobalArgs, args: &FindingsArgs) -> Result<i32> {
    let resolved = super::resolve(global)?;
    let query = query(args, resolved.me.as_deref())?;
    let session = Session::connect(resolved)?;
    let (findings, total) = if args.all {
        let mut progress = ProgressLine::new("fetching findings");
        let all = paginate::fetch_all_findings(&session.client, &query, MAX_PAGE, |p: Progress| {
            progress.count(p.fetched, p.total)
        })
        .await?;
        progress.finish();
        let total = all.len() as u64;
        (all, Some(total))
    } else {
        fetch_up_to(&session.client, &query, args.limit.unwrap_or(DEFAULT_LIMIT)).await?
    };
    let text = match args.format {
        Format::Json => render_json(&findings)?,
        Format::Csv => render_csv(&findings)?,
        Format::Table => {
            let mut t =
                render_table_text(&findings, session.resolved.me.as_deref(), output_width());
            t.push_str(&footer(findings.len(), total));
            t
        }
    };
    super::emit(&text)?;
    Ok(exit::OK)
}

/// Fetches at most `limit` findings, paging by rows received (the server may
/// send fewer than asked) and following a cursor if one is ever sent.
async fn fetch_up_to(
    client: &Client,
    query: &FindingQuery,
    limit: u32,
) -> Result<(Vec<Finding>, Option<u64>)> {
    let mut rows: Vec<Finding> = Vec::new();
    let mut total = None;
    let mut cursor: Option<String> = None;
    while (rows.len() as u64) < u64::from(limit) {
        let want = (limit - rows.len() as u32).min(MAX_PAGE);
        let page = match &cursor {
            Some(c) => client.list_findings_cursor(query, c, want).await?,
            None => client.list_findings(query, rows.len() as u64, want).await?,
        };
        total = page.total.or(total);
        let received = page.items.len();
        rows.extend(page.items);
        cursor = page.next_cursor;
        let reached_total = total.is_some_and(|t| rows.len() as u64 >= t);
        if received == 0 || (reached_total && cursor.is_none()) {
            break;
        }
    }
    rows.truncate(limit as usize);
    Ok((rows, total))
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
pub fn render_json(findings: &[Finding]) -> Result<String> {
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

/// A header row and one line per finding.
pub fn render_csv(findings: &[Finding]) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(CSV_HEADER)?;
    let opt = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    for f in findings {
        let created = f.created_at.as_ref().or(f.inserted_at.as_ref());
        writer.write_record([
            f.id.clone(),
            f.title.clone(),
            f.severity.to_string(),
            f.status.to_string(),
            f.domain.to_string(),
            opt(f.priority.score),
            opt(f.priority.impact),
            opt(f.priority.effort),
            opt(f.priority.risk),
            f.confidence.map(|c| c.to_string()).unwrap_or_default(),
            f.owner_id.clone().unwrap_or_default(),
            f.primary_url().unwrap_or_default().to_string(),
            f.recommended_fix.summary.clone(),
            opt(f.recommended_fix.estimated_minutes),
            created.map(|t| t.raw().to_string()).unwrap_or_default(),
            f.updated_at
                .as_ref()
                .map(|t| t.raw().to_string())
                .unwrap_or_default(),
        ])?;
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8(bytes)?)
}

/// How an owner shows in a table: `-`, `me`, or the UUID's first block.
pub fn owner_label(owner: Option<&str>, me: Option<&str>) -> String {
    match owner {
        None => "-".into(),
        Some(o) if Some(o) == me => "me".into(),
        Some(o) => o.split('-').next().unwrap_or(o).to_string(),
    }
}

/// The findings as a table `width` columns wide.
pub fn render_table_text(findings: &[Finding], me: Option<&str>, width: usize) -> String {
    let columns = [
        Column::fixed("ID", 36).droppable(0),
        Column::fixed("SEVERITY", 11),
        Column::fixed("STATUS", 12),
        Column::fixed("DOMAIN", 13).droppable(3),
        Column::fixed("SCORE", 5).droppable(1),
        Column::fixed("OWNER", 8).droppable(2),
        Column::flex("TITLE", 30),
    ];
    let rows: Vec<Vec<String>> = findings
        .iter()
        .map(|f| {
            vec![
                f.id.clone(),
                format!("{} {}", f.severity.symbol(), f.severity),
                f.status.to_string(),
                f.domain.to_string(),
                f.priority.score.map(|s| s.to_string()).unwrap_or_default(),
                owner_label(f.owner_id.as_deref(), me),
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
    fn table_is_safe_and_fits() {
        let me = Some("22222222-2222-2222-2222-222222222222");
        let text = render_table_text(&sample(), me, 100);
        assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text:?}");
        assert!(text.lines().all(|l| super::super::layout::width(l) <= 100));
        assert!(text.contains("? catastro"), "{text}");
        assert!(text.contains("me"));
        let narrow = render_table_text(&sample(), me, 60);
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
            format: Format::Table,
        };
        assert_eq!(
            query(&args, None).unwrap().owner_id.as_deref(),
            Some("none")
        );
        args.severity = Some("urgent".into());
        assert!(query(&args, None).is_err());
    }
}
