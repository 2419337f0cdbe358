//! Cursor pagination (contract section 6): newest first, an opaque cursor
//! naming the last row served, so rows added meanwhile never shift a page.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::StoreError;

/// Which page of a cursor list.
#[derive(Clone, Debug, Default)]
pub struct PageRequest {
    pub cursor: Option<String>,
    pub limit: usize,
}

/// One page of a cursor list.
#[derive(Debug)]
pub struct CursorPage<'a, T> {
    pub items: Vec<&'a T>,
    /// `None` on the last page.
    pub next_cursor: Option<String>,
    /// Rows in the whole (filtered) list.
    pub total: usize,
}

type Key = (DateTime<Utc>, Uuid);

fn encode(key: Key) -> String {
    // Nanoseconds: the sort key must survive the round trip exactly.
    let nanos = key.0.timestamp_nanos_opt().unwrap_or(i64::MAX);
    URL_SAFE_NO_PAD.encode(format!("c1.{nanos}.{}", key.1))
}

fn decode(cursor: &str) -> Option<Key> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let mut parts = text.splitn(3, '.');
    if parts.next()? != "c1" {
        return None;
    }
    let nanos: i64 = parts.next()?.parse().ok()?;
    let id = Uuid::parse_str(parts.next()?).ok()?;
    Some((DateTime::from_timestamp_nanos(nanos), id))
}

/// Sorts `items` newest first and cuts the page after `request.cursor`.
pub fn page<'a, T>(
    mut items: Vec<&'a T>,
    key: impl Fn(&T) -> Key,
    request: &PageRequest,
) -> Result<CursorPage<'a, T>, StoreError> {
    let after = match &request.cursor {
        Some(c) => Some(decode(c).ok_or_else(|| {
            StoreError::InvalidParams(
                "cursor is not valid; pass back the next_cursor of a previous page".into(),
            )
        })?),
        None => None,
    };
    items.sort_by_key(|item| std::cmp::Reverse(key(item)));
    let total = items.len();
    let start = match after {
        Some(after) => items.partition_point(|item| key(item) >= after),
        None => 0,
    };
    let end = (start + request.limit).min(total);
    let rows: Vec<&T> = items[start..end].to_vec();
    let next_cursor = if end < total {
        rows.last().map(|last| encode(key(last)))
    } else {
        None
    };
    Ok(CursorPage {
        items: rows,
        next_cursor,
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_run_to_the_end_without_overlap() {
        let base = Utc::now();
        let rows: Vec<Key> = (0..7)
            .map(|i| (base - chrono::Duration::seconds(i % 3), Uuid::new_v4()))
            .collect();
        let mut seen = Vec::new();
        let mut cursor = None;
        loop {
            let req = PageRequest { cursor, limit: 3 };
            let page = page(rows.iter().collect(), |k| *k, &req).unwrap();
            assert_eq!(page.total, 7);
            seen.extend(page.items.iter().map(|k| **k));
            match page.next_cursor {
                Some(c) => cursor = Some(c),
                None => break,
            }
        }
        let mut expected = rows.clone();
        expected.sort_by(|a, b| b.cmp(a));
        assert_eq!(seen, expected);
    }

    #[test]
    fn a_malformed_cursor_is_invalid_params() {
        let rows: Vec<Key> = Vec::new();
        let req = PageRequest {
            cursor: Some("not-a-cursor".into()),
            limit: 3,
        };
        assert!(matches!(
            page(rows.iter().collect(), |k| *k, &req),
            Err(StoreError::InvalidParams(_))
        ));
    }
}
