//! Makes strings from the server inert before they reach a terminal, and
//! cuts them to a display width (the TUI and the headless tables share it).
//!
//! A finding title is attacker-controlled (a scanned site chooses it, in
//! effect). Control characters, escape sequences and bidirectional overrides
//! could move the cursor, rewrite the screen or reorder what a reader sees,
//! so each is replaced by a visible stand-in.

use std::borrow::Cow;

/// True for a character that must not reach the terminal as is.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        // Bidirectional embeddings, overrides and isolates.
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
        // Line and paragraph separators break layout like a newline would.
        || matches!(c, '\u{2028}' | '\u{2029}')
}

/// True when every byte is printable ASCII, which no rule here touches:
/// most text, checked a byte at a time instead of a character at a time.
fn printable_ascii(s: &str) -> bool {
    s.bytes().all(|b| (b' '..=b'~').contains(&b))
}

/// Replaces every unsafe character: tabs and newlines become a space, every
/// other one becomes `�`. Borrows when there is nothing to replace.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    if printable_ascii(s) || !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\t' | '\n' | '\r' => ' ',
                c if is_unsafe(c) => '\u{FFFD}',
                c => c,
            })
            .collect(),
    )
}

/// Like [`sanitize`] but keeps newlines, for multi-line text such as a
/// description rendered in a paragraph.
pub fn sanitize_multiline(s: &str) -> Cow<'_, str> {
    if printable_ascii(s) || !s.chars().any(|c| c != '\n' && is_unsafe(c)) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\n' => '\n',
                '\t' | '\r' => ' ',
                c if is_unsafe(c) => '\u{FFFD}',
                c => c,
            })
            .collect(),
    )
}

/// Display width of a string.
pub fn width(s: &str) -> usize {
    // Most text a table shows is printable ASCII, a column a byte.
    if printable_ascii(s) {
        return s.len();
    }
    unicode_width::UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `max` columns (as [`width`] measures the result),
/// ending in `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    // A string is not always as wide as its characters: a presentation
    // selector makes `☺` two columns wide. Give back characters until the
    // cut fits, or the columns after it would move.
    while width(&out) > max - 1 {
        out.pop();
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_ascii_is_a_column_a_byte_as_unicode_width_says() {
        let all: String = (b' '..=b'~').map(char::from).collect();
        assert_eq!(
            width(&all),
            unicode_width::UnicodeWidthStr::width(all.as_str())
        );
        assert_eq!(width(&all), 95);
        assert_eq!(width("café"), 4);
        assert_eq!(width("日本"), 4);
    }

    #[test]
    fn escape_sequences_become_inert() {
        let hostile = "Title\x1b[2J\x1b]0;pwned\x07 \u{202E}txt.exe";
        let clean = sanitize(hostile);
        assert!(!clean.contains('\x1b'));
        assert!(!clean.contains('\x07'));
        assert!(!clean.contains('\u{202E}'));
        assert!(clean.starts_with("Title\u{FFFD}[2J"));
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(
            sanitize("Missing CSP — ünïcode"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn newlines_kept_only_in_multiline() {
        assert_eq!(sanitize("a\nb"), "a b");
        assert_eq!(sanitize_multiline("a\nb\x1b"), "a\nb\u{FFFD}");
    }
}
