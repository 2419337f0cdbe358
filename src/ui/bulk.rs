//! The bulk change overlay: reading with progress, the running job
//! (done / skipped / failed / remaining, ETA, rate, paused), and the report
//! with every failure, its reason and request id.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::popup;
use super::text::fit;
use super::theme::Theme;
use crate::app::keymap::Intent;
use crate::app::state::{AppState, BulkJob, BulkPhase};
use crate::engine::bulk::eta::rate_text;
use crate::engine::bulk::{PauseCause, Report};
use crate::engine::duration::eta_text;
use crate::journal::Outcome;
use crate::sanitize::sanitize;

/// Failures listed in the overlay before "… and N more".
const LISTED: usize = 8;

/// Draws the bulk overlay.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let Some(b) = &state.bulk else {
        return;
    };
    let key = |i: Intent| state.keymap.key_of(i);
    let mut lines: Vec<Line> = Vec::new();
    let title = match &b.phase {
        BulkPhase::Reading { read, total } => {
            let of = total.map_or(String::new(), |t| format!(" of {t}"));
            lines.push(Line::raw(format!("reading the findings: {read}{of}…")));
            lines.push(Line::styled(
                "nothing is sent before the preview is confirmed",
                theme.dim(),
            ));
            lines.push(Line::styled(
                format!("{} stop reading", key(Intent::BulkStop)),
                theme.dim(),
            ));
            "Bulk change · reading"
        }
        BulkPhase::Preview(_) => return,
        BulkPhase::Starting => {
            lines.push(Line::raw("recording the job, then sending…"));
            "Bulk change · starting"
        }
        BulkPhase::Running {
            job,
            progress,
            paused,
            cancelling,
        } => {
            running(&mut lines, state, b, job, progress.as_deref(), theme);
            if let Some(cause) = paused {
                let why = match cause {
                    PauseCause::User => "paused".to_string(),
                    PauseCause::BudgetSpent(why) => format!("paused: {}", sanitize(why)),
                };
                lines.push(Line::styled(
                    format!("{why} · {} resumes", key(Intent::BulkPause)),
                    theme.error(),
                ));
            }
            let hint = if *cancelling {
                "stopping: the change in flight answers, the rest is not sent".to_string()
            } else {
                format!(
                    "{} pause/resume · {} cancel · {} hide (it keeps running)",
                    key(Intent::BulkPause),
                    key(Intent::BulkStop),
                    key(Intent::OverlayClose)
                )
            };
            lines.push(Line::styled(hint, theme.dim()));
            match (paused.is_some(), *cancelling) {
                (_, true) => "Bulk change · stopping",
                (true, false) => "Bulk change · paused",
                (false, false) => "Bulk change",
            }
        }
        BulkPhase::Done(report) => {
            done(&mut lines, state, b, report, theme);
            "Bulk change · report"
        }
        BulkPhase::Failed(why) => {
            lines.push(Line::styled(sanitize(why).into_owned(), theme.error()));
            lines.push(Line::styled(
                format!("{} closes; the marks are kept", key(Intent::OverlayClose)),
                theme.dim(),
            ));
            "Bulk change · not run"
        }
    };
    let height = (lines.len() as u16 + 2).min(area.height.saturating_sub(2));
    let rect = popup::centered(area, 72, height);
    let inner = popup::open(frame, rect, title, theme);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}

fn running(
    lines: &mut Vec<Line<'static>>,
    state: &AppState,
    b: &BulkJob,
    job: &str,
    progress: Option<&crate::engine::bulk::Progress>,
    theme: &Theme,
) {
    lines.push(Line::raw(format!(
        "{} · job {}",
        sanitize(&b.what),
        short(job)
    )));
    let Some(p) = progress else {
        lines.push(Line::styled("starting…", theme.dim()));
        return;
    };
    let c = &p.counts;
    let (done, total) = (p.done(), c.total);
    let bar_width = 40usize;
    let filled = (bar_width * done)
        .checked_div(total)
        .unwrap_or(0)
        .min(bar_width);
    lines.push(Line::raw(format!(
        "{}{} {:>3}%",
        "█".repeat(filled),
        "░".repeat(bar_width - filled),
        (done * 100).checked_div(total).unwrap_or(100)
    )));
    lines.push(Line::raw(format!(
        "{} updated · {} already so · {} skipped · {} failed · {} remaining",
        c.updated,
        c.unchanged,
        c.skipped,
        c.failed,
        p.remaining()
    )));
    let mut pace = format!("at {}", rate_text(&p.budget));
    let eta = eta_text(p.eta);
    if !eta.is_empty() {
        pace = format!("{eta} · {pace}");
    }
    if let Some(wait) = p.waiting.filter(|w| w.as_secs() >= 1) {
        pace.push_str(&format!(
            " · waiting {} for the rate limit",
            crate::engine::duration::human(wait)
        ));
    }
    lines.push(Line::raw(fit(&pace, 70)));
    let _ = state;
}

fn done(
    lines: &mut Vec<Line<'static>>,
    state: &AppState,
    b: &BulkJob,
    report: &Report,
    theme: &Theme,
) {
    let c = &report.counts;
    let key = |i: Intent| state.keymap.key_of(i);
    lines.push(Line::raw(format!(
        "{} · job {} {}",
        sanitize(&b.what),
        short(&report.job.id),
        report.job.state.as_str()
    )));
    lines.push(Line::raw(format!(
        "{} updated · {} already so · {} skipped · {} failed · {} not sent",
        c.updated,
        c.unchanged,
        c.skipped,
        c.failed,
        report.left()
    )));
    if let Some(message) = &report.job.message {
        lines.push(Line::styled(sanitize(message).into_owned(), theme.error()));
    }
    let troubles: Vec<_> = report
        .items
        .iter()
        .filter(|i| matches!(i.outcome, Outcome::Failed { .. } | Outcome::Skipped { .. }))
        .collect();
    if troubles.is_empty() {
        lines.push(Line::styled("nothing failed or skipped", theme.dim()));
    }
    for item in troubles.iter().take(LISTED) {
        let (word, why) = match &item.outcome {
            Outcome::Failed {
                reason, request_id, ..
            } => {
                let id = request_id
                    .as_deref()
                    .map_or(String::new(), |r| format!(" [request_id {}]", sanitize(r)));
                ("failed", format!("{}{id}", sanitize(reason)))
            }
            Outcome::Skipped { reason } => ("skipped", sanitize(reason).into_owned()),
            _ => continue,
        };
        lines.push(Line::raw(format!(
            "  {word}: “{}”: {why}",
            fit(&sanitize(&item.title), 30)
        )));
    }
    if troubles.len() > LISTED {
        lines.push(Line::raw(format!(
            "  … and {} more (krafter jobs, krafter update --resume)",
            troubles.len() - LISTED
        )));
    }
    let mut keys = Vec::new();
    if c.failed > 0 {
        keys.push(format!("{} retry the failed", key(Intent::BulkRetry)));
    }
    if c.updated > 0 && report.job.undo_of.is_none() {
        keys.push(format!("{} undo", key(Intent::BulkUndo)));
    }
    keys.push(format!("{} close", key(Intent::OverlayClose)));
    lines.push(Line::styled(
        format!("{} · findings not changed stay marked", keys.join(" · ")),
        theme.dim(),
    ));
}

/// The first block of a job id.
fn short(job: &str) -> String {
    sanitize(job.split('-').next().unwrap_or(job)).into_owned()
}
