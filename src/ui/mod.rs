//! Rendering: a pure function of the app state, one file per pane or overlay.

pub mod bulk;
pub mod command_center;
pub mod detail;
pub mod findings;
pub mod help;
pub mod menu;
pub mod popup;
pub mod prompt;
pub mod status_bar;
pub mod tabs;
pub mod theme;
pub mod toast;

use chrono::{DateTime, Utc};
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
            if pane == Pane::Detail {
                detail::render(frame, panes.lower, state, theme);
            } else {
                findings::render(frame, panes.lower, state, theme);
            }
        }
        (None, Pane::Findings) => findings::render(frame, screen.main, state, theme),
        (None, Pane::Detail) => detail::render(frame, screen.main, state, theme),
    }
    status_bar::render(frame, screen.status, screen.footer, state, theme);
    match &state.modal {
        None => {}
        Some(Modal::Help { scroll }) => help::render(frame, area, state, theme, *scroll),
        Some(Modal::Bulk) => bulk::render(frame, area, state, theme),
        Some(Modal::OwnerPrompt { .. }) | Some(Modal::ScanPrompt { .. }) => {
            prompt::render(frame, area, state, theme)
        }
        Some(_) => menu::render(frame, area, state, theme),
    }
    toast::render(frame, screen.main, state, theme);
}

/// How long ago `then` was, in one short unit: `45s`, `12m`, `5h`, `3d`.
pub fn age(then: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    let Some(then) = then else {
        return "-".to_string();
    };
    let secs = (now - then).num_seconds().max(0);
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{}m", secs / 60),
        3600..86400 => format!("{}h", secs / 3600),
        _ => format!("{}d", secs / 86400),
    }
}

/// Cuts a string to `width` characters, with an ellipsis when cut.
pub fn fit(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    if width > 0 {
        out.push('…');
    }
    out
}
