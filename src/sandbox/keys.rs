//! API keys of the sandbox: generation, scopes, and the constant-time lookup
//! that binds a bearer token to its team. Keys are never logged or printed
//! by anything here.

use base64::Engine;
use color_eyre::eyre::eyre;
use subtle::ConstantTimeEq;

use super::options::{SandboxOptions, Scope};
use super::store::TeamId;

/// A new key: `kr_live_` and 43 url-safe base64 characters (32 random bytes).
pub fn generate_key() -> String {
    let bytes: [u8; 32] = rand::random();
    format!(
        "kr_live_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// Parses `KEY=SCOPE` as given to `--key`.
pub fn parse_key_arg(raw: &str) -> Result<(String, Scope), String> {
    let Some((key, scope)) = raw.rsplit_once('=') else {
        return Err("a --key must look like KEY=audit:read or KEY=audit:write".into());
    };
    let key = key.trim();
    if key.is_empty() {
        return Err("a --key has an empty key before '='".into());
    }
    let scope = Scope::parse(scope.trim()).ok_or_else(|| {
        format!("unknown scope '{scope}' in --key; use audit:read or audit:write")
    })?;
    Ok((key.to_string(), scope))
}

/// What a valid key grants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grant {
    pub team: TeamId,
    pub scope: Scope,
}

struct Entry {
    key: Vec<u8>,
    grant: Grant,
}

/// Every key the sandbox accepts.
pub struct Keyring {
    entries: Vec<Entry>,
}

impl Keyring {
    /// The grant of a bearer token. Every key is compared, in constant time
    /// for equal lengths, so timing says nothing about which key was close.
    pub fn grant(&self, token: &str) -> Option<Grant> {
        let mut found = None;
        for entry in &self.entries {
            if bool::from(entry.key.as_slice().ct_eq(token.as_bytes())) {
                found = Some(entry.grant);
            }
        }
        found
    }
}

/// The keyring and the keys to hand out.
pub struct BuiltKeys {
    pub ring: Keyring,
    pub write_key: String,
    pub read_key: String,
    pub generated: bool,
}

impl Keyring {
    /// Binds the options' keys (or one generated write and read key) to the
    /// main team, and `other_team_key` to the other team.
    pub fn build(
        options: &SandboxOptions,
        team: TeamId,
        other: Option<TeamId>,
    ) -> color_eyre::Result<BuiltKeys> {
        let generated = options.keys.is_empty();
        let keys: Vec<(String, Scope)> = if generated {
            vec![
                (generate_key(), Scope::Write),
                (generate_key(), Scope::Read),
            ]
        } else {
            options.keys.clone()
        };
        if keys.iter().any(|(k, _)| k.trim().is_empty()) {
            return Err(eyre!("an API key is empty; give KEY=SCOPE with a key"));
        }
        let first = |scope: Scope| {
            keys.iter()
                .find(|(_, s)| *s == scope)
                .map(|(k, _)| k.clone())
                .unwrap_or_default()
        };
        let write_key = first(Scope::Write);
        let read_key = first(Scope::Read);
        let mut entries: Vec<Entry> = keys
            .into_iter()
            .map(|(key, scope)| Entry {
                key: key.into_bytes(),
                grant: Grant { team, scope },
            })
            .collect();
        if let (Some(key), Some(other)) = (&options.other_team_key, other) {
            entries.push(Entry {
                key: key.clone().into_bytes(),
                grant: Grant {
                    team: other,
                    scope: Scope::Write,
                },
            });
        }
        Ok(BuiltKeys {
            ring: Keyring { entries },
            write_key,
            read_key,
            generated,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_have_the_documented_form() {
        let key = generate_key();
        let body = key.strip_prefix("kr_live_").unwrap();
        assert_eq!(body.len(), 43);
        assert!(
            body.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_ne!(generate_key(), key);
    }

    #[test]
    fn key_arguments_parse_or_explain() {
        assert_eq!(
            parse_key_arg("kr_live_x=audit:read").unwrap(),
            ("kr_live_x".to_string(), Scope::Read)
        );
        assert!(parse_key_arg("kr_live_x").is_err());
        assert!(
            parse_key_arg("kr_live_x=admin")
                .unwrap_err()
                .contains("admin")
        );
        assert!(parse_key_arg("=audit:write").is_err());
    }
}
