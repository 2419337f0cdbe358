//! The findings list's row of a finding: what the list shows, sorts, marks
//! and filters by, in about 150 bytes. The whole `Finding` is 744 bytes
//! inline before any of its strings; a list of 100,000 keeps rows instead,
//! and the detail fetches the whole finding when it opens.
//!
//! Strings that many findings share (the title: the findings of one check
//! share it; the check; the page; the owner) are interned; the id is 16
//! bytes when it is a UUID; severity, status and domain are one byte each;
//! the two times are seconds. Anything that does not fit that shape (an
//! unknown severity, a time not written to the second, a score out of
//! range) is kept as sent in a side box, so nothing the list showed before
//! is lost.

use std::collections::HashSet;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;
use uuid::Uuid;

use super::finding::{Asset, Finding, FindingQuery, Priority};
use super::wire::{Extra, Timestamp};
use crate::api::enums::{Domain, FindingStatus, Severity};

/// Strings shared by many rows, each stored once.
#[derive(Clone, Debug, Default)]
pub struct Interner {
    set: HashSet<Arc<str>>,
}

impl Interner {
    /// The shared copy of `text`.
    pub fn intern(&mut self, text: &str) -> Arc<str> {
        if let Some(shared) = self.set.get(text) {
            return shared.clone();
        }
        let shared: Arc<str> = Arc::from(text);
        self.set.insert(shared.clone());
        shared
    }

    /// How many distinct strings are kept.
    pub fn len(&self) -> usize {
        self.set.len()
    }

    /// True when no string is kept.
    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }

    /// Forgets every string (rows holding one keep theirs).
    pub fn clear(&mut self) {
        self.set = HashSet::new();
    }
}

/// A finding's id: 16 bytes when the server wrote a UUID the canonical way
/// (lowercase, hyphenated), else the text as sent.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum RowId {
    Uuid([u8; 16]),
    Text(Box<str>),
}

impl RowId {
    fn new(id: String) -> RowId {
        match canonical_uuid(&id) {
            Some(bytes) => RowId::Uuid(bytes),
            None => RowId::Text(id.into_boxed_str()),
        }
    }

    fn text(&self) -> IdText<'_> {
        match self {
            RowId::Uuid(bytes) => {
                let mut buf = [0u8; 36];
                Uuid::from_bytes(*bytes).hyphenated().encode_lower(&mut buf);
                IdText::Uuid(buf)
            }
            RowId::Text(text) => IdText::Text(text),
        }
    }

    fn is(&self, id: &str) -> bool {
        match self {
            RowId::Uuid(bytes) => canonical_uuid(id).is_some_and(|b| b == *bytes),
            RowId::Text(text) => **text == *id,
        }
    }
}

/// The bytes of `id` when it is a UUID written lowercase and hyphenated
/// (so that writing it back gives the same text).
fn canonical_uuid(id: &str) -> Option<[u8; 16]> {
    if id.len() != 36 {
        return None;
    }
    let uuid = Uuid::try_parse(id).ok()?;
    let mut buf = [0u8; 36];
    (uuid.hyphenated().encode_lower(&mut buf) == id).then(|| *uuid.as_bytes())
}

/// An id to look rows up by, read once (not once per row).
#[derive(Clone, Copy, Debug)]
pub struct IdKey<'a> {
    text: &'a str,
    uuid: Option<[u8; 16]>,
}

impl<'a> IdKey<'a> {
    pub fn new(id: &'a str) -> IdKey<'a> {
        IdKey {
            text: id,
            uuid: canonical_uuid(id),
        }
    }
}

/// A row's id as text, without allocating.
#[derive(Clone, Copy)]
pub enum IdText<'a> {
    Uuid([u8; 36]),
    Text(&'a str),
}

impl Deref for IdText<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            IdText::Uuid(buf) => std::str::from_utf8(buf).unwrap_or_default(),
            IdText::Text(text) => text,
        }
    }
}

impl fmt::Display for IdText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl fmt::Debug for IdText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl PartialEq<str> for IdText<'_> {
    fn eq(&self, other: &str) -> bool {
        **self == *other
    }
}

impl PartialEq<&str> for IdText<'_> {
    fn eq(&self, other: &&str) -> bool {
        **self == **other
    }
}

impl PartialEq<String> for IdText<'_> {
    fn eq(&self, other: &String) -> bool {
        **self == **other
    }
}

/// A severity, status or domain of the contract (its index in `KNOWN`), or
/// one of these two.
const EMPTY: u8 = 254;
const OTHER: u8 = 255;

/// A time that was not sent, or one kept as sent in the side box.
const NO_TIME: i64 = i64::MIN;
const ODD_TIME: i64 = i64::MIN + 1;

/// A priority figure that was not sent.
const NO_FIGURE: i32 = i32::MIN;

/// `flags`: the creation time came as `inserted_at`.
const INSERTED: u8 = 1;
/// `flags`: the confidence was sent.
const CONFIDENT: u8 = 2;

static EMPTY_SEVERITY: Severity = Severity::Other(String::new());
static EMPTY_STATUS: FindingStatus = FindingStatus::Other(String::new());
static EMPTY_DOMAIN: Domain = Domain::Other(String::new());

/// What a row keeps as sent because it does not fit the compact shape.
#[derive(Clone, Debug, Default, PartialEq)]
struct Odd {
    severity: Option<Severity>,
    status: Option<FindingStatus>,
    domain: Option<Domain>,
    created: Option<Timestamp>,
    updated: Option<Timestamp>,
    /// impact, effort, risk, score, when one does not fit 32 bits.
    figures: Option<[Option<i64>; 4]>,
    /// The kind of the affected asset, when it is not `url`.
    asset_kind: Option<String>,
}

/// The findings list's compact row of a finding (see the module's notes).
#[derive(Clone, Debug, PartialEq)]
pub struct FindingRow {
    id: RowId,
    title: Arc<str>,
    owner: Option<Arc<str>>,
    /// The affected asset the list shows the path of (the first URL).
    url: Option<Arc<str>>,
    /// The sandbox's check key (a field the contract does not name).
    check: Option<Arc<str>>,
    confidence: f64,
    created: i64,
    updated: i64,
    /// impact, effort, risk, score.
    figures: [i32; 4],
    severity: u8,
    status: u8,
    domain: u8,
    flags: u8,
    odd: Option<Box<Odd>>,
}

/// The code of an enum value, and the value itself when it is unknown.
fn code<T: PartialEq + Clone + Default>(value: T, known: &[T]) -> (u8, Option<T>) {
    if let Some(i) = known.iter().position(|k| *k == value) {
        (i as u8, None)
    } else if value == T::default() {
        (EMPTY, None)
    } else {
        (OTHER, Some(value))
    }
}

/// The seconds of a time written to the second in UTC (`…T10:05:00Z`),
/// which is how the contract writes them; else the time as sent.
fn seconds(t: Option<Timestamp>) -> (i64, Option<Timestamp>) {
    let Some(t) = t else {
        return (NO_TIME, None);
    };
    match t.get() {
        Some(at) if at.to_rfc3339_opts(SecondsFormat::Secs, true) == t.raw() => {
            let secs = at.timestamp();
            if secs > ODD_TIME {
                return (secs, None);
            }
            (ODD_TIME, Some(t))
        }
        _ => (ODD_TIME, Some(t)),
    }
}

fn time_of(secs: i64, odd: Option<&Timestamp>) -> Option<Timestamp> {
    match secs {
        NO_TIME => None,
        ODD_TIME => odd.cloned(),
        secs => DateTime::<Utc>::from_timestamp(secs, 0).map(Timestamp::from_datetime),
    }
}

impl FindingRow {
    /// The row of `f`, its shared strings taken from `strings`. The
    /// description, evidence, fix steps, other assets and fields the
    /// contract does not name (but the sandbox's `check`) are dropped.
    pub fn new(f: Finding, strings: &mut Interner) -> FindingRow {
        let Finding {
            id,
            domain,
            title,
            severity,
            status,
            confidence,
            priority,
            owner_id,
            affected_assets,
            created_at,
            inserted_at,
            updated_at,
            extra,
            ..
        } = f;
        let mut odd = Odd::default();
        let (severity, odd_severity) = code(severity, Severity::KNOWN);
        let (status, odd_status) = code(status, FindingStatus::KNOWN);
        let (domain, odd_domain) = code(domain, Domain::KNOWN);
        odd.severity = odd_severity;
        odd.status = odd_status;
        odd.domain = odd_domain;
        let mut flags = 0;
        // One creation time is enough: the other name is only a fallback.
        let created_at = match created_at {
            Some(t) => Some(t),
            None if inserted_at.is_some() => {
                flags |= INSERTED;
                inserted_at
            }
            None => None,
        };
        let (created, odd_created) = seconds(created_at);
        let (updated, odd_updated) = seconds(updated_at);
        odd.created = odd_created;
        odd.updated = odd_updated;
        let sent = [
            priority.impact,
            priority.effort,
            priority.risk,
            priority.score,
        ];
        let narrow = |v: Option<i64>| match v {
            None => Some(NO_FIGURE),
            Some(v) => i32::try_from(v).ok().filter(|&v| v != NO_FIGURE),
        };
        let figures = match sent.map(narrow) {
            [Some(a), Some(b), Some(c), Some(d)] => [a, b, c, d],
            _ => {
                odd.figures = Some(sent);
                [NO_FIGURE; 4]
            }
        };
        if confidence.is_some() {
            flags |= CONFIDENT;
        }
        let primary = affected_assets
            .iter()
            .position(|a| a.kind == "url")
            .unwrap_or(0);
        let url = affected_assets.into_iter().nth(primary).map(|a| {
            if a.kind != "url" {
                odd.asset_kind = Some(a.kind);
            }
            strings.intern(&a.value)
        });
        let check = match extra.get("check") {
            Some(Value::String(check)) => Some(strings.intern(check)),
            _ => None,
        };
        FindingRow {
            id: RowId::new(id),
            title: strings.intern(&title),
            owner: owner_id.map(|o| strings.intern(&o)),
            url,
            check,
            confidence: confidence.unwrap_or(0.0),
            created,
            updated,
            figures,
            severity,
            status,
            domain,
            flags,
            odd: (odd != Odd::default()).then(|| Box::new(odd)),
        }
    }

    /// The id as the server wrote it.
    pub fn id(&self) -> IdText<'_> {
        self.id.text()
    }

    /// True when this is the finding `id`.
    pub fn id_is(&self, id: &str) -> bool {
        self.id.is(id)
    }

    /// True when this is the finding of `key` (for a search over many rows).
    pub fn has_id(&self, key: &IdKey<'_>) -> bool {
        match (&self.id, key.uuid) {
            (RowId::Uuid(bytes), Some(wanted)) => *bytes == wanted,
            (RowId::Uuid(_), None) => false,
            (RowId::Text(text), _) => **text == *key.text,
        }
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    /// The shared title (cheap to compare and to keep).
    pub fn shared_title(&self) -> &Arc<str> {
        &self.title
    }

    pub fn owner_id(&self) -> Option<&str> {
        self.owner.as_deref()
    }

    /// The sandbox's check key, e.g. `security.csp_missing`, when sent.
    pub fn check(&self) -> Option<&str> {
        self.check.as_deref()
    }

    /// The affected URL (the first one of type `url`, else the first
    /// asset), if any.
    pub fn primary_url(&self) -> Option<&str> {
        self.url.as_deref()
    }

    /// The path of the affected URL, e.g. `/checkout` (`/` for the site's
    /// root; the text as sent when it is not a URL). Not sanitized.
    pub fn url_path(&self) -> Option<&str> {
        let url = self.primary_url()?;
        Some(
            url.split_once("://")
                .map(|(_, rest)| rest.find('/').map_or("/", |i| &rest[i..]))
                .unwrap_or(url),
        )
    }

    pub fn severity(&self) -> &Severity {
        match self.severity {
            EMPTY => Some(&EMPTY_SEVERITY),
            OTHER => self.odd.as_ref().and_then(|o| o.severity.as_ref()),
            i => Severity::KNOWN.get(i as usize),
        }
        .unwrap_or(&EMPTY_SEVERITY)
    }

    pub fn status(&self) -> &FindingStatus {
        match self.status {
            EMPTY => Some(&EMPTY_STATUS),
            OTHER => self.odd.as_ref().and_then(|o| o.status.as_ref()),
            i => FindingStatus::KNOWN.get(i as usize),
        }
        .unwrap_or(&EMPTY_STATUS)
    }

    pub fn domain(&self) -> &Domain {
        match self.domain {
            EMPTY => Some(&EMPTY_DOMAIN),
            OTHER => self.odd.as_ref().and_then(|o| o.domain.as_ref()),
            i => Domain::KNOWN.get(i as usize),
        }
        .unwrap_or(&EMPTY_DOMAIN)
    }

    /// The priority figures as sent: impact, effort, risk, score.
    fn figures(&self) -> [Option<i64>; 4] {
        match self.odd.as_ref().and_then(|o| o.figures) {
            Some(figures) => figures,
            None => self
                .figures
                .map(|v| (v != NO_FIGURE).then_some(i64::from(v))),
        }
    }

    /// The priority score, 0 when the server sent none.
    pub fn score(&self) -> i64 {
        self.figures()[3].unwrap_or(0)
    }

    pub fn confidence(&self) -> Option<f64> {
        (self.flags & CONFIDENT != 0).then_some(self.confidence)
    }

    /// Creation time under either name the service uses.
    pub fn created(&self) -> Option<DateTime<Utc>> {
        match self.created {
            NO_TIME => None,
            ODD_TIME => self.odd.as_ref()?.created.as_ref()?.get(),
            secs => DateTime::from_timestamp(secs, 0),
        }
    }

    /// The last change's time, as the server wrote it.
    pub fn updated_at(&self) -> Option<Timestamp> {
        time_of(
            self.updated,
            self.odd.as_ref().and_then(|o| o.updated.as_ref()),
        )
    }

    /// Sets the status (a change made here, before the server's answer).
    pub fn set_status(&mut self, status: FindingStatus) {
        let (code, other) = code(status, FindingStatus::KNOWN);
        self.status = code;
        self.odd_mut().status = other;
        self.tidy();
    }

    /// Sets the severity.
    pub fn set_severity(&mut self, severity: Severity) {
        let (code, other) = code(severity, Severity::KNOWN);
        self.severity = code;
        self.odd_mut().severity = other;
        self.tidy();
    }

    /// Sets the owner (`None`: unassigned).
    pub fn set_owner(&mut self, owner: Option<&str>, strings: &mut Interner) {
        self.owner = owner.map(|o| strings.intern(o));
    }

    fn odd_mut(&mut self) -> &mut Odd {
        self.odd.get_or_insert_with(Box::default)
    }

    /// Drops the side box once it holds nothing.
    fn tidy(&mut self) {
        if self.odd.as_deref().is_some_and(|o| *o == Odd::default()) {
            self.odd = None;
        }
    }

    /// The finding as far as the row knows it: no description, evidence or
    /// fix, one asset, and no field the contract does not name but the
    /// check. What the detail shows while the whole finding loads.
    pub fn to_finding(&self) -> Finding {
        let odd = self.odd.as_deref();
        let [impact, effort, risk, score] = self.figures();
        let created = time_of(self.created, odd.and_then(|o| o.created.as_ref()));
        let (created_at, inserted_at) = if self.flags & INSERTED != 0 {
            (None, created)
        } else {
            (created, None)
        };
        let mut extra = Extra::new();
        if let Some(check) = &self.check {
            extra.insert("check".into(), Value::String(check.to_string()));
        }
        Finding {
            id: self.id().to_string(),
            domain: self.domain().clone(),
            title: self.title.to_string(),
            severity: self.severity().clone(),
            status: self.status().clone(),
            confidence: self.confidence(),
            priority: Priority {
                impact,
                effort,
                risk,
                score,
                ..Priority::default()
            },
            owner_id: self.owner.as_deref().map(str::to_string),
            affected_assets: self
                .url
                .iter()
                .map(|value| Asset {
                    kind: odd
                        .and_then(|o| o.asset_kind.clone())
                        .unwrap_or_else(|| "url".to_string()),
                    value: value.to_string(),
                    ..Asset::default()
                })
                .collect(),
            created_at,
            inserted_at,
            updated_at: self.updated_at(),
            extra,
            ..Finding::default()
        }
    }
}

impl FindingQuery {
    /// [`FindingQuery::matches`] for a list row (which keeps no
    /// description: `q` is looked for in the title).
    pub fn matches_row(&self, row: &FindingRow) -> bool {
        self.matches_fields(
            row.severity(),
            row.status(),
            row.domain(),
            row.owner_id(),
            row.title(),
            "",
        )
    }
}

#[cfg(test)]
mod tests;
