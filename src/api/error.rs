//! The one error type of the API client.
//!
//! Every message says what happened, the HTTP status and the server's
//! `request_id` when there is one, and what to do next. None of them can
//! contain the API key: the key only ever travels in a header and no variant
//! holds a header.

use std::fmt;
use std::time::Duration;

/// An HTTP answer that was not a success, decoded from whichever body form
/// the server used (envelope, flat `{"error": ...}`, flat 429, or not JSON).
#[derive(Clone, Debug, PartialEq)]
pub struct StatusError {
    /// The HTTP status code.
    pub status: u16,
    /// The envelope's machine code (`invalid_params`, `not_found`, ...).
    pub code: Option<String>,
    /// The server's human message, or a short description of the body.
    pub message: String,
    /// `meta.request_id` (or an `x-request-id` header) when present.
    pub request_id: Option<String>,
    /// Seconds to wait, from `retry-after` or the 429 body.
    pub retry_after: Option<u64>,
}

impl StatusError {
    /// What a user should do about this status.
    pub fn hint(&self) -> Option<&'static str> {
        match self.status {
            300..=399 => Some(
                "the server redirected instead of answering; check the base URL (https://, path /api/v1)",
            ),
            401 => Some("check the API key (KRAFTER_API_KEY, api_key_command or the config file)"),
            403 => Some("this action needs a key with the audit:write scope"),
            404 => Some("check the org and project ids, and that the key belongs to their team"),
            400 => {
                Some("the service did not accept what krafter sent; report it with the request_id")
            }
            422 if self.code.as_deref() == Some("invalid_transition") => {
                Some("only the moves the lifecycle allows are accepted")
            }
            422 if self.code.as_deref() == Some("verification_not_passed") => {
                Some("only a passed verification can be approved; run it again after the fix")
            }
            422 => Some("correct the values named above and try again"),
            429 => Some("the team's rate limit is spent; wait for the window to reset"),
            500..=599 => Some("the service failed; try again later"),
            _ => None,
        }
    }
}

impl fmt::Display for StatusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
        if let Some(code) = &self.code {
            write!(f, " {code}")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(secs) = self.retry_after {
            write!(f, " (retry after {secs}s)")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request_id {id}]")?;
        }
        if let Some(hint) = self.hint() {
            write!(f, "; {hint}")?;
        }
        Ok(())
    }
}

/// Everything that can go wrong between krafter and the service.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// The server answered with an error status.
    #[error("{0}")]
    Status(StatusError),
    /// The server answered success but the body was not the expected JSON.
    #[error(
        "HTTP {status}: the response could not be read ({detail}){}; the server may be a proxy or an incompatible version",
        request_id.as_ref().map(|id| format!(" [request_id {id}]")).unwrap_or_default()
    )]
    Decode {
        status: u16,
        detail: String,
        request_id: Option<String>,
    },
    /// No answer in time.
    #[error("{what} timed out after {}; the service may be slow or unreachable, try again", crate::humanize::duration(*after))]
    Timeout { what: String, after: Duration },
    /// The connection could not be made or broke off.
    #[error("could not reach {host}: {detail}; check the base URL and the network")]
    Connect { host: String, detail: String },
    /// The TLS handshake failed.
    #[error(
        "secure connection to {host} failed: {detail}; check that the base URL's scheme matches the server and that its certificate is valid"
    )]
    Tls { host: String, detail: String },
    /// Refused before anything was sent (SSRF pre-check, bad input, read-only).
    #[error("{0}")]
    Refused(String),
    /// The client itself is misconfigured (bad base URL, missing key).
    #[error("{0}")]
    Config(String),
    /// A route of krafter's sandbox answered 404: this service may not
    /// offer the feature (contract: routes marked \[sandbox\]).
    #[error("{0}")]
    NotOffered(Box<NotOffered>),
}

/// A 404 from a route that only krafter's sandbox is sure to have. It says
/// what is missing instead of blaming the org and project ids.
#[derive(Clone, Debug, PartialEq)]
pub struct NotOffered {
    /// What the route does, e.g. `regressions`, `changing tasks`.
    pub feature: &'static str,
    /// e.g. `GET /regressions`.
    pub route: &'static str,
    /// For a route with an id: what may not exist instead, e.g. `the task`.
    pub or_missing: Option<&'static str>,
    pub status: StatusError,
}

impl fmt::Display for NotOffered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.status;
        write!(f, "HTTP {}: {}", s.status, s.message)?;
        if let Some(id) = &s.request_id {
            write!(f, " [request_id {id}]")?;
        }
        match self.or_missing {
            Some(thing) => write!(
                f,
                "; either {thing} does not exist or this service does not offer {} \
                 ({} is an extension of krafter's sandbox, not part of every Krafter service)",
                self.feature, self.route
            ),
            None => write!(
                f,
                "; this service does not offer {} ({} is an extension of krafter's sandbox, \
                 not part of every Krafter service); krafter goes on without it",
                self.feature, self.route
            ),
        }
    }
}

impl ApiError {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Status(e) => Some(e.status),
            ApiError::NotOffered(n) => Some(n.status.status),
            ApiError::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The server's request id, when it sent one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            ApiError::Status(e) => e.request_id.as_deref(),
            ApiError::NotOffered(n) => n.status.request_id.as_deref(),
            ApiError::Decode { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// Seconds the server asked to wait (`retry-after`, or a 429's body).
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            ApiError::Status(e) => e.retry_after,
            _ => None,
        }
    }

    /// The envelope's machine code, e.g. `invalid_transition`.
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Status(e) => e.code.as_deref(),
            ApiError::NotOffered(n) => n.status.code.as_deref(),
            _ => None,
        }
    }

    /// What a user should do about this error, when there is advice.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            ApiError::Status(e) => e.hint(),
            ApiError::NotOffered(_) => {
                Some("this service lacks the feature; krafter goes on without it")
            }
            ApiError::Decode { .. } => Some("the server may be a proxy or an incompatible version"),
            ApiError::Timeout { .. } => Some("the service may be slow or unreachable; try again"),
            ApiError::Connect { .. } => Some("check the base URL and the network"),
            ApiError::Tls { .. } => Some(
                "check that the base URL's scheme matches the server and that its certificate is valid",
            ),
            ApiError::Refused(_) | ApiError::Config(_) => None,
        }
    }

    /// The server's own message without status or hint, for compact display.
    pub fn server_message(&self) -> Option<&str> {
        match self {
            ApiError::Status(e) => Some(e.message.as_str()),
            ApiError::NotOffered(n) => Some(n.status.message.as_str()),
            _ => None,
        }
    }

    /// True when a write that failed this way may still have been applied:
    /// no complete answer came (a dropped connection, a timeout), the answer
    /// could not be read (a cut-off body), or the server or a proxy in
    /// front of it failed or throttled, possibly after an earlier try that
    /// landed. Only reading the thing back tells. A clear refusal (a 4xx
    /// other than 429), a failed TLS handshake or a request never sent
    /// applied nothing.
    pub fn may_have_applied(&self) -> bool {
        match self {
            ApiError::Decode { .. } | ApiError::Timeout { .. } | ApiError::Connect { .. } => true,
            ApiError::Status(e) => e.status >= 500 || e.status == 429,
            ApiError::NotOffered(_)
            | ApiError::Tls { .. }
            | ApiError::Refused(_)
            | ApiError::Config(_) => false,
        }
    }

    /// True for a 404: a sandbox-only route the real service lacks, or a
    /// resource that does not exist for this team.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// True when a sandbox route answered 404: the feature is missing here
    /// (or, for a route with an id, the thing it names is).
    pub fn is_not_offered(&self) -> bool {
        matches!(self, ApiError::NotOffered(_))
    }

    /// A 404 of the sandbox route `route` (doing `feature`) told as such;
    /// any other error is returned unchanged. `or_missing` names what an id
    /// in the route may have failed to find.
    pub fn on_sandbox_route(
        self,
        feature: &'static str,
        route: &'static str,
        or_missing: Option<&'static str>,
    ) -> ApiError {
        match self {
            ApiError::Status(status) if status.status == 404 => {
                ApiError::NotOffered(Box::new(NotOffered {
                    feature,
                    route,
                    or_missing,
                    status,
                }))
            }
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn not_found() -> ApiError {
        ApiError::Status(StatusError {
            status: 404,
            code: Some("not_found".into()),
            message: "no route GET /regressions".into(),
            request_id: Some("req-9".into()),
            retry_after: None,
        })
    }

    #[test]
    fn a_404_on_a_sandbox_route_names_the_feature_not_the_ids() {
        let err = not_found().on_sandbox_route("regressions", "GET /regressions", None);
        let text = err.to_string();
        assert!(err.is_not_found() && err.is_not_offered());
        assert!(
            text.contains("does not offer regressions") && text.contains("[request_id req-9]"),
            "{text}"
        );
        assert!(!text.contains("org and project"), "{text}");
        assert_eq!(err.request_id(), Some("req-9"));
        let with_id =
            not_found().on_sandbox_route("changing tasks", "PATCH /tasks/{id}", Some("the task"));
        assert!(
            with_id
                .to_string()
                .contains("either the task does not exist")
        );
        // Anything but a 404 is left as it was.
        let other = ApiError::Refused("x".into()).on_sandbox_route("r", "GET /r", None);
        assert_eq!(other, ApiError::Refused("x".into()));
    }
}
