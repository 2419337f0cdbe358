//! A project's findings indexed for `GET /findings`: their list order, and
//! their search texts.
//!
//! Both are built once when a project joins the store (so the first list
//! after startup pays no sort) and kept up to date on every insert (a scan
//! adds findings one by one). Nothing else changes what they depend on: the
//! priority score, the creation time, the id, the title and the description
//! of a finding are fixed once it is stored.
//!
//! Search texts are interned: the findings of one check share their title
//! and description, so `q=` is matched against each distinct text once and
//! then looked up per finding, instead of scanning 100,000 descriptions.

use std::cmp::{Ordering, Reverse};
use std::collections::HashMap;
use std::sync::Arc;

use super::records::FindingRecord;

/// The list order of contract 5.3: priority score descending, then creation
/// time descending, then id descending.
pub(crate) fn list_order(a: &FindingRecord, b: &FindingRecord) -> Ordering {
    sort_key(a).cmp(&sort_key(b))
}

/// [`list_order`] as one key, smallest first.
type SortKey = (Reverse<u8>, Reverse<i64>, Reverse<u128>);

fn sort_key(f: &FindingRecord) -> SortKey {
    let created = f.created_at.timestamp_nanos_opt().unwrap_or(i64::MAX);
    (
        Reverse(f.priority.score),
        Reverse(created),
        Reverse(f.id.as_u128()),
    )
}

/// One distinct (title, description) pair, by a finding that has it.
#[derive(Debug)]
struct Text {
    title: Box<str>,
    description: Arc<str>,
}

/// The order and the interned texts of one project's findings.
#[derive(Debug, Default)]
pub(crate) struct FindingIndex {
    /// Finding positions in list order.
    order: Vec<u32>,
    /// Per finding position: the id of its text in `texts`.
    text_of: Vec<u32>,
    texts: Vec<Text>,
    /// Per text id: how many findings have it.
    text_count: Vec<u32>,
    /// Lower-case title → the ids of the texts with that title. Hashing
    /// the short title alone keeps the build cheap; descriptions of one
    /// check are usually the same allocation, compared by pointer first.
    by_title: HashMap<Box<str>, Vec<u32>>,
    /// False until the first build: while a project is being seeded, inserts
    /// are only collected, since keeping the order on each of 100,000
    /// inserts would cost far more than one sort at the end.
    built: bool,
}

impl FindingIndex {
    /// True when the index covers exactly `findings`.
    pub fn covers(&self, findings: &[FindingRecord]) -> bool {
        self.built && self.order.len() == findings.len() && self.text_of.len() == findings.len()
    }

    /// Indexes every finding from scratch.
    pub fn build(findings: &[FindingRecord]) -> Self {
        let mut keyed: Vec<(SortKey, u32)> = findings
            .iter()
            .enumerate()
            .map(|(i, f)| (sort_key(f), i as u32))
            .collect();
        // Keys are read once; sorting them costs a fraction of sorting
        // positions by comparing the records themselves.
        keyed.sort_unstable();
        let mut index = FindingIndex {
            order: keyed.into_iter().map(|(_, i)| i).collect(),
            built: true,
            ..FindingIndex::default()
        };
        index.text_of.reserve(findings.len());
        for f in findings {
            let id = index.intern(f);
            index.text_of.push(id);
        }
        index
    }

    /// Takes note of the finding just pushed at the end of `findings`.
    /// An index that did not cover the findings before stays stale (it is
    /// rebuilt when next needed).
    pub fn push(&mut self, findings: &[FindingRecord]) {
        let Some((new, before)) = findings.split_last() else {
            return;
        };
        if !self.covers(before) {
            return;
        }
        let key = sort_key(new);
        let at = self
            .order
            .partition_point(|&i| sort_key(&before[i as usize]) < key);
        self.order.insert(at, before.len() as u32);
        let id = self.intern(new);
        self.text_of.push(id);
    }

    fn intern(&mut self, f: &FindingRecord) -> u32 {
        let candidates = self
            .by_title
            .entry(Box::from(f.title_lower.as_str()))
            .or_default();
        for &id in candidates.iter() {
            let d = &self.texts[id as usize].description;
            if Arc::ptr_eq(d, &f.description_lower) || **d == *f.description_lower {
                self.text_count[id as usize] += 1;
                return id;
            }
        }
        let id = self.texts.len() as u32;
        candidates.push(id);
        self.text_count.push(1);
        self.texts.push(Text {
            title: Box::from(f.title_lower.as_str()),
            description: Arc::clone(&f.description_lower),
        });
        id
    }

    /// Finding positions in list order.
    pub fn order(&self) -> &[u32] {
        &self.order
    }

    /// Which texts contain `q` (already lower case), by text id, and how
    /// many findings have one of them.
    pub fn texts_matching(&self, q: &str) -> TextHits {
        let hits: Vec<bool> = self
            .texts
            .iter()
            .map(|t| t.title.contains(q) || t.description.contains(q))
            .collect();
        let findings = hits
            .iter()
            .zip(&self.text_count)
            .filter(|(hit, _)| **hit)
            .map(|(_, n)| *n as usize)
            .sum();
        TextHits { hits, findings }
    }

    /// The text id of the finding at `position`.
    pub fn text_of(&self, position: u32) -> u32 {
        self.text_of[position as usize]
    }

    /// How many distinct texts the findings have.
    #[cfg(test)]
    pub fn distinct_texts(&self) -> usize {
        self.texts.len()
    }
}

/// The answer of [`FindingIndex::texts_matching`].
#[derive(Debug)]
pub(crate) struct TextHits {
    hits: Vec<bool>,
    findings: usize,
}

impl TextHits {
    /// Whether the text `id` matched.
    pub fn contains(&self, id: u32) -> bool {
        self.hits.get(id as usize).copied().unwrap_or(false)
    }

    /// How many findings have a text that matched.
    pub fn findings(&self) -> usize {
        self.findings
    }
}
