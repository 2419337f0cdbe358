//! Owners by name: `[people]` maps names to user UUIDs, and `me` is the
//! user's own UUID. One matching rule (UUIDs compare without regard to
//! case) and one way to show an owner, for every screen and command.

use crate::sanitize::sanitize;

/// The people a session knows, and who "me" is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct People {
    /// `(name, uuid)`, in the config's order.
    known: Vec<(String, String)>,
    me: Option<String>,
}

impl People {
    /// People from `(name, uuid)` pairs, and the user's own UUID.
    pub fn new(known: Vec<(String, String)>, me: Option<String>) -> Self {
        People { known, me }
    }

    /// The user's own UUID, when the profile names it.
    pub fn me(&self) -> Option<&str> {
        self.me.as_deref()
    }

    /// True when `id` is the user's own.
    pub fn is_me(&self, id: &str) -> bool {
        self.me.as_deref().is_some_and(|m| same_id(m, id))
    }

    /// `(name, uuid)` pairs, in the config's order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.known.iter().map(|(n, id)| (n.as_str(), id.as_str()))
    }

    /// How many people are named.
    pub fn len(&self) -> usize {
        self.known.len()
    }

    /// True when no one is named.
    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    /// The `n`-th person, `(name, uuid)`.
    pub fn get(&self, n: usize) -> Option<(&str, &str)> {
        self.known.get(n).map(|(n, id)| (n.as_str(), id.as_str()))
    }

    /// The name of a user, when `[people]` has one (as written, unsanitized).
    pub fn name_of(&self, id: &str) -> Option<&str> {
        self.known
            .iter()
            .find(|(_, uuid)| same_id(uuid, id))
            .map(|(name, _)| name.as_str())
    }

    /// The UUID of a person by name (names compare without regard to case).
    pub fn id_of(&self, name: &str) -> Option<&str> {
        self.known
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
            .map(|(_, id)| id.as_str())
    }

    /// An owner in a column: `-` for nobody, `me`, a name, or the UUID's
    /// first block. Sanitized.
    pub fn short(&self, owner: Option<&str>) -> String {
        let Some(id) = owner else {
            return "-".to_string();
        };
        if self.is_me(id) {
            return "me".to_string();
        }
        match self.name_of(id) {
            Some(name) => sanitize(name).into_owned(),
            None => short_id(id),
        }
    }

    /// An owner in full: `unassigned`, `Mei Lin (uuid)`, `uuid (me)`.
    /// Sanitized.
    pub fn full(&self, owner: Option<&str>) -> String {
        let Some(id) = owner else {
            return "unassigned".to_string();
        };
        let id_text = sanitize(id);
        let mut text = match self.name_of(id) {
            Some(name) => format!("{} ({id_text})", sanitize(name)),
            None => id_text.into_owned(),
        };
        if self.is_me(id) {
            text.push_str(if text.ends_with(')') {
                " · me"
            } else {
                " (me)"
            });
        }
        text
    }
}

/// Two user ids name the same user: UUIDs ignore case.
pub fn same_id(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// The first block of a UUID (up to 8 characters), enough to tell ids
/// apart in a column. Sanitized.
pub fn short_id(id: &str) -> String {
    sanitize(id.split('-').next().unwrap_or(id))
        .chars()
        .take(8)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEI: &str = "33333333-3333-3333-3333-333333333333";
    const ME: &str = "22222222-2222-2222-2222-222222222222";

    fn people() -> People {
        People::new(vec![("Mei Lin".into(), MEI.into())], Some(ME.into()))
    }

    #[test]
    fn ids_match_whatever_their_case() {
        let p = people();
        assert_eq!(p.name_of(&MEI.to_uppercase()), Some("Mei Lin"));
        assert_eq!(p.id_of("mei lin"), Some(MEI));
        assert!(p.is_me(&ME.to_uppercase()));
    }

    #[test]
    fn short_and_full_forms() {
        let p = people();
        assert_eq!(p.short(None), "-");
        assert_eq!(p.short(Some(ME)), "me");
        assert_eq!(p.short(Some(MEI)), "Mei Lin");
        assert_eq!(p.short(Some("abcdef12-0000")), "abcdef12");
        assert_eq!(p.full(None), "unassigned");
        assert_eq!(p.full(Some(MEI)), format!("Mei Lin ({MEI})"));
        assert_eq!(p.full(Some(ME)), format!("{ME} (me)"));
        let named_me = People::new(vec![("Ana".into(), ME.into())], Some(ME.into()));
        assert_eq!(named_me.full(Some(ME)), format!("Ana ({ME}) · me"));
    }

    #[test]
    fn hostile_names_and_ids_are_made_inert() {
        let p = People::new(vec![("Eve\u{1b}[2J".into(), MEI.into())], None);
        assert!(!p.short(Some(MEI)).contains('\u{1b}'));
        assert!(!p.full(Some("x\u{1b}]0;t\u{7}")).contains('\u{1b}'));
    }
}
