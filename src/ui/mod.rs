//! Rendering: a pure function of the app state, one file per pane or overlay.
