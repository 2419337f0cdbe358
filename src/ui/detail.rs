//! The detail of one finding: everything needed to decide what to do.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::theme::Theme;
use crate::api::model::Finding;
use crate::api::transitions::{RESOLVED_EXPLANATION, finding_targets};
use crate::app::state::AppState;
use crate::sanitize::{sanitize, sanitize_multiline};

/// Draws the detail of the open finding, scrolled.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState) {
    let theme = &state.theme;
    let Some(detail) = &state.detail else {
        return;
    };
    let mut title = vec![Span::styled(" Finding ", theme.title())];
    if detail.loading {
        title.push(Span::styled("· loading… ", theme.dim()));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border(true))
        .title(Line::from(title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let lines = match &detail.finding {
        Some(f) => lines(f, state),
        None => vec![Line::styled(
            format!("loading finding {}…", sanitize(&detail.id)),
            theme.dim(),
        )],
    };
    let max = lines.len().saturating_sub(1) as u16;
    let p = Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .scroll((detail.scroll.min(max), 0));
    frame.render_widget(p, inner);
}

fn heading(text: &'static str, theme: &Theme) -> Line<'static> {
    Line::styled(text, theme.title())
}

fn lines(f: &Finding, state: &AppState) -> Vec<Line<'static>> {
    let theme = &state.theme;
    let mut out = Vec::new();
    out.push(Line::from(vec![
        Span::styled(
            format!("{} {} ", f.severity.symbol(), sanitize(f.severity.as_str())),
            theme.severity(&f.severity),
        ),
        Span::styled(sanitize(&f.title).into_owned(), theme.title()),
    ]));
    let owner = match f.owner_id.as_deref() {
        None => "unassigned".to_string(),
        Some(o) if Some(o) == state.session.me.as_deref() => format!("{} (me)", sanitize(o)),
        Some(o) => match state.session.people.iter().find(|(_, id)| id == o) {
            Some((name, _)) => format!("{} ({})", sanitize(name), sanitize(o)),
            None => sanitize(o).into_owned(),
        },
    };
    let confidence = f
        .confidence
        .map_or("-".into(), |c| format!("{:.0}%", c * 100.0));
    out.push(Line::raw(format!(
        "status {} · domain {} · confidence {confidence} · owner {owner}",
        sanitize(f.status.as_str()),
        sanitize(f.domain.as_str()),
    )));
    let p = &f.priority;
    let n = |v: Option<i64>| v.map_or("-".into(), |v| v.to_string());
    out.push(Line::raw(format!(
        "priority score {} (impact {}, effort {}, risk {})",
        n(p.score),
        n(p.impact),
        n(p.effort),
        n(p.risk)
    )));
    let time = |t: &Option<crate::api::model::Timestamp>| {
        t.as_ref()
            .map_or("-".to_string(), |t| sanitize(t.raw()).into_owned())
    };
    let created = if f.created_at.is_some() {
        &f.created_at
    } else {
        &f.inserted_at
    };
    out.push(Line::styled(
        format!(
            "created {} · updated {} · id {}",
            time(created),
            time(&f.updated_at),
            sanitize(&f.id)
        ),
        theme.dim(),
    ));
    let targets: Vec<String> = finding_targets(&f.status)
        .iter()
        .map(ToString::to_string)
        .collect();
    let next = if targets.is_empty() {
        "none".to_string()
    } else {
        targets.join(", ")
    };
    out.push(Line::raw(format!("next statuses: {next} (c to change)")));
    out.push(Line::styled(RESOLVED_EXPLANATION, theme.dim()));
    out.push(Line::raw(""));
    out.push(heading("Description", theme));
    for line in sanitize_multiline(&f.description).lines() {
        out.push(Line::raw(line.to_string()));
    }
    out.push(Line::raw(""));
    let fix = &f.recommended_fix;
    let minutes = fix
        .estimated_minutes
        .map_or(String::new(), |m| format!(" (about {m} min)"));
    out.push(Line::styled(
        format!("Recommended fix{minutes}"),
        theme.title(),
    ));
    for line in sanitize_multiline(&fix.summary).lines() {
        out.push(Line::raw(line.to_string()));
    }
    for (i, step) in fix.steps.iter().enumerate() {
        out.push(Line::raw(format!("  {}. {}", i + 1, sanitize(step))));
    }
    out.push(Line::raw(""));
    out.push(heading("Affected assets", theme));
    if f.affected_assets.is_empty() {
        out.push(Line::styled("  none listed", theme.dim()));
    }
    for a in &f.affected_assets {
        out.push(Line::raw(format!(
            "  {}: {}",
            sanitize(&a.kind),
            sanitize(&a.value)
        )));
    }
    out.push(Line::raw(""));
    out.push(heading("Evidence", theme));
    if f.evidence.is_empty() {
        out.push(Line::styled("  none listed", theme.dim()));
    }
    for e in &f.evidence {
        let label = e
            .label
            .as_deref()
            .or(e.kind.as_deref())
            .unwrap_or("evidence");
        out.push(Line::raw(format!(
            "  {}: {}",
            sanitize(label),
            sanitize(e.value.as_deref().unwrap_or("-"))
        )));
    }
    out
}
