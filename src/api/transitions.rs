//! The status lifecycles of findings and tasks (contract 5.3 and 5.4), as data.
//!
//! The UI asks these tables which moves to offer; the sandbox enforces the same
//! tables. `resolved` (findings) and `done` (tasks) are never a manual target:
//! they follow an approved verification.

use super::enums::{FindingStatus, TaskStatus};

/// The statuses a finding in `from` may be moved to by hand.
///
/// An unknown status offers no move: the client cannot know the rules for it.
pub fn finding_targets(from: &FindingStatus) -> Vec<FindingStatus> {
    use FindingStatus::*;
    match from {
        New => vec![Triaged, Dismissed],
        Triaged => vec![New, InProgress, Dismissed],
        InProgress => vec![Triaged, ReadyVerify, Dismissed],
        ReadyVerify => vec![InProgress, Dismissed],
        Dismissed => vec![New, Triaged],
        Resolved | Other(_) => Vec::new(),
    }
}

/// True when a finding may be moved from `from` to `to` by hand. Setting the
/// current status again is allowed (the service treats it as a no-op).
pub fn finding_move_allowed(from: &FindingStatus, to: &FindingStatus) -> bool {
    (from == to && !from.is_other() && *to != FindingStatus::Resolved)
        || finding_targets(from).contains(to)
}

/// Why moving a finding from `from` to `to` by hand is refused, naming the
/// allowed moves; `None` when the move is allowed.
pub fn finding_move_refusal(from: &FindingStatus, to: &FindingStatus) -> Option<String> {
    if finding_move_allowed(from, to) {
        return None;
    }
    let allowed: Vec<String> = finding_targets(from)
        .iter()
        .map(ToString::to_string)
        .collect();
    let options = if allowed.is_empty() {
        "none".to_string()
    } else {
        allowed.join(", ")
    };
    let mut why = format!("{from} cannot move to {to} (allowed: {options})");
    if *to == FindingStatus::Resolved || *from == FindingStatus::Resolved {
        why.push_str("; ");
        why.push_str(RESOLVED_EXPLANATION);
    }
    Some(why)
}

/// Why `resolved` is never offered as a manual move.
pub const RESOLVED_EXPLANATION: &str = "A finding becomes resolved when a verification of its \
fix is approved: create a task, ship the fix, run a verification, then approve it.";

/// The statuses a task in `from` may be moved to by hand.
pub fn task_targets(from: &TaskStatus) -> Vec<TaskStatus> {
    use TaskStatus::*;
    match from {
        Backlog => vec![InProgress, Blocked],
        InProgress => vec![Backlog, Blocked, ReadyVerify],
        Blocked => vec![Backlog, InProgress],
        ReadyVerify => vec![InProgress],
        Done | Other(_) => Vec::new(),
    }
}

/// Why `done` is never offered as a manual move of a task.
pub const DONE_EXPLANATION: &str = "A task becomes done when a verification of its fix is \
approved: ship the fix, move the task to ready_verify, verify (V), then approve.";

/// Why moving a task from `from` to `to` by hand is refused, naming the
/// allowed moves; `None` when the move is allowed.
pub fn task_move_refusal(from: &TaskStatus, to: &TaskStatus) -> Option<String> {
    if task_move_allowed(from, to) {
        return None;
    }
    let allowed: Vec<String> = task_targets(from).iter().map(ToString::to_string).collect();
    let options = if allowed.is_empty() {
        "none".to_string()
    } else {
        allowed.join(", ")
    };
    let mut why = format!("a task cannot move from {from} to {to} (allowed: {options})");
    if *to == TaskStatus::Done || *from == TaskStatus::Done {
        why.push_str("; ");
        why.push_str(DONE_EXPLANATION);
    }
    Some(why)
}

/// True when a task may be moved from `from` to `to` by hand.
pub fn task_move_allowed(from: &TaskStatus, to: &TaskStatus) -> bool {
    (from == to && !from.is_other() && *to != TaskStatus::Done) || task_targets(from).contains(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolved_is_never_a_manual_target() {
        for from in FindingStatus::KNOWN {
            assert!(!finding_targets(from).contains(&FindingStatus::Resolved));
            assert!(!finding_move_allowed(from, &FindingStatus::Resolved));
        }
    }

    #[test]
    fn contract_table_for_findings() {
        use FindingStatus::*;
        assert_eq!(finding_targets(&New), vec![Triaged, Dismissed]);
        assert_eq!(finding_targets(&Dismissed), vec![New, Triaged]);
        assert!(finding_targets(&Resolved).is_empty());
        assert!(finding_move_allowed(&Triaged, &Triaged));
        assert!(!finding_move_allowed(&New, &InProgress));
        assert!(finding_targets(&Other("frozen".into())).is_empty());
        assert_eq!(finding_move_refusal(&Triaged, &InProgress), None);
        assert_eq!(
            finding_move_refusal(&New, &InProgress).as_deref(),
            Some("new cannot move to in_progress (allowed: triaged, dismissed)")
        );
        assert!(
            finding_move_refusal(&Resolved, &New)
                .is_some_and(|why| why.contains("allowed: none") && why.contains("verification"))
        );
    }

    #[test]
    fn done_is_never_a_manual_target() {
        for from in TaskStatus::KNOWN {
            assert!(!task_move_allowed(from, &TaskStatus::Done));
        }
        assert!(task_move_allowed(
            &TaskStatus::Backlog,
            &TaskStatus::InProgress
        ));
        assert!(!task_move_allowed(
            &TaskStatus::ReadyVerify,
            &TaskStatus::Backlog
        ));
        assert_eq!(
            task_move_refusal(&TaskStatus::ReadyVerify, &TaskStatus::Backlog).as_deref(),
            Some("a task cannot move from ready_verify to backlog (allowed: in_progress)")
        );
        assert!(
            task_move_refusal(&TaskStatus::InProgress, &TaskStatus::Done)
                .is_some_and(|why| why.contains("verification of its fix is approved"))
        );
        assert_eq!(
            task_move_refusal(&TaskStatus::Blocked, &TaskStatus::Backlog),
            None
        );
    }
}
