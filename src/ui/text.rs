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

/// Cuts a string to `width` terminal columns (display width: a wide
/// character takes two), with an ellipsis when cut.
pub fn fit(text: &str, width: usize) -> String {
    crate::sanitize::truncate(text, width)
}

/// The first row on screen of a list of `len` rows: the kept scroll, moved
/// so the cursor shows (a recompute between frames may have moved the
/// cursor off screen), and never so far down that rows above stay hidden
/// while the screen has room for them (a filter that left a few rows).
pub fn first_row(cursor: usize, scroll: usize, height: usize, len: usize) -> usize {
    let first = if cursor < scroll {
        cursor
    } else if height > 0 && cursor >= scroll + height {
        cursor + 1 - height
    } else {
        scroll
    };
    first.min(len.saturating_sub(height))
}

#[cfg(test)]
mod tests {
    use super::fit;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn the_first_row_keeps_the_cursor_on_screen_and_the_screen_full() {
        use super::first_row;
        // The kept scroll, when the cursor is on screen.
        assert_eq!(first_row(12, 10, 5, 100), 10);
        // Moved to show the cursor, above or below.
        assert_eq!(first_row(3, 10, 5, 100), 3);
        assert_eq!(first_row(20, 10, 5, 100), 16);
        // A list that shrank under a scrolled screen: its last rows fill
        // the screen, the cursor among them.
        assert_eq!(first_row(10, 34, 26, 11), 0);
        assert_eq!(first_row(40, 34, 26, 41), 15);
        assert_eq!(first_row(0, 0, 26, 0), 0);
    }

    #[test]
    fn fit_counts_columns_not_characters() {
        assert_eq!(fit("abc", 3), "abc");
        assert_eq!(fit("abcd", 3), "ab…");
        // Two columns a character: three fit in 7 with the ellipsis.
        let cut = fit("界界界界界", 7);
        assert_eq!(cut, "界界界…");
        assert!(cut.width() <= 7);
        // A wide character never straddles the edge.
        assert_eq!(fit("a界界", 4), "a界…");
        assert_eq!(fit("anything", 0), "");
    }
}
