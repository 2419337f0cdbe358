//! Parsing of enum filters and owner arguments given on the command line.

use crate::api::enums::{
    Domain, FindingStatus, RegressionStatus, Severity, TaskPriority, TaskStatus,
};

use crate::cli::UsageError;

fn known<T: std::fmt::Display>(values: &[T]) -> String {
    values
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A severity the contract names, or a usage error listing them.
pub fn severity(raw: &str) -> Result<Severity, UsageError> {
    Severity::parse_known(raw.trim()).ok_or_else(|| {
        UsageError(format!(
            "unknown severity `{raw}`; use one of: {}",
            known(Severity::KNOWN)
        ))
    })
}

/// A finding status the contract names, or a usage error listing them.
pub fn status(raw: &str) -> Result<FindingStatus, UsageError> {
    FindingStatus::parse_known(raw.trim()).ok_or_else(|| {
        UsageError(format!(
            "unknown status `{raw}`; use one of: {}",
            known(FindingStatus::KNOWN)
        ))
    })
}

/// A domain the contract names, or a usage error listing them.
pub fn domain(raw: &str) -> Result<Domain, UsageError> {
    Domain::parse_known(raw.trim()).ok_or_else(|| {
        UsageError(format!(
            "unknown domain `{raw}`; use one of: {}",
            known(Domain::KNOWN)
        ))
    })
}

/// A task status the contract names, or a usage error listing them.
pub fn task_status(raw: &str) -> Result<TaskStatus, UsageError> {
    TaskStatus::parse_known(raw.trim()).ok_or_else(|| {
        UsageError(format!(
            "unknown task status `{raw}`; use one of: {}",
            known(TaskStatus::KNOWN)
        ))
    })
}

/// A task priority the contract names, or a usage error listing them.
pub fn task_priority(raw: &str) -> Result<TaskPriority, UsageError> {
    TaskPriority::parse_known(raw.trim()).ok_or_else(|| {
        UsageError(format!(
            "unknown priority `{raw}`; use one of: {}",
            known(TaskPriority::KNOWN)
        ))
    })
}

/// A regression status the contract names, or a usage error listing them.
pub fn regression_status(raw: &str) -> Result<RegressionStatus, UsageError> {
    RegressionStatus::parse_known(raw.trim()).ok_or_else(|| {
        UsageError(format!(
            "unknown regression status `{raw}`; use one of: {}",
            known(RegressionStatus::KNOWN)
        ))
    })
}

/// What an `--owner` argument means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OwnerFilter {
    /// A user UUID.
    User(String),
    /// Nobody (`none`, only valid as a filter).
    Nobody,
}

/// Parses `--owner`: a UUID, `me` (the profile's `me`) or, when
/// `allow_none`, `none`.
pub fn owner(raw: &str, me: Option<&str>, allow_none: bool) -> Result<OwnerFilter, UsageError> {
    match raw.trim() {
        "me" => me.map(|m| OwnerFilter::User(m.to_string())).ok_or_else(|| {
            UsageError(
                "`me` needs your user UUID: add `me = \"<uuid>\"` to the profile in the config file"
                    .into(),
            )
        }),
        "none" if allow_none => Ok(OwnerFilter::Nobody),
        other => uuid::Uuid::parse_str(other)
            .map(|u| OwnerFilter::User(u.to_string()))
            .map_err(|_| {
                let choices = if allow_none {
                    "a user UUID, `me` or `none`"
                } else {
                    "a user UUID or `me`"
                };
                UsageError(format!("--owner `{other}` is not valid; use {choices}"))
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_values_list_the_known_ones() {
        let e = severity("urgent").unwrap_err();
        assert_eq!(
            e.0,
            "unknown severity `urgent`; use one of: critical, high, medium, low"
        );
        assert!(
            status("open")
                .unwrap_err()
                .0
                .contains("in_progress, ready_verify")
        );
        assert!(domain("perf").unwrap_err().0.contains("accessibility, seo"));
        assert_eq!(domain("seo").unwrap(), Domain::Seo);
    }

    #[test]
    fn owner_me_needs_the_profile() {
        let me = "22222222-2222-2222-2222-222222222222";
        assert_eq!(
            owner("me", Some(me), false).unwrap(),
            OwnerFilter::User(me.into())
        );
        assert!(owner("me", None, false).unwrap_err().0.contains("me = "));
        assert_eq!(owner("none", None, true).unwrap(), OwnerFilter::Nobody);
        assert!(owner("none", None, false).is_err());
        assert!(owner("bob", None, true).is_err());
    }
}
