//! Checks JSON text and lays it out again in one pass, copying its bytes
//! where `serde_json` would write the same bytes again.
//!
//! An export writes every finding as the server sent it, re-indented, and
//! a page of 100 findings is about 190 kB: reading it through serde (to
//! check it) and then laying it out was most of an export's time. This
//! reader does both at once. Most of a finding is strings without escapes
//! and plain integers; decoding and re-escaping them gives back the bytes
//! that came in, so they are copied as they are. What `serde_json` would
//! write differently (an escaped string such as `"\u0041"`, a float such as
//! `1.50`, `-0`, an integer too large for 64 bits) goes through `serde_json`,
//! so the output is byte for byte what decoding the value and encoding it
//! again gives.
//!
//! It accepts exactly the JSON that `serde_json` accepts, up to the same
//! nesting depth. It names no precise error: a caller that meets
//! [`Malformed`] reads the text with `serde_json` again, which says what is
//! wrong and where.

use std::borrow::Cow;

/// Containers nested deeper than this are refused, as `serde_json` does.
const MAX_DEPTH: usize = 127;

/// How deep a row of a list page sits: in the `data` array, in the
/// envelope. The depth a [`ListRow`](super::model::ListRow) reader passes
/// for each row.
pub const ROW_DEPTH: usize = 2;

/// How the value is laid out.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Layout {
    /// No whitespace at all: one NDJSON line.
    Compact,
    /// `serde_json`'s pretty layout (two spaces a level), the value being an
    /// element of a top-level array: its inner lines start one level deeper.
    /// The caller writes the element's own indentation before it.
    Element,
}

/// The text is not one JSON value `serde_json` would read; `at` is the
/// byte where reading stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Malformed {
    pub at: usize,
}

/// Lays out the JSON value starting at `raw[at]` (whitespace before it is
/// skipped) onto `out`, and returns where the value ends. `depth` is how
/// many containers of the document enclose the value (the nesting limit
/// counts from the document's top).
pub fn relay(
    raw: &[u8],
    at: usize,
    depth: usize,
    layout: Layout,
    out: &mut Vec<u8>,
) -> Result<usize, Malformed> {
    match layout {
        Layout::Compact => Reader::new(raw, at, Compact(out)).whole_value(depth),
        Layout::Element => Reader::new(raw, at, Pretty(out)).whole_value(depth),
    }
}

/// Checks the JSON value starting at `raw[at]`, `depth` containers deep,
/// and returns where it ends, writing nothing.
pub fn skip(raw: &[u8], at: usize, depth: usize) -> Result<usize, Malformed> {
    Reader::new(raw, at, Discard).whole_value(depth)
}

/// The index of the first byte at or after `at` that is not whitespace.
pub fn skip_whitespace(raw: &[u8], mut at: usize) -> usize {
    while matches!(raw.get(at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        at += 1;
    }
    at
}

/// Calls `element` with the position of each element of the array that
/// starts at `raw[at]` (which must be `[`); `element` returns where the
/// element ends. Returns where the array ends.
pub fn elements(
    raw: &[u8],
    at: usize,
    mut element: impl FnMut(usize) -> Result<usize, Malformed>,
) -> Result<usize, Malformed> {
    if raw.get(at) != Some(&b'[') {
        return Err(Malformed { at });
    }
    let mut i = skip_whitespace(raw, at + 1);
    if raw.get(i) == Some(&b']') {
        return Ok(i + 1);
    }
    loop {
        i = skip_whitespace(raw, element(i)?);
        match raw.get(i) {
            Some(b',') => i = skip_whitespace(raw, i + 1),
            Some(b']') => return Ok(i + 1),
            _ => return Err(Malformed { at: i }),
        }
    }
}

/// Calls `member` with the key (unescaped, as UTF-8 bytes) and the
/// position of the value of each member of the object that starts at
/// `raw[at]` (which must be `{`), `depth` containers deep; `member` returns
/// where the value ends. Returns where the object ends. Keys are checked
/// here; values are the caller's to check (with [`skip`], `depth + 1`
/// deep, for one it does not read).
pub fn members(
    raw: &[u8],
    at: usize,
    depth: usize,
    mut member: impl FnMut(&[u8], usize) -> Result<usize, Malformed>,
) -> Result<usize, Malformed> {
    if raw.get(at) != Some(&b'{') || depth >= MAX_DEPTH {
        return Err(Malformed { at });
    }
    let mut i = skip_whitespace(raw, at + 1);
    if raw.get(i) == Some(&b'}') {
        return Ok(i + 1);
    }
    loop {
        let (key, end) = key(raw, i)?;
        i = skip_whitespace(raw, end);
        if raw.get(i) != Some(&b':') {
            return Err(Malformed { at: i });
        }
        i = skip_whitespace(raw, member(&key, skip_whitespace(raw, i + 1))?);
        match raw.get(i) {
            Some(b',') => i = skip_whitespace(raw, i + 1),
            Some(b'}') => return Ok(i + 1),
            _ => return Err(Malformed { at: i }),
        }
    }
}

/// The key that starts at `raw[at]`, checked and unescaped, as bytes: a
/// reader compares keys with names and needs no `str`.
fn key(raw: &[u8], at: usize) -> Result<(Cow<'_, [u8]>, usize), Malformed> {
    if raw.get(at) != Some(&b'"') {
        return Err(Malformed { at });
    }
    let scanned = scan_string(raw, at)?;
    let end = scanned.close + 1;
    if scanned.escaped {
        let key: String = serde_json::from_slice(&raw[at..end]).map_err(|_| Malformed { at })?;
        return Ok((Cow::Owned(key.into_bytes()), end));
    }
    let key = &raw[at + 1..scanned.close];
    if !scanned.ascii && std::str::from_utf8(key).is_err() {
        return Err(Malformed { at });
    }
    Ok((Cow::Borrowed(key), end))
}

/// The string that starts at `raw[at]` (which must be `"`), checked and
/// unescaped (borrowed when it has no escape), and where it ends.
pub fn string(raw: &[u8], at: usize) -> Result<(Cow<'_, str>, usize), Malformed> {
    if raw.get(at) != Some(&b'"') {
        return Err(Malformed { at });
    }
    let scanned = scan_string(raw, at)?;
    let end = scanned.close + 1;
    let text = if scanned.escaped {
        Cow::Owned(serde_json::from_slice(&raw[at..end]).map_err(|_| Malformed { at })?)
    } else {
        Cow::Borrowed(
            std::str::from_utf8(&raw[at + 1..scanned.close]).map_err(|_| Malformed { at })?,
        )
    };
    Ok((text, end))
}

/// The integer written at the start of `text` when it is one serde_json
/// reads as 64 bits and writes back as it came, and where it ends; `None`
/// for any other value.
pub fn integer(text: &[u8]) -> Option<(Integer, usize)> {
    let len = number_len(text);
    let digits = &text[..len];
    if !plain_integer(digits) {
        return None;
    }
    let digits = std::str::from_utf8(digits).ok()?;
    let n = match digits.parse::<i64>() {
        Ok(n) => Integer::Signed(n),
        Err(_) => Integer::Unsigned(digits.parse().ok()?),
    };
    Some((n, len))
}

/// How many bytes at the start of `text` can be part of a number (its
/// grammar is checked apart).
fn number_len(text: &[u8]) -> usize {
    text.iter()
        .position(|c| !matches!(c, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
        .unwrap_or(text.len())
}

/// An integer as serde_json keeps it: signed when it fits, else unsigned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Integer {
    Signed(i64),
    Unsigned(u64),
}

impl Integer {
    /// The nearest float, as `serde_json::Number::as_f64` gives it.
    pub fn as_f64(self) -> f64 {
        match self {
            Integer::Signed(n) => n as f64,
            Integer::Unsigned(n) => n as f64,
        }
    }
}

/// Where the bytes go: the layout decides only line breaks, indentation
/// and the space after a colon.
trait Out {
    fn bytes(&mut self, b: &[u8]);
    fn byte(&mut self, b: u8);
    /// A line break and the indentation of `level`, where the layout has one.
    fn newline(&mut self, level: usize);
    fn colon(&mut self);
    /// Writes `text`, a JSON string with escapes, as serde_json would.
    fn escaped(&mut self, text: &[u8]) -> Result<(), ()>;
    /// Writes `text`, a number that is not a plain integer, as serde_json would.
    fn number(&mut self, text: &[u8]) -> Result<(), ()>;
}

struct Pretty<'o>(&'o mut Vec<u8>);
struct Compact<'o>(&'o mut Vec<u8>);
struct Discard;

fn write_escaped(out: &mut Vec<u8>, text: &[u8]) -> Result<(), ()> {
    // serde_json writes escapes its own way (`\u0041` as `A`, `\/` as
    // `/`): decode and encode the string again. Decoding checks it.
    let decoded: String = serde_json::from_slice(text).map_err(drop)?;
    serde_json::to_writer(&mut *out, &decoded).map_err(drop)
}

fn write_number(out: &mut Vec<u8>, text: &[u8]) -> Result<(), ()> {
    let n: serde_json::Number = serde_json::from_slice(text).map_err(drop)?;
    serde_json::to_writer(&mut *out, &n).map_err(drop)
}

impl Out for Pretty<'_> {
    fn bytes(&mut self, b: &[u8]) {
        self.0.extend_from_slice(b);
    }
    fn byte(&mut self, b: u8) {
        self.0.push(b);
    }
    fn newline(&mut self, level: usize) {
        self.0.push(b'\n');
        self.0.resize(self.0.len() + 2 * level, b' ');
    }
    fn colon(&mut self) {
        self.0.extend_from_slice(b": ");
    }
    fn escaped(&mut self, text: &[u8]) -> Result<(), ()> {
        write_escaped(self.0, text)
    }
    fn number(&mut self, text: &[u8]) -> Result<(), ()> {
        write_number(self.0, text)
    }
}

impl Out for Compact<'_> {
    fn bytes(&mut self, b: &[u8]) {
        self.0.extend_from_slice(b);
    }
    fn byte(&mut self, b: u8) {
        self.0.push(b);
    }
    fn newline(&mut self, _level: usize) {}
    fn colon(&mut self) {
        self.0.push(b':');
    }
    fn escaped(&mut self, text: &[u8]) -> Result<(), ()> {
        write_escaped(self.0, text)
    }
    fn number(&mut self, text: &[u8]) -> Result<(), ()> {
        write_number(self.0, text)
    }
}

impl Out for Discard {
    fn bytes(&mut self, _b: &[u8]) {}
    fn byte(&mut self, _b: u8) {}
    fn newline(&mut self, _level: usize) {}
    fn colon(&mut self) {}
    fn escaped(&mut self, text: &[u8]) -> Result<(), ()> {
        serde_json::from_slice::<String>(text)
            .map(drop)
            .map_err(drop)
    }
    fn number(&mut self, text: &[u8]) -> Result<(), ()> {
        serde_json::from_slice::<serde_json::Number>(text)
            .map(drop)
            .map_err(drop)
    }
}

struct Reader<'r, O> {
    raw: &'r [u8],
    at: usize,
    out: O,
    /// Containers around the value read: indentation counts from there.
    base: usize,
}

impl<'r, O: Out> Reader<'r, O> {
    fn new(raw: &'r [u8], at: usize, out: O) -> Self {
        Reader {
            raw,
            at,
            out,
            base: 0,
        }
    }

    fn malformed<T>(&self) -> Result<T, Malformed> {
        Err(Malformed { at: self.at })
    }

    fn whole_value(mut self, depth: usize) -> Result<usize, Malformed> {
        self.base = depth;
        self.value(depth)?;
        Ok(self.at)
    }

    fn whitespace(&mut self) {
        self.at = skip_whitespace(self.raw, self.at);
    }

    /// One value, after any whitespace; `depth` containers are open.
    fn value(&mut self, depth: usize) -> Result<(), Malformed> {
        self.whitespace();
        match self.raw.get(self.at) {
            Some(b'{') => self.container(depth + 1, b'}'),
            Some(b'[') => self.container(depth + 1, b']'),
            Some(b'"') => self.string(),
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => self.malformed(),
        }
    }

    /// An object or an array, `self.at` on its opening bracket; `depth`
    /// counts it and every container around it.
    fn container(&mut self, depth: usize, close: u8) -> Result<(), Malformed> {
        if depth > MAX_DEPTH {
            return self.malformed();
        }
        let object = close == b'}';
        self.out.byte(self.raw[self.at]);
        self.at += 1;
        self.whitespace();
        if self.raw.get(self.at) == Some(&close) {
            // serde_json writes an empty container on one line.
            self.out.byte(close);
            self.at += 1;
            return Ok(());
        }
        // An element's members sit one level deeper than the element,
        // which sits one level into the array.
        loop {
            self.out.newline(depth - self.base + 1);
            if object {
                self.whitespace();
                if self.raw.get(self.at) != Some(&b'"') {
                    return self.malformed();
                }
                self.string()?;
                self.whitespace();
                if self.raw.get(self.at) != Some(&b':') {
                    return self.malformed();
                }
                self.at += 1;
                self.out.colon();
            }
            self.value(depth)?;
            self.whitespace();
            match self.raw.get(self.at) {
                Some(b',') => {
                    self.out.byte(b',');
                    self.at += 1;
                }
                Some(&b) if b == close => {
                    self.out.newline(depth - self.base);
                    self.out.byte(close);
                    self.at += 1;
                    return Ok(());
                }
                _ => return self.malformed(),
            }
        }
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), Malformed> {
        if !self.raw[self.at..].starts_with(word) {
            return self.malformed();
        }
        self.out.bytes(word);
        self.at += word.len();
        Ok(())
    }

    /// A string, `self.at` on its opening quote.
    fn string(&mut self) -> Result<(), Malformed> {
        let start = self.at;
        let scanned = scan_string(self.raw, start).inspect_err(|e| self.at = e.at)?;
        let text = &self.raw[start..=scanned.close];
        if !scanned.ascii && std::str::from_utf8(text).is_err() {
            return self.malformed();
        }
        if scanned.escaped && !kept_escapes(text) {
            self.out.escaped(text).or_else(|()| self.malformed())?;
        } else {
            // No control character, and serde_json escapes nothing else
            // but quotes and backslashes (and writes back the escapes it
            // keeps as they came).
            self.out.bytes(text);
        }
        self.at = scanned.close + 1;
        Ok(())
    }

    /// A number, `self.at` on its first character.
    fn number(&mut self) -> Result<(), Malformed> {
        let rest = &self.raw[self.at..];
        let len = number_len(rest);
        let text = &rest[..len];
        if plain_integer(text) {
            self.out.bytes(text);
        } else {
            // serde_json checks the grammar and the range.
            self.out.number(text).or_else(|()| self.malformed())?;
        }
        self.at += len;
        Ok(())
    }
}

/// What reading a string found.
struct Scanned {
    /// The index of the closing quote.
    close: usize,
    /// It holds a backslash escape (not yet checked).
    escaped: bool,
    /// Every byte is ASCII: the text needs no UTF-8 check.
    ascii: bool,
}

/// Finds the end of the string whose opening quote is `raw[start]`,
/// checking that no control character is in it; neither its escapes nor
/// its UTF-8 are checked.
fn scan_string(raw: &[u8], start: usize) -> Result<Scanned, Malformed> {
    let mut i = start + 1;
    let mut escaped = false;
    let mut ascii = true;
    loop {
        i += plain_run(&raw[i..]);
        match raw.get(i) {
            Some(b'"') => break,
            Some(b'\\') => {
                // What it escapes is never the closing quote; serde_json
                // checks the escape itself.
                escaped = true;
                i += 2;
                if i > raw.len() {
                    return Err(Malformed { at: raw.len() });
                }
            }
            Some(b) if *b >= 0x80 => {
                ascii = false;
                i += 1;
            }
            // A control character, or the text ends inside the string.
            _ => return Err(Malformed { at: i }),
        }
    }
    Ok(Scanned {
        close: i,
        escaped,
        ascii,
    })
}

/// True when every escape of `text`, a string with its quotes, is one
/// serde_json decodes and writes back the same: `\"`, `\\`, `\b`, `\f`,
/// `\n`, `\r`, `\t` (a quote in an HTML snippet, a line break in a
/// description). Such a string is valid and copied as it came; any other
/// escape (`\/`, `\u0041`, half a surrogate pair) goes through serde_json.
fn kept_escapes(text: &[u8]) -> bool {
    let mut i = 0;
    while let Some(at) = memchr::memchr(b'\\', &text[i..]) {
        match text.get(i + at + 1) {
            Some(b'"' | b'\\' | b'b' | b'f' | b'n' | b'r' | b't') => i += at + 2,
            _ => return false,
        }
    }
    true
}

/// How many bytes at the start of `text` need no attention inside a
/// string: printable ASCII other than a quote or a backslash. Eight bytes
/// are looked at a time.
fn plain_run(text: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut done = 0;
    while let Some(chunk) = text.get(done..done + 8) {
        let w = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let zero_in = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
        // A byte below 0x20, a quote, a backslash, or one with its high bit.
        // (Below 0x20 is bits 5 and 6 clear; a byte with its high bit is
        // flagged whatever those bits are.)
        let flagged = zero_in(w & 0x6060_6060_6060_6060)
            | zero_in(w ^ (ONES * u64::from(b'"')))
            | zero_in(w ^ (ONES * u64::from(b'\\')))
            | (w & HIGH);
        if flagged != 0 {
            return done + (flagged.trailing_zeros() / 8) as usize;
        }
        done += 8;
    }
    done + text[done..]
        .iter()
        .position(|&b| !(0x20..0x80).contains(&b) || b == b'"' || b == b'\\')
        .unwrap_or(text.len() - done)
}

/// An integer serde_json reads as a 64-bit integer and writes back as it
/// came: no sign but `-`, no leading zero, not `-0`, in range.
fn plain_integer(text: &[u8]) -> bool {
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    if digits.is_empty()
        || !digits.iter().all(u8::is_ascii_digit)
        || (digits.len() > 1 && digits[0] == b'0')
    {
        return false;
    }
    // Equal lengths of digits compare as the numbers do.
    let within =
        |max: &[u8]| digits.len() < max.len() || (digits.len() == max.len() && digits <= max);
    if negative {
        digits != b"0" && within(b"9223372036854775808")
    } else {
        within(b"18446744073709551615")
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::Value;

    fn laid_out(raw: &str, layout: Layout) -> Result<String, Malformed> {
        let mut out = Vec::new();
        let end = relay(raw.as_bytes(), 0, 0, layout, &mut out)?;
        if skip_whitespace(raw.as_bytes(), end) != raw.len() {
            return Err(Malformed { at: end });
        }
        Ok(String::from_utf8(out).expect("the layout is UTF-8"))
    }

    /// What decoding and encoding again gives, laid out as an element of
    /// a pretty array (the array's own two lines taken off).
    fn reencoded(raw: &str, layout: Layout) -> String {
        let value: Value = serde_json::from_str(raw).unwrap();
        match layout {
            Layout::Compact => serde_json::to_string(&value).unwrap(),
            Layout::Element => {
                let array = serde_json::to_string_pretty(&Value::Array(vec![value])).unwrap();
                array["[\n  ".len()..array.len() - "\n]".len()].to_string()
            }
        }
    }

    const SAMPLES: &[&str] = &[
        r#"{"id":"f-1","n":1,"list":[1,2,{"a":null}],"empty":{},"none":[],"t":true,"f":false}"#,
        r#"{ "spaced" : [ 1 , 2 ] ,
            "nested" : { "deep" : { "deeper" : [ [ ], { } ] } } }"#,
        r#"{"escapes":"\u0041\/\"\\\n\t\u001b\u00e9\ud83d\ude00","raw":"é 😀 ","after":"x"}"#,
        r#"{"kept":"<a href=\"/x\">\n\tcaf\u00e9</a> \\ \b\f\r","html":"<p class=\"a\">"}"#,
        r#"{"ints":[0,-1,18446744073709551615,18446744073709551616,-9223372036854775808,-9223372036854775809]}"#,
        r#"{"floats":[-0,1.0,1.50,1e-7,1E5,-2.5e+3,0.1,123456789012345678901234567890]}"#,
        r#"{"key with \"quote\"":"v","\u006b":1,"j":2}"#,
        r#"{"long":"a string longer than eight bytes, to cross a few words of the scan","é":"ünïcödé across words 12345678"}"#,
        r#"[]"#,
        r#"{}"#,
        r#""just a string""#,
        r#"-12"#,
        "\t[ true ,false,null ]\r\n",
    ];

    #[test]
    fn every_layout_is_what_decoding_and_encoding_again_gives() {
        for raw in SAMPLES {
            for layout in [Layout::Compact, Layout::Element] {
                assert_eq!(laid_out(raw, layout), Ok(reencoded(raw, layout)), "{raw}");
            }
        }
    }

    /// Whether serde_json reads `text` as one value.
    fn serde_reads(text: &[u8]) -> bool {
        serde_json::from_slice::<Value>(text).is_ok()
    }

    fn relay_reads(text: &[u8]) -> bool {
        let mut out = Vec::new();
        let whole = |end| skip_whitespace(text, end) == text.len();
        let laid = relay(text, 0, 0, Layout::Element, &mut out).is_ok_and(whole);
        let skipped = skip(text, 0, 0).is_ok_and(whole);
        assert_eq!(
            laid, skipped,
            "laying out and skipping disagree on {text:?}"
        );
        laid
    }

    /// Every text `sample` becomes with one byte removed, or with one of
    /// `bytes` put in place of a byte or before it (or at the end).
    pub(crate) fn one_byte_changes(sample: &[u8], bytes: &[u8]) -> Vec<Vec<u8>> {
        let mut variants = Vec::new();
        for i in 0..=sample.len() {
            if i < sample.len() {
                let mut removed = sample.to_vec();
                removed.remove(i);
                variants.push(removed);
            }
            for &b in bytes {
                let mut inserted = sample.to_vec();
                inserted.insert(i, b);
                variants.push(inserted);
                if i < sample.len() {
                    let mut replaced = sample.to_vec();
                    replaced[i] = b;
                    variants.push(replaced);
                }
            }
        }
        variants
    }

    #[test]
    fn it_takes_exactly_what_serde_json_takes_after_any_one_byte_is_changed() {
        // Every sample with each byte replaced, removed, or preceded by
        // one of these: the bytes that matter to the grammar and more.
        let bytes: &[u8] = b"\"\\,:[]{}0 -.eEx+tnfu/\x00\x01\x1f\x7f\x80\xc3\xff";
        let mut checked = 0;
        for sample in SAMPLES {
            let sample = sample.as_bytes();
            for v in one_byte_changes(sample, bytes) {
                let serde = serde_reads(&v);
                assert_eq!(relay_reads(&v), serde, "{:?}", String::from_utf8_lossy(&v));
                if serde && !has_a_key_twice(&v) {
                    // What is taken is laid out as serde_json would (a
                    // key sent twice is kept twice, which a Value is not).
                    let text = String::from_utf8(v).unwrap();
                    for layout in [Layout::Compact, Layout::Element] {
                        assert_eq!(
                            laid_out(&text, layout),
                            Ok(reencoded(&text, layout)),
                            "{text}"
                        );
                    }
                }
                checked += 1;
            }
        }
        assert!(checked > 10_000, "{checked}");
    }

    /// Whether an object of `text` (valid JSON) names a key twice.
    fn has_a_key_twice(text: &[u8]) -> bool {
        use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
        struct Walk;
        impl<'de> Visitor<'de> for Walk {
            type Value = bool;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
                let mut keys = std::collections::HashSet::new();
                let mut twice = false;
                while let Some(key) = map.next_key::<String>()? {
                    twice |= !keys.insert(key);
                    twice |= map.next_value_seed(Walk)?;
                }
                Ok(twice)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
                let mut twice = false;
                while let Some(t) = seq.next_element_seed(Walk)? {
                    twice |= t;
                }
                Ok(twice)
            }
            fn visit_bool<E>(self, _: bool) -> Result<bool, E> {
                Ok(false)
            }
            fn visit_i64<E>(self, _: i64) -> Result<bool, E> {
                Ok(false)
            }
            fn visit_u64<E>(self, _: u64) -> Result<bool, E> {
                Ok(false)
            }
            fn visit_f64<E>(self, _: f64) -> Result<bool, E> {
                Ok(false)
            }
            fn visit_str<E>(self, _: &str) -> Result<bool, E> {
                Ok(false)
            }
            fn visit_unit<E>(self) -> Result<bool, E> {
                Ok(false)
            }
        }
        impl<'de> serde::de::DeserializeSeed<'de> for Walk {
            type Value = bool;
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
                d.deserialize_any(Walk)
            }
        }
        serde_json::Deserializer::from_slice(text)
            .deserialize_any(Walk)
            .unwrap_or(false)
    }

    mod fuzz {
        use super::*;
        use proptest::prelude::*;

        /// Any JSON value: strings of any characters (escaped as serde_json
        /// escapes them, or with every character as `\uXXXX`), integers of
        /// any size, floats, nesting.
        fn value() -> impl Strategy<Value = String> {
            let string = prop_oneof![
                any::<String>().prop_map(|s| serde_json::to_string(&s).unwrap()),
                any::<String>().prop_map(|s| {
                    let units: String = s.encode_utf16().map(|u| format!("\\u{u:04x}")).collect();
                    format!("\"{units}\"")
                }),
            ];
            let leaf = prop_oneof![
                string.clone(),
                any::<i64>().prop_map(|n| n.to_string()),
                any::<u64>().prop_map(|n| n.to_string()),
                "-?[0-9]{1,30}(\\.[0-9]{1,10})?([eE][+-]?[0-9]{1,2})?",
                Just("true".to_string()),
                Just("null".to_string()),
            ];
            leaf.prop_recursive(4, 40, 6, move |inner| {
                let ws = prop::sample::select(vec!["", " ", "\n  ", "\t"]);
                prop_oneof![
                    (prop::collection::vec(inner.clone(), 0..6), ws.clone()).prop_map(
                        |(items, ws)| format!("[{ws}{}{ws}]", items.join(&format!("{ws},")))
                    ),
                    (prop::collection::vec(("[a-z]{1,6}", inner), 0..6), ws).prop_map(
                        |(members, ws)| {
                            let members: Vec<String> = members
                                .into_iter()
                                .enumerate()
                                // Keys made distinct: a key sent twice is kept
                                // twice here and once in a Value.
                                .map(|(i, (k, v))| format!("\"{k}{i}\"{ws}:{ws}{v}"))
                                .collect();
                            format!("{{{ws}{}{ws}}}", members.join(","))
                        }
                    ),
                ]
            })
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

            /// Whatever serde_json reads is laid out as it would write it;
            /// whatever it refuses is refused.
            #[test]
            fn any_value_is_laid_out_as_serde_json_writes_it(text in value()) {
                let serde = serde_reads(text.as_bytes());
                prop_assert_eq!(relay_reads(text.as_bytes()), serde);
                if serde {
                    for layout in [Layout::Compact, Layout::Element] {
                        prop_assert_eq!(laid_out(&text, layout), Ok(reencoded(&text, layout)));
                    }
                }
            }
        }
    }

    #[test]
    fn it_refuses_what_serde_json_refuses() {
        for bad in [
            r#"{"a":"cut"#,
            r#"{"a":tru"#,
            "}",
            r#"{"a":@}"#,
            r#"{"a":"\"#,
            r#"{"a":1,}"#,
            r#"[1,]"#,
            r#"[1 2]"#,
            r#"{"a" 1}"#,
            r#"{1:2}"#,
            r#"{"a":01}"#,
            r#"{"a":1.}"#,
            r#"{"a":.5}"#,
            r#"{"a":1e}"#,
            r#"{"a":1e400}"#,
            r#"{"a":+1}"#,
            r#"{"a":"\x"}"#,
            r#"{"a":"\u12"}"#,
            r#"{"a":"\ud800"}"#,
            "{\"a\":\"tab\there\"}",
            "{\"a\":\"nul\u{0}\"}",
            r#"{"a":truex}"#,
            r#"{"a":nul}"#,
            "",
            "   ",
        ] {
            assert!(!serde_reads(bad.as_bytes()), "serde_json reads {bad:?}");
            assert!(!relay_reads(bad.as_bytes()), "{bad:?}");
        }
        // Bytes that are not UTF-8, inside a string and outside.
        for bad in [&b"{\"a\":\"\xff\"}"[..], b"{\"a\":\"\xc3\"}", b"[\xc3\xa9]"] {
            assert!(!serde_reads(bad) && !relay_reads(bad), "{bad:?}");
        }
    }

    #[test]
    fn nesting_is_refused_where_serde_json_refuses_it() {
        for depth in [1, 100, 125, 126, 127, 128, 129, 200] {
            let text = "[".repeat(depth) + &"]".repeat(depth);
            assert_eq!(
                relay_reads(text.as_bytes()),
                serde_reads(text.as_bytes()),
                "depth {depth}"
            );
            // Two containers around it, as around a finding in a page.
            let wrapped = format!("[[{text}]]");
            assert_eq!(
                skip(text.as_bytes(), 0, 2).is_ok(),
                serde_reads(wrapped.as_bytes()),
                "depth {depth} in two"
            );
        }
    }

    #[test]
    fn elements_walks_an_array_and_says_where_it_ends() {
        let raw = br#" [ {"a":1} , {"b":[2]} ]  trailing"#;
        let mut seen = Vec::new();
        let end = elements(raw, 1, |at| {
            let end = skip(raw, at, 1)?;
            seen.push(String::from_utf8_lossy(&raw[at..end]).into_owned());
            Ok(end)
        })
        .unwrap();
        assert_eq!(seen, [r#"{"a":1}"#, r#"{"b":[2]}"#]);
        assert_eq!(&raw[end..], b"  trailing");
        assert_eq!(elements(b"[]", 0, |_| unreachable!()), Ok(2));
        assert!(elements(b"[1,]", 0, |at| skip(b"[1,]", at, 1)).is_err());
        assert!(elements(b"{}", 0, Ok).is_err());
    }

    #[test]
    fn the_scan_stops_at_the_first_byte_that_needs_attention() {
        for (text, expected) in [
            (&b"plain text with no stop"[..], 23),
            (b"abcdefgh\"", 8),
            (b"abcdefghij\\", 10),
            (b"ab\x1fcdefghij", 2),
            (b"abcdefg\xc3\xa9", 7),
            (b"\x7f\x7f ~~~~~~~~~~~~~~~~~~\"", 21),
            (b"", 0),
        ] {
            assert_eq!(plain_run(text), expected, "{text:?}");
        }
    }

    #[test]
    fn escapes_serde_json_writes_back_alike_are_copied_and_the_rest_decoded() {
        assert!(kept_escapes(br#""a \"b\" \\ \n\t\r\b\f""#));
        assert!(kept_escapes(br#""no escape""#));
        for other in [r#""\/""#, r#""\u0041""#, r#""\ud800""#, r#""a\"\/""#] {
            assert!(!kept_escapes(other.as_bytes()), "{other}");
        }
        let text = r#"["<a href=\"x\">\n", "\/\u0041\"", "\ud83d\ude00\\"]"#;
        for layout in [Layout::Compact, Layout::Element] {
            assert_eq!(laid_out(text, layout), Ok(reencoded(text, layout)));
        }
    }

    #[test]
    fn plain_integers_are_the_ones_serde_json_writes_back_as_they_came() {
        for yes in [
            "0",
            "7",
            "-1",
            "18446744073709551615",
            "-9223372036854775808",
        ] {
            assert!(plain_integer(yes.as_bytes()), "{yes}");
        }
        for no in [
            "-0",
            "01",
            "1.0",
            "1e5",
            "+1",
            "",
            "-",
            "18446744073709551616",
            "-9223372036854775809",
        ] {
            assert!(!plain_integer(no.as_bytes()), "{no}");
        }
    }
}
