//! `--generate N`: N synthetic findings, deterministic, spread over the
//! projects and over made-up pages, for load and scale testing.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::catalogue::Template;
use super::rng::Rng;
use crate::api::model::FindingStatus;
use crate::sandbox::store::Project;

const STATUSES: [FindingStatus; 6] = [
    FindingStatus::New,
    FindingStatus::Triaged,
    FindingStatus::InProgress,
    FindingStatus::ReadyVerify,
    FindingStatus::Resolved,
    FindingStatus::Dismissed,
];

/// Adds `n` findings in total to `projects`, round robin.
pub fn fill(
    projects: &mut [Project],
    n: usize,
    templates: &[Template],
    users: &[Uuid],
    now: DateTime<Utc>,
) {
    if projects.is_empty() || templates.is_empty() {
        return;
    }
    let mut rng = Rng::from_label("generate");
    let per_page = templates.len();
    let count = projects.len();
    for i in 0..n {
        let project = &mut projects[i % count];
        let k = i / count;
        let template = &templates[k % per_page];
        let url = format!("https://{}.example.com/pages/{}", project.id, k / per_page);
        let created = now - Duration::minutes(rng.below(60 * 24 * 90) as i64);
        let mut finding = template.stamp(rng.uuid(), &url, created);
        let status = STATUSES[rng.weighted(&[40, 20, 12, 8, 12, 8])].clone();
        if status != FindingStatus::New {
            finding.owner_id = users.get(rng.below(users.len() as u64) as usize).copied();
            finding.set_status(
                status,
                created + Duration::minutes(rng.below(60) as i64 + 1),
            );
        }
        project.insert_finding(finding);
    }
}
