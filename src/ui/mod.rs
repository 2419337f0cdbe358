//! Rendering: a pure function of the app state, one file per pane or overlay.

pub mod alerts;
pub mod bulk;
pub mod bulk_preview;
pub mod changes;
pub mod command_center;
pub mod command_line;
pub mod detail;
pub mod errors;
pub mod findings;
pub mod groups;
pub mod help;
pub mod menu;
pub mod popup;
pub mod prompt;
pub mod regressions;
pub mod report;
pub mod status_bar;
pub mod svg;
pub mod tabs;
pub mod tasks;
pub mod text;
pub mod theme;
pub mod toast;
pub mod verifications;

use ratatui::Frame;
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::layout;
use crate::app::state::{AppState, Modal, Pane};
use theme::Theme;

/// Draws the whole screen from the state.
pub fn render(frame: &mut Frame, state: &AppState, theme: &Theme) {
    let area = frame.area();
    if !layout::fits(area) {
        let text = format!(
            "terminal too small: {}x{}; krafter needs at least {}x{} (q quits)",
            area.width,
            area.height,
            layout::MIN_WIDTH,
            layout::MIN_HEIGHT
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    let screen = layout::screen(area);
    tabs::render(frame, screen.tabs, state, theme);
    let panes = layout::panes(screen.main);
    match (panes.band, state.pane) {
        (None, Pane::CommandCenter) => command_center::render(frame, screen.main, state, theme),
        (Some(band), pane) => {
            command_center::render_band(frame, band, state, theme);
            lower(frame, panes.lower, pane, state, theme);
        }
        (None, pane) => lower(frame, screen.main, pane, state, theme),
    }
    status_bar::render(frame, screen.status, screen.footer, state, theme);
    match &state.modal {
        None => {}
        Some(Modal::Help { scroll, filter }) => {
            help::render(frame, area, state, theme, *scroll, filter)
        }
        Some(Modal::CommandLine { .. }) => command_line::render(frame, screen.main, state, theme),
        Some(Modal::Bulk) => bulk::render(frame, area, state, theme),
        Some(Modal::BulkPreview) => bulk_preview::render(frame, area, state, theme),
        Some(Modal::Alerts { scroll }) => alerts::render(frame, area, state, theme, *scroll),
        Some(Modal::Changes { scroll }) => changes::render(frame, area, state, theme, *scroll),
        Some(Modal::Errors { scroll }) => errors::render(frame, area, state, theme, *scroll),
        Some(Modal::OwnerPrompt { .. })
        | Some(Modal::ScanPrompt { .. })
        | Some(Modal::TaskPrompt { .. }) => prompt::render(frame, area, state, theme),
        Some(Modal::Verifications { scroll }) => {
            verifications::render(frame, area, state, theme, *scroll)
        }
        Some(_) => menu::render(frame, area, state, theme),
    }
    // The errors view shows what the error toasts say, in full.
    if !matches!(state.modal, Some(Modal::Errors { .. })) {
        toast::render(frame, screen.main, state, theme);
    }
}

/// The pane under the command center band (or in its place): the findings
/// (the command center's own pane shows them too, under its band), the
/// detail, tasks, regressions or the report.
fn lower(
    frame: &mut Frame,
    area: ratatui::layout::Rect,
    pane: Pane,
    state: &AppState,
    theme: &Theme,
) {
    match pane {
        Pane::Detail => detail::render(frame, area, state, theme),
        Pane::Tasks => tasks::render(frame, area, state, theme),
        Pane::Regressions => regressions::render(frame, area, state, theme),
        Pane::Report => report::render(frame, area, state, theme),
        Pane::CommandCenter | Pane::Findings => findings::render(frame, area, state, theme),
    }
}
