//! The top line: pane tabs, and the last error with its request id.

use super::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::state::{AppState, Pane};
use crate::sanitize::sanitize;

/// Draws the tabs line with the profile and the last error.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let tab = |name: &'static str, on: bool| {
        if on {
            Span::styled(format!(" {name} "), theme.selected().patch(theme.title()))
        } else {
            Span::styled(format!(" {name} "), theme.dim())
        }
    };
    let findings_on = matches!(state.pane, Pane::Findings | Pane::Detail);
    let line = Line::from(vec![
        tab("Command center", state.pane == Pane::CommandCenter),
        Span::raw(" "),
        tab("Findings", findings_on),
    ]);
    frame.render_widget(Paragraph::new(line), area);
    // Where the session is: profile and project, or the profile alone when
    // the line is short (the status line names the project too).
    // While a switch loads, where the session is going matters more: changes
    // are held back until it lands.
    let s = &state.session;
    let read_only = if s.read_only { "· READ-ONLY " } else { "" };
    let (long, short) = match &state.switching {
        Some(pending) => {
            let going = format!(" switching to {}… ", sanitize(&pending.target.label()));
            (going.clone(), going)
        }
        None => (
            format!(
                " profile {} · project {} {read_only}",
                sanitize(&s.profile),
                sanitize(&s.project_id)
            ),
            format!(" profile {} {read_only}", sanitize(&s.profile)),
        ),
    };
    let style = if state.switching.is_some() {
        theme.title()
    } else {
        theme.dim()
    };
    // The last error needs room more than the project does.
    let error_room = if state.last_error.is_some() { 40 } else { 0 };
    let profile = if area.width >= 28 + error_room + long.chars().count() as u16 {
        long
    } else {
        short
    };
    let profile_width = profile.chars().count() as u16;
    if area.width >= 28 + profile_width {
        let right = Rect::new(area.right() - profile_width, area.y, profile_width, 1);
        frame.render_widget(Paragraph::new(Span::styled(profile, style)), right);
    }
    if let Some(err) = &state.last_error {
        let used = 30u16;
        if area.width > used + profile_width + 10 {
            let room = (area.width - used - profile_width - 1) as usize;
            let mut text = format!("✖ {}", err.message);
            if let Some(id) = &err.request_id
                && !err.message.contains(id.as_str())
            {
                text.push_str(&format!(" [request_id {id}]"));
            }
            let right = Rect::new(area.x + used, area.y, room as u16, 1);
            let p = Paragraph::new(Span::styled(super::text::fit(&text, room), theme.error()))
                .alignment(Alignment::Right);
            frame.render_widget(p, right);
        }
    }
}
