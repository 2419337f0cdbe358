//! The environment as the config reads it: a lookup function, so that tests
//! can give their own.

/// Looks up an environment variable; empty values count as unset.
pub type EnvLookup<'a> = &'a dyn Fn(&str) -> Option<String>;

pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// An environment value; an empty one counts as unset.
pub fn lookup(env: EnvLookup<'_>, name: &str) -> Option<String> {
    env(name).filter(|v| !v.trim().is_empty())
}
