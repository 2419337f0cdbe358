//! Switching profile or project, stopping a bulk job, and quitting without
//! losing track of a bulk job's changes.

use super::results;
use crate::app::effect::Effect;
use crate::app::state::{AppState, CommandCenterState, FindingsState, Modal, Pane, PendingSwitch};
use crate::app::switch::{SessionChange, SwitchTarget};
use crate::sanitize::sanitize;

/// True while a bulk job still has PATCHes to send or answers to get.
pub fn bulk_running(state: &AppState) -> bool {
    state.bulk.as_ref().is_some_and(|b| !b.finished)
}

/// True when `target` is what the session is on now.
pub fn is_active(state: &AppState, target: &SwitchTarget) -> bool {
    match target {
        SwitchTarget::Profile(name) => *name == state.session.profile,
        SwitchTarget::Project(id) => *id == state.session.project_id,
    }
}

/// True when a switch of this generation is the one awaited: the event
/// loop installs its client only then.
pub fn awaits_switch(state: &AppState, generation: u64) -> bool {
    state
        .switching
        .as_ref()
        .is_some_and(|p| p.generation == generation)
}

/// While a switch is loading, says so and returns true: whatever would
/// change data now would go to the project being left, and a menu opened
/// now would carry its ids into the new one.
pub fn refused_while_switching(state: &mut AppState) -> bool {
    let Some(pending) = &state.switching else {
        return false;
    };
    let text = format!(
        "switching to {}…: changes and another switch wait until it is open",
        sanitize(&pending.target.label())
    );
    state.toast(text, false);
    true
}

/// Opens the switcher on the active target.
pub fn open_switcher(state: &mut AppState) -> Vec<Effect> {
    if refused_while_switching(state) {
        return Vec::new();
    }
    if state.targets.is_empty() {
        state.toast(
            "nothing to switch to: add [profiles.NAME] tables to the config file (see config.example.toml)",
            false,
        );
        return Vec::new();
    }
    let selected = state
        .targets
        .iter()
        .position(|t| is_active(state, t))
        .unwrap_or(0);
    state.modal = Some(Modal::Switcher { selected });
    Vec::new()
}

/// Enter in the switcher: asks the event loop to open the target.
pub fn choose(state: &mut AppState, selected: usize) -> Vec<Effect> {
    if refused_while_switching(state) {
        return Vec::new();
    }
    if bulk_running(state) {
        state.toast(
            "a bulk change is still running: wait for it to finish, or stop it (c in its overlay), then switch",
            true,
        );
        return Vec::new();
    }
    let Some(target) = state.targets.get(selected).cloned() else {
        return Vec::new();
    };
    if is_active(state, &target) {
        state.toast(format!("already on {}", sanitize(&target.label())), false);
        return Vec::new();
    }
    state.toast(format!("opening {}…", sanitize(&target.label())), false);
    let generation = state.request_id();
    state.switching = Some(PendingSwitch {
        target: target.clone(),
        generation,
    });
    vec![Effect::Switch { generation, target }]
}

/// The target is open: everything shown belongs to the old one, so it is
/// cleared, and new generations make late answers for it be dropped.
/// An answer for a switch that is not the one awaited changes nothing.
pub fn switched(
    state: &mut AppState,
    generation: u64,
    target: SwitchTarget,
    result: Result<SessionChange, String>,
) -> Vec<Effect> {
    if !awaits_switch(state, generation) {
        return Vec::new();
    }
    state.switching = None;
    let change = match result {
        Ok(change) => change,
        Err(why) => {
            let now = current_label(state);
            state.toast(format!("{}; still on {now}", sanitize(&why)), true);
            return Vec::new();
        }
    };
    let s = &mut state.session;
    s.profile = change.profile;
    s.base_url = change.base_url;
    s.org_id = change.org_id;
    s.project_id = change.project_id;
    s.me = change.me;
    s.read_only = change.read_only;
    s.people = change.people;
    state.findings = FindingsState {
        generation: state.findings.generation,
        sort: state.findings.sort,
        ..FindingsState::default()
    };
    state.command_center = CommandCenterState {
        generation: state.command_center.generation,
        ..CommandCenterState::default()
    };
    state.detail = None;
    if state.pane == Pane::Detail {
        state.pane = Pane::Findings;
    }
    state.last_error = None;
    state.connection = crate::app::state::Connection::Connecting;
    state.bulk = None;
    // Menus opened while it loaded offer the old session's people and
    // filters. Single changes still unanswered keep their entries: their
    // outcome is reported when it comes.
    state.modal = None;
    state.toast(format!("switched to {}", sanitize(&target.label())), false);
    // Its polls would ask the new project; the server finishes it anyway.
    if let Some(scan) = state.scan.take().filter(|s| s.is_followed()) {
        state.toast(
            format!(
                "the scan of {} goes on in the project it was started in; switch back to see its findings",
                sanitize(&scan.url)
            ),
            false,
        );
    }
    // Its polls and approval would go to the new project.
    if state.verify.take().is_some() {
        state.toast(
            "the verification goes on in the project it was started in; switch back and press V to check it again",
            false,
        );
    }
    for warning in change.warnings {
        state.toast(warning, true);
    }
    results::refresh_all(state)
}

fn current_label(state: &AppState) -> String {
    format!(
        "profile {} · project {}",
        sanitize(&state.session.profile),
        sanitize(&state.session.project_id)
    )
}

/// `c` in the bulk overlay: no further PATCH is sent.
pub fn cancel_bulk(state: &mut AppState) -> Vec<Effect> {
    let Some(b) = state.bulk.as_mut().filter(|b| !b.finished && !b.cancelling) else {
        return Vec::new();
    };
    b.cancelling = true;
    let job = b.job;
    state.toast(
        "stopping the bulk change: the change in flight finishes, the rest is not sent",
        false,
    );
    vec![Effect::CancelBulk { job }]
}

/// The worker stopped a cancelled job before sending these ids.
pub fn bulk_cancelled(state: &mut AppState, job: u64, not_sent: Vec<String>) -> Vec<Effect> {
    // These were counted as answers to come when the job started.
    state.in_flight = state.in_flight.saturating_sub(not_sent.len());
    let Some(b) = state.bulk.as_mut().filter(|b| b.job == job) else {
        return Vec::new();
    };
    b.not_sent.extend(not_sent);
    finish_bulk_if_done(state)
}

/// Ends a bulk job once every finding is accounted for: applied, refused
/// or not sent. The overlay stays up when anything was not applied.
pub fn finish_bulk_if_done(state: &mut AppState) -> Vec<Effect> {
    let Some(b) = state.bulk.as_mut() else {
        return Vec::new();
    };
    if b.finished || b.done + b.not_sent.len() < b.total {
        return Vec::new();
    }
    b.finished = true;
    let (applied, refused, not_sent) = (b.applied(), b.failures.len(), b.not_sent.len());
    let text = if not_sent == 0 {
        format!(
            "{}: {applied} of {} done, {refused} refused",
            b.what, b.total
        )
    } else {
        format!(
            "{} stopped: {applied} applied, {refused} refused, {not_sent} not sent",
            b.what
        )
    };
    // Each applied finding was unmarked as it answered; the ones not
    // changed stay marked for another try.
    let incomplete = refused + not_sent > 0;
    if incomplete && state.modal.is_none() {
        state.modal = Some(Modal::Bulk);
    }
    state.toast(text, incomplete);
    if state.quit_after_bulk {
        state.exit_report = exit_report(state);
        state.quit = true;
        return Vec::new();
    }
    results::refresh_command_center(state)
}

/// Quit asked for (q, ctrl-c, or a signal when `force`). While a bulk job
/// runs, it asks first; forced, it quits and reports what was left undone.
pub fn request_quit(state: &mut AppState, force: bool) -> Vec<Effect> {
    if !bulk_running(state) {
        state.quit = true;
        return Vec::new();
    }
    if force || state.quit_after_bulk || matches!(state.modal, Some(Modal::ConfirmQuit)) {
        state.exit_report = exit_report(state);
        state.quit = true;
        return Vec::new();
    }
    state.modal = Some(Modal::ConfirmQuit);
    Vec::new()
}

/// `y` in the quit dialog: stop the job, and quit once it has answered.
pub fn confirm_quit(state: &mut AppState) -> Vec<Effect> {
    if !bulk_running(state) {
        // It finished while the dialog was open: nothing is left to stop.
        state.exit_report = exit_report(state);
        state.quit = true;
        return Vec::new();
    }
    state.quit_after_bulk = true;
    state.modal = Some(Modal::Bulk);
    let effects = cancel_bulk(state);
    state.toast(
        "quitting once the change in flight answers; ctrl-c again quits at once",
        false,
    );
    effects
}

/// What a bulk job that did not finish cleanly left undone, for the
/// terminal after quitting; `None` when nothing was left undone.
pub fn exit_report(state: &AppState) -> Option<String> {
    let b = state.bulk.as_ref()?;
    // One PATCH at a time, in order: the first unanswered one may be on
    // the wire; the ones after it were never sent.
    let unanswered = b.unanswered();
    let (in_flight, later) = unanswered.split_at(unanswered.len().min(1));
    let unsent: Vec<String> = b.not_sent.iter().chain(later).cloned().collect();
    if b.failures.is_empty() && unsent.is_empty() && in_flight.is_empty() {
        return None;
    }
    let name = |id: &String| match state.finding(id) {
        Some(f) => format!("{} “{}”", sanitize(id), sanitize(&f.title)),
        None => sanitize(id).into_owned(),
    };
    let mut out = format!(
        "krafter: the bulk change “{}” did not finish: {} applied, {} refused, {} not sent, {} outcome unknown.",
        b.what,
        b.applied(),
        b.failures.len(),
        unsent.len(),
        in_flight.len()
    );
    for (who, why) in &b.failures {
        out.push_str(&format!("\n  refused: {who}: {why}"));
    }
    for id in &unsent {
        out.push_str(&format!("\n  not sent: {}", name(id)));
    }
    for id in in_flight {
        out.push_str(&format!(
            "\n  sent, no answer yet (check with `krafter finding {}`): {}",
            sanitize(id),
            name(id)
        ));
    }
    out.push_str("\nRun krafter again and apply the change to the findings not changed.");
    Some(out)
}
