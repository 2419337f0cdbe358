//! The keymap as data: one registry of intents (id, context, default keys,
//! description) that drives dispatch, the footer hints and the help overlay,
//! with the user's `[keys]` overrides applied on top. Dialogs have contexts
//! of their own, so their keys are listed, hinted and rebindable too.

mod commands;
mod key;
mod map;
mod registry;

pub use commands::COMMANDS;
pub use key::Key;
pub use map::Keymap;
pub use registry::{Binding, Context, Intent, REGISTRY, Scope, binding};
