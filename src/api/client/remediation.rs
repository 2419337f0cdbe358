//! Remediation tasks and verifications (contract sections 5.4 and 5.5).
//!
//! Each route has a typed method and an `_as` twin generic over the row
//! type: [`AsSent`] keeps the JSON as the server sent it, for exports.
//! Routes marked \[sandbox\] tell a 404 as a feature the service may lack
//! ([`ApiError::NotOffered`]).

use reqwest::Method;
use serde::de::DeserializeOwned;

use super::{Client, Page, cursor_params, to_json, with_query};
use crate::api::error::ApiError;
use crate::api::model::*;
use crate::api::transport::Safety;

impl Client {
    // Tasks (5.4).

    /// `POST /tasks`. Never resent after a 5xx or a lost connection (it
    /// might have created the task); a 429 is waited out and resent.
    pub async fn create_task(&self, task: &NewTask) -> Result<Task, ApiError> {
        self.create_task_as(task).await
    }

    /// [`Self::create_task`], the answer decoded into `T`.
    pub async fn create_task_as<T: DeserializeOwned>(&self, task: &NewTask) -> Result<T, ApiError> {
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
        self.list_tasks_as(status, cursor, limit).await
    }

    /// [`Self::list_tasks`], each row decoded into `T`.
    pub async fn list_tasks_as<T: DeserializeOwned>(
        &self,
        status: Option<&TaskStatus>,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Page<T>, ApiError> {
        let mut params = vec![("status", status.map(|s| s.as_str().to_string()))];
        params.extend(cursor_params(cursor, limit));
        self.get_page(with_query(self.url(&["tasks"]), &params))
            .await
    }

    /// `GET /tasks/{id}` \[sandbox\]: may be 404 on the real service.
    pub async fn get_task(&self, id: &str) -> Result<Task, ApiError> {
        self.get(self.url(&["tasks", id])).await.map_err(|e| {
            e.on_sandbox_route("reading one task", "GET /tasks/{id}", Some("the task"))
        })
    }

    /// `PATCH /tasks/{id}` \[sandbox\]: may be 404 on the real service.
    pub async fn patch_task(&self, id: &str, patch: &TaskPatch) -> Result<Task, ApiError> {
        self.patch_task_as(id, patch).await
    }

    /// [`Self::patch_task`], the answer decoded into `T`.
    pub async fn patch_task_as<T: DeserializeOwned>(
        &self,
        id: &str,
        patch: &TaskPatch,
    ) -> Result<T, ApiError> {
        let url = self.url(&["tasks", id]);
        self.write(Method::PATCH, url, to_json(patch)?, Safety::Idempotent)
            .await
            .map_err(|e| {
                e.on_sandbox_route("changing tasks", "PATCH /tasks/{id}", Some("the task"))
            })
    }

    // Verifications (5.5).

    /// `GET /verifications`, newest first, by cursor.
    pub async fn list_verifications(
        &self,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Page<Verification>, ApiError> {
        self.list_verifications_as(cursor, limit).await
    }

    /// [`Self::list_verifications`], each row decoded into `T`.
    pub async fn list_verifications_as<T: DeserializeOwned>(
        &self,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Page<T>, ApiError> {
        let url = with_query(self.url(&["verifications"]), &cursor_params(cursor, limit));
        self.get_page(url).await
    }

    /// `POST /verifications/run` with `{"task_id": ...}` (the body is
    /// \[sandbox\]). Never resent after a 5xx or a lost connection.
    pub async fn run_verification(&self, task_id: &str) -> Result<Verification, ApiError> {
        self.run_verification_as(task_id).await
    }

    /// [`Self::run_verification`], the answer decoded into `T`.
    pub async fn run_verification_as<T: DeserializeOwned>(
        &self,
        task_id: &str,
    ) -> Result<T, ApiError> {
        let url = self.url(&["verifications", "run"]);
        let body = serde_json::json!({ "task_id": task_id });
        self.write(Method::POST, url, body, Safety::Creates).await
    }

    /// `GET /verifications/{id}` \[sandbox\]: may be 404 on the real service
    /// (see [`crate::api::remediation::read_verification`] for the fallback).
    pub async fn get_verification(&self, id: &str) -> Result<Verification, ApiError> {
        self.get_verification_as(id).await
    }

    /// [`Self::get_verification`], the answer decoded into `T`.
    pub async fn get_verification_as<T: DeserializeOwned>(&self, id: &str) -> Result<T, ApiError> {
        self.get(self.url(&["verifications", id]))
            .await
            .map_err(|e| {
                e.on_sandbox_route(
                    "reading one verification",
                    "GET /verifications/{id}",
                    Some("the verification"),
                )
            })
    }

    /// `POST /verifications/{id}/approve` \[sandbox\]: may be 404 on the
    /// real service. Sent once: after a 5xx or a lost connection it may have
    /// been applied, so it is never resent blindly; see
    /// [`crate::api::remediation::approve`], which reads the verification
    /// back to find out.
    pub async fn approve_verification(&self, id: &str) -> Result<Verification, ApiError> {
        self.approve_verification_as(id).await
    }

    /// [`Self::approve_verification`], the answer decoded into `T`.
    pub async fn approve_verification_as<T: DeserializeOwned>(
        &self,
        id: &str,
    ) -> Result<T, ApiError> {
        let url = self.url(&["verifications", id, "approve"]);
        let body = serde_json::json!({});
        self.write(Method::POST, url, body, Safety::Creates)
            .await
            .map_err(|e| {
                e.on_sandbox_route(
                    "approving verifications",
                    "POST /verifications/{id}/approve",
                    Some("the verification"),
                )
            })
    }
}
