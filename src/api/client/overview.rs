//! The command center, regressions, policies, integrations and reports
//! (contract sections 5.2, 5.6 and 5.7).

use reqwest::Method;
use serde::de::DeserializeOwned;

use super::{Client, Page, cursor_params, with_query};
use crate::api::error::ApiError;
use crate::api::model::*;
use crate::api::transport::Safety;

impl Client {
    /// `GET /command-center`.
    pub async fn command_center(&self) -> Result<CommandCenter, ApiError> {
        self.get(self.url(&["command-center"])).await
    }

    /// `GET /command-center`, keeping the JSON exactly as sent (exports).
    pub async fn command_center_as_sent(&self) -> Result<AsSent<CommandCenter>, ApiError> {
        self.get(self.url(&["command-center"])).await
    }

    /// `GET /regressions` \[sandbox\], by cursor: may be 404 on the real
    /// service.
    pub async fn list_regressions(
        &self,
        status: Option<&RegressionStatus>,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Page<Regression>, ApiError> {
        self.list_regressions_as(status, cursor, limit).await
    }

    /// [`Self::list_regressions`], each row decoded into `T`.
    pub async fn list_regressions_as<T: DeserializeOwned>(
        &self,
        status: Option<&RegressionStatus>,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Page<T>, ApiError> {
        let mut params = vec![("status", status.map(|s| s.as_str().to_string()))];
        params.extend(cursor_params(cursor, limit));
        self.get_page(with_query(self.url(&["regressions"]), &params))
            .await
            .map_err(|e| e.on_sandbox_route("regressions", "GET /regressions", None))
    }

    /// `GET /policies/current`.
    pub async fn get_policy(&self) -> Result<Policy, ApiError> {
        self.get(self.url(&["policies", "current"])).await
    }

    /// `PUT /policies/current`.
    pub async fn put_policy(
        &self,
        name: &str,
        config: &serde_json::Value,
    ) -> Result<Policy, ApiError> {
        let url = self.url(&["policies", "current"]);
        let body = serde_json::json!({ "name": name, "config": config });
        self.write(Method::PUT, url, body, Safety::Idempotent).await
    }

    /// `GET /integrations`.
    pub async fn list_integrations(&self) -> Result<Vec<Integration>, ApiError> {
        let list: Option<Vec<Integration>> = self.get(self.url(&["integrations"])).await?;
        Ok(list.unwrap_or_default())
    }

    /// `GET /reports/summary`.
    pub async fn report_summary(&self) -> Result<ReportSummary, ApiError> {
        self.report_summary_as().await
    }

    /// [`Self::report_summary`], decoded into `T`.
    pub async fn report_summary_as<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        self.get(self.url(&["reports", "summary"])).await
    }
}
