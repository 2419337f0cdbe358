//! The status line (where, connection, budget, activity) and the key hints.

use super::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::fit;
use crate::app::keymap::{Intent, binding};
use crate::app::state::{AppState, BulkPhase, Connection, Modal, Pane};
use crate::engine::people::short_id;
use crate::sanitize::sanitize;

const SPINNER: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];

/// A piece of the status line's right side. When the line is short, the
/// parts with the lowest `keep` go first: where the session points (base
/// URL, org, project) is never cut for them, so nobody acts on the wrong
/// project because a scan line pushed it off.
struct Part {
    spans: Vec<Span<'static>>,
    /// A shorter form tried before the part is dropped.
    short: Option<Vec<Span<'static>>>,
    keep: u8,
}

impl Part {
    fn width(&self) -> usize {
        self.spans.iter().map(|s| s.content.chars().count()).sum()
    }
}

/// Draws the status line and the key hints.
pub fn render(frame: &mut Frame, status: Rect, footer: Rect, state: &AppState, theme: &Theme) {
    let mut parts: Vec<Part> = Vec::new();
    if state.in_flight > 0 {
        let frame_no = state.spinner % SPINNER.len();
        parts.push(Part {
            spans: vec![Span::styled(
                format!("{} {} ", SPINNER[frame_no], state.in_flight),
                theme.title(),
            )],
            short: None,
            keep: 2,
        });
    }
    if let Some(b) = state.bulk.as_ref().filter(|b| b.is_active()) {
        let text = match &b.phase {
            BulkPhase::Reading { read, .. } => format!("bulk: reading {read} │ "),
            BulkPhase::Preview(_) => "bulk: preview │ ".to_string(),
            BulkPhase::Running {
                paused: Some(_), ..
            } => {
                let (done, total) = b.done_of();
                format!("bulk {done}/{total} paused │ ")
            }
            _ => {
                let (done, total) = b.done_of();
                format!("bulk {done}/{total} │ ")
            }
        };
        parts.push(Part {
            spans: vec![Span::styled(text, theme.title())],
            short: None,
            keep: 3,
        });
    }
    if let Some(scan) = scan_line(state) {
        let word = state
            .scan
            .as_ref()
            .map(|s| s.status_word())
            .unwrap_or_default();
        parts.push(Part {
            spans: vec![Span::raw(format!("{} │ ", scan_short(scan)))],
            short: Some(vec![Span::raw(format!("scan {word} │ "))]),
            keep: 0,
        });
    }
    if let Some(wait) = state
        .budget
        .pacing_for(std::time::SystemTime::from(state.wall))
    {
        parts.push(Part {
            spans: vec![Span::styled(
                format!("rate limit: waiting {}s │ ", wait.as_secs().max(1)),
                theme.error(),
            )],
            short: None,
            keep: 4,
        });
    }
    if let Some(remaining) = state.budget.remaining {
        let limit = state.budget.limit.map_or("?".into(), |l| l.to_string());
        let style = if remaining < 5 {
            theme.error()
        } else {
            theme.dim()
        };
        parts.push(Part {
            spans: vec![
                Span::styled(format!("budget {remaining}/{limit}"), style),
                Span::raw(" │ "),
            ],
            short: None,
            // Nearly spent, it matters more than the spinner.
            keep: if remaining < 5 { 5 } else { 1 },
        });
    }
    if let Some(alert) = state.alerts.newest_unseen() {
        parts.push(alert_part(state, alert, theme));
    }
    let (dot, word, style) = match state.connection {
        Connection::Connecting => ("○", "connecting", theme.dim()),
        Connection::Online => ("●", "online", theme.fg(theme.good)),
        Connection::Offline => ("✖", "offline", theme.error()),
    };
    // A failing auto-refresh says since when and when it tries again,
    // instead of a toast per failure.
    let connection = match state.alerts.outage_line(state.now) {
        Some(line) => Span::styled(format!("✖ {line} "), theme.error()),
        None => Span::styled(format!("{dot} {word} "), style),
    };
    let width = status.width as usize;
    let connection_width = connection.content.chars().count();
    let left = location(state, width.saturating_sub(connection_width + 1));
    let room = width.saturating_sub(left.chars().count() + connection_width + 1);
    // Drop the least useful parts until the rest fits.
    while parts.iter().map(Part::width).sum::<usize>() > room {
        let Some(least) = parts
            .iter()
            .enumerate()
            .min_by_key(|(_, p)| p.keep)
            .map(|(i, _)| i)
        else {
            break;
        };
        match parts[least].short.take() {
            Some(short) => parts[least].spans = short,
            None => {
                parts.remove(least);
            }
        }
    }
    let mut right: Vec<Span> = parts.into_iter().flat_map(|p| p.spans).collect();
    right.push(connection);
    frame.render_widget(Paragraph::new(Span::styled(left, theme.dim())), status);
    frame.render_widget(
        Paragraph::new(Line::from(right)).alignment(Alignment::Right),
        status,
    );
    frame.render_widget(
        Paragraph::new(Span::styled(
            fit(&hints(state), footer.width as usize),
            theme.dim(),
        )),
        footer,
    );
}

/// The newest unseen alert, e.g. `‼ health: health fell 8 points: 72 → 64
/// (+1) · ! alerts │ `, kept before everything but where the session points.
fn alert_part(state: &AppState, alert: &crate::engine::alerts::Alert, theme: &Theme) -> Part {
    let key = state.keymap.key_of(Intent::Alerts);
    let more = match state.alerts.unseen {
        0 | 1 => String::new(),
        n => format!(" (+{})", n - 1),
    };
    let full = format!(
        "‼ {}: {}{more} · {key} alerts │ ",
        alert.label(),
        fit(&alert.message, 60)
    );
    let short = match state.alerts.unseen {
        1 => format!("‼ 1 alert · {key} │ "),
        n => format!("‼ {n} alerts · {key} │ "),
    };
    Part {
        spans: vec![Span::styled(full, theme.error())],
        short: Some(vec![Span::styled(short, theme.error())]),
        keep: 6,
    }
}

/// ` host/path · org/project` in at most `room` columns: the base URL is
/// shortened before the org and project are.
fn location(state: &AppState, room: usize) -> String {
    let s = &state.session;
    // Scheme and org are shortened so that base URL, org and project all
    // fit at 80 columns next to the budget and connection.
    let base = s
        .base_url
        .split_once("://")
        .map_or(s.base_url.as_str(), |(_, rest)| rest);
    let project = format!("{}/{}", short_id(&s.org_id), sanitize(&s.project_id));
    let full = format!(" {} · {project}", sanitize(base));
    if full.chars().count() <= room {
        return full;
    }
    let base_room = room.saturating_sub(project.chars().count() + 4);
    if base_room >= 8 {
        format!(" {} · {project}", fit(&sanitize(base), base_room))
    } else {
        fit(&format!(" {project}"), room)
    }
}

/// The scan's live progress, e.g. `scan https://x: running`.
pub fn scan_line(state: &AppState) -> Option<String> {
    let scan = state.scan.as_ref()?;
    Some(format!(
        "scan {}: {}",
        sanitize(&scan.url),
        scan.status_word()
    ))
}

fn scan_short(line: String) -> String {
    fit(&line, 40)
}

/// Key hints for what has the keys: the open dialog, the `/` prompt, or the
/// focused pane. Keys come from the keymap, so a rebinding shows here.
fn hints(state: &AppState) -> String {
    let keys = |intent: Intent| state.keymap.key_of(intent);
    let pair = |a: Intent, b: Intent| format!("{}/{}", keys(a), keys(b));
    let prompt = |typing: &str, submit: &str, cancel: &str| {
        format!(
            "{typing} · {} {submit} · {} {cancel}",
            keys(Intent::PromptSubmit),
            keys(Intent::PromptCancel)
        )
    };
    let confirm = |yes: &str| format!("{} {yes} · any other key cancels", keys(Intent::ConfirmYes));
    if let Some(modal) = &state.modal {
        return match modal {
            Modal::Bulk if state.bulk_running() => format!(
                "{} pause/resume · {} cancel · {} hide (it keeps running)",
                keys(Intent::BulkPause),
                keys(Intent::BulkStop),
                keys(Intent::OverlayClose)
            ),
            Modal::Bulk => match state.bulk.as_ref().map(|b| &b.phase) {
                Some(BulkPhase::Reading { .. }) => format!(
                    "{} stop reading · {} hide",
                    keys(Intent::BulkStop),
                    keys(Intent::OverlayClose)
                ),
                Some(BulkPhase::Done(_)) => format!(
                    "{} retry failed · {} undo · {} close",
                    keys(Intent::BulkRetry),
                    keys(Intent::BulkUndo),
                    keys(Intent::OverlayClose)
                ),
                _ => format!("{} close", keys(Intent::OverlayClose)),
            },
            Modal::ConfirmApprove { .. } => confirm("approve and resolve"),
            Modal::ConfirmTaskBack { .. } => confirm("move the task back to in_progress"),
            Modal::Verifications { .. } => format!(
                "{} scroll · any other key closes",
                pair(Intent::HelpUp, Intent::HelpDown)
            ),
            Modal::TaskPrompt { .. } => prompt("type", "set", "cancel"),
            Modal::ConfirmQuit => confirm("pause and quit"),
            Modal::ConfirmDismiss { .. } => confirm("dismiss"),
            Modal::ConfirmResume { .. } => confirm("resume the job"),
            Modal::BulkPreview => format!(
                "{} send · {} cancel · type a comment",
                keys(Intent::PreviewRun),
                keys(Intent::PreviewCancel)
            ),
            Modal::Help { .. } => "type to search · ↑/↓ scroll · esc closes".to_string(),
            Modal::CommandLine { .. } => {
                "tab completes · ↑/↓ history · enter runs · esc cancels".to_string()
            }
            Modal::OwnerPrompt { .. } => prompt("paste a user UUID", "assign", "cancel"),
            Modal::Alerts { .. } | Modal::Errors { .. } => format!(
                "{} scroll · {} close",
                pair(Intent::ViewUp, Intent::ViewDown),
                keys(Intent::ViewClose)
            ),
            Modal::Changes { .. } => format!(
                "{} scroll · {} next period · {} close",
                pair(Intent::ViewUp, Intent::ViewDown),
                keys(Intent::ViewPeriod),
                keys(Intent::ViewClose)
            ),
            Modal::ScanPrompt { .. } => prompt("type a URL", "start the scan", "cancel"),
            _ => format!(
                "{} choose · {} confirm · {} cancel",
                pair(Intent::MenuUp, Intent::MenuDown),
                keys(Intent::MenuChoose),
                keys(Intent::MenuCancel)
            ),
        };
    }
    if state.findings.filter_input.is_some() {
        return prompt("type to filter", "keep", "clear");
    }
    let mut intents: Vec<Intent> = match state.pane {
        Pane::CommandCenter => vec![
            Intent::Open,
            Intent::NextPane,
            Intent::Refresh,
            Intent::Scan,
            Intent::Switch,
        ],
        Pane::Findings if state.findings.grouping.shows_groups() => vec![
            Intent::Open,
            Intent::Mark,
            Intent::Group,
            Intent::TextFilter,
            Intent::FilterMenu,
            Intent::Sort,
        ],
        Pane::Findings => vec![
            Intent::Open,
            Intent::TextFilter,
            Intent::FilterMenu,
            Intent::Mark,
            Intent::Triage,
            Intent::Dismiss,
            Intent::Assign,
            Intent::StatusMenu,
            Intent::Sort,
        ],
        Pane::Detail => vec![
            Intent::Back,
            Intent::Down,
            Intent::Triage,
            Intent::Assign,
            Intent::StatusMenu,
        ],
        Pane::Tasks => {
            return remediation_hints(
                state,
                &[
                    (Intent::Open, "finding"),
                    (Intent::FilterMenu, "status filter"),
                    (Intent::StatusMenu, "move"),
                    (Intent::TaskTicket, "ticket"),
                    (Intent::TaskPr, "PR"),
                    (Intent::Verify, "verify"),
                    (Intent::Verifications, "checks"),
                ],
            );
        }
        Pane::Regressions => {
            return remediation_hints(
                state,
                &[
                    (Intent::Open, "finding"),
                    (Intent::FilterMenu, "open/closed"),
                    (Intent::Refresh, "refresh"),
                ],
            );
        }
        Pane::Report => vec![Intent::Refresh, Intent::NextPane],
    };
    // Once there are alerts, their key is worth a place (the help lists it
    // always; the status line names it with each new alert).
    if !state.alerts.list.is_empty() {
        intents.insert(intents.len().min(4), Intent::Alerts);
    }
    intents.extend([Intent::Help, Intent::Quit]);
    intents
        .into_iter()
        .filter_map(|intent| {
            let b = binding(intent)?;
            if b.mutates && state.session.read_only {
                return None;
            }
            Some(format!("{} {}", state.keymap.keys_of(intent), b.hint))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Hints of a remediation pane, whose keys say something else there than
/// in the findings list (`f` filters tasks by status, `c` moves a task).
fn remediation_hints(state: &AppState, keys: &[(Intent, &str)]) -> String {
    keys.iter()
        .chain(&[(Intent::Help, "help"), (Intent::Quit, "quit")])
        .filter(|(intent, _)| {
            !(state.session.read_only && binding(*intent).is_some_and(|b| b.mutates))
        })
        .map(|(intent, hint)| format!("{} {hint}", state.keymap.keys_of(*intent)))
        .collect::<Vec<_>>()
        .join(" · ")
}
