//! The session: switching profile or project, and quitting without losing
//! track of a running bulk job's changes.

use super::{bulk, command_center};
use crate::app::effect::Effect;
use crate::app::state::{
    AppState, CommandCenterState, Connection, FindingsState, Modal, Pane, PendingSwitch,
};
use crate::app::switch::{SessionChange, SwitchTarget};
use crate::sanitize::sanitize;

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

/// `P`: opens the switcher on the active target.
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
        .position(|t| state.is_active(t))
        .unwrap_or(0);
    state.modal = Some(Modal::Switcher { selected });
    Vec::new()
}

/// A target chosen in the switcher: the runtime opens it.
pub fn choose(state: &mut AppState, selected: usize) -> Vec<Effect> {
    if refused_while_switching(state) {
        return Vec::new();
    }
    if state.bulk_running() {
        state.toast(
            "a bulk change is still running: wait for it to finish, or stop it (c in its overlay), then switch",
            true,
        );
        return Vec::new();
    }
    let Some(target) = state.targets.get(selected).cloned() else {
        return Vec::new();
    };
    if state.is_active(&target) {
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
    if !state.awaits_switch(generation) {
        return Vec::new();
    }
    state.switching = None;
    let change = match result {
        Ok(change) => change,
        Err(why) => {
            let now = format!(
                "profile {} · project {}",
                sanitize(&state.session.profile),
                sanitize(&state.session.project_id)
            );
            state.toast(format!("{}; still on {now}", sanitize(&why)), true);
            return Vec::new();
        }
    };
    // The list's view and position are the old project's to come back to.
    let mut remembered = super::views::remember(state);
    // Marks belong to their project: kept for coming back to it.
    let left = state.project_key();
    let marks = std::mem::take(&mut state.findings.marks);
    if !marks.is_empty() {
        state.saved_marks.insert(left, marks);
    }
    let s = &mut state.session;
    s.profile = change.profile;
    s.base_url = change.base_url;
    s.org_id = change.org_id;
    s.project_id = change.project_id;
    s.read_only = change.read_only;
    s.people = change.people;
    s.allow_private_targets = change.allow_private_targets;
    s.web_url = change.web_url;
    if !change.views.is_empty() {
        state.views = crate::app::state::ViewsState::new(change.views);
    }
    let marks = state
        .saved_marks
        .remove(&state.project_key())
        .unwrap_or_default();
    state.findings = FindingsState {
        generation: state.findings.generation,
        sort: state.findings.sort,
        marks,
        ..FindingsState::default()
    };
    state.command_center = CommandCenterState {
        generation: state.command_center.generation,
        ..CommandCenterState::default()
    };
    state.detail = None;
    state.remediation = state.remediation.for_new_session();
    if state.pane == Pane::Detail {
        state.pane = Pane::Findings;
    }
    state.last_error = None;
    state.connection = Connection::Connecting;
    state.alerts.switched();
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
    super::views::restore(state);
    let mut effects = command_center::refresh_all(state);
    effects.append(&mut remembered);
    // The remediation pane on screen loads for the new project.
    effects.extend(super::panes::show(state, state.pane));
    effects
}

/// Quit asked for (q, ctrl-c, or a signal when `force`). While a bulk job
/// runs, it asks first; forced, it quits and reports what was left undone.
pub fn request_quit(state: &mut AppState, force: bool) -> Vec<Effect> {
    if !state.bulk_running() {
        bulk::quit(state);
        return super::views::remember(state);
    }
    if force || state.quit_after_bulk || matches!(state.modal, Some(Modal::ConfirmQuit)) {
        bulk::quit(state);
        return super::views::remember(state);
    }
    state.modal = Some(Modal::ConfirmQuit);
    Vec::new()
}

/// The answer to "quit while a bulk change runs?": yes pauses the job
/// (the change in flight answers) and quits; the journal keeps the rest
/// for resuming.
pub fn confirm_quit(state: &mut AppState, yes: bool) -> Vec<Effect> {
    if !yes {
        return Vec::new();
    }
    if !state.bulk_running() {
        // It finished while the dialog was open: nothing is left to stop.
        bulk::quit(state);
        return Vec::new();
    }
    bulk::pause_then_quit(state)
}
