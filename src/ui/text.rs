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

#[cfg(test)]
mod tests {
    use super::fit;
    use unicode_width::UnicodeWidthStr;

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
