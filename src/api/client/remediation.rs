//! Remediation tasks and verifications (contract sections 5.4 and 5.5).

use reqwest::Method;

use super::{Client, Page, cursor_params, to_json, with_query};
use crate::api::error::ApiError;
use crate::api::model::*;
use crate::api::transport::Safety;

impl Client {
    // Tasks (5.4).

    /// `POST /tasks`. Never resent after a 5xx or a lost connection (it
    /// might have created the task); a 429 is waited out and resent.
    pub async fn create_task(&self, task: &NewTask) -> Result<Task, ApiError> {
        let url = self.url(&["tasks"]);
        self.write(Method::POST, url, to_json(task)?, Safety::Creates)
            .await
    }

    /// `GET /tasks`, newest first, by cursor.
    pub async fn list_tasks(
        &self,
        status: Option<&TaskStatus>,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Page<Task>, ApiError> {
        let mut params = vec![("status", status.map(|s| s.as_str().to_string()))];
        params.extend(cursor_params(cursor, limit));
        self.get_page(with_query(self.url(&["tasks"]), &params))
            .await
    }

    /// `GET /tasks/{id}` \[sandbox\]: may be 404 on the real service.
    pub async fn get_task(&self, id: &str) -> Result<Task, ApiError> {
        self.get(self.url(&["tasks", id])).await
    }

    /// `PATCH /tasks/{id}` \[sandbox\]: may be 404 on the real service.
    pub async fn patch_task(&self, id: &str, patch: &TaskPatch) -> Result<Task, ApiError> {
        let url = self.url(&["tasks", id]);
        self.write(Method::PATCH, url, to_json(patch)?, Safety::Idempotent)
            .await
    }

    // Verifications (5.5).

    /// `GET /verifications`, newest first, by cursor.
    pub async fn list_verifications(
        &self,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Page<Verification>, ApiError> {
        let url = with_query(self.url(&["verifications"]), &cursor_params(cursor, limit));
        self.get_page(url).await
    }

    /// `POST /verifications/run` with `{"task_id": ...}` (the body is
    /// \[sandbox\]). Never resent after a 5xx or a lost connection.
    pub async fn run_verification(&self, task_id: &str) -> Result<Verification, ApiError> {
        let url = self.url(&["verifications", "run"]);
        let body = serde_json::json!({ "task_id": task_id });
        self.write(Method::POST, url, body, Safety::Creates).await
    }

    /// `GET /verifications/{id}` \[sandbox\]: may be 404 on the real service.
    pub async fn get_verification(&self, id: &str) -> Result<Verification, ApiError> {
        self.get(self.url(&["verifications", id])).await
    }

    /// `POST /verifications/{id}/approve` \[sandbox\]: may be 404 on the real
    /// service. Approving twice is a no-op, so it is retried like a PATCH.
    pub async fn approve_verification(&self, id: &str) -> Result<Verification, ApiError> {
        let url = self.url(&["verifications", id, "approve"]);
        let body = serde_json::json!({});
        self.write(Method::POST, url, body, Safety::Idempotent)
            .await
    }
}
