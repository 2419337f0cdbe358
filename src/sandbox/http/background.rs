//! Work that outlives its request: a scan, or the re-check of a
//! verification. Both call the scanner; a scanner that panics fails the
//! work with a reason instead of leaving it `running` forever.

use std::panic::AssertUnwindSafe;

use chrono::Utc;
use futures::FutureExt;

use super::state::ServerState;
use crate::sandbox::scanner::{self, ScanReport};
use crate::sandbox::store::{ScanJob, TeamId, VerifyJob};

/// The project a job belongs to.
pub struct Owner {
    pub team: TeamId,
    pub org_id: String,
    pub project_id: String,
}

async fn scan_safely(state: &ServerState, url: &str) -> Result<ScanReport, String> {
    match AssertUnwindSafe(scanner::scan(url, &state.scan_config))
        .catch_unwind()
        .await
    {
        Ok(outcome) => outcome.map_err(|e| e.to_string()),
        Err(_) => {
            Err("the scanner failed unexpectedly; try again, and report it if it persists".into())
        }
    }
}

/// `queued → running → completed | failed`.
pub async fn run_scan(state: ServerState, owner: Owner, job: ScanJob) {
    {
        let mut store = state.store();
        if let Ok((project, _)) = store.project_mut(owner.team, &owner.org_id, &owner.project_id) {
            project.mark_scan_running(job.scan_id, Utc::now());
        }
    }
    let outcome = scan_safely(&state, &job.url).await;
    let mut store = state.store();
    if let Ok((project, _)) = store.project_mut(owner.team, &owner.org_id, &owner.project_id) {
        project.finish_scan(job.scan_id, outcome, Utc::now());
    }
}

/// `pending → passed | failed`.
pub async fn run_verification(state: ServerState, owner: Owner, job: VerifyJob) {
    let outcome = scan_safely(&state, &job.url).await;
    let mut store = state.store();
    if let Ok((project, _)) = store.project_mut(owner.team, &owner.org_id, &owner.project_id) {
        project.finish_verification(&job, outcome, Utc::now());
    }
}
