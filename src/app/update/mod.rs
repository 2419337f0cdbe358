//! The pure update: `update(&mut AppState, Action) -> Vec<Effect>`.
//!
//! No I/O happens here; the worker runs the effects and feeds the answers
//! back as actions, so every behaviour can be tested by feeding actions.

mod change;
mod keys;
mod list;
mod modal;
mod results;
mod session;
mod verify;

use super::action::Action;
use super::effect::Effect;
use super::state::{AppState, INFO_TOAST_TTL, SCAN_LINE_TTL};

pub use change::short_id as short_owner;
pub use keys::open_detail;
pub use list::{filter_line_shown, recompute_visible};
pub use modal::{FILTER_FIELDS, assign_choices, filter_values};
pub use session::{awaits_switch, bulk_running, exit_report, is_active};

/// Applies one action to the state and returns the effects to run.
pub fn update(state: &mut AppState, action: Action) -> Vec<Effect> {
    if is_answer(&action) {
        state.in_flight = state.in_flight.saturating_sub(1);
    }
    let effects = match action {
        Action::Key(key) => keys::on_key(state, key),
        Action::Mouse(mouse) => keys::on_mouse(state, mouse),
        Action::Tick { now, wall } => {
            state.now = now;
            state.wall = wall;
            if state.in_flight > 0 {
                state.spinner = state.spinner.wrapping_add(1);
            }
            state
                .toasts
                .retain(|t| t.error || now.saturating_duration_since(t.created) < INFO_TOAST_TTL);
            // A finished scan's line makes room for the rest of the bar.
            if state
                .scan
                .as_ref()
                .and_then(|s| s.finished_at)
                .is_some_and(|at| now.saturating_duration_since(at) >= SCAN_LINE_TTL)
            {
                state.scan = None;
            }
            Vec::new()
        }
        Action::Resize(w, h) => {
            state.size = (w, h);
            list::keep_in_view(state, (w, h));
            Vec::new()
        }
        Action::RefreshDue => results::auto_refresh(state),
        Action::Terminate => session::request_quit(state, true),
        Action::Budget(budget) => {
            state.budget = budget;
            Vec::new()
        }
        Action::CommandCenterLoaded { generation, result } => {
            results::command_center(state, generation, result)
        }
        Action::FindingsPage {
            generation,
            offset,
            result,
        } => results::findings_page(state, generation, offset, result),
        Action::FindingLoaded { generation, result } => results::finding(state, generation, result),
        Action::Patched { request, result } => results::patched(state, request, result),
        Action::ScanStarted { result } => results::scan_started(state, result),
        Action::PollSent => {
            state.in_flight += 1;
            Vec::new()
        }
        Action::ScanPolled { result } => results::scan_polled(state, result),
        Action::VerificationStarted { finding_id, result } => {
            verify::started(state, &finding_id, result)
        }
        Action::VerificationPolled { result } => verify::polled(state, result),
        Action::VerificationApproved { result } => verify::approved(state, result),
        Action::BulkItem {
            job,
            finding_id,
            result,
        } => results::bulk_item(state, job, &finding_id, result),
        Action::BulkCancelled { job, not_sent } => session::bulk_cancelled(state, job, not_sent),
        Action::Switched {
            generation,
            target,
            result,
        } => session::switched(state, generation, target, result),
    };
    state.in_flight += effects.iter().map(Effect::answers).sum::<usize>();
    effects
}

/// Effects to run when the TUI opens: the command center and the first page.
pub fn start(state: &mut AppState) -> Vec<Effect> {
    let mut effects = results::refresh_all(state);
    state.in_flight += effects.iter().map(Effect::answers).sum::<usize>();
    effects.shrink_to_fit();
    effects
}

/// True for the actions that answer one effect.
fn is_answer(action: &Action) -> bool {
    matches!(
        action,
        Action::CommandCenterLoaded { .. }
            | Action::FindingsPage { .. }
            | Action::FindingLoaded { .. }
            | Action::Patched { .. }
            | Action::ScanStarted { .. }
            | Action::ScanPolled { .. }
            | Action::VerificationStarted { .. }
            | Action::VerificationPolled { .. }
            | Action::VerificationApproved { .. }
            | Action::BulkItem { .. }
            | Action::Switched { .. }
    )
}
