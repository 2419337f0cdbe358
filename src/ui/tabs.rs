//! The top line: pane tabs, and the last error with its request id first.

use super::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::keymap::Intent;
use crate::app::layout;
use crate::app::state::{AppState, LastError, Pane};
use crate::sanitize::sanitize;

/// Draws the tabs line with the profile and the last error.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let tab = |label: String, on: bool| {
        if on {
            Span::styled(label, theme.selected().patch(theme.title()))
        } else {
            Span::styled(label, theme.dim())
        }
    };
    let shown = match state.pane {
        Pane::Detail => Pane::Findings,
        other => other,
    };
    let mut spans = Vec::new();
    let mut x = 0u16;
    for (pane, label, at) in layout::tabs(area.width) {
        if at > x {
            spans.push(Span::raw(" ".repeat(usize::from(at - x))));
        }
        x = at + label.chars().count() as u16;
        spans.push(tab(label, pane == shown));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
    let tabs_width = layout::tabs_width(area.width);
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
    let profile = if area.width >= tabs_width + error_room + long.chars().count() as u16 {
        long
    } else {
        short
    };
    let mut profile_width = profile.chars().count() as u16;
    let used = tabs_width + 2;
    // Where the session is also shows on the status line: the last error
    // gets the room first (a pending switch says more than either).
    let error_squeezed = state.last_error.is_some()
        && state.switching.is_none()
        && area.width < used + profile_width + 24;
    if error_squeezed {
        profile_width = 0;
    } else if area.width >= tabs_width + profile_width {
        let right = Rect::new(area.right() - profile_width, area.y, profile_width, 1);
        frame.render_widget(Paragraph::new(Span::styled(profile, style)), right);
    }
    if let Some(err) = &state.last_error
        && area.width > used + profile_width + 10
    {
        let room = (area.width - used - profile_width - 1) as usize;
        let key = state.keymap.key_of(Intent::Errors);
        let text = error_line(err, &key, room);
        let right = Rect::new(area.x + used, area.y, room as u16, 1);
        let p = Paragraph::new(Span::styled(text, theme.error())).alignment(Alignment::Right);
        frame.render_widget(p, right);
    }
}

/// The last error in `room` columns. The request id is what support needs
/// and the hardest to find again, so it goes before the message and is
/// the last thing dropped; the key of the errors view says where the rest
/// is.
fn error_line(err: &LastError, key: &str, room: usize) -> String {
    let status = err.status.map(|s| format!("HTTP {s} ")).unwrap_or_default();
    let mut candidates = Vec::new();
    match &err.request_id {
        Some(id) => {
            candidates.push(format!(
                "✖ {status}{} · request_id {id} · {key} more",
                err.short
            ));
            candidates.push(format!("✖ {status}request_id {id} · {key} more"));
            candidates.push(format!("✖ {status}{id} · {key}"));
            candidates.push(format!("✖ {id} · {key}"));
            candidates.push(format!("✖ {id}"));
        }
        None => {
            candidates.push(format!("✖ {status}{} · {key} more", err.short));
            let tail = format!(" · {key}");
            let head = format!("✖ {status}{}", err.short);
            let cut = room.saturating_sub(tail.chars().count());
            candidates.push(format!("{}{tail}", super::text::fit(&head, cut)));
        }
    }
    candidates
        .iter()
        .find(|c| c.chars().count() <= room)
        .cloned()
        .unwrap_or_else(|| super::text::fit(candidates.last().map_or("", |c| c), room))
}
