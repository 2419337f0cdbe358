//! Lays out a JSON value the parser has already checked, copying its bytes
//! where `serde_json` would write the same bytes again.
//!
//! An export writes every finding as the server sent it, re-indented. Most
//! of a finding is strings without escapes and plain integers; decoding
//! and re-escaping them gives back the bytes that came in, so they are
//! copied as they are. What `serde_json` would write differently (an
//! escaped string such as `"\u0041"`, a float such as `1.50`, `-0`, an
//! integer too large for 64 bits) goes through `serde_json`, so the output
//! is byte for byte what decoding the value and encoding it again gives.

/// How the value is laid out.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// No whitespace at all: one NDJSON line.
    Compact,
    /// `serde_json`'s pretty layout (two spaces a level), the value being an
    /// element of a top-level array: its inner lines start one level deeper.
    /// The caller writes the element's own indentation before it.
    Element,
}

/// Why a value could not be laid out: only for text the parser did not
/// check, since checked text always can be.
fn malformed(at: usize, what: &str) -> serde_json::Error {
    serde::de::Error::custom(format!("{what} at byte {at} of a finding"))
}

/// Appends `raw`, one JSON value as the parser checked it, to `out` laid
/// out as `layout` says.
pub fn relay(raw: &[u8], layout: Layout, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
    let pretty = layout == Layout::Element;
    // How many containers are open. An element's members sit one level
    // deeper than the element, which sits one level into the array.
    let mut depth: usize = 0;
    let indent = |depth: usize| depth + 1;
    let mut i = 0;
    while let Some(&b) = raw.get(i) {
        match b {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'{' | b'[' => {
                let close = if b == b'{' { b'}' } else { b']' };
                let next = skip_whitespace(raw, i + 1);
                out.push(b);
                if raw.get(next) == Some(&close) {
                    // serde_json writes an empty container on one line.
                    out.push(close);
                    i = next + 1;
                } else {
                    depth += 1;
                    if pretty {
                        newline(out, indent(depth));
                    }
                    i += 1;
                }
            }
            b'}' | b']' => {
                depth = depth
                    .checked_sub(1)
                    .ok_or_else(|| malformed(i, "a bracket closes nothing"))?;
                if pretty {
                    newline(out, indent(depth));
                }
                out.push(b);
                i += 1;
            }
            b',' => {
                out.push(b',');
                if pretty {
                    newline(out, indent(depth));
                }
                i += 1;
            }
            b':' => {
                out.extend_from_slice(if pretty { b": " } else { b":" });
                i += 1;
            }
            b'"' => i = string(raw, i, out)?,
            b't' | b'n' => i = literal(raw, i, 4, out)?,
            b'f' => i = literal(raw, i, 5, out)?,
            _ => i = number(raw, i, out)?,
        }
    }
    Ok(())
}

fn skip_whitespace(raw: &[u8], mut i: usize) -> usize {
    while matches!(raw.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

fn newline(out: &mut Vec<u8>, level: usize) {
    out.push(b'\n');
    out.resize(out.len() + 2 * level, b' ');
}

fn literal(
    raw: &[u8],
    at: usize,
    len: usize,
    out: &mut Vec<u8>,
) -> Result<usize, serde_json::Error> {
    let text = raw
        .get(at..at + len)
        .ok_or_else(|| malformed(at, "a cut-off literal"))?;
    out.extend_from_slice(text);
    Ok(at + len)
}

/// The string starting at the quote `at`; returns where it ends.
fn string(raw: &[u8], at: usize, out: &mut Vec<u8>) -> Result<usize, serde_json::Error> {
    let mut from = at + 1;
    let mut escaped = false;
    let end = loop {
        let rest = raw
            .get(from..)
            .ok_or_else(|| malformed(at, "a cut-off string"))?;
        let hit =
            memchr::memchr2(b'"', b'\\', rest).ok_or_else(|| malformed(at, "a cut-off string"))?;
        if rest[hit] == b'"' {
            break from + hit;
        }
        // A backslash: what it escapes is never the closing quote.
        escaped = true;
        from += hit + 2;
    };
    let text = &raw[at..=end];
    if escaped {
        // serde_json writes escapes its own way (`\u0041` as `A`, `\/` as
        // `/`): decode and encode the string again.
        let decoded: String = serde_json::from_slice(text)?;
        serde_json::to_writer(&mut *out, &decoded)?;
    } else {
        // Checked text has no control character in a string, and serde_json
        // escapes nothing else but quotes and backslashes.
        out.extend_from_slice(text);
    }
    Ok(end + 1)
}

/// The number starting at `at`; returns where it ends.
fn number(raw: &[u8], at: usize, out: &mut Vec<u8>) -> Result<usize, serde_json::Error> {
    let len = raw[at..]
        .iter()
        .position(|c| !matches!(c, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
        .unwrap_or(raw.len() - at);
    if len == 0 {
        return Err(malformed(at, "an unexpected byte"));
    }
    let text = &raw[at..at + len];
    if plain_integer(text) {
        out.extend_from_slice(text);
    } else {
        let n: serde_json::Number = serde_json::from_slice(text)?;
        serde_json::to_writer(&mut *out, &n)?;
    }
    Ok(at + len)
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
mod tests {
    use super::*;
    use serde_json::Value;

    fn laid_out(raw: &str, layout: Layout) -> String {
        let mut out = Vec::new();
        relay(raw.as_bytes(), layout, &mut out).unwrap();
        String::from_utf8(out).unwrap()
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
        r#"{"ints":[0,-1,18446744073709551615,18446744073709551616,-9223372036854775808,-9223372036854775809]}"#,
        r#"{"floats":[-0,1.0,1.50,1e-7,1E5,-2.5e+3,0.1,123456789012345678901234567890]}"#,
        r#"{"key with \"quote\"":"v","\u006b":1,"j":2}"#,
        r#"[]"#,
        r#"{}"#,
        r#""just a string""#,
        r#"-12"#,
    ];

    #[test]
    fn every_layout_is_what_decoding_and_encoding_again_gives() {
        for raw in SAMPLES {
            for layout in [Layout::Compact, Layout::Element] {
                assert_eq!(laid_out(raw, layout), reencoded(raw, layout), "{raw}");
            }
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

    #[test]
    fn text_the_parser_would_refuse_is_an_error_not_a_panic() {
        for bad in [
            r#"{"a":"cut"#,
            r#"{"a":tru"#,
            "}",
            r#"{"a":@}"#,
            r#"{"a":"\"#,
        ] {
            let mut out = Vec::new();
            assert!(
                relay(bad.as_bytes(), Layout::Element, &mut out).is_err(),
                "{bad}"
            );
        }
    }
}
