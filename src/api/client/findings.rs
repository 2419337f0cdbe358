//! Findings (contract section 5.3).

use reqwest::Method;

use super::{Client, Page, cursor_params, to_json, with_query};
use crate::api::error::ApiError;
use crate::api::model::*;
use crate::api::paginate::FindingsPosition;
use crate::api::transport::Safety;

impl Client {
    /// `GET /findings` with filters, one page by offset. The server may send
    /// fewer rows than `limit`: page on by the rows received (see
    /// [`crate::api::paginate::FindingsPager`]).
    pub async fn list_findings(
        &self,
        query: &FindingQuery,
        offset: u64,
        limit: u32,
    ) -> Result<Page<Finding>, ApiError> {
        self.findings_page(query, &FindingsPosition::Offset(offset), limit)
            .await
    }

    /// `GET /findings` following a `next_cursor` a server sent.
    pub async fn list_findings_cursor(
        &self,
        query: &FindingQuery,
        cursor: &str,
        limit: u32,
    ) -> Result<Page<Finding>, ApiError> {
        let position = FindingsPosition::Cursor(cursor.to_string());
        self.findings_page(query, &position, limit).await
    }

    /// One page of findings from `position`, each row decoded into `T`:
    /// [`Finding`], or [`AsSent<Finding>`] to keep the JSON as sent.
    pub async fn findings_page<T: ListRow>(
        &self,
        query: &FindingQuery,
        position: &FindingsPosition,
        limit: u32,
    ) -> Result<Page<T>, ApiError> {
        let mut params = finding_params(query);
        match position {
            FindingsPosition::Offset(offset) => {
                params.push(("limit", Some(limit.to_string())));
                params.push(("offset", Some(offset.to_string())));
            }
            FindingsPosition::Cursor(cursor) => {
                params.extend(cursor_params(Some(cursor), Some(limit)));
            }
        }
        self.get_rows(with_query(self.url(&["findings"]), &params))
            .await
    }

    /// `GET /findings/{id}`.
    pub async fn get_finding(&self, id: &str) -> Result<Finding, ApiError> {
        self.get(self.url(&["findings", id])).await
    }

    /// `GET /findings/{id}`, keeping the JSON exactly as sent (for exports).
    pub async fn get_finding_as_sent(&self, id: &str) -> Result<AsSent<Finding>, ApiError> {
        self.get(self.url(&["findings", id])).await
    }

    /// `PATCH /findings/{id}`; answers the full finding. Retried after a 5xx
    /// or a lost connection: setting the same fields twice changes nothing.
    pub async fn patch_finding(&self, id: &str, patch: &FindingPatch) -> Result<Finding, ApiError> {
        let url = self.url(&["findings", id]);
        self.write(Method::PATCH, url, to_json(patch)?, Safety::Idempotent)
            .await
    }
}

fn finding_params(query: &FindingQuery) -> Vec<(&'static str, Option<String>)> {
    vec![
        (
            "severity",
            query.severity.as_ref().map(|v| v.as_str().to_string()),
        ),
        (
            "status",
            query.status.as_ref().map(|v| v.as_str().to_string()),
        ),
        (
            "domain",
            query.domain.as_ref().map(|v| v.as_str().to_string()),
        ),
        ("owner_id", query.owner_id.clone()),
        ("q", query.q.clone()),
    ]
}
