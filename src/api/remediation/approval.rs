//! Approving a verification (contract 5.5). The approval is a POST with
//! effects (task done, finding resolved, regressions closed): after a 5xx
//! or a connection lost mid-request it may have happened, so it is never
//! sent again blindly. The verification is read back instead, and the
//! caller is told what really happened.

use super::verifications::read_verification_as;
use crate::api::client::Client;
use crate::api::error::ApiError;
use crate::api::model::{AsSent, Verification};

/// An approval that happened.
#[derive(Clone, Debug, PartialEq)]
pub struct Approval {
    /// The approved verification, as the service sent it.
    pub verification: AsSent<Verification>,
    /// The failed answer to the approval, when only reading the
    /// verification back showed that it was applied.
    pub despite: Option<ApiError>,
}

impl From<Verification> for Approval {
    /// An approval answered at once (tests and callers holding a typed value).
    fn from(v: Verification) -> Self {
        let raw = serde_json::to_value(&v).unwrap_or_default();
        Approval {
            verification: AsSent { typed: v, raw },
            despite: None,
        }
    }
}

/// An approval that did not happen, or whose outcome is unknown.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ApprovalError {
    /// The service refused it (a 4xx): nothing changed.
    #[error("{0}")]
    Refused(ApiError),
    /// The answer failed, and the verification reads back unapproved.
    #[error(
        "verification {id} was not approved ({error}); read back, it is still unapproved, so approving it again is safe"
    )]
    NotApplied { id: String, error: ApiError },
    /// The answer failed, and so did reading the verification back.
    #[error(
        "whether verification {id} was approved is unknown ({error}); reading it back failed too ({read_back}); look at it with `krafter verifications` before approving again"
    )]
    Unknown {
        id: String,
        error: ApiError,
        read_back: ApiError,
    },
}

impl From<ApiError> for ApprovalError {
    fn from(e: ApiError) -> Self {
        ApprovalError::Refused(e)
    }
}

impl ApprovalError {
    /// The error the approval itself was answered with.
    pub fn api(&self) -> &ApiError {
        match self {
            ApprovalError::Refused(e)
            | ApprovalError::NotApplied { error: e, .. }
            | ApprovalError::Unknown { error: e, .. } => e,
        }
    }

    /// True when the verification may be approved after all.
    pub fn outcome_unknown(&self) -> bool {
        matches!(self, ApprovalError::Unknown { .. })
    }
}

/// Approves verification `id`, sent once. After an answer that leaves the
/// outcome open (a 5xx, a lost connection, an unreadable success), the
/// verification is read back: approved means it happened.
pub async fn approve(client: &Client, id: &str) -> Result<Approval, ApprovalError> {
    let error = match client
        .approve_verification_as::<AsSent<Verification>>(id)
        .await
    {
        Ok(verification) => {
            return Ok(Approval {
                verification,
                despite: None,
            });
        }
        Err(e) if !may_have_applied(&e) => return Err(ApprovalError::Refused(e)),
        Err(e) => e,
    };
    tracing::warn!(
        status = error.status(),
        "the approval's answer failed; reading the verification back"
    );
    match read_verification_as::<AsSent<Verification>>(client, id).await {
        Ok(v) if is_approved(&v.typed) => Ok(Approval {
            verification: v,
            despite: Some(error),
        }),
        Ok(_) => Err(ApprovalError::NotApplied {
            id: id.to_string(),
            error,
        }),
        Err(read_back) => Err(ApprovalError::Unknown {
            id: id.to_string(),
            error,
            read_back,
        }),
    }
}

/// A 4xx is a refusal; anything else (a 5xx, no answer, a success that
/// could not be read) may have been applied.
fn may_have_applied(e: &ApiError) -> bool {
    !matches!(e.status(), Some(400..=499))
}

/// Approved: the service set who approved it and when.
pub fn is_approved(v: &Verification) -> bool {
    v.verified_at.as_ref().is_some_and(|t| !t.raw().is_empty())
}
