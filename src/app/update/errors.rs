//! How an API error shows: the status bar's last error and the connection
//! state, and a short text for toasts.

use crate::api::ApiError;
use crate::app::state::{AppState, Connection, LastError};
use crate::sanitize::sanitize;

/// Notes an error in the status bar and the connection state.
pub fn record(state: &mut AppState, error: &ApiError) {
    state.connection = match error {
        ApiError::Connect { .. } | ApiError::Timeout { .. } | ApiError::Tls { .. } => {
            Connection::Offline
        }
        _ => Connection::Online,
    };
    state.last_error = Some(LastError {
        message: sanitize(&error.to_string()).into_owned(),
        request_id: error.request_id().map(|r| sanitize(r).into_owned()),
    });
}

/// A short message for a toast: the server's words when it sent some.
pub fn short(error: &ApiError) -> String {
    let text = match (error.status(), error.server_message()) {
        (Some(429), _) => {
            let wait = error.retry_after().map(|r| format!(" in {r}s"));
            format!("rate limit reached; try again{}", wait.unwrap_or_default())
        }
        (_, Some(msg)) if !msg.is_empty() => msg.to_string(),
        _ => error.to_string(),
    };
    sanitize(&text).into_owned()
}
