//! Typed, tolerant views of the contract's resources (contract section 5).
//!
//! Every struct:
//! - fills a missing field with its default instead of failing;
//! - keeps every field it does not know in `extra`, so serialising it again
//!   gives back everything the server sent (exports rely on this);
//! - accepts unknown enum values (see [`super::enums`]).
//!
//! Timestamps keep the server's text and a parsed value when it parses.

mod finding;
mod overview;
mod remediation;
mod row;
mod wire;

pub use super::enums::*;
pub use finding::*;
pub use overview::*;
pub use remediation::*;
pub use row::{FindingRow, IdKey, IdText, Interner};
pub use wire::{AsSent, Extra, Identified, ListRow, Timestamp, lenient};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_survive_a_round_trip() {
        let json = serde_json::json!({
            "id": "f1", "title": "t", "severity": "critical", "status": "new",
            "domain": "security", "cvss": 9.1, "tags": ["a"],
            "priority": {"impact": 1, "effort": 2, "risk": 3, "score": 4, "weight": 7},
            "inserted_at": "2025-06-15T10:05:00Z"
        });
        let f: Finding = serde_json::from_value(json).unwrap();
        assert_eq!(f.extra["cvss"], 9.1);
        assert_eq!(f.priority.extra["weight"], 7);
        assert!(f.created().is_some());
        let back = serde_json::to_value(&f).unwrap();
        assert_eq!(back["tags"][0], "a");
        assert_eq!(back["priority"]["weight"], 7);
        assert_eq!(back["inserted_at"], "2025-06-15T10:05:00Z");
    }

    #[test]
    fn odd_values_do_not_fail_a_finding() {
        let json = serde_json::json!({
            "id": "f1", "priority": {"score": "88"}, "confidence": "high",
            "created_at": "yesterday", "evidence": ["plain text", {"type": "header", "value": 3}]
        });
        let f: Finding = serde_json::from_value(json).unwrap();
        assert_eq!(f.score(), 88);
        assert_eq!(f.confidence, None);
        assert_eq!(f.created(), None);
        assert_eq!(f.created_at.as_ref().unwrap().raw(), "yesterday");
        assert_eq!(f.evidence[0].value.as_deref(), Some("plain text"));
        assert_eq!(f.evidence[1].value.as_deref(), Some("3"));
    }

    #[test]
    fn as_sent_keeps_the_servers_json_exactly() {
        let json = serde_json::json!({
            "id": "f1", "priority": {"score": "87", "impact": null}, "confidence": "high"
        });
        let f: AsSent<Finding> = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(f.typed.score(), 87);
        assert_eq!(serde_json::to_value(&f).unwrap(), json);
    }

    #[test]
    fn as_sent_keeps_the_order_of_the_servers_keys() {
        let text = r#"{"title":"t","id":"f1","zeta":1,"alpha":{"b":2,"a":1}}"#;
        let f: AsSent<Finding> = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&f).unwrap(), text);
    }

    #[test]
    fn null_timestamps_are_written_back_as_null() {
        let json = serde_json::json!({"id": "s1", "finished_at": null, "started_at": "2025-06-15T10:00:00Z"});
        let scan: Scan = serde_json::from_value(json).unwrap();
        assert_eq!(scan.finished_at.as_ref().and_then(Timestamp::get), None);
        let back = serde_json::to_value(&scan).unwrap();
        assert!(back.as_object().unwrap().contains_key("finished_at"));
        assert!(back["finished_at"].is_null());
        assert!(!back.as_object().unwrap().contains_key("updated_at"));
    }

    #[test]
    fn a_query_matches_what_the_server_would_list() {
        let f: Finding = serde_json::from_value(serde_json::json!({
            "id": "f1", "title": "Missing CSP", "description": "No header",
            "severity": "high", "status": "new", "domain": "security",
            "owner_id": "AAAA-1"
        }))
        .unwrap();
        let q = |json: serde_json::Value| -> FindingQuery {
            let mut query = FindingQuery::default();
            if let Some(s) = json["severity"].as_str() {
                query.severity = Some(Severity::parse(s));
            }
            if let Some(s) = json["status"].as_str() {
                query.status = Some(FindingStatus::parse(s));
            }
            query.owner_id = json["owner"].as_str().map(str::to_string);
            query.q = json["q"].as_str().map(str::to_string);
            query
        };
        assert!(FindingQuery::default().matches(&f));
        assert!(q(serde_json::json!({"severity": "high", "status": "new"})).matches(&f));
        assert!(!q(serde_json::json!({"status": "triaged"})).matches(&f));
        assert!(q(serde_json::json!({"owner": "aaaa-1"})).matches(&f));
        assert!(!q(serde_json::json!({"owner": "none"})).matches(&f));
        assert!(q(serde_json::json!({"q": "HEADER"})).matches(&f));
        assert!(!q(serde_json::json!({"q": "cookie"})).matches(&f));
    }

    #[test]
    fn patch_serialises_only_what_it_sets() {
        let p = FindingPatch {
            owner_id: Some(None),
            ..FindingPatch::default()
        };
        assert_eq!(serde_json::to_string(&p).unwrap(), r#"{"owner_id":null}"#);
    }
}
