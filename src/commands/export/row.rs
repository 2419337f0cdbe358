//! The fields of a finding that the CSV and the table show, decoded alone.
//!
//! The full [`Finding`](crate::api::model::Finding) keeps every unknown field
//! for round trips, which makes decoding it about twice the cost of these
//! few columns; a CSV or a table writes none of the rest. The rules are the
//! model's: the same lenient numbers and timestamps, the same enums keeping
//! unknown values as sent.
//!
//! A page is read in one pass straight from its bytes into [`RowView`]s,
//! which borrow every string that has no escape: a finding is mostly text
//! the export does not show (its description, evidence, fix steps), which
//! is checked and passed over. Serde's [`FindingRow`] is the reference: a
//! finding the one-pass reader is not sure to read as serde does (a value
//! of another type than expected, a key sent twice) makes it give up, and
//! serde reads the page, with its errors.

use std::borrow::Cow;

use serde::Deserialize;

use crate::api::model::{Domain, FindingStatus, Severity, Timestamp, lenient};
use crate::api::relay::{self, Malformed, ROW_DEPTH, elements, members, skip};

/// The priority figures a row shows.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct RowPriority {
    #[serde(deserialize_with = "lenient::int")]
    pub impact: Option<i64>,
    #[serde(deserialize_with = "lenient::int")]
    pub effort: Option<i64>,
    #[serde(deserialize_with = "lenient::int")]
    pub risk: Option<i64>,
    #[serde(deserialize_with = "lenient::int")]
    pub score: Option<i64>,
}

/// An affected asset, `{type, value}`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct RowAsset {
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
}

/// The fix, as far as a row shows it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct RowFix {
    pub summary: String,
    #[serde(deserialize_with = "lenient::int")]
    pub estimated_minutes: Option<i64>,
}

/// The columns of a finding as serde reads them: the reference the one-pass
/// reader ([`RowView::read`]) matches, and the reading of a page it gives
/// up on.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct FindingRow {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub status: FindingStatus,
    pub domain: Domain,
    pub priority: RowPriority,
    #[serde(deserialize_with = "lenient::float")]
    pub confidence: Option<f64>,
    pub owner_id: Option<String>,
    pub affected_assets: Vec<RowAsset>,
    pub recommended_fix: RowFix,
    #[serde(deserialize_with = "lenient::timestamp")]
    pub created_at: Option<Timestamp>,
    #[serde(deserialize_with = "lenient::timestamp")]
    pub inserted_at: Option<Timestamp>,
    #[serde(deserialize_with = "lenient::timestamp")]
    pub updated_at: Option<Timestamp>,
}

impl FindingRow {
    /// The first affected URL, else the first asset, as the model says.
    pub fn primary_url(&self) -> Option<&str> {
        self.affected_assets
            .iter()
            .find(|a| a.kind == "url")
            .or(self.affected_assets.first())
            .map(|a| a.value.as_str())
    }
}

/// What a CSV record or a table line shows of a finding, borrowed from
/// the page's bytes (or from a [`FindingRow`]) where it can be.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RowView<'a> {
    pub id: Cow<'a, str>,
    pub title: Cow<'a, str>,
    /// Severity, status and domain as sent (the enums' `as_str`).
    pub severity: Cow<'a, str>,
    pub status: Cow<'a, str>,
    pub domain: Cow<'a, str>,
    pub score: Option<i64>,
    pub impact: Option<i64>,
    pub effort: Option<i64>,
    pub risk: Option<i64>,
    pub confidence: Option<f64>,
    pub owner_id: Option<Cow<'a, str>>,
    /// [`FindingRow::primary_url`].
    pub url: Option<Cow<'a, str>>,
    pub fix_summary: Cow<'a, str>,
    pub estimated_minutes: Option<i64>,
    /// Times as sent: an explicit `null` is an empty text, an absent
    /// field `None` (as [`Timestamp::raw`] and the `Option` around it).
    pub created_at: Option<Cow<'a, str>>,
    pub inserted_at: Option<Cow<'a, str>>,
    pub updated_at: Option<Cow<'a, str>>,
}

impl FindingRow {
    /// The row, borrowed.
    pub fn view(&self) -> RowView<'_> {
        fn time(t: &Option<Timestamp>) -> Option<Cow<'_, str>> {
            t.as_ref().map(|t| Cow::Borrowed(t.raw()))
        }
        RowView {
            id: Cow::Borrowed(&self.id),
            title: Cow::Borrowed(&self.title),
            severity: Cow::Borrowed(self.severity.as_str()),
            status: Cow::Borrowed(self.status.as_str()),
            domain: Cow::Borrowed(self.domain.as_str()),
            score: self.priority.score,
            impact: self.priority.impact,
            effort: self.priority.effort,
            risk: self.priority.risk,
            confidence: self.confidence,
            owner_id: self.owner_id.as_deref().map(Cow::Borrowed),
            url: self.primary_url().map(Cow::Borrowed),
            fix_summary: Cow::Borrowed(&self.recommended_fix.summary),
            estimated_minutes: self.recommended_fix.estimated_minutes,
            created_at: time(&self.created_at),
            inserted_at: time(&self.inserted_at),
            updated_at: time(&self.updated_at),
        }
    }
}

/// A row type of the CSV or the table, made from a [`RowView`] on the
/// task that fetched the page.
pub trait FromView: Sized {
    fn from_view(view: &RowView<'_>) -> Self;
}

/// The rows of the page's array at the start of `raw`, each read into a
/// view and made into an `R`; `None` when serde must read the page.
pub fn read_views<R: FromView>(raw: &[u8]) -> Option<(Vec<R>, usize)> {
    let mut rows = Vec::with_capacity(100);
    let end = elements(raw, 0, |at| {
        let (view, end) = RowView::read(raw, at)?;
        rows.push(R::from_view(&view));
        Ok(end)
    })
    .ok()?;
    Some((rows, end))
}

/// Serde's reading of one finding made into an `R`: what a row type's
/// `Deserialize` does when the one-pass reader gave up on its page.
pub fn deserialize_view<'de, R: FromView, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<R, D::Error> {
    Ok(R::from_view(&FindingRow::deserialize(d)?.view()))
}

/// Makes a [`FromView`] row type a page's row: `ListRow` reads a page
/// in one pass ([`read_views`]), and `Deserialize`, for a page the reader
/// gives up on, goes through serde's [`FindingRow`] ([`deserialize_view`]).
macro_rules! read_as_views {
    ($row:ty) => {
        impl<'de> serde::Deserialize<'de> for $row {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::commands::export::row::deserialize_view(d)
            }
        }

        impl $crate::api::model::ListRow for $row {
            fn read_array(raw: &[u8]) -> Option<(Vec<Self>, usize)> {
                $crate::commands::export::row::read_views(raw)
            }
        }
    };
}
pub(super) use read_as_views;

/// Gives up on the page: serde reads it.
fn unsure<T>(at: usize) -> Result<T, Malformed> {
    Err(Malformed { at })
}

/// Members of a finding, one bit each, to notice a key sent twice (serde
/// refuses it).
#[derive(Default)]
struct Seen(u32);

impl Seen {
    fn first(&mut self, bit: u32, at: usize) -> Result<(), Malformed> {
        if self.0 & (1 << bit) != 0 {
            return unsure(at);
        }
        self.0 |= 1 << bit;
        Ok(())
    }
}

/// The members of a finding sit in its object, in a row.
const MEMBER_DEPTH: usize = ROW_DEPTH + 1;

impl<'a> RowView<'a> {
    /// Reads the finding that starts at `raw[at]`; returns it and where it
    /// ends, or gives up where serde might read it otherwise.
    pub fn read(raw: &'a [u8], at: usize) -> Result<(RowView<'a>, usize), Malformed> {
        let mut view = RowView::default();
        let mut seen = Seen::default();
        // The first asset and the first of kind `url`.
        let mut first_asset = None;
        let end = members(raw, at, ROW_DEPTH, |key, v| {
            let depth = MEMBER_DEPTH;
            let (bit, end) = match key {
                b"id" => (0, text(raw, v, &mut view.id)?),
                b"title" => (1, text(raw, v, &mut view.title)?),
                b"severity" => (2, word::<Severity>(raw, v, depth, &mut view.severity)?),
                b"status" => (3, word::<FindingStatus>(raw, v, depth, &mut view.status)?),
                b"domain" => (4, word::<Domain>(raw, v, depth, &mut view.domain)?),
                b"priority" => (5, priority(raw, v, &mut view)?),
                b"confidence" => (6, float(raw, v, depth, &mut view.confidence)?),
                b"owner_id" => (7, owner(raw, v, &mut view.owner_id)?),
                b"affected_assets" => (8, assets(raw, v, &mut first_asset, &mut view.url)?),
                b"recommended_fix" => (9, fix(raw, v, &mut view)?),
                b"created_at" => (10, time(raw, v, depth, &mut view.created_at)?),
                b"inserted_at" => (11, time(raw, v, depth, &mut view.inserted_at)?),
                b"updated_at" => (12, time(raw, v, depth, &mut view.updated_at)?),
                _ => return skip(raw, v, depth),
            };
            seen.first(bit, v)?;
            Ok(end)
        })?;
        if view.url.is_none() {
            view.url = first_asset;
        }
        Ok((view, end))
    }
}

/// A string member.
fn text<'a>(raw: &'a [u8], at: usize, into: &mut Cow<'a, str>) -> Result<usize, Malformed> {
    let (text, end) = relay::string(raw, at)?;
    *into = text;
    Ok(end)
}

/// An enum member, kept as sent; a value other than a string is read as
/// the enum reads it (its JSON text).
fn word<'a, E: serde::de::DeserializeOwned + std::fmt::Display>(
    raw: &'a [u8],
    at: usize,
    depth: usize,
    into: &mut Cow<'a, str>,
) -> Result<usize, Malformed> {
    if raw.get(at) == Some(&b'"') {
        return text(raw, at, into);
    }
    let end = skip(raw, at, depth)?;
    let value: E = serde_json::from_slice(&raw[at..end]).or_else(|_| unsure(at))?;
    // The enums display their wire text.
    *into = Cow::Owned(value.to_string());
    Ok(end)
}

/// A lenient integer: a plain one read here, anything else as
/// [`lenient::int`] reads it.
fn int(raw: &[u8], at: usize, depth: usize, into: &mut Option<i64>) -> Result<usize, Malformed> {
    if let Some((n, len)) = relay::integer(&raw[at..]) {
        *into = Some(n.as_f64().round() as i64);
        return Ok(at + len);
    }
    let end = skip(raw, at, depth)?;
    *into = lenient::int(&mut serde_json::Deserializer::from_slice(&raw[at..end]))
        .or_else(|_| unsure(at))?;
    Ok(end)
}

/// A lenient float, as [`lenient::float`] reads it.
fn float(raw: &[u8], at: usize, depth: usize, into: &mut Option<f64>) -> Result<usize, Malformed> {
    if let Some((n, len)) = relay::integer(&raw[at..]) {
        *into = Some(n.as_f64());
        return Ok(at + len);
    }
    let end = skip(raw, at, depth)?;
    *into = lenient::float(&mut serde_json::Deserializer::from_slice(&raw[at..end]))
        .or_else(|_| unsure(at))?;
    Ok(end)
}

/// A time: a string as sent, `null` as an empty text, anything else as
/// [`lenient::timestamp`] reads it.
fn time<'a>(
    raw: &'a [u8],
    at: usize,
    depth: usize,
    into: &mut Option<Cow<'a, str>>,
) -> Result<usize, Malformed> {
    if raw.get(at) == Some(&b'"') {
        let (text, end) = relay::string(raw, at)?;
        *into = Some(text);
        return Ok(end);
    }
    if raw[at..].starts_with(b"null") {
        *into = Some(Cow::Borrowed(""));
        return Ok(at + 4);
    }
    let end = skip(raw, at, depth)?;
    let read = lenient::timestamp(&mut serde_json::Deserializer::from_slice(&raw[at..end]))
        .or_else(|_| unsure(at))?;
    *into = read.map(|t| Cow::Owned(t.raw().to_string()));
    Ok(end)
}

/// `owner_id`: a string or `null`.
fn owner<'a>(
    raw: &'a [u8],
    at: usize,
    into: &mut Option<Cow<'a, str>>,
) -> Result<usize, Malformed> {
    if raw[at..].starts_with(b"null") {
        *into = None;
        return Ok(at + 4);
    }
    let (text, end) = relay::string(raw, at)?;
    *into = Some(text);
    Ok(end)
}

/// `priority`: an object of lenient integers.
fn priority(raw: &[u8], at: usize, view: &mut RowView<'_>) -> Result<usize, Malformed> {
    let mut seen = Seen::default();
    let depth = MEMBER_DEPTH + 1;
    members(raw, at, MEMBER_DEPTH, |key, v| {
        let (bit, end) = match key {
            b"impact" => (0, int(raw, v, depth, &mut view.impact)?),
            b"effort" => (1, int(raw, v, depth, &mut view.effort)?),
            b"risk" => (2, int(raw, v, depth, &mut view.risk)?),
            b"score" => (3, int(raw, v, depth, &mut view.score)?),
            _ => return skip(raw, v, depth),
        };
        seen.first(bit, v)?;
        Ok(end)
    })
}

/// `recommended_fix`: its summary and estimate.
fn fix<'a>(raw: &'a [u8], at: usize, view: &mut RowView<'a>) -> Result<usize, Malformed> {
    let mut seen = Seen::default();
    let depth = MEMBER_DEPTH + 1;
    members(raw, at, MEMBER_DEPTH, |key, v| {
        let (bit, end) = match key {
            b"summary" => (0, text(raw, v, &mut view.fix_summary)?),
            b"estimated_minutes" => (1, int(raw, v, depth, &mut view.estimated_minutes)?),
            _ => return skip(raw, v, depth),
        };
        seen.first(bit, v)?;
        Ok(end)
    })
}

/// `affected_assets`: the value of the first asset, and of the first whose
/// type is `url`.
fn assets<'a>(
    raw: &'a [u8],
    at: usize,
    first: &mut Option<Cow<'a, str>>,
    url: &mut Option<Cow<'a, str>>,
) -> Result<usize, Malformed> {
    if raw.get(at) != Some(&b'[') {
        return unsure(at);
    }
    // The array is a member of the finding; each asset is in the array.
    let depth = MEMBER_DEPTH + 1;
    elements(raw, at, |a| {
        let mut seen = Seen::default();
        let mut kind = Cow::Borrowed("");
        let mut value = Cow::Borrowed("");
        let end = members(raw, a, depth, |key, v| {
            let (bit, end) = match key {
                b"type" => (0, text(raw, v, &mut kind)?),
                b"value" => (1, text(raw, v, &mut value)?),
                _ => return skip(raw, v, depth + 1),
            };
            seen.first(bit, v)?;
            Ok(end)
        })?;
        if first.is_none() {
            *first = Some(value.clone());
        }
        if url.is_none() && kind == "url" {
            *url = Some(value);
        }
        Ok(end)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::Finding;

    #[test]
    fn a_row_reads_what_the_full_finding_reads() {
        let sent = serde_json::json!({
            "id": "f-1", "title": "t", "severity": "catastrophic", "status": "new",
            "domain": "security", "confidence": "0.5", "owner_id": null,
            "priority": {"score": "87", "impact": 3.6, "weight": 1},
            "affected_assets": [{"type": "host", "value": "h"}, {"type": "url", "value": "u"}],
            "recommended_fix": {"summary": "s", "estimated_minutes": "15", "steps": ["a"]},
            "inserted_at": "2025-06-15T10:06:00Z", "updated_at": null, "cvss": 9.1
        });
        let row: FindingRow = serde_json::from_value(sent.clone()).unwrap();
        let full: Finding = serde_json::from_value(sent).unwrap();
        assert_eq!(row.severity, full.severity);
        assert_eq!(row.priority.score, full.priority.score);
        assert_eq!(row.priority.impact, full.priority.impact);
        assert_eq!(row.confidence, full.confidence);
        assert_eq!(row.primary_url(), full.primary_url());
        assert_eq!(
            row.recommended_fix.estimated_minutes,
            full.recommended_fix.estimated_minutes
        );
        assert_eq!(row.inserted_at, full.inserted_at);
        assert_eq!(row.updated_at, full.updated_at);
    }
}

#[cfg(test)]
mod reader_tests {
    use super::*;
    use crate::api::relay::skip_whitespace;
    use crate::api::relay::tests::one_byte_changes;

    /// A view written out, to compare what the two readers make of a page.
    #[derive(Debug, PartialEq)]
    struct Shown(String);

    impl FromView for Shown {
        fn from_view(view: &RowView<'_>) -> Self {
            Shown(format!("{view:?}"))
        }
    }

    read_as_views!(Shown);

    /// The one-pass reader's rows when it takes the whole text.
    fn by_reader(page: &[u8]) -> Option<Vec<Shown>> {
        read_views(page)
            .filter(|(_, end)| skip_whitespace(page, *end) == page.len())
            .map(|(rows, _)| rows)
    }

    fn by_serde(page: &[u8]) -> Result<Vec<Shown>, serde_json::Error> {
        serde_json::from_slice(page)
    }

    /// A finding as the sandbox sends one, and one with every odd value a
    /// server might send in each column the export shows.
    const TYPICAL: &str = r#"{"id":"d4e5f6a7-8b9c-0d1e-2f3a-4b5c6d7e8f9a","project_id":"p","domain":"security","check":"csp","title":"Missing Content-Security-Policy header","description":"No CSP \"at all\"","severity":"critical","status":"new","confidence":0.95,"priority":{"impact":80,"effort":20,"risk":90,"score":88},"owner_id":null,"affected_assets":[{"type":"host","value":"example.com"},{"type":"url","value":"https://example.com/"}],"evidence":{"headers":{"server":"nginx"},"lines":[1,2.5,null,true]},"recommended_fix":{"summary":"Add a CSP","steps":["a","b"],"estimated_minutes":60},"created_at":"2025-06-15T10:05:00Z","updated_at":null}"#;
    const ODD: &str = r#"{ "title" : "\u001b]0;pwned\u0007 caf\u00e9 \ud83d\ude00 é", "id": "f\"2",
        "severity": 42, "status": null, "domain": {"a": [1]},
        "priority": {"score": "87", "impact": 3.6, "effort": null, "risk": true, "weight": 1e3},
        "confidence": "0.5", "owner_id": "22222222-2222-2222-2222-222222222222",
        "affected_assets": [{"value": "h"}, {"type": "url", "value": "=u\nv", "extra": {}}],
        "recommended_fix": {"summary": "s, \"q\"", "estimated_minutes": "15"},
        "created_at": 1718000000, "inserted_at": "x", "updated_at": [1, "a"],
        "\u0069gnored": 18446744073709551615 }"#;
    const SPARSE: &str = r#"{"id":"only","priority":{},"affected_assets":[],"recommended_fix":{},"inserted_at":"2025-06-15T10:06:00Z","score":-9223372036854775808}"#;

    fn page(findings: &[&str]) -> String {
        format!("[{}]", findings.join(","))
    }

    #[test]
    fn the_reader_takes_findings_as_serde_reads_them() {
        for sample in [TYPICAL, ODD, SPARSE] {
            let page = page(&[sample, sample]);
            let serde = by_serde(page.as_bytes()).unwrap();
            assert_eq!(by_reader(page.as_bytes()), Some(serde), "{sample}");
        }
        let [Shown(odd)] = &by_reader(page(&[ODD]).as_bytes()).unwrap()[..] else {
            panic!()
        };
        for read in [
            r#"severity: "42""#,
            r#"status: "null""#,
            r#"score: Some(87)"#,
            r#"impact: Some(4)"#,
            r#"effort: None"#,
            r#"confidence: Some(0.5)"#,
            r#"url: Some("=u\nv")"#,
            r#"estimated_minutes: Some(15)"#,
            r#"created_at: Some("1718000000")"#,
            r#"updated_at: Some("[1,\"a\"]")"#,
        ] {
            assert!(odd.contains(read), "{read} in {odd}");
        }
        let [Shown(typical)] = &by_reader(page(&[TYPICAL]).as_bytes()).unwrap()[..] else {
            panic!()
        };
        assert!(typical.contains(r#"updated_at: Some("")"#), "{typical}");
        assert!(
            typical.contains(r#"url: Some("https://example.com/")"#),
            "{typical}"
        );
    }

    #[test]
    fn the_reader_gives_serde_the_findings_it_is_not_sure_of() {
        for unsure in [
            // A key twice, spelled alike or escaped: serde refuses it.
            r#"{"id":"a","id":"b"}"#,
            r#"{"id":"a","\u0069d":"b"}"#,
            r#"{"priority":{"score":1,"score":2}}"#,
            // A value of a type serde's row does not take.
            r#"{"id":7}"#,
            r#"{"title":null}"#,
            r#"{"owner_id":5}"#,
            r#"{"priority":null}"#,
            r#"{"priority":[1,2,3,4]}"#,
            r#"{"affected_assets":{}}"#,
            r#"{"affected_assets":[null]}"#,
            r#"{"recommended_fix":"x"}"#,
            // Not an object; half a surrogate pair, which serde refuses
            // only in a string it decodes.
            r#"["a"]"#,
            r#"{"title":"\ud800"}"#,
            r#"{"description":"\ud800"}"#,
        ] {
            let page = page(&[TYPICAL, unsure]);
            assert_eq!(by_reader(page.as_bytes()), None, "{unsure}");
        }
        // What serde takes of those, it takes whole: the description's half
        // pair is skipped, not decoded.
        assert!(by_serde(page(&[r#"{"description":"\ud800"}"#]).as_bytes()).is_ok());
    }

    #[test]
    fn what_the_reader_takes_after_any_one_byte_is_changed_serde_reads_alike() {
        let bytes: &[u8] = b"\"\\,:[]{}0 -.eEx+tnfu/\x00\x1f\x80\xc3";
        let mut taken = 0;
        let mut checked = 0;
        for sample in [ODD, SPARSE] {
            let sample = page(&[sample]).into_bytes();
            for v in one_byte_changes(&sample, bytes) {
                checked += 1;
                if let Some(rows) = by_reader(&v) {
                    taken += 1;
                    let serde = by_serde(&v);
                    assert!(
                        serde.as_ref().is_ok_and(|s| *s == rows),
                        "{}: {rows:?} against {serde:?}",
                        String::from_utf8_lossy(&v)
                    );
                }
            }
        }
        assert!(
            checked > 10_000 && taken > checked / 10,
            "{taken} of {checked}"
        );
    }

    mod generated {
        use super::*;
        use proptest::prelude::*;

        /// Any JSON value of the kinds a column might be sent as.
        fn value() -> impl Strategy<Value = String> {
            let leaf = prop_oneof![
                any::<String>().prop_map(|s| serde_json::to_string(&s).unwrap()),
                "[a-z0-9 ,\"=:.-]{0,12}".prop_map(|s| serde_json::to_string(&s).unwrap()),
                any::<String>().prop_map(|s| {
                    let units: String = s.encode_utf16().map(|u| format!("\\u{u:04x}")).collect();
                    format!("\"{units}\"")
                }),
                any::<i64>().prop_map(|n| n.to_string()),
                any::<u64>().prop_map(|n| n.to_string()),
                "-?[0-9]{1,3}(\\.[0-9]{1,6})?([eE][+-]?[0-9])?",
                "\" ?-?[0-9]{1,3}(\\.[0-9]{1,3})? ?\"",
                Just("true".to_string()),
                Just("null".to_string()),
            ];
            leaf.prop_recursive(2, 12, 4, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..4)
                        .prop_map(|items| format!("[{}]", items.join(","))),
                    prop::collection::vec(("[a-z]{1,3}", inner), 0..4).prop_map(|members| {
                        let members: Vec<String> = members
                            .into_iter()
                            .enumerate()
                            .map(|(i, (k, v))| format!("\"{k}{i}\":{v}"))
                            .collect();
                        format!("{{{}}}", members.join(","))
                    }),
                ]
            })
        }

        /// An object of some of `keys`, each with any value or with one of
        /// the kind the column expects, in any order, perhaps twice.
        fn object(
            keys: &'static [&'static str],
            expected: BoxedStrategy<String>,
        ) -> BoxedStrategy<String> {
            let member = (
                prop::sample::select(keys),
                prop_oneof![value(), expected.clone(), expected],
            );
            prop::collection::vec(member, 0..keys.len() + 2)
                .prop_map(|members| {
                    let members: Vec<String> = members
                        .into_iter()
                        .map(|(k, v)| format!("{}:{v}", serde_json::to_string(k).unwrap()))
                        .collect();
                    format!("{{{}}}", members.join(","))
                })
                .boxed()
        }

        fn finding() -> impl Strategy<Value = String> {
            let text = "[a-z=\\-+@ ,\"]{0,8}"
                .prop_map(|s| serde_json::to_string(&s).unwrap())
                .boxed();
            let asset = object(&["type", "value", "x"], text.clone());
            let nested = prop_oneof![
                object(
                    &["impact", "effort", "risk", "score", "weight"],
                    value().boxed()
                ),
                object(&["summary", "estimated_minutes", "steps"], text.clone()),
                prop::collection::vec(asset, 0..3).prop_map(|a| format!("[{}]", a.join(","))),
            ]
            .boxed();
            object(
                &[
                    "id",
                    "title",
                    "severity",
                    "status",
                    "domain",
                    "priority",
                    "confidence",
                    "owner_id",
                    "affected_assets",
                    "recommended_fix",
                    "created_at",
                    "inserted_at",
                    "updated_at",
                    "description",
                ],
                prop_oneof![text, nested].boxed(),
            )
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 1024, failure_persistence: None, ..ProptestConfig::default() })]

            /// Whatever the reader takes, serde reads alike.
            #[test]
            fn a_generated_finding_is_read_as_serde_reads_it(f in finding(), g in finding()) {
                let page = page(&[&f, &g]);
                if let Some(rows) = by_reader(page.as_bytes()) {
                    let serde = by_serde(page.as_bytes());
                    prop_assert!(serde.as_ref().is_ok_and(|s| *s == rows), "{page}: {rows:?} against {serde:?}");
                }
            }
        }
    }
}
