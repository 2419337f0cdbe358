//! Short texts for cells and lines: ages and cut strings.

use chrono::{DateTime, Utc};

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

/// The first row on screen: the kept scroll, moved so the cursor shows
/// (a recompute between frames may have moved the cursor off screen).
pub fn first_row(cursor: usize, scroll: usize, height: usize) -> usize {
    if cursor < scroll {
        cursor
    } else if height > 0 && cursor >= scroll + height {
        cursor + 1 - height
    } else {
        scroll
    }
}
