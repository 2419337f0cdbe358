//! The fields of a finding that the CSV and the table show, decoded alone.
//!
//! The full [`Finding`](crate::api::model::Finding) keeps every unknown field
//! for round trips, which makes decoding it about twice the cost of these
//! few columns; a CSV or a table writes none of the rest. The rules are the
//! model's: the same lenient numbers and timestamps, the same enums keeping
//! unknown values as sent.

use serde::Deserialize;

use crate::api::model::{Domain, FindingStatus, Identified, ListRow, Severity, Timestamp, lenient};

/// The priority figures a row shows.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct RowPriority {
    #[serde(deserialize_with = "lenient::int")]
    pub impact: Option<i64>,
    #[serde(deserialize_with = "lenient::int")]
    pub effort: Option<i64>,
    #[serde(deserialize_with = "lenient::int")]
    pub risk: Option<i64>,
    #[serde(deserialize_with = "lenient::int")]
    pub score: Option<i64>,
}

/// An affected asset, `{type, value}`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct RowAsset {
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
}

/// The fix, as far as a row shows it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct RowFix {
    pub summary: String,
    #[serde(deserialize_with = "lenient::int")]
    pub estimated_minutes: Option<i64>,
}

/// One finding as a CSV record or a table line.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct FindingRow {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub status: FindingStatus,
    pub domain: Domain,
    pub priority: RowPriority,
    #[serde(deserialize_with = "lenient::float")]
    pub confidence: Option<f64>,
    pub owner_id: Option<String>,
    pub affected_assets: Vec<RowAsset>,
    pub recommended_fix: RowFix,
    #[serde(deserialize_with = "lenient::timestamp")]
    pub created_at: Option<Timestamp>,
    #[serde(deserialize_with = "lenient::timestamp")]
    pub inserted_at: Option<Timestamp>,
    #[serde(deserialize_with = "lenient::timestamp")]
    pub updated_at: Option<Timestamp>,
}

impl FindingRow {
    /// The first affected URL, else the first asset, as the model says.
    pub fn primary_url(&self) -> Option<&str> {
        self.affected_assets
            .iter()
            .find(|a| a.kind == "url")
            .or(self.affected_assets.first())
            .map(|a| a.value.as_str())
    }
}

impl ListRow for FindingRow {}

impl Identified for FindingRow {
    fn id(&self) -> &str {
        &self.id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::Finding;

    #[test]
    fn a_row_reads_what_the_full_finding_reads() {
        let sent = serde_json::json!({
            "id": "f-1", "title": "t", "severity": "catastrophic", "status": "new",
            "domain": "security", "confidence": "0.5", "owner_id": null,
            "priority": {"score": "87", "impact": 3.6, "weight": 1},
            "affected_assets": [{"type": "host", "value": "h"}, {"type": "url", "value": "u"}],
            "recommended_fix": {"summary": "s", "estimated_minutes": "15", "steps": ["a"]},
            "inserted_at": "2025-06-15T10:06:00Z", "updated_at": null, "cvss": 9.1
        });
        let row: FindingRow = serde_json::from_value(sent.clone()).unwrap();
        let full: Finding = serde_json::from_value(sent).unwrap();
        assert_eq!(row.severity, full.severity);
        assert_eq!(row.priority.score, full.priority.score);
        assert_eq!(row.priority.impact, full.priority.impact);
        assert_eq!(row.confidence, full.confidence);
        assert_eq!(row.primary_url(), full.primary_url());
        assert_eq!(
            row.recommended_fix.estimated_minutes,
            full.recommended_fix.estimated_minutes
        );
        assert_eq!(row.inserted_at, full.inserted_at);
        assert_eq!(row.updated_at, full.updated_at);
    }
}
