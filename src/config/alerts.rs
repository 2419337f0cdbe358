//! `[alerts]`: when the TUI's auto-refresh and `krafter watch` raise an
//! alert, and how the TUI tells (status line and list always; the terminal
//! bell and a desktop notification as configured).

use super::file::LoadedFile;
use crate::engine::alerts::AlertRules;

/// True when this build can show desktop notifications (the cargo feature
/// `desktop-notifications`).
pub const DESKTOP_BUILT_IN: bool = cfg!(feature = "desktop-notifications");

/// How alerts are raised and told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlertSettings {
    pub rules: AlertRules,
    pub bell: bool,
    /// Only ever true in a build with desktop notifications.
    pub desktop: bool,
}

impl Default for AlertSettings {
    fn default() -> Self {
        AlertSettings {
            rules: AlertRules::default(),
            bell: true,
            desktop: false,
        }
    }
}

/// `[alerts]` with defaults filled in; out-of-range values are clamped and
/// a desktop notification this build cannot show is refused, with a warning.
pub(super) fn alert_settings(
    loaded: Option<&LoadedFile>,
    warnings: &mut Vec<String>,
) -> AlertSettings {
    let mut settings = AlertSettings::default();
    let Some(config) = loaded.map(|l| &l.config.alerts) else {
        return settings;
    };
    if let Some(drop) = config.health_drop {
        let clamped = drop.clamp(1, 100);
        if clamped != drop {
            warnings.push(format!(
                "alerts.health_drop = {drop} is outside 1..=100 points; using {clamped}"
            ));
        }
        settings.rules.health_drop = clamped;
    }
    if let Some(bell) = config.bell {
        settings.bell = bell;
    }
    if config.desktop == Some(true) {
        if DESKTOP_BUILT_IN {
            settings.desktop = true;
        } else {
            warnings.push(
                "alerts.desktop = true, but this krafter was built without desktop notifications; \
                 rebuild with `cargo install --features desktop-notifications` to have them"
                    .to_string(),
            );
        }
    }
    settings
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn settings(text: &str) -> (AlertSettings, Vec<String>) {
        let loaded = super::super::file::parse(text, Path::new("/tmp/k.toml")).unwrap();
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        let mut warnings = Vec::new();
        (alert_settings(Some(&loaded), &mut warnings), warnings)
    }

    #[test]
    fn defaults_and_values() {
        let (s, w) = settings("");
        assert_eq!(s, AlertSettings::default());
        assert_eq!(s.rules.health_drop, 5);
        assert!(w.is_empty());
        let (s, _) = settings("[alerts]\nhealth_drop = 10\nbell = false\n");
        assert_eq!(s.rules.health_drop, 10);
        assert!(!s.bell);
    }

    #[test]
    fn out_of_range_and_unbuilt_desktop_warn() {
        let (s, w) = settings("[alerts]\nhealth_drop = 0\ndesktop = true\n");
        assert_eq!(s.rules.health_drop, 1);
        assert!(w[0].contains("outside 1..=100"), "{w:?}");
        if !DESKTOP_BUILT_IN {
            assert!(!s.desktop);
            assert!(w[1].contains("desktop-notifications"), "{w:?}");
        }
    }
}
