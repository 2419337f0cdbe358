//! Verifications (contract 5.5): a re-check of the finding's check on its
//! URL, compared with what was first observed, and approval with its side
//! effects (task done, finding resolved, regressions closed).

use chrono::{DateTime, Utc};
use serde_json::Value;
use uuid::Uuid;

use super::paging::{self, CursorPage, PageRequest};
use super::{CheckRow, Project, StoreError, VerificationRecord, parse_id};
use crate::api::model::{FindingStatus, RegressionStatus, TaskStatus, VerificationResult};
use crate::sandbox::scanner::ScanReport;

/// What the background re-check needs.
#[derive(Clone, Debug)]
pub struct VerifyJob {
    pub verification_id: Uuid,
    pub check: String,
    pub url: String,
}

impl Project {
    /// Opens a `pending` verification of a task's fix.
    pub fn start_verification(
        &mut self,
        task_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(&VerificationRecord, VerifyJob), StoreError> {
        let not_here = || {
            StoreError::InvalidParams(format!("task_id {task_id} is not a task of this project"))
        };
        let task_uuid = Uuid::parse_str(task_id).map_err(|_| not_here())?;
        let task = self
            .tasks
            .iter()
            .find(|t| t.id == task_uuid)
            .ok_or_else(not_here)?;
        let finding = self
            .finding_position(task.finding_id)
            .map(|i| &self.findings[i])
            .ok_or_else(|| {
                StoreError::InvalidParams("the task's finding no longer exists".into())
            })?;
        let job = VerifyJob {
            verification_id: Uuid::new_v4(),
            check: finding.check.clone(),
            url: finding.asset_url.clone(),
        };
        self.verifications.push(VerificationRecord {
            id: job.verification_id,
            task_id: task_uuid,
            result: VerificationResult::Pending,
            checks: Vec::new(),
            verified_by_id: None,
            verified_at: None,
            error: None,
            created_at: now,
            updated_at: now,
        });
        Ok((&self.verifications[self.verifications.len() - 1], job))
    }

    /// Records the re-check: passed when the finding's check now passes.
    /// A scan that could not run, or did not run the check, fails it.
    pub fn finish_verification(
        &mut self,
        job: &VerifyJob,
        outcome: Result<ScanReport, String>,
        now: DateTime<Utc>,
    ) {
        let Some(index) = self
            .verifications
            .iter()
            .position(|v| v.id == job.verification_id)
        else {
            return;
        };
        let before = self
            .verifications
            .get(index)
            .and_then(|v| self.tasks.iter().find(|t| t.id == v.task_id))
            .and_then(|t| self.finding_position(t.finding_id))
            .map(|fi| {
                let f = &self.findings[fi];
                f.observed
                    .clone()
                    .or_else(|| f.evidence.first().map(|e| e.value.clone()))
            })
            .unwrap_or_default()
            .map(Value::String)
            .unwrap_or(Value::Null);
        let verification = &mut self.verifications[index];
        let (passed, after, status, error) = match outcome {
            Ok(report) => match report.checked.iter().find(|c| c.check == job.check) {
                Some(c) => (
                    c.passed,
                    Value::String(c.observed.clone()),
                    if c.passed { "passed" } else { "failed" },
                    None,
                ),
                None => (
                    false,
                    Value::Null,
                    "error",
                    Some(format!("the scan did not run the check {}", job.check)),
                ),
            },
            Err(why) => (false, Value::Null, "error", Some(why)),
        };
        verification.checks = vec![CheckRow {
            key: job.check.clone(),
            before,
            after,
            status: status.into(),
        }];
        verification.result = if passed {
            VerificationResult::Passed
        } else {
            VerificationResult::Failed
        };
        verification.error = error;
        verification.updated_at = now;
    }

    /// One verification.
    pub fn verification(&self, id: &str) -> Result<&VerificationRecord, StoreError> {
        let uuid = parse_id(id, "verification")?;
        self.verifications
            .iter()
            .find(|v| v.id == uuid)
            .ok_or_else(|| StoreError::NotFound(format!("verification {id} not found")))
    }

    /// A page of verifications, newest first.
    pub fn list_verifications(
        &self,
        request: &PageRequest,
    ) -> Result<CursorPage<'_, VerificationRecord>, StoreError> {
        paging::page(
            self.verifications.iter().collect(),
            |v| (v.created_at, v.id),
            request,
        )
    }

    /// Approves a passed verification: the task is done, the finding
    /// resolved, its open regressions closed. Approving twice changes nothing.
    pub fn approve_verification(
        &mut self,
        id: &str,
        by: Uuid,
        now: DateTime<Utc>,
    ) -> Result<&VerificationRecord, StoreError> {
        let uuid = parse_id(id, "verification")?;
        let index = self
            .verifications
            .iter()
            .position(|v| v.id == uuid)
            .ok_or_else(|| StoreError::NotFound(format!("verification {id} not found")))?;
        let verification = &mut self.verifications[index];
        if verification.verified_at.is_some() {
            return Ok(&self.verifications[index]);
        }
        if verification.result != VerificationResult::Passed {
            return Err(StoreError::VerificationNotPassed(format!(
                "only a passed verification can be approved; this one is {}. Ship the fix and run a new verification",
                verification.result
            )));
        }
        verification.verified_by_id = Some(by);
        verification.verified_at = Some(now);
        verification.updated_at = now;
        let task_id = verification.task_id;
        let mut finding_id = None;
        if let Some(task) = self.tasks.iter_mut().find(|t| t.id == task_id) {
            task.status = TaskStatus::Done;
            task.updated_at = now;
            finding_id = Some(task.finding_id);
        }
        if let Some(fid) = finding_id {
            if let Some(fi) = self.finding_position(fid) {
                self.findings[fi].set_status(FindingStatus::Resolved, now);
            }
            for regression in self
                .regressions
                .iter_mut()
                .filter(|r| r.finding_id == fid && r.status == RegressionStatus::Open)
            {
                regression.status = RegressionStatus::Closed;
                regression.closed_at = Some(now);
            }
        }
        Ok(&self.verifications[index])
    }
}
