//! The TUI's core: one state, one action type, a pure update, the keymap
//! and the screen's geometry. No I/O happens here: the runtime
//! (`crate::runtime`) runs the effects the update asks for and feeds the
//! answers back as actions, and the renderer (`crate::ui`) draws the state.

pub mod action;
pub mod effect;
pub mod keymap;
pub mod layout;
pub mod state;
pub mod switch;
pub mod update;
