//! Enumerations of the contract that tolerate values they do not know.
//!
//! The service may add a severity, a domain or a status at any time. Each enum
//! here keeps such a value as `Other(raw)`, displays it as sent, and writes it
//! back unchanged, so nothing panics and exports lose nothing.

use std::fmt;

/// Declares a string enum with an `Other(String)` catch-all and the
/// conversions the rest of the crate relies on.
macro_rules! tolerant_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$vmeta:meta])* $variant:ident => $text:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of krafter does not know, kept as sent.
            Other(String),
        }

        impl $name {
            /// Every value the contract documents, in contract order.
            pub const KNOWN: &'static [$name] = &[ $( $name::$variant ),+ ];

            /// The wire form, e.g. `"critical"`.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $text, )+
                    $name::Other(raw) => raw.as_str(),
                }
            }

            /// Parses the wire form; an unknown value becomes `Other`.
            pub fn parse(raw: &str) -> Self {
                match raw {
                    $( $text => $name::$variant, )+
                    other => $name::Other(other.to_string()),
                }
            }

            /// Parses the wire form, refusing values the contract does not name.
            pub fn parse_known(raw: &str) -> Option<Self> {
                match Self::parse(raw) {
                    $name::Other(_) => None,
                    known => Some(known),
                }
            }

            /// True for a value the contract does not name.
            pub fn is_other(&self) -> bool {
                matches!(self, $name::Other(_))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self::parse(s))
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                // Accept any JSON value: a non-string becomes `Other` with its
                // JSON text, so one odd field never sinks a whole page.
                let value = serde_json::Value::deserialize(d)?;
                Ok(match value {
                    serde_json::Value::String(s) => Self::parse(&s),
                    other => $name::Other(other.to_string()),
                })
            }
        }
    };
}

tolerant_enum!(
    /// How bad a finding is.
    Severity {
        Critical => "critical",
        High => "high",
        Medium => "medium",
        Low => "low",
    }
);

impl Severity {
    /// Rank for sorting, most severe first; unknown values sort last.
    pub fn rank(&self) -> u8 {
        match self {
            Severity::Critical => 0,
            Severity::High => 1,
            Severity::Medium => 2,
            Severity::Low => 3,
            Severity::Other(_) => 4,
        }
    }

    /// A symbol so that severity is never carried by colour alone.
    pub fn symbol(&self) -> &'static str {
        match self {
            Severity::Critical => "‼",
            Severity::High => "▲",
            Severity::Medium => "●",
            Severity::Low => "▽",
            Severity::Other(_) => "?",
        }
    }
}

tolerant_enum!(
    /// The area a finding belongs to.
    Domain {
        Security => "security",
        Performance => "performance",
        Accessibility => "accessibility",
        Seo => "seo",
    }
);

tolerant_enum!(
    /// Where a finding stands in its lifecycle (contract 5.3).
    FindingStatus {
        New => "new",
        Triaged => "triaged",
        InProgress => "in_progress",
        ReadyVerify => "ready_verify",
        Resolved => "resolved",
        Dismissed => "dismissed",
    }
);

impl FindingStatus {
    /// Resolved and dismissed findings are closed; everything else counts
    /// against the health score.
    pub fn is_unresolved(&self) -> bool {
        !matches!(self, FindingStatus::Resolved | FindingStatus::Dismissed)
    }

    /// Position in the lifecycle, for sorting; unknown values sort last.
    pub fn rank(&self) -> u8 {
        match self {
            FindingStatus::New => 0,
            FindingStatus::Triaged => 1,
            FindingStatus::InProgress => 2,
            FindingStatus::ReadyVerify => 3,
            FindingStatus::Resolved => 4,
            FindingStatus::Dismissed => 5,
            FindingStatus::Other(_) => 6,
        }
    }
}

tolerant_enum!(
    /// Where a remediation task stands (contract 5.4).
    TaskStatus {
        Backlog => "backlog",
        InProgress => "in_progress",
        Blocked => "blocked",
        ReadyVerify => "ready_verify",
        Done => "done",
    }
);

tolerant_enum!(
    /// Priority of a task.
    TaskPriority {
        Low => "low",
        Medium => "medium",
        High => "high",
        Critical => "critical",
    }
);

tolerant_enum!(
    /// Where a scan stands (contract 5.1).
    ScanStatus {
        Queued => "queued",
        Running => "running",
        Completed => "completed",
        Failed => "failed",
    }
);

impl ScanStatus {
    /// A finished scan will not change any more.
    pub fn is_finished(&self) -> bool {
        matches!(self, ScanStatus::Completed | ScanStatus::Failed)
    }
}

tolerant_enum!(
    /// What started a scan.
    ScanTrigger {
        Manual => "manual",
        Scheduled => "scheduled",
        PostDeploy => "post_deploy",
    }
);

tolerant_enum!(
    /// Outcome of a verification run.
    VerificationResult {
        Pending => "pending",
        Passed => "passed",
        Failed => "failed",
    }
);

tolerant_enum!(
    /// Whether a regression is still open.
    RegressionStatus {
        Open => "open",
        Closed => "closed",
    }
);

tolerant_enum!(
    /// State of a third-party integration.
    IntegrationStatus {
        Connected => "connected",
        Disconnected => "disconnected",
        Syncing => "syncing",
        Error => "error",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_values_are_kept_and_written_back() {
        let s: Severity = serde_json::from_str("\"catastrophic\"").unwrap();
        assert_eq!(s, Severity::Other("catastrophic".into()));
        assert_eq!(s.to_string(), "catastrophic");
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"catastrophic\"");
        assert_eq!(s.symbol(), "?");
    }

    #[test]
    fn non_string_values_do_not_fail_decoding() {
        let d: Domain = serde_json::from_str("42").unwrap();
        assert_eq!(d, Domain::Other("42".into()));
    }

    #[test]
    fn known_values_round_trip() {
        for status in FindingStatus::KNOWN {
            let json = serde_json::to_string(status).unwrap();
            let back: FindingStatus = serde_json::from_str(&json).unwrap();
            assert_eq!(&back, status);
        }
        assert_eq!(
            FindingStatus::parse_known("ready_verify"),
            Some(FindingStatus::ReadyVerify)
        );
        assert_eq!(FindingStatus::parse_known("done"), None);
    }
}
