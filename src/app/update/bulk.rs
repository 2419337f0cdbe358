//! A change to the marked findings, through the bulk engine: read what it
//! applies to (with progress), preview it (nothing is sent yet; a dismissal
//! asks why), then run it journalled, with pause, resume and cancel, until a
//! report whose failures can be retried and whose changes can be undone.
//! An unfinished job of an earlier run is offered at start.

use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::command_center;
use super::reported::{self, Fields, Told};
use crate::api::model::{FindingPatch, FindingStatus};
use crate::app::effect::{BulkControl, Effect};
use crate::app::state::{AppState, BulkJob, BulkPhase, Modal, PreviewStep};
use crate::engine::bulk::plan::Pick;
use crate::engine::bulk::{Event, PauseCause, Preview};
use crate::journal::{Change, Item, JobId, JobRecord, NewJob, Outcome, Reason, Scope};
use crate::sanitize::sanitize;

/// Starts a bulk change of the marks: reads them first (nothing is sent
/// before the preview is confirmed).
pub fn plan(state: &mut AppState, patch: FindingPatch, what: String) -> Vec<Effect> {
    if let Some(refusal) = busy(state) {
        state.toast(refusal, false);
        return Vec::new();
    }
    let pick = state.findings.marks.pick();
    let change = Change::from_patch(&patch);
    read_selection(state, what, change, pick)
}

/// Why another bulk job cannot start now, if it cannot.
fn busy(state: &AppState) -> Option<&'static str> {
    state
        .bulk
        .as_ref()
        .filter(|b| b.is_active())
        .map(|_| "a bulk change is already under way: finish, cancel or close it first")
}

/// Progress of the reading.
pub fn read(state: &mut AppState, request: u64, read: u64, total: Option<u64>) -> Vec<Effect> {
    if let Some(b) = ours(state, request)
        && let BulkPhase::Reading { .. } = b.phase
    {
        b.phase = BulkPhase::Reading { read, total };
    }
    Vec::new()
}

/// The job is read and previewed: the preview waits for the user.
pub fn planned(
    state: &mut AppState,
    request: u64,
    result: Result<Box<Preview>, String>,
) -> Vec<Effect> {
    let Some(b) = ours(state, request) else {
        return Vec::new();
    };
    match result {
        Ok(preview) => {
            let dismissing = b.change.status == Some(FindingStatus::Dismissed);
            b.phase = BulkPhase::Preview(Box::new(PreviewStep {
                preview: *preview,
                reason: dismissing.then_some(0),
                comment: Input::default(),
            }));
            state.modal = Some(Modal::BulkPreview);
        }
        Err(why) => {
            b.phase = BulkPhase::Failed(format!("nothing was sent: {}", sanitize(&why)));
            state.modal = Some(Modal::Bulk);
        }
    }
    Vec::new()
}

/// A key typed in the preview's comment field.
pub fn type_comment(state: &mut AppState, key: crossterm::event::KeyEvent) -> Vec<Effect> {
    if let Some(step) = preview_step(state) {
        step.comment
            .handle_event(&crossterm::event::Event::Key(key));
    }
    Vec::new()
}

/// Up or down in the preview's reason list (dismissals only).
pub fn move_reason(state: &mut AppState, delta: isize) -> Vec<Effect> {
    if let Some(step) = preview_step(state)
        && let Some(r) = step.reason.as_mut()
    {
        let last = Reason::ALL.len() as isize - 1;
        *r = (*r as isize + delta).clamp(0, last) as usize;
    }
    Vec::new()
}

fn preview_step(state: &mut AppState) -> Option<&mut PreviewStep> {
    match &mut state.bulk.as_mut()?.phase {
        BulkPhase::Preview(step) => Some(step),
        _ => None,
    }
}

/// Esc in the preview: nothing is sent, the marks stay.
pub fn cancel_preview(state: &mut AppState) -> Vec<Effect> {
    state.bulk = None;
    state.modal = None;
    state.toast("nothing sent; the marks are kept", false);
    Vec::new()
}

/// Enter in the preview: the job is recorded, then sent.
pub fn run(state: &mut AppState) -> Vec<Effect> {
    let scope = Scope {
        base_url: state.session.base_url.clone(),
        org_id: state.session.org_id.clone(),
        project_id: state.session.project_id.clone(),
    };
    let profile = state.session.profile.clone();
    let Some(b) = state.bulk.as_mut() else {
        return Vec::new();
    };
    let BulkPhase::Preview(step) = &b.phase else {
        return Vec::new();
    };
    if step.preview.requests() == 0 {
        state.bulk = None;
        state.modal = None;
        state.toast(
            "nothing to send: every marked finding is skipped or already so",
            false,
        );
        return Vec::new();
    }
    let comment = step.comment.value().trim();
    let record = NewJob {
        profile,
        scope,
        selection: match &b.undo_of {
            Some(job) => crate::journal::Selection::UndoOf { job: job.clone() },
            None => b.pick.selection(),
        },
        change: if b.undo_of.is_some() {
            Change::default()
        } else {
            b.change.clone()
        },
        reason: step.chosen_reason(),
        comment: (!comment.is_empty()).then(|| comment.to_string()),
        undo_of: b.undo_of.clone(),
    };
    let preview = Box::new(step.preview.clone());
    b.phase = BulkPhase::Starting;
    let request = b.request;
    state.modal = Some(Modal::Bulk);
    vec![Effect::RunBulk {
        request,
        record: Box::new(record),
        preview,
    }]
}

/// The job was recorded and started (or not).
pub fn started(state: &mut AppState, request: u64, result: Result<JobId, String>) -> Vec<Effect> {
    let Some(b) = ours(state, request) else {
        return Vec::new();
    };
    b.phase = match result {
        Ok(job) => BulkPhase::Running {
            job,
            progress: None,
            paused: None,
            cancelling: false,
        },
        Err(why) => BulkPhase::Failed(format!("not started: {}", sanitize(&why))),
    };
    Vec::new()
}

/// The running job said something.
pub fn event(state: &mut AppState, job: &str, event: Event) -> Vec<Effect> {
    if let Event::Item(item) = &event {
        log_item(job, item);
    }
    let running = state.bulk.as_ref().and_then(|b| match &b.phase {
        BulkPhase::Running { job: id, .. } if id == job => Some(()),
        _ => None,
    });
    if running.is_none() {
        return Vec::new();
    }
    match event {
        Event::Progress(p) => set_running(state, |progress, _, _| *progress = Some(Box::new(p))),
        Event::Paused(cause) => {
            set_running(state, |_, paused, _| *paused = Some(cause));
            if state.quit_after_bulk {
                return quit_now(state);
            }
            Vec::new()
        }
        Event::Resumed => set_running(state, |_, paused, _| *paused = None),
        Event::Item(item) => {
            applied(state, &item);
            Vec::new()
        }
        Event::Finished(report) => finished(state, *report),
    }
}

fn set_running(
    state: &mut AppState,
    change: impl FnOnce(
        &mut Option<Box<crate::engine::bulk::Progress>>,
        &mut Option<PauseCause>,
        &mut bool,
    ),
) -> Vec<Effect> {
    if let Some(BulkPhase::Running {
        progress,
        paused,
        cancelling,
        ..
    }) = state.bulk.as_mut().map(|b| &mut b.phase)
    {
        change(progress, paused, cancelling);
    }
    Vec::new()
}

/// Notes in the log what the job's report says of an item (whether or not
/// its report is on screen: the journal keeps it for the report).
fn log_item(job: &str, item: &Item) {
    let told = match &item.outcome {
        Outcome::Updated { .. } => Some(Told::Applied),
        Outcome::Skipped { .. } | Outcome::Failed { .. } => Some(Told::Failed),
        Outcome::InFlight => Some(Told::Unknown),
        Outcome::Pending | Outcome::Unchanged | Outcome::NotSent { .. } => None,
    };
    if let Some(told) = told {
        let fields = Fields {
            status: item.change.status.as_ref(),
            owner: item.change.owner.as_ref().map(Option::as_deref),
            severity: item.change.severity.as_ref(),
        };
        reported::log(&item.finding_id, fields, told, job);
    }
}

/// An item got its outcome: an applied change shows at once in the list.
fn applied(state: &mut AppState, item: &Item) {
    if let Outcome::Updated { .. } = item.outcome {
        let change = item.change.clone();
        state.change_finding(&item.finding_id, |f| {
            if let Some(s) = &change.status {
                f.status = s.clone();
            }
            if let Some(o) = &change.owner {
                f.owner_id = o.clone();
            }
            if let Some(s) = &change.severity {
                f.severity = s.clone();
            }
        });
    }
}

/// The job ended: the findings it did not change stay marked (and only
/// they), the report stays up, the numbers are refreshed.
fn finished(state: &mut AppState, report: crate::engine::bulk::Report) -> Vec<Effect> {
    let left: Vec<String> = report
        .items
        .iter()
        .filter(|i| !matches!(i.outcome, Outcome::Updated { .. } | Outcome::Unchanged))
        .map(|i| i.finding_id.clone())
        .collect();
    let c = &report.counts;
    let text = format!(
        "{}: {} updated, {} already so, {} skipped, {} failed{}",
        state
            .bulk
            .as_ref()
            .map_or("bulk change".into(), |b| b.what.clone()),
        c.updated,
        c.unchanged,
        c.skipped,
        c.failed,
        if report.left() > 0 {
            format!(", {} not sent", report.left())
        } else {
            String::new()
        }
    );
    let clean = report.all_applied();
    state.findings.marks.replace_with_ids(left);
    if let Some(b) = state.bulk.as_mut() {
        b.phase = BulkPhase::Done(Box::new(report));
    }
    if !clean && state.modal.is_none() {
        state.modal = Some(Modal::Bulk);
    }
    state.toast(text, !clean);
    if state.quit_after_bulk {
        return quit_now(state);
    }
    // The loaded rows already show each applied change; the numbers of
    // the command center are read again.
    command_center::refresh(state)
}

/// `p` in the overlay: pause, or resume a paused job.
pub fn toggle_pause(state: &mut AppState) -> Vec<Effect> {
    let Some(BulkPhase::Running { job, paused, .. }) = state.bulk.as_ref().map(|b| &b.phase) else {
        return Vec::new();
    };
    let control = if paused.is_some() {
        BulkControl::Resume
    } else {
        BulkControl::Pause
    };
    vec![Effect::ControlBulk {
        job: job.clone(),
        control,
    }]
}

/// `c` in the overlay: stop sending; the request in flight completes.
pub fn cancel(state: &mut AppState) -> Vec<Effect> {
    let Some(b) = state.bulk.as_mut() else {
        return Vec::new();
    };
    match &mut b.phase {
        BulkPhase::Running {
            job, cancelling, ..
        } if !*cancelling => {
            *cancelling = true;
            let job = job.clone();
            state.toast(
                "stopping the bulk change: the change in flight finishes, the rest is not sent",
                false,
            );
            vec![Effect::ControlBulk {
                job,
                control: BulkControl::Cancel,
            }]
        }
        BulkPhase::Reading { .. } => {
            // Nothing was sent: forget it; a late answer finds no job.
            state.bulk = None;
            state.modal = None;
            state.toast("stopped reading; nothing was sent", false);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// `r` in the report: the failed findings again, previewed first.
pub fn retry(state: &mut AppState) -> Vec<Effect> {
    let Some(b) = state.bulk.as_ref() else {
        return Vec::new();
    };
    let BulkPhase::Done(report) = &b.phase else {
        return Vec::new();
    };
    let failed: Vec<String> = report.failures().map(|i| i.finding_id.clone()).collect();
    if failed.is_empty() {
        state.toast("no failed finding to retry", false);
        return Vec::new();
    }
    let (what, change) = (b.what.clone(), b.change.clone());
    read_selection(state, what, change, Pick::Ids(failed))
}

/// `u` in the report: a new job that puts back what this one changed,
/// skipping findings changed by someone else since; previewed first.
pub fn undo(state: &mut AppState) -> Vec<Effect> {
    let Some(b) = state.bulk.as_ref() else {
        return Vec::new();
    };
    let BulkPhase::Done(report) = &b.phase else {
        return Vec::new();
    };
    if report.counts.updated == 0 {
        state.toast("this job changed nothing: there is nothing to undo", false);
        return Vec::new();
    }
    let job = report.job.id.clone();
    let request = state.request_id();
    let mut undo = BulkJob::new(
        request,
        format!("undo of job {}", short(&job)),
        Change::default(),
        Pick::Ids(Vec::new()),
        state.now,
    );
    undo.undo_of = Some(job.clone());
    state.bulk = Some(undo);
    state.modal = Some(Modal::Bulk);
    vec![Effect::PlanUndo { request, job }]
}

/// Esc in the overlay: a running job goes on (the status bar counts it);
/// an ended one is put away.
pub fn close_overlay(state: &mut AppState) -> Vec<Effect> {
    state.modal = None;
    if state.bulk.as_ref().is_some_and(|b| !b.is_active()) {
        state.bulk = None;
    }
    Vec::new()
}

/// The journal answered the start's question: an unfinished job is
/// offered for resuming.
pub fn unfinished(
    state: &mut AppState,
    result: Result<Option<(Box<JobRecord>, usize)>, String>,
) -> Vec<Effect> {
    match result {
        Ok(Some((job, left))) if state.modal.is_none() && state.bulk.is_none() => {
            state.modal = Some(Modal::ConfirmResume { job, left });
        }
        Ok(_) => {}
        Err(why) => state.toast(
            format!("the bulk journal could not be read: {}", sanitize(&why)),
            true,
        ),
    }
    Vec::new()
}

/// The answer to "resume the unfinished job?".
pub fn confirm_resume(state: &mut AppState, job: JobRecord, yes: bool) -> Vec<Effect> {
    if !yes {
        state.toast(
            format!(
                "job {} is kept: `krafter update --resume {}` or the next start sends the rest",
                short(&job.id),
                job.id
            ),
            false,
        );
        return Vec::new();
    }
    if state.session.read_only {
        state.toast("read-only mode: the job is not resumed", true);
        return Vec::new();
    }
    let request = state.request_id();
    let what = match &job.undo_of {
        Some(of) => format!("undo of job {}", short(of)),
        None => job.change.describe(),
    };
    let mut b = BulkJob::new(
        request,
        what,
        job.change.clone(),
        Pick::Ids(Vec::new()),
        state.now,
    );
    b.undo_of = job.undo_of.clone();
    b.phase = BulkPhase::Starting;
    state.bulk = Some(b);
    state.modal = Some(Modal::Bulk);
    vec![Effect::ResumeBulk {
        request,
        job: job.id,
    }]
}

/// Quitting while the job sends: pause it (the change in flight answers),
/// then quit; the journal keeps it for resuming.
pub fn pause_then_quit(state: &mut AppState) -> Vec<Effect> {
    state.quit_after_bulk = true;
    state.modal = Some(Modal::Bulk);
    state.toast(
        "pausing the bulk change, then quitting; ctrl-c again quits at once",
        false,
    );
    match state.bulk.as_ref().map(|b| &b.phase) {
        Some(BulkPhase::Running {
            job, paused: None, ..
        }) => vec![Effect::ControlBulk {
            job: job.clone(),
            control: BulkControl::Pause,
        }],
        _ => quit_now(state),
    }
}

fn quit_now(state: &mut AppState) -> Vec<Effect> {
    quit(state);
    Vec::new()
}

/// Ends the session: what a bulk job left undone and the single changes
/// still waiting for their answer are told once the terminal is back.
pub fn quit(state: &mut AppState) {
    let reports: Vec<String> = [exit_report(state), super::unanswered::report(state)]
        .into_iter()
        .flatten()
        .collect();
    state.exit_report = (!reports.is_empty()).then(|| reports.join("\n"));
    state.quit = true;
}

/// What a job that did not end leaves, for the terminal after quitting.
pub fn exit_report(state: &AppState) -> Option<String> {
    let b = state.bulk.as_ref()?;
    let job = b.job_id()?;
    let (done, total) = b.done_of();
    if !b.is_sending() || done >= total && total > 0 {
        return None;
    }
    Some(format!(
        "krafter: the bulk change “{}” (job {job}) stopped with {} of {total} left; \
         nothing is lost: `krafter update --resume {job}` or the next start of krafter \
         sends the rest (a change whose answer never came is sent again with the same value).",
        b.what,
        total.saturating_sub(done)
    ))
}

fn ours(state: &mut AppState, request: u64) -> Option<&mut BulkJob> {
    state.bulk.as_mut().filter(|b| b.request == request)
}

/// The first block of a job id.
fn short(job: &str) -> &str {
    job.split('-').next().unwrap_or(job)
}

/// Starts reading a job's selection for its preview, in the bulk overlay.
fn read_selection(state: &mut AppState, what: String, change: Change, pick: Pick) -> Vec<Effect> {
    let request = state.request_id();
    state.bulk = Some(BulkJob::new(
        request,
        what,
        change.clone(),
        pick.clone(),
        state.now,
    ));
    state.modal = Some(Modal::Bulk);
    vec![Effect::PlanBulk {
        request,
        pick,
        change,
    }]
}
