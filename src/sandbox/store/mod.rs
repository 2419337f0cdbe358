//! The sandbox's data and the contract's rules: who owns what, the status
//! lifecycles (from [`crate::api::transitions`]), side effects and the
//! computed views. Nothing here knows about HTTP.

mod findings;
mod index;
#[cfg(test)]
mod index_tests;
mod overview;
mod paging;
pub mod records;
mod scans;
mod tasks;
mod verifications;

use std::collections::HashMap;

use uuid::Uuid;

pub use findings::{FindingChange, FindingFilter, OwnerFilter};
pub use paging::{CursorPage, PageRequest};
pub use records::*;
pub use scans::ScanJob;
pub use tasks::{NewTask, TaskChange};
pub use verifications::VerifyJob;

/// Why the store refused an operation; the HTTP layer maps each to a code.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    InvalidParams(String),
    #[error("{0}")]
    InvalidTransition(String),
    #[error("{0}")]
    VerificationNotPassed(String),
}

/// A team: it owns one org and the keys bound to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TeamId(pub u32);

/// One project of an org and everything under its `/audit` routes.
#[derive(Debug, Default)]
pub struct Project {
    pub id: String,
    pub name: String,
    pub(crate) findings: Vec<FindingRecord>,
    finding_index: HashMap<Uuid, usize>,
    /// `(check, asset url)` → finding, for scan upserts.
    finding_keys: HashMap<(String, String), usize>,
    /// List order and search texts of `findings`, kept up to date on insert.
    index: index::FindingIndex,
    pub(crate) tasks: Vec<TaskRecord>,
    pub(crate) verifications: Vec<VerificationRecord>,
    pub(crate) scans: Vec<ScanRecord>,
    pub(crate) regressions: Vec<RegressionRecord>,
    pub(crate) policy: Option<PolicyRecord>,
    pub(crate) integrations: Vec<IntegrationRecord>,
}

impl Project {
    /// An empty project.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        Project {
            id: id.into(),
            name: name.into(),
            ..Project::default()
        }
    }
}

/// An org: a team's projects and users.
#[derive(Debug)]
pub struct Org {
    pub id: Uuid,
    pub name: String,
    pub team: TeamId,
    /// Users of the org (owners, verifiers); the first acts as "me".
    pub users: Vec<Uuid>,
    pub projects: Vec<Project>,
}

/// What `add_empty_team` made.
#[derive(Clone, Debug)]
pub struct TeamWorld {
    pub team: TeamId,
    pub org_id: String,
    pub project_id: String,
}

/// Every org of every team.
#[derive(Debug, Default)]
pub struct Store {
    orgs: Vec<Org>,
}

impl Store {
    /// Adds an org for a new team and returns the team. Its projects are
    /// indexed now, while the server starts, so that no request pays for it.
    pub fn add_org(&mut self, mut org: Org) -> TeamId {
        let team = org.team;
        for project in &mut org.projects {
            project.reindex();
        }
        self.orgs.push(org);
        team
    }

    /// A team id not used yet.
    pub fn next_team(&self) -> TeamId {
        TeamId(self.orgs.iter().map(|o| o.team.0 + 1).max().unwrap_or(1))
    }

    /// A new team with one org holding one empty project.
    pub fn add_empty_team(&mut self, project_id: &str) -> TeamWorld {
        let team = self.next_team();
        let org_id = Uuid::new_v4();
        self.add_org(Org {
            id: org_id,
            name: "Other team".into(),
            team,
            users: vec![Uuid::new_v4()],
            projects: vec![Project::new(project_id, project_id)],
        });
        TeamWorld {
            team,
            org_id: org_id.to_string(),
            project_id: project_id.into(),
        }
    }

    /// The org `org_id` when `team` owns it; otherwise not found, so that
    /// another team's org is never confirmed to exist.
    pub fn org(&self, team: TeamId, org_id: &str) -> Result<&Org, StoreError> {
        self.orgs
            .iter()
            .find(|o| o.team == team && o.id.to_string() == org_id.to_ascii_lowercase())
            .ok_or_else(|| StoreError::NotFound(format!("org {org_id} not found")))
    }

    /// The project `project_id` of `org_id`, when `team` owns the org.
    pub fn project(
        &self,
        team: TeamId,
        org_id: &str,
        project_id: &str,
    ) -> Result<&Project, StoreError> {
        self.org(team, org_id)?
            .projects
            .iter()
            .find(|p| p.id == project_id)
            .ok_or_else(|| project_not_found(project_id))
    }

    /// The project, for changes, and the org's users.
    pub fn project_mut(
        &mut self,
        team: TeamId,
        org_id: &str,
        project_id: &str,
    ) -> Result<(&mut Project, &[Uuid]), StoreError> {
        let org_id = org_id.to_ascii_lowercase();
        let org = self
            .orgs
            .iter_mut()
            .find(|o| o.team == team && o.id.to_string() == org_id)
            .ok_or_else(|| StoreError::NotFound(format!("org {org_id} not found")))?;
        let project = org
            .projects
            .iter_mut()
            .find(|p| p.id == project_id)
            .ok_or_else(|| project_not_found(project_id))?;
        Ok((project, &org.users))
    }
}

fn project_not_found(project_id: &str) -> StoreError {
    StoreError::NotFound(format!("project {project_id} not found"))
}

/// Parses an id from a path; an id that is not a UUID cannot exist.
pub(crate) fn parse_id(raw: &str, what: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(raw).map_err(|_| StoreError::NotFound(format!("{what} {raw} not found")))
}
