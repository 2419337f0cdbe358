//! Where the sandbox's data comes from: the demo data set (`assets/`), a
//! data file of the same shape, synthetic findings, or nothing.

mod catalogue;
mod defects;
mod demo;
pub mod file;
mod generate;
mod history;
mod observe;
pub(crate) mod rng;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::demo_site::{DEMO_HOSTS, SitePage};
use super::options::DataSource;
use super::store::{
    CheckRow, EvidenceRow, FindingRecord, FixRow, IntegrationRecord, Org, PolicyRecord, Priority,
    Project, RegressionRecord, Store, TaskRecord, TeamId, VerificationRecord,
};
use file::{DataSet, ProjectSeed};

/// The demo data set's org, users and projects.
pub const DEMO_JSON: &str = include_str!("../../../assets/demo.json");

/// Why a data set could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("could not read {path}: {source}; check the path given to --data")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not a valid data set: {detail}")]
    Parse { path: String, detail: String },
    #[error("the data set is inconsistent: {0}")]
    Invalid(String),
}

/// What was loaded, for the banner and for clients.
#[derive(Clone, Debug)]
pub struct World {
    pub team: TeamId,
    pub org_id: String,
    pub projects: Vec<String>,
    /// The first user of the data set.
    pub me: Option<String>,
    /// Every user of the data set: (name, id). A user with no name is shown
    /// by id.
    pub people: Vec<(String, String)>,
    /// The pages of the demo sites the findings name, with the defects they
    /// still have, for the demo site to serve.
    pub site_pages: Vec<SitePage>,
}

/// A project's base URL; one on a demo site's name gets the demo site's
/// port, so its findings name pages the sandbox really serves.
fn localise(base: &str, demo_port: Option<u16>) -> String {
    let Ok(mut url) = url::Url::parse(base) else {
        return base.to_string();
    };
    let on_demo_site = url.host_str().is_some_and(|h| DEMO_HOSTS.contains(&h));
    if let (true, None, Some(port)) = (on_demo_site, url.port(), demo_port) {
        // An http URL with a host always takes a port.
        let _ = url.set_port(Some(port));
    }
    url.as_str().trim_end_matches('/').to_string()
}

fn parse(text: &str, path: &str) -> Result<DataSet, SeedError> {
    serde_json::from_str(text).map_err(|e| SeedError::Parse {
        path: path.into(),
        detail: e.to_string(),
    })
}

/// Loads `source` into `store` as a new team's org. `demo_port` is the port
/// of the demo sites, when they run.
pub fn install(
    store: &mut Store,
    source: &DataSource,
    demo_port: Option<u16>,
) -> Result<World, SeedError> {
    let now = Utc::now();
    let mut data = match source {
        DataSource::File(path) => {
            let shown = path.display().to_string();
            let text = std::fs::read_to_string(path).map_err(|source| SeedError::Read {
                path: shown.clone(),
                source,
            })?;
            parse(&text, &shown)?
        }
        _ => parse(DEMO_JSON, "assets/demo.json")?,
    };
    match source {
        DataSource::Empty => {
            data.projects.truncate(1);
            for p in &mut data.projects {
                *p = ProjectSeed {
                    pages: Vec::new(),
                    integrations: Vec::new(),
                    ..p.clone()
                };
            }
        }
        DataSource::Generate(_) => {
            for p in &mut data.projects {
                p.pages.clear();
            }
        }
        DataSource::Demo | DataSource::File(_) => {}
    }
    let users: Vec<Uuid> = data.users.iter().map(|u| u.id).collect();
    let mut projects = Vec::new();
    let mut site_pages = Vec::new();
    for seed in &data.projects {
        let mut project = Project::new(seed.id.clone(), seed.name.clone());
        if let Some(base) = seed.base_url.as_ref().filter(|_| !seed.pages.is_empty()) {
            let weights = seed.status_weights.unwrap_or(demo::STATUS_WEIGHTS);
            let base = localise(base, demo_port);
            let served = demo::expand(&mut project, &base, &seed.pages, weights, &users, now);
            site_pages.extend(
                served
                    .into_iter()
                    .filter(|p| DEMO_HOSTS.contains(&p.host.as_str())),
            );
        }
        add_explicit(&mut project, seed, now)?;
        projects.push(project);
    }
    if let DataSource::Generate(n) = source {
        let templates = catalogue::load().map_err(SeedError::Invalid)?;
        generate::fill(&mut projects, *n, &templates, &users, now);
    }
    let world = World {
        team: store.next_team(),
        org_id: data.org.id.to_string(),
        projects: projects.iter().map(|p| p.id.clone()).collect(),
        me: users.first().map(Uuid::to_string),
        people: data
            .users
            .iter()
            .map(|u| {
                let id = u.id.to_string();
                let name = if u.name.trim().is_empty() {
                    id.clone()
                } else {
                    u.name.clone()
                };
                (name, id)
            })
            .collect(),
        site_pages,
    };
    if world.projects.is_empty() {
        return Err(SeedError::Invalid("the data set has no project".into()));
    }
    store.add_org(Org {
        id: data.org.id,
        name: data.org.name,
        team: world.team,
        users,
        projects,
    });
    Ok(world)
}

fn check_known(what: &str, other: bool, raw: &str) -> Result<(), SeedError> {
    if other {
        Err(SeedError::Invalid(format!("unknown {what} '{raw}'")))
    } else {
        Ok(())
    }
}

fn add_explicit(
    project: &mut Project,
    seed: &ProjectSeed,
    now: DateTime<Utc>,
) -> Result<(), SeedError> {
    for i in &seed.integrations {
        project.integrations.push(IntegrationRecord {
            id: rng::Rng::from_label(&format!("{}/{}", seed.id, i.provider)).uuid(),
            provider: i.provider.clone(),
            status: i.status.clone(),
            last_synced_at: Some(now - chrono::Duration::hours(3)),
            created_at: now - chrono::Duration::days(40),
            updated_at: now - chrono::Duration::hours(3),
        });
    }
    if let Some(p) = &seed.policy {
        project.policy = Some(PolicyRecord {
            id: rng::Rng::from_label(&format!("{}/policy", seed.id)).uuid(),
            name: p.name.clone(),
            config: p.config.clone(),
            created_at: now,
            updated_at: now,
        });
    }
    for f in &seed.findings {
        check_known("domain", f.domain.is_other(), f.domain.as_str())?;
        check_known("severity", f.severity.is_other(), f.severity.as_str())?;
        check_known("finding status", f.status.is_other(), f.status.as_str())?;
        let url = f
            .url
            .clone()
            .or_else(|| f.affected_assets.first().map(|a| a.value.clone()))
            .ok_or_else(|| SeedError::Invalid(format!("finding {} has no url", f.id)))?;
        if project.finding_position(f.id).is_some() {
            return Err(SeedError::Invalid(format!(
                "finding {} appears twice",
                f.id
            )));
        }
        let updated = f.updated_at.unwrap_or(f.created_at);
        project.insert_finding(FindingRecord {
            id: f.id,
            check: f.check.clone(),
            domain: f.domain.clone(),
            title_lower: f.title.to_lowercase(),
            title: f.title.clone(),
            description_lower: Arc::from(f.description.to_lowercase().as_str()),
            description: Arc::from(f.description.as_str()),
            severity: f.severity.clone(),
            status: f.status.clone(),
            confidence: f.confidence,
            priority: Priority {
                impact: f.priority.impact,
                effort: f.priority.effort,
                risk: f.priority.risk,
                score: f.priority.score,
            },
            owner_id: f.owner_id,
            asset_url: url,
            evidence: f
                .evidence
                .iter()
                .map(|e| EvidenceRow {
                    kind: e.kind.clone(),
                    label: e.label.clone(),
                    value: e.value.clone(),
                })
                .collect(),
            fix: Arc::new(FixRow {
                summary: f.recommended_fix.summary.clone(),
                steps: f.recommended_fix.steps.clone(),
                estimated_minutes: f.recommended_fix.estimated_minutes,
            }),
            observed: f.observed.clone(),
            scan_id: None,
            created_at: f.created_at,
            updated_at: updated,
            first_seen_at: f.created_at,
            last_seen_at: updated,
            closed_at: (!f.status.is_unresolved()).then(|| f.closed_at.unwrap_or(updated)),
        });
    }
    for t in &seed.tasks {
        check_known("task status", t.status.is_other(), t.status.as_str())?;
        check_known("task priority", t.priority.is_other(), t.priority.as_str())?;
        if project.finding_position(t.finding_id).is_none() {
            return Err(SeedError::Invalid(format!(
                "task {} names finding {} which is not in project {}",
                t.id, t.finding_id, seed.id
            )));
        }
        project.tasks.push(TaskRecord {
            id: t.id,
            finding_id: t.finding_id,
            title: t.title.clone(),
            status: t.status.clone(),
            priority: t.priority.clone(),
            owner_id: t.owner_id,
            sla_due_at: t.sla_due_at,
            external_ticket_key: t.external_ticket_key.clone(),
            pr_url: t.pr_url.clone(),
            created_at: t.created_at,
            updated_at: t.updated_at.unwrap_or(t.created_at),
        });
    }
    for v in &seed.verifications {
        check_known(
            "verification result",
            v.result.is_other(),
            v.result.as_str(),
        )?;
        if !project.tasks.iter().any(|t| t.id == v.task_id) {
            return Err(SeedError::Invalid(format!(
                "verification {} names task {} which is not in project {}",
                v.id, v.task_id, seed.id
            )));
        }
        project.verifications.push(VerificationRecord {
            id: v.id,
            task_id: v.task_id,
            result: v.result.clone(),
            checks: v
                .checks
                .iter()
                .map(|c| CheckRow {
                    key: c.key.clone(),
                    before: c.before.clone(),
                    after: c.after.clone(),
                    status: c.status.clone(),
                })
                .collect(),
            verified_by_id: v.verified_by_id,
            verified_at: v.verified_at,
            error: None,
            created_at: v.created_at,
            updated_at: v.verified_at.unwrap_or(v.created_at),
        });
    }
    for r in &seed.regressions {
        check_known("regression status", r.status.is_other(), r.status.as_str())?;
        if project.finding_position(r.finding_id).is_none() {
            return Err(SeedError::Invalid(format!(
                "regression {} names finding {} which is not in project {}",
                r.id, r.finding_id, seed.id
            )));
        }
        project.regressions.push(RegressionRecord {
            id: r.id,
            finding_id: r.finding_id,
            scan_id: r.scan_id,
            status: r.status.clone(),
            detected_at: r.detected_at,
            closed_at: r.closed_at,
        });
    }
    Ok(())
}
