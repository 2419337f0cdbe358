//! How an API error shows: the status bar's last error, the connection
//! state, the recent errors kept for the errors view (`e`) and the log, and
//! a short text for toasts that keeps the `request_id` readable.

use crate::api::ApiError;
use crate::app::effect::Effect;
use crate::app::state::{AppState, Connection, ERRORS_KEPT, LastError, Modal};
use crate::sanitize::sanitize;

/// Notes an error in the status bar, the connection state, the recent
/// errors and the log.
pub fn record(state: &mut AppState, error: &ApiError) {
    state.connection = match error {
        ApiError::Connect { .. } | ApiError::Timeout { .. } | ApiError::Tls { .. } => {
            Connection::Offline
        }
        _ => Connection::Online,
    };
    let full = error.to_string();
    let hint = error.hint();
    // The advice is shown on a line of its own.
    let message = hint
        .and_then(|h| full.strip_suffix(&format!("; {h}")))
        .unwrap_or(&full);
    let request_id = error.request_id().map(|r| sanitize(r).into_owned());
    tracing::warn!(
        status = error.status(),
        request_id = request_id.as_deref().unwrap_or("-"),
        error = %full,
        "request failed"
    );
    let entry = LastError {
        at: state.wall,
        status: error.status(),
        short: sanitize(&headline(error)).into_owned(),
        message: sanitize(message).into_owned(),
        request_id,
        hint: hint.map(str::to_string),
    };
    state.errors.push(entry.clone());
    if state.errors.len() > ERRORS_KEPT {
        state.errors.remove(0);
    }
    state.last_error = Some(entry);
}

/// A short message for a toast: the server's words when it sent some (else
/// what happened in a few words), and the request id when there is one, so
/// that it can be quoted. The errors view has the rest.
pub fn short(error: &ApiError) -> String {
    let mut text = headline(error);
    if let Some(id) = error.request_id() {
        text.push_str(&format!(" · request_id {id}"));
    }
    sanitize(&text).into_owned()
}

/// The server's words, or the whole message when it sent none.
fn server_words(error: &ApiError) -> String {
    match (error.status(), error.server_message()) {
        (Some(429), _) => {
            let wait = error.retry_after().map(|r| format!(" in {r}s"));
            format!("rate limit reached; try again{}", wait.unwrap_or_default())
        }
        (_, Some(msg)) if !msg.is_empty() => msg.to_string(),
        _ => error.to_string(),
    }
}

/// What happened in a few words, for the top line and the errors view's
/// heading (the full message follows there).
fn headline(error: &ApiError) -> String {
    match error {
        ApiError::Decode { .. } => "the response could not be read".to_string(),
        ApiError::Timeout { what, .. } => format!("{what} timed out"),
        ApiError::Connect { host, .. } => format!("could not reach {host}"),
        ApiError::Tls { host, .. } => format!("secure connection to {host} failed"),
        _ => server_words(error),
    }
}

/// Opens the errors view, newest first.
pub fn open_view(state: &mut AppState) -> Vec<Effect> {
    state.modal = Some(Modal::Errors { scroll: 0 });
    Vec::new()
}
