//! Colours by role. With `no_color`, every style is plain and meaning is
//! carried by symbols, words and bold/reverse alone.

use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};

use crate::api::model::{FindingStatus, Severity};
use crate::config::{ThemeName, UiSettings};

/// The colours of the TUI.
#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    pub no_color: bool,
    pub critical: Color,
    pub high: Color,
    pub medium: Color,
    pub low: Color,
    pub accent: Color,
    pub good: Color,
    pub warn: Color,
    pub bad: Color,
    pub dim: Color,
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            no_color: false,
            critical: Color::LightRed,
            high: Color::Red,
            medium: Color::Yellow,
            low: Color::Blue,
            accent: Color::Cyan,
            good: Color::Green,
            warn: Color::Yellow,
            bad: Color::Red,
            dim: Color::DarkGray,
        }
    }
}

impl Theme {
    /// The theme of the settings, with a warning for each colour override
    /// that names an unknown role or colour.
    pub fn from_settings(ui: &UiSettings) -> (Theme, Vec<String>) {
        let mut theme = Theme {
            no_color: ui.no_color,
            ..Theme::default()
        };
        if ui.theme == ThemeName::Light {
            theme.dim = Color::Gray;
            theme.accent = Color::Blue;
            theme.low = Color::Magenta;
        }
        let mut warnings = Vec::new();
        for o in &ui.colors {
            let (role, value) = (&o.role, &o.color);
            let at = o.line.map(|l| format!(" (line {l})")).unwrap_or_default();
            let Ok(color) = Color::from_str(value) else {
                warnings.push(format!(
                    "[ui.colors] {role} = \"{value}\"{at}: not a colour; use a name (red) or #rrggbb"
                ));
                continue;
            };
            let slot = match role.as_str() {
                "critical" => &mut theme.critical,
                "high" => &mut theme.high,
                "medium" => &mut theme.medium,
                "low" => &mut theme.low,
                "accent" => &mut theme.accent,
                "good" => &mut theme.good,
                "warn" => &mut theme.warn,
                "bad" => &mut theme.bad,
                "dim" => &mut theme.dim,
                other => {
                    warnings.push(format!(
                        "[ui.colors] {other}{at}: unknown role; known roles are critical, high, medium, \
                         low, accent, good, warn, bad, dim"
                    ));
                    continue;
                }
            };
            *slot = color;
        }
        (theme, warnings)
    }

    /// A foreground colour, or nothing under `no_color`.
    pub fn fg(&self, color: Color) -> Style {
        if self.no_color {
            Style::default()
        } else {
            Style::default().fg(color)
        }
    }

    /// Style of a severity (bold for critical).
    pub fn severity(&self, severity: &Severity) -> Style {
        let color = match severity {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
            Severity::Other(_) => self.dim,
        };
        let style = self.fg(color);
        if *severity == Severity::Critical {
            style.add_modifier(Modifier::BOLD)
        } else {
            style
        }
    }

    /// Style of a finding status.
    pub fn status(&self, status: &FindingStatus) -> Style {
        match status {
            FindingStatus::New => self.fg(self.accent),
            FindingStatus::Resolved => self.fg(self.good),
            FindingStatus::Dismissed => self.fg(self.dim),
            _ => Style::default(),
        }
    }

    /// Style of a health score's band: good ≥ 80, fair ≥ 50, poor below.
    pub fn health(&self, score: i64) -> Style {
        self.fg(match health_band(score) {
            "good" => self.good,
            "fair" => self.warn,
            _ => self.bad,
        })
    }

    /// Headings and emphasis.
    pub fn title(&self) -> Style {
        self.fg(self.accent).add_modifier(Modifier::BOLD)
    }

    /// Secondary text.
    pub fn dim(&self) -> Style {
        self.fg(self.dim)
    }

    /// Errors.
    pub fn error(&self) -> Style {
        self.fg(self.bad).add_modifier(Modifier::BOLD)
    }

    /// The row under the cursor (reverse video: visible without colour).
    pub fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED)
    }

    /// Pane borders; the focused pane stands out.
    pub fn border(&self, focused: bool) -> Style {
        if focused {
            self.fg(self.accent)
        } else {
            self.dim()
        }
    }
}

/// The word for a health score's band.
pub fn health_band(score: i64) -> &'static str {
    match score {
        80.. => "good",
        50..=79 => "fair",
        _ => "poor",
    }
}
