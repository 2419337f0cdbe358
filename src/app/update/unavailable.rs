//! A feature the service does not offer: a 404 from a route that only
//! krafter's sandbox is sure to have (or from a view's route, on a project
//! whose command center and findings load fine). The view says so in one
//! line, once, and is not asked for again this session.

use crate::api::ApiError;
use crate::sanitize::sanitize;

/// The one-line explanation for a view whose route answered `error`, when
/// that was a 404; `None` for any other error.
pub fn explain(feature: &str, route: &str, error: &ApiError) -> Option<String> {
    if !error.is_not_found() {
        return None;
    }
    let request = error
        .request_id()
        .map(|id| format!(" [request_id {}]", sanitize(id)))
        .unwrap_or_default();
    Some(format!(
        "This service does not offer {feature}: {route} answered 404{request}. \
         krafter's sandbox has it; everything else works without it."
    ))
}
