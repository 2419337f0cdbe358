//! Choice dialogs: status, owner, severity, filters, dismiss confirmation.

use super::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::popup;
use super::text::fit;
use crate::api::model::Severity;
use crate::api::remediation::priority_of;
use crate::api::transitions::{DONE_EXPLANATION, RESOLVED_EXPLANATION};
use crate::app::state::{
    AppState, AssignChoice, ChangeTargets, FILTER_FIELDS, Modal, RegressionFilter, TASK_FILTERS,
    task_owner_choices,
};
use crate::engine::people::short_id;
use crate::sanitize::sanitize;

fn count(state: &AppState, targets: &ChangeTargets) -> String {
    match state.target_count(targets) {
        1 => "1 finding".to_string(),
        n => format!("{n} findings"),
    }
}

/// Draws the open choice dialog.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let Some(modal) = &state.modal else {
        return;
    };
    let (title, options, selected, note): (String, Vec<String>, Option<usize>, Option<String>) =
        match modal {
            Modal::ConfirmDismiss { targets } => (
                "Dismiss".to_string(),
                vec![
                    format!("Dismiss {} as won't fix?", count(state, targets)),
                    "y confirm · any other key cancels".to_string(),
                ],
                None,
                None,
            ),
            Modal::StatusMenu {
                targets,
                statuses,
                selected,
            } => {
                let mut options: Vec<String> = statuses.iter().map(ToString::to_string).collect();
                if options.is_empty() {
                    options.push("(no move is allowed from here)".to_string());
                }
                (
                    format!("Status of {}", count(state, targets)),
                    options,
                    Some(*selected),
                    Some(format!(
                        "Why no \"resolved\": {RESOLVED_EXPLANATION} V does it for the selected finding."
                    )),
                )
            }
            Modal::AssignMenu { targets, selected } => (
                format!("Assign {}", count(state, targets)),
                state
                    .assign_choices()
                    .iter()
                    .map(|c| match c {
                        AssignChoice::Person(name, id) => {
                            format!("{} ({})", sanitize(name), short_id(id))
                        }
                        AssignChoice::Me if state.session.me().is_none() => {
                            "me (unknown: set `me` in the profile)".to_string()
                        }
                        AssignChoice::Me => "me".to_string(),
                        AssignChoice::Uuid => "type a user id (UUID)…".to_string(),
                        AssignChoice::Unassigned => "unassigned".to_string(),
                    })
                    .collect(),
                Some(*selected),
                None,
            ),
            Modal::SeverityMenu { targets, selected } => (
                format!("Severity of {}", count(state, targets)),
                Severity::KNOWN
                    .iter()
                    .map(|s| format!("{} {s}", s.symbol()))
                    .collect(),
                Some(*selected),
                None,
            ),
            Modal::FilterFields { selected } => (
                "Filter by".to_string(),
                FILTER_FIELDS
                    .iter()
                    .map(|f| f.label().to_string())
                    .collect(),
                Some(*selected),
                None,
            ),
            Modal::SortMenu { selected } => {
                let f = &state.findings;
                let options = crate::config::views::SORT_KEYS
                    .iter()
                    .filter_map(|k| crate::app::state::SortKey::parse(k))
                    .map(|k| {
                        let at = if k == f.sort {
                            "first ".to_string()
                        } else {
                            match f.sort_then.iter().position(|t| *t == k) {
                                Some(i) => format!("then {}", i + 2),
                                None => "      ".to_string(),
                            }
                        };
                        format!("{at}  {} {}", k.label(), k.arrow())
                    })
                    .collect();
                (
                    "Then sort by".to_string(),
                    options,
                    Some(*selected),
                    Some(format!("{} · enter adds a key, or drops it", f.sort_text())),
                )
            }
            Modal::FilterValues { field, selected } => (
                "Filter value".to_string(),
                field
                    .values(&state.session.people)
                    .into_iter()
                    .map(|v| sanitize(&v).into_owned())
                    .collect(),
                Some(*selected),
                None,
            ),
            Modal::Switcher { selected } => (
                "Switch to".to_string(),
                state
                    .targets
                    .iter()
                    .map(|t| {
                        let label = sanitize(&t.label()).into_owned();
                        if state.is_active(t) {
                            format!("{label} (current)")
                        } else {
                            label
                        }
                    })
                    .collect(),
                Some(*selected),
                Some("the list, marks and detail start over".to_string()),
            ),
            Modal::ConfirmApprove { finding_id, .. } => (
                "Verification passed".to_string(),
                vec![
                    format!("The fix of {} passed its re-check.", sanitize(finding_id)),
                    "y approve: the finding becomes resolved".to_string(),
                    "any other key leaves it unapproved".to_string(),
                ],
                None,
                None,
            ),
            Modal::ConfirmTaskBack {
                finding_id,
                still_wrong,
                ..
            } => {
                let mut lines = vec![fit(
                    &format!("The fix of {} did not pass.", state.label(finding_id)),
                    52,
                )];
                lines.extend(
                    still_wrong
                        .iter()
                        .take(4)
                        .map(|w| fit(&format!("still wrong: {}", sanitize(w)), 52)),
                );
                lines.push("y move its task back to in_progress".to_string());
                lines.push("any other key leaves the task as it is".to_string());
                ("Verification failed".to_string(), lines, None, None)
            }
            Modal::TaskFilterMenu { selected } => {
                let mut options = vec!["(any status)".to_string()];
                options.extend(TASK_FILTERS.iter().map(ToString::to_string));
                (
                    "Tasks with status".to_string(),
                    options,
                    Some(*selected),
                    None,
                )
            }
            Modal::RegressionFilterMenu { selected } => (
                "Regressions to list".to_string(),
                RegressionFilter::ALL
                    .iter()
                    .map(|f| f.label().to_string())
                    .collect(),
                Some(*selected),
                None,
            ),
            Modal::TaskStatusMenu {
                targets, selected, ..
            } => {
                let mut options: Vec<String> = targets.iter().map(ToString::to_string).collect();
                if options.is_empty() {
                    options.push("(no move is allowed from here)".to_string());
                }
                (
                    "Move the task to".to_string(),
                    options,
                    Some(*selected),
                    Some(format!("Why no \"done\": {DONE_EXPLANATION}")),
                )
            }
            Modal::TaskOwnerMenu {
                finding_id,
                selected,
            } => (
                format!("New task for {}", fit(&state.label(finding_id), 36)),
                task_owner_choices(&state.session.people)
                    .iter()
                    .map(|c| match c {
                        AssignChoice::Person(name, id) => {
                            format!("owner {} ({})", sanitize(name), short_id(id))
                        }
                        AssignChoice::Me if state.session.me().is_none() => {
                            "owner me (unknown: set `me` in the profile)".to_string()
                        }
                        AssignChoice::Me => "owner me".to_string(),
                        AssignChoice::Uuid | AssignChoice::Unassigned => "unassigned".to_string(),
                    })
                    .collect(),
                Some(*selected),
                Some(format!(
                    "Titled after the finding, priority {} from its severity; the SLA comes next.",
                    priority_of(&state.severity_of(finding_id))
                )),
            ),
            Modal::ConfirmQuit => {
                let (done, total) = state.bulk.as_ref().map_or((0, 0), |b| b.done_of());
                (
                    "Quit?".to_string(),
                    vec![
                        format!("A bulk change is running: {done} of {total} done."),
                        "y: pause it and quit; the rest is sent on resume".to_string(),
                        "   (next start, or krafter update --resume)".to_string(),
                        "any other key keeps it running".to_string(),
                    ],
                    None,
                    None,
                )
            }
            Modal::ConfirmResume { job, left } => (
                "Unfinished bulk change".to_string(),
                vec![
                    format!(
                        "“{}” ({}) stopped with {left} left.",
                        sanitize(&job.change.describe()),
                        sanitize(&job.selection.describe())
                    ),
                    format!(
                        "job {}, started {}",
                        sanitize(&job.id),
                        sanitize(&job.created_at)
                    ),
                    "y: resume it: send the rest (an unanswered change is".to_string(),
                    "   sent again with the same value)".to_string(),
                    "any other key leaves it for later".to_string(),
                ],
                None,
                None,
            ),
            _ => return,
        };
    // 54 columns inside the border; word wrap can leave a line short.
    let note_lines = note
        .as_ref()
        .map_or(0, |n| (n.chars().count() as u16).div_ceil(48));
    let height = options.len() as u16 + 2 + note_lines;
    let rect = popup::centered(area, 56, height);
    let inner = popup::open(frame, rect, &title, theme);
    let mut lines: Vec<Line> = options
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            if Some(i) == selected {
                Line::styled(format!("› {text}"), theme.selected())
            } else {
                Line::raw(format!("  {text}"))
            }
        })
        .collect();
    if let Some(note) = note {
        lines.push(Line::styled(note, theme.dim()));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
