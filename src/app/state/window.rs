//! The findings list as a window over the server's offset pages: which
//! pages are asked for, answered or failed, and which ones the rows on
//! screen still need.

use std::collections::BTreeSet;

/// A list position whose page has not arrived.
pub const NOT_LOADED: u32 = u32::MAX;

/// List pages asked for at once: the screen needs at most two, and a held
/// page key must not queue a request for every screen it passes.
pub const MAX_PAGES_IN_FLIGHT: usize = 2;

/// The pages of a windowed list, by offset.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListWindow {
    /// Rows a page holds as the server sends them (the first page's
    /// length, never the size asked for: a server may clamp it).
    pub page_len: u64,
    /// Offsets asked for and not yet answered.
    pub in_flight: BTreeSet<u64>,
    /// Offsets answered (a short page's missing rows are not asked again).
    pub answered: BTreeSet<u64>,
    /// Offsets whose request failed; moving the cursor asks again.
    pub failed: BTreeSet<u64>,
}

impl ListWindow {
    /// A window of pages `page_len` rows long.
    pub fn new(page_len: u64) -> Self {
        ListWindow {
            page_len: page_len.max(1),
            ..ListWindow::default()
        }
    }

    /// The offset of the page holding position `pos`.
    pub fn page_of(&self, pos: u64) -> u64 {
        pos / self.page_len * self.page_len
    }

    /// True when the page at `offset` is asked for or answered: nothing to
    /// ask for it now. A failed page is asked again when the cursor moves.
    pub fn settled(&self, offset: u64) -> bool {
        self.in_flight.contains(&offset) || self.answered.contains(&offset)
    }

    /// The pages, nearest first, that positions `from..to` need and that
    /// nobody asked for yet, as many as may still be sent.
    pub fn wanted(&self, from: u64, to: u64, near: u64, loaded: impl Fn(u64) -> bool) -> Vec<u64> {
        let room = MAX_PAGES_IN_FLIGHT.saturating_sub(self.in_flight.len());
        if room == 0 || from >= to {
            return Vec::new();
        }
        let mut pages: Vec<u64> = Vec::new();
        let mut offset = self.page_of(from);
        while offset < to {
            let end = (offset + self.page_len).min(to);
            let start = offset.max(from);
            if !self.settled(offset) && (start..end).any(|p| !loaded(p)) {
                pages.push(offset);
            }
            offset += self.page_len;
        }
        // The page under the cursor first, then outwards.
        pages.sort_by_key(|&o| {
            let mid = o + self.page_len / 2;
            mid.abs_diff(near)
        });
        pages.truncate(room);
        pages
    }
}
