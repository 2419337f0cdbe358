//! `krafter update`'s arguments, checked before any request: what to
//! select, what to change, and why.

use crate::api::enums::FindingStatus;
use crate::api::model::FindingQuery;
use crate::api::transitions::RESOLVED_EXPLANATION;
use crate::cli::UpdateArgs;
use crate::cli::UsageError;
use crate::commands::filters::{self, OwnerFilter};
use crate::engine::bulk::plan::Pick;
use crate::journal::{Change, Reason, Selection};

/// What `krafter update` was asked to do.
#[derive(Clone, Debug, PartialEq)]
pub enum Request {
    /// A new job.
    Change(Box<NewJob>),
    /// Resume a job: this one, or the newest interrupted one.
    Resume(Option<String>),
    /// Undo a job.
    Undo {
        job: String,
        comment: Option<String>,
        dry_run: bool,
    },
}

/// A new job, as asked.
#[derive(Clone, Debug, PartialEq)]
pub struct NewJob {
    pub pick: Pick,
    pub change: Change,
    pub reason: Option<Reason>,
    pub comment: Option<String>,
    pub dry_run: bool,
}

impl NewJob {
    /// The selection as the journal records it.
    pub fn selection(&self) -> Selection {
        self.pick.selection()
    }
}

/// Checks the arguments. `stdin` is the text read from stdin when
/// `--stdin` was given; `me` the profile's user id.
pub fn plan(
    args: &UpdateArgs,
    me: Option<&str>,
    stdin: Option<&str>,
) -> Result<Request, UsageError> {
    if let Some(job) = &args.resume {
        return Ok(Request::Resume(job.clone()));
    }
    if let Some(job) = &args.undo {
        return Ok(Request::Undo {
            job: job.clone(),
            comment: args.comment.clone(),
            dry_run: args.dry_run,
        });
    }
    let change = change(args, me)?;
    let reason = match args.reason.as_deref() {
        Some(raw) => Some(Reason::parse(raw).ok_or_else(|| {
            UsageError(format!(
                "unknown reason `{raw}`; use one of: {}",
                Reason::list()
            ))
        })?),
        None => None,
    };
    if change.status == Some(FindingStatus::Dismissed) && reason.is_none() {
        return Err(UsageError(format!(
            "dismissing needs a reason, kept in the local journal with the change: \
             --reason one of {}",
            Reason::list()
        )));
    }
    let filter = filter(args, me)?;
    let mut ids = Vec::new();
    let mut bad = Vec::new();
    for raw in &args.ids {
        match finding_id(raw) {
            Some(id) => ids.push(id),
            None => bad.push(format!("`{raw}`")),
        }
    }
    if let Some(text) = stdin {
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            match finding_id(line) {
                Some(id) => ids.push(id),
                None => bad.push(format!("`{line}` (stdin line {})", n + 1)),
            }
        }
    }
    if !bad.is_empty() {
        return Err(UsageError(format!(
            "not a finding id (a UUID): {}",
            bad.join(", ")
        )));
    }
    let pick = match (filter, ids.is_empty()) {
        (Some(_), false) => {
            return Err(UsageError(
                "give finding ids (arguments or --stdin) or --where-* filters, not both".into(),
            ));
        }
        (Some(query), true) => Pick::Filter(query),
        (None, false) => {
            let mut unique: Vec<String> = Vec::with_capacity(ids.len());
            for id in ids {
                if !unique.contains(&id) {
                    unique.push(id);
                }
            }
            Pick::Ids(unique)
        }
        (None, true) if args.stdin => {
            return Err(UsageError("stdin held no finding id".into()));
        }
        (None, true) => {
            return Err(UsageError(
                "no findings given: name ids, pass them with --stdin, or select with \
                 --where-severity, --where-status, --where-domain, --where-owner or --where-text"
                    .into(),
            ));
        }
    };
    Ok(Request::Change(Box::new(NewJob {
        pick,
        change,
        reason,
        comment: args.comment.clone().filter(|c| !c.trim().is_empty()),
        dry_run: args.dry_run,
    })))
}

/// A finding id in its canonical form, or `None` when it is not a UUID.
fn finding_id(raw: &str) -> Option<String> {
    uuid::Uuid::parse_str(raw.trim())
        .ok()
        .map(|u| u.to_string())
}

fn change(args: &UpdateArgs, me: Option<&str>) -> Result<Change, UsageError> {
    let status = match args.status.as_deref().map(str::trim) {
        Some("resolved") => {
            return Err(UsageError(format!(
                "krafter does not set `resolved` by hand. {RESOLVED_EXPLANATION} \
                 `krafter verify ID --approve` does that once the fix is shipped."
            )));
        }
        Some(raw) => Some(filters::status(raw)?),
        None => None,
    };
    let owner = if args.unassign {
        Some(None)
    } else {
        match args
            .owner
            .as_deref()
            .map(|o| filters::owner(o, me, false))
            .transpose()?
        {
            Some(OwnerFilter::User(id)) => Some(Some(id)),
            Some(OwnerFilter::Nobody) | None => None,
        }
    };
    let change = Change {
        status,
        owner,
        severity: args
            .severity
            .as_deref()
            .map(filters::severity)
            .transpose()?,
    };
    if change.is_empty() {
        return Err(UsageError(
            "nothing to change: give --status, --owner, --unassign or --severity".into(),
        ));
    }
    Ok(change)
}

/// The `--where-*` filters, `None` when none was given.
fn filter(args: &UpdateArgs, me: Option<&str>) -> Result<Option<FindingQuery>, UsageError> {
    let owner_id = match args.where_owner.as_deref() {
        Some(raw) => Some(match filters::owner(raw, me, true) {
            Ok(OwnerFilter::User(id)) => id,
            Ok(OwnerFilter::Nobody) => "none".to_string(),
            Err(e) => return Err(UsageError(e.0.replace("--owner", "--where-owner"))),
        }),
        None => None,
    };
    let query = FindingQuery {
        severity: args
            .where_severity
            .as_deref()
            .map(filters::severity)
            .transpose()?,
        status: args
            .where_status
            .as_deref()
            .map(filters::status)
            .transpose()?,
        domain: args
            .where_domain
            .as_deref()
            .map(filters::domain)
            .transpose()?,
        owner_id,
        q: args
            .where_text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string),
    };
    Ok((query != FindingQuery::default()).then_some(query))
}

#[cfg(test)]
mod tests;
