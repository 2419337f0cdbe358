//! The pure update: `update(&mut AppState, Action) -> Vec<Effect>`.
//!
//! No I/O happens here; the runtime runs the effects and feeds the answers
//! back as actions, so every behaviour can be tested by feeding actions.
//! One file per feature, each with its keys, its effects and its results;
//! this file only routes actions to them.

mod act;
mod alerts;
mod bulk;
mod change;
mod changes;
mod clock;
mod command_center;
mod command_line;
mod detail;
mod errors;
mod groups;
mod input;
mod list;
mod panes;
mod regressions;
mod report;
mod reported;
mod scan;
mod session;
mod sla;
mod sort;
mod task_change;
mod tasks;
mod unanswered;
mod unavailable;
mod verifications;
mod verify;
mod views;

use super::action::Action;
use super::effect::Effect;
use super::state::AppState;

/// Applies one action to the state and returns the effects to run.
pub fn update(state: &mut AppState, action: Action) -> Vec<Effect> {
    if is_answer(&action) {
        state.in_flight = state.in_flight.saturating_sub(1);
    }
    // Typing in `/` only marks the list stale; anything else that reads the
    // list sees it recomputed first (the runtime does so before a frame).
    let typing = state.modal.is_none() && state.findings.filter_input.is_some();
    if matches!(action, Action::Mouse(_) | Action::Resize(..))
        || (matches!(action, Action::Key(_)) && !typing)
    {
        state.findings.settle();
    }
    let effects = match action {
        Action::Key(key) => input::on_key(state, key),
        Action::Mouse(mouse) => input::on_mouse(state, mouse),
        Action::Tick { now, wall } => {
            let mut effects = clock::tick(state, now, wall);
            effects.extend(list::search_due(state));
            effects
        }
        Action::Resize(w, h) => {
            state.size = (w, h);
            list::keep_in_view(state);
            Vec::new()
        }
        Action::RefreshDue => alerts::auto_refresh(state),
        Action::Terminate => session::request_quit(state, true),
        Action::Budget(budget) => {
            state.budget = budget;
            Vec::new()
        }
        Action::CommandCenterLoaded { generation, result } => {
            let effects = command_center::loaded(state, generation, result);
            alerts::command_center_seen(state);
            effects
        }
        Action::Refreshed { generation, result } => {
            let ok = result.is_ok();
            let mut effects = alerts::refreshed(state, generation, result);
            if ok {
                effects.extend(views::refresh_counts(state));
            }
            effects
        }
        Action::ChangesLoaded { generation, result } => changes::loaded(state, generation, result),
        Action::FindingsPage {
            generation,
            offset,
            result,
        } => list::page_loaded(state, generation, offset, result),
        Action::SearchAnswered { seq, query, result } => {
            list::search_answered(state, seq, query, result)
        }
        Action::FindingLoaded { generation, result } => detail::loaded(state, generation, result),
        Action::Patched { request, result } => change::patched(state, request, result),
        Action::Rechecked { request, result } => change::rechecked(state, request, result),
        Action::ScanStarted { result } => scan::started(state, result),
        Action::PollSent => {
            state.in_flight += 1;
            Vec::new()
        }
        Action::ScanPolled { result } => scan::polled(state, result),
        Action::VerificationStarted { finding_id, result } => {
            verify::started(state, &finding_id, result)
        }
        Action::VerificationPolled { result } => verify::polled(state, result),
        Action::VerificationApproved { result } => verify::approved(state, result),
        Action::BulkRead {
            request,
            read,
            total,
        } => bulk::read(state, request, read, total),
        Action::BulkPlanned { request, result } => bulk::planned(state, request, result),
        Action::BulkStarted { request, result } => bulk::started(state, request, result),
        Action::BulkEvent { job, event } => bulk::event(state, &job, *event),
        Action::UnfinishedFound { result } => bulk::unfinished(state, result),
        Action::HistoryLoaded { generation, result } => {
            detail::history_loaded(state, generation, result)
        }
        Action::Switched {
            generation,
            target,
            result,
        } => session::switched(state, generation, target, result),
        Action::TasksPage { generation, result } => tasks::page_loaded(state, generation, result),
        Action::TaskCreated { request, result } => task_change::created(state, request, result),
        Action::TaskPatched { request, result } => task_change::patched(state, request, result),
        Action::VerificationsLoaded { generation, result } => {
            verifications::loaded(state, generation, result)
        }
        Action::RegressionsLoaded { generation, result } => {
            regressions::loaded(state, generation, result)
        }
        Action::ReportLoaded { generation, result } => report::loaded(state, generation, result),
        Action::TitlesLoaded { findings } => regressions::titles_loaded(state, findings),
        Action::OpenRegressions { result } => regressions::open_loaded(state, result),
        Action::PolicyLoaded { result } => sla::policy_loaded(state, result),
        Action::ViewCounted {
            generation,
            index,
            result,
        } => views::counted(state, generation, index, result),
        Action::ViewSaved { view, result } => views::saved(state, view, result),
        Action::OpenFailed { url, why } => act::open_failed(state, &url, &why),
    };
    state.in_flight += effects.iter().map(Effect::answers).sum::<usize>();
    effects
}

/// Effects to run when the TUI opens: the command center, the first page,
/// and a look for a bulk job an earlier run left unfinished.
pub fn start(state: &mut AppState) -> Vec<Effect> {
    views::restore(state);
    let mut effects = command_center::refresh_all(state);
    effects.push(Effect::FindUnfinished);
    state.in_flight += effects.iter().map(Effect::answers).sum::<usize>();
    effects
}

/// The command line's parser and completion, for tests and the help.
pub use command_line::{HISTORY_FILE, complete, edit_distance};
/// The file of remembered views in the state directory.
pub use views::REMEMBERED_FILE;

/// True for the actions that answer one effect.
fn is_answer(action: &Action) -> bool {
    matches!(
        action,
        Action::CommandCenterLoaded { .. }
            | Action::Refreshed { .. }
            | Action::ChangesLoaded { .. }
            | Action::FindingsPage { .. }
            | Action::FindingLoaded { .. }
            | Action::SearchAnswered { .. }
            | Action::Patched { .. }
            | Action::Rechecked { .. }
            | Action::ScanStarted { .. }
            | Action::ScanPolled { .. }
            | Action::VerificationStarted { .. }
            | Action::VerificationPolled { .. }
            | Action::VerificationApproved { .. }
            | Action::BulkPlanned { .. }
            | Action::BulkStarted { .. }
            | Action::UnfinishedFound { .. }
            | Action::HistoryLoaded { .. }
            | Action::Switched { .. }
            | Action::TasksPage { .. }
            | Action::TaskCreated { .. }
            | Action::TaskPatched { .. }
            | Action::VerificationsLoaded { .. }
            | Action::RegressionsLoaded { .. }
            | Action::ReportLoaded { .. }
            | Action::TitlesLoaded { .. }
            | Action::ViewCounted { .. }
            | Action::ViewSaved { .. }
    )
}
