//! Reducer tests of `V`: verifying the selected finding's fix, following
//! the run, and approving a pass so the finding becomes resolved.

mod tui_fixtures;

use crossterm::event::KeyCode;
use krafter::api::model::*;
use krafter::app::action::Action;
use krafter::app::effect::Effect;
use krafter::app::state::{AppState, Modal, Pane};
use krafter::app::update::update;
use std::time::Duration;
use tui_fixtures::*;

fn findings_pane() -> AppState {
    let mut s = loaded(5, 5);
    press(&mut s, &[key(KeyCode::Tab)]);
    assert_eq!(s.pane, Pane::Findings);
    s
}

fn verification(result: &str) -> Verification {
    serde_json::from_value(serde_json::json!({
        "id": "v-1", "task_id": "t-1", "result": result,
        "checks": if result == "pending" { serde_json::json!([]) } else {
            serde_json::json!([{"key": "security.csp_missing", "before": "absent",
                "after": if result == "passed" { "default-src 'self'" } else { "absent" },
                "status": result}])
        }
    }))
    .unwrap()
}

/// Presses `V` on the cursor's row and answers the start with `result`.
fn started(s: &mut AppState, result: &str) -> Vec<Effect> {
    let effects = press(s, &[ch('V')]);
    let [Effect::StartVerification { finding_id }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(finding_id, "f-000");
    update(
        s,
        Action::VerificationStarted {
            finding_id: finding_id.clone(),
            result: Ok(verification(result)),
        },
    )
}

#[test]
fn a_passed_verification_approved_with_y_resolves_and_reloads() {
    let mut s = findings_pane();
    let effects = started(&mut s, "pending");
    assert_eq!(
        effects,
        [Effect::PollVerification {
            id: "v-1".into(),
            after: Duration::from_secs(1)
        }]
    );
    let effects = update(
        &mut s,
        Action::VerificationPolled {
            result: Ok(verification("pending")),
        },
    );
    let [Effect::PollVerification { after, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert!(*after > Duration::from_secs(1), "backs off");

    update(
        &mut s,
        Action::VerificationPolled {
            result: Ok(verification("passed")),
        },
    );
    assert!(
        matches!(&s.modal, Some(Modal::ConfirmApprove { verification_id, finding_id })
            if verification_id == "v-1" && finding_id == "f-000"),
        "{:?}",
        s.modal
    );
    let effects = press(&mut s, &[ch('y')]);
    assert_eq!(effects, [Effect::ApproveVerification { id: "v-1".into() }]);
    assert!(s.modal.is_none());

    let effects = update(
        &mut s,
        Action::VerificationApproved {
            result: Ok(verification("passed").into()),
        },
    );
    assert!(s.verify.is_none());
    let toast = s.toasts.last().unwrap();
    assert!(
        !toast.error && toast.text.contains("is now resolved"),
        "{toast:?}"
    );
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::LoadFindings { .. })),
        "the list reloads: {effects:?}"
    );
}

#[test]
fn a_failed_verification_says_what_still_fails_and_offers_to_move_the_task_back() {
    let mut s = findings_pane();
    let effects = started(&mut s, "failed");
    assert!(effects.is_empty(), "{effects:?}");
    assert!(s.verify.is_none(), "no approval is offered");
    let toast = s.toasts.last().unwrap();
    assert!(toast.error, "{toast:?}");
    assert!(
        toast.text.contains("still failing: security.csp_missing")
            && toast.text.contains("press V again"),
        "{toast:?}"
    );
    let Some(Modal::ConfirmTaskBack {
        task_id,
        still_wrong,
        ..
    }) = &s.modal
    else {
        panic!("the move back is offered: {:?}", s.modal)
    };
    assert_eq!(task_id, "t-1");
    assert_eq!(still_wrong, &["security.csp_missing: absent → absent"]);
    let effects = press(&mut s, &[ch('y')]);
    let [Effect::PatchTask { id, patch, .. }] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!(id, "t-1");
    assert_eq!(patch.status, Some(TaskStatus::InProgress));
    assert_eq!(patch.pr_url, None, "only the status is sent");

    // Declined, the task keeps its status and nothing is sent.
    let mut s = findings_pane();
    started(&mut s, "failed");
    assert!(press(&mut s, &[ch('n')]).is_empty());
    assert!(s.modal.is_none());
}

#[test]
fn declining_the_approval_leaves_the_finding_unresolved() {
    let mut s = findings_pane();
    started(&mut s, "passed");
    assert!(matches!(s.modal, Some(Modal::ConfirmApprove { .. })));
    let effects = press(&mut s, &[ch('n')]);
    assert!(effects.is_empty(), "{effects:?}");
    assert!(s.modal.is_none() && s.verify.is_none());
    assert!(
        s.toasts
            .last()
            .is_some_and(|t| t.text.contains("not approved")),
        "{:?}",
        s.toasts
    );
    // A new `V` is accepted again.
    assert_eq!(press(&mut s, &[ch('V')]).len(), 1);
}

#[test]
fn only_the_cursor_finding_is_verified_and_one_at_a_time() {
    let mut s = findings_pane();
    press(&mut s, &[ch(' '), ch(' ')]);
    assert!(!s.findings.marks.is_empty());
    let cursor = s.findings.selected().map(|f| f.id().to_string()).unwrap();
    let effects = press(&mut s, &[ch('V')]);
    assert_eq!(
        effects,
        [Effect::StartVerification {
            finding_id: cursor.clone()
        }]
    );
    assert!(
        s.toasts
            .last()
            .is_some_and(|t| t.text.contains("marks are left out"))
    );
    assert!(press(&mut s, &[ch('V')]).is_empty(), "one at a time");
    assert!(
        s.toasts
            .last()
            .is_some_and(|t| t.text.contains("already running"))
    );
    // An answer for another finding (from before) is not taken for this one.
    let effects = update(
        &mut s,
        Action::VerificationStarted {
            finding_id: "f-999".into(),
            result: Ok(verification("passed")),
        },
    );
    assert!(effects.is_empty() && s.modal.is_none());
}

#[test]
fn a_start_refused_by_the_server_is_reported() {
    let mut s = findings_pane();
    press(&mut s, &[ch('V')]);
    update(
        &mut s,
        Action::VerificationStarted {
            finding_id: "f-000".into(),
            result: Err(http_error(
                422,
                "invalid_params",
                "the task's finding no longer exists",
            )),
        },
    );
    assert!(s.verify.is_none());
    let toast = s.toasts.last().unwrap();
    assert!(
        toast.error && toast.text.contains("no longer exists"),
        "{toast:?}"
    );
}

#[test]
fn read_only_refuses_verify() {
    let mut sess = session();
    sess.read_only = true;
    let mut s = state_with(sess, &[]);
    load(&mut s, 5, 5);
    press(&mut s, &[key(KeyCode::Tab)]);
    assert!(press(&mut s, &[ch('V')]).is_empty());
    assert!(s.verify.is_none());
    assert!(s.toasts.iter().any(|t| t.text.contains("read-only")));
}

#[test]
fn answers_about_another_run_are_dropped() {
    let mut s = findings_pane();
    press(&mut s, &[ch('V')]);
    // A poll or an approval of an earlier run, before this start is answered.
    let stale = |result: &str| Ok(verification(result));
    assert!(
        update(
            &mut s,
            Action::VerificationPolled {
                result: stale("passed")
            }
        )
        .is_empty()
    );
    assert!(
        update(
            &mut s,
            Action::VerificationApproved {
                result: stale("passed").map(Into::into).map_err(Into::into)
            }
        )
        .is_empty()
    );
    assert!(s.modal.is_none() && s.verify.as_ref().is_some_and(|v| v.id.is_none()));

    let mut other = verification("pending");
    other.id = "v-2".into();
    update(
        &mut s,
        Action::VerificationStarted {
            finding_id: "f-000".into(),
            result: Ok(other),
        },
    );
    assert!(
        update(
            &mut s,
            Action::VerificationPolled {
                result: stale("passed")
            }
        )
        .is_empty()
    );
    assert!(s.modal.is_none(), "v-1 is not the run being followed");
    assert!(
        update(
            &mut s,
            Action::VerificationApproved {
                result: Err(http_error(500, "internal", "boom").into())
            }
        )
        .is_empty()
    );
    assert!(s.verify.is_some(), "nothing was approved yet");
}

#[test]
fn switching_project_stops_following_the_verification() {
    use krafter::app::switch::{SessionChange, SwitchTarget};
    let mut s = findings_pane();
    s.targets = vec![
        SwitchTarget::Project("production-website".into()),
        SwitchTarget::Project("customer-portal".into()),
    ];
    started(&mut s, "pending");
    assert!(s.verify.is_some());
    let effects = press(&mut s, &[ch('P'), ch('j'), key(KeyCode::Enter)]);
    let [Effect::Switch { generation, target }] = effects.as_slice() else {
        panic!("expected a switch, got {effects:?}");
    };
    let portal = SessionChange {
        profile: "demo".into(),
        base_url: "http://127.0.0.1:8787/api/v1".into(),
        org_id: "3b6f0c2e-5d1a-4c39-9e7b-2f8a1d4c6e90".into(),
        project_id: "customer-portal".into(),
        ..SessionChange::default()
    };
    update(
        &mut s,
        Action::Switched {
            generation: *generation,
            target: target.clone(),
            result: Ok(portal),
        },
    );
    assert!(s.verify.is_none());
    assert!(
        s.toasts
            .iter()
            .any(|t| t.text.contains("verification goes on in the project")),
        "{:?}",
        s.toasts
    );
    // Its late answer asks nothing of the new project.
    let effects = update(
        &mut s,
        Action::VerificationPolled {
            result: Ok(verification("passed")),
        },
    );
    assert!(effects.is_empty() && s.modal.is_none());
}
