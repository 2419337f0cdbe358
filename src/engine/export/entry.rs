//! One finding to write, and what every writer shares: a stable
//! fingerprint and cutting long text.

use crate::api::model::Finding;
use crate::engine::gate::{Verdict, is_open};

/// One finding to write, with how it stands against the gate. Without a
/// gate, [`Entry::open_counts`] treats every open finding as counting.
#[derive(Clone, Copy, Debug)]
pub struct Entry<'a> {
    pub finding: &'a Finding,
    pub verdict: Verdict,
}

impl<'a> Entry<'a> {
    /// A finding with a verdict from a gate run.
    pub fn new(finding: &'a Finding, verdict: Verdict) -> Entry<'a> {
        Entry { finding, verdict }
    }

    /// A finding written with no gate (e.g. `krafter findings --format
    /// junit`): an open finding counts, a closed one does not.
    pub fn open_counts(finding: &'a Finding) -> Entry<'a> {
        let verdict = if is_open(&finding.status) {
            Verdict::Counts
        } else {
            Verdict::Closed
        };
        Entry { finding, verdict }
    }
}

/// A stable fingerprint of `parts`: 64-bit FNV-1a, in hex. Written by hand
/// because the value must never change between versions or platforms
/// (code-scanning dashboards match alerts across runs by it), which a
/// general-purpose hasher does not promise.
pub fn fingerprint(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            // A separator no part contains, so ("ab","c") ≠ ("a","bc").
            hash ^= 0x1f;
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        for byte in part.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// Cuts `text` to at most `max` characters, with an ellipsis when cut.
pub fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_fixed_values() {
        // Known FNV-1a values: a change here would duplicate every alert on
        // the dashboards that already hold the old ones.
        assert_eq!(fingerprint(&[""]), "cbf29ce484222325");
        assert_eq!(fingerprint(&["a"]), "af63dc4c8601ec8c");
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
    }

    #[test]
    fn cut_keeps_short_text_and_marks_a_cut() {
        assert_eq!(cut("short", 10), "short");
        assert_eq!(cut("a longer title", 8), "a longe…");
    }
}
