//! `krafter findings`: list findings as a table, JSON, NDJSON or CSV,
//! written page by page as they arrive, or as a SARIF, JUnit or Markdown
//! document (see [`super::export`]).

use color_eyre::eyre::Result;

use crate::api::model::FindingQuery;
use crate::cli::{FindingsArgs, FindingsFormat, GlobalArgs, exit};

use super::export::{
    self, CsvSheet, JsonArray, JsonLines, JunitSheet, LocalNotes, MarkdownSheet, SarifSheet,
    TableSheet,
};
use super::filters::{self, OwnerFilter};
use super::layout::output_width;
use super::session::Session;

/// Rows listed when neither `--limit` nor `--all` is given.
pub const DEFAULT_LIMIT: u32 = 50;
/// The largest page the service sends.
pub const MAX_PAGE: u32 = export::MAX_PAGE;

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

/// The reason and comment of each finding's latest change made through
/// krafter in this project, from the local journal when there is one (one
/// query, before the first page).
fn local_notes(client: &crate::api::Client) -> LocalNotes {
    let Some(journal) = super::changes::existing_journal() else {
        return LocalNotes::new();
    };
    let scope = crate::engine::bulk::scope_of(client);
    match journal.changes_since(
        &scope.org_id,
        &scope.project_id,
        chrono::DateTime::UNIX_EPOCH,
    ) {
        // Oldest first: a later change's words replace an earlier one's.
        Ok(changes) => changes
            .into_iter()
            .map(|c| (c.finding_id, (c.entry.reason, c.entry.comment)))
            .collect(),
        Err(e) => {
            eprintln!(
                "krafter: warning: {e}; the local_reason and local_comment columns are left empty"
            );
            LocalNotes::new()
        }
    }
}

/// Runs the command.
pub async fn run(global: &GlobalArgs, args: &FindingsArgs) -> Result<i32> {
    let resolved = super::session::resolve(global)?;
    let query = query(args, resolved.people.me())?;
    let session = Session::connect(resolved)?;
    let limit = (!args.all).then(|| u64::from(args.limit.unwrap_or(DEFAULT_LIMIT)));
    let client = &session.client;
    match args.format {
        FindingsFormat::Json => {
            export::to_stdout(client, &query, limit, JsonArray::default()).await?
        }
        FindingsFormat::Ndjson => export::to_stdout(client, &query, limit, JsonLines).await?,
        FindingsFormat::Csv => {
            let sheet = CsvSheet::with_notes(local_notes(client));
            export::to_stdout(client, &query, limit, sheet).await?
        }
        FindingsFormat::Sarif => {
            let sheet = SarifSheet::new(env!("CARGO_PKG_VERSION"));
            export::to_stdout(client, &query, limit, sheet).await?
        }
        FindingsFormat::Junit => {
            export::to_stdout(client, &query, limit, JunitSheet::new("krafter findings")).await?
        }
        FindingsFormat::Markdown => {
            export::to_stdout(client, &query, limit, MarkdownSheet::default()).await?
        }
        FindingsFormat::Table => {
            let sheet = TableSheet::new(&session.resolved.people, output_width(), args.all);
            export::to_stdout(client, &query, limit, sheet).await?
        }
    };
    Ok(exit::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_refuses_unknown_filters_and_maps_owner() {
        let mut args = FindingsArgs {
            severity: Some("critical".into()),
            status: None,
            domain: None,
            owner: Some("none".into()),
            limit: None,
            all: false,
            format: FindingsFormat::Table,
        };
        assert_eq!(
            query(&args, None).unwrap().owner_id.as_deref(),
            Some("none")
        );
        args.severity = Some("urgent".into());
        assert!(query(&args, None).is_err());
    }
}
