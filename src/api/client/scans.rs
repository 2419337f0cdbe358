//! Scans (contract section 5.1).

use reqwest::Method;

use super::{Client, Page, cursor_params, to_json, with_query};
use crate::api::error::ApiError;
use crate::api::model::*;
use crate::api::ratelimit::Bucket;
use crate::api::ssrf;
use crate::api::transport::{Call, Safety};

impl Client {
    /// `POST /scans/run` (strict bucket). Checks the URL with the SSRF
    /// pre-check first, unless the settings allow private targets. Not
    /// retried on 5xx: it creates a scan.
    pub async fn run_scan(&self, request: &ScanRequest) -> Result<Scan, ApiError> {
        self.start_scan(request).await
    }

    /// [`Self::run_scan`], keeping the JSON exactly as sent (exports).
    pub async fn run_scan_as_sent(&self, request: &ScanRequest) -> Result<AsSent<Scan>, ApiError> {
        self.start_scan(request).await
    }

    async fn start_scan<T: serde::de::DeserializeOwned>(
        &self,
        request: &ScanRequest,
    ) -> Result<T, ApiError> {
        if !self.inner.allow_private_targets {
            ssrf::check_url(&request.url).map_err(|e| {
                ApiError::Refused(format!(
                    "{e}; scan a public http(s) address instead (or, for a sandbox started \
                     with --allow-private-targets, pass --allow-private-targets)"
                ))
            })?;
        }
        let mut call = Call::with_body(
            Method::POST,
            self.url(&["scans", "run"]),
            to_json(request)?,
            Safety::Creates,
        );
        call.bucket = Bucket::Strict;
        Ok(self.send(call).await?.data)
    }

    /// `GET /scans/{id}`.
    pub async fn get_scan(&self, id: &str) -> Result<Scan, ApiError> {
        self.get(self.url(&["scans", id])).await
    }

    /// `GET /scans/{id}`, keeping the JSON exactly as sent (exports).
    pub async fn get_scan_as_sent(&self, id: &str) -> Result<AsSent<Scan>, ApiError> {
        self.get(self.url(&["scans", id])).await
    }

    /// `GET /scans` \[sandbox\], newest first. The real service may answer 404:
    /// check [`ApiError::is_not_found`].
    pub async fn list_scans(
        &self,
        cursor: Option<&str>,
        limit: Option<u32>,
    ) -> Result<Page<Scan>, ApiError> {
        let url = with_query(self.url(&["scans"]), &cursor_params(cursor, limit));
        self.get_page(url)
            .await
            .map_err(|e| e.on_sandbox_route("the scan list", "GET /scans", None))
    }
}
