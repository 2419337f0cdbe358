//! Telling the user about alerts beyond the screen: the terminal bell, and
//! a desktop notification in builds with the `desktop-notifications`
//! feature. Neither may ever stop the TUI: a failure is logged.

use std::io::Write;

/// One `Effect::Notify`: what to tell, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub title: String,
    pub body: String,
    pub bell: bool,
    pub desktop: bool,
}

/// Rings the terminal bell on `out` (the terminal the TUI draws on).
pub fn bell(out: &mut impl Write) {
    // BEL moves no cursor, so it is safe between two frames.
    if let Err(e) = out.write_all(b"\x07").and_then(|()| out.flush()) {
        tracing::warn!(error = %e, "the terminal bell could not be rung");
    }
}

/// Shows a desktop notification, off the async threads (D-Bus may be slow
/// or absent). Without the feature, nothing: the config refused it already.
pub fn desktop(notice: &Notice) {
    #[cfg(feature = "desktop-notifications")]
    {
        let (title, body) = (notice.title.clone(), notice.body.clone());
        tokio::task::spawn_blocking(move || {
            let shown = notify_rust::Notification::new()
                .appname("krafter")
                .summary(&title)
                .body(&body)
                .show();
            if let Err(e) = shown {
                tracing::warn!(error = %e, "the desktop notification could not be shown");
            }
        });
    }
    #[cfg(not(feature = "desktop-notifications"))]
    let _ = notice;
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_bell_is_one_bel_byte() {
        let mut out = Vec::new();
        super::bell(&mut out);
        assert_eq!(out, b"\x07");
    }
}
