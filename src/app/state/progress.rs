//! Work the TUI follows while the server does it: a scan, a verification,
//! a single change in flight, a switch being opened.

use std::time::{Duration, Instant};

use crate::api::ApiError;
use crate::api::model::{Finding, FindingPatch, Scan, ScanStatus};
use crate::app::switch::SwitchTarget;
use crate::engine::poll::{FOLLOW_LIMIT, PollSchedule};

/// How long a finished scan's line stays in the status bar.
pub const SCAN_LINE_TTL: Duration = Duration::from_secs(10);

/// A scan started from the TUI.
#[derive(Clone, Debug)]
pub struct ScanProgress {
    pub url: String,
    pub id: Option<String>,
    pub status: ScanStatus,
    pub schedule: PollSchedule,
    pub last: Option<Scan>,
    /// When it finished (or polling stopped); its line goes after
    /// [`SCAN_LINE_TTL`].
    pub finished_at: Option<Instant>,
}

impl ScanProgress {
    /// A scan of `url` just asked for.
    pub fn new(url: impl Into<String>, now: Instant) -> Self {
        ScanProgress {
            url: url.into(),
            id: None,
            status: ScanStatus::Queued,
            schedule: PollSchedule::new(now, FOLLOW_LIMIT),
            last: None,
            finished_at: None,
        }
    }

    /// True while its status is still followed.
    pub fn is_followed(&self) -> bool {
        self.finished_at.is_none() && !self.status.is_finished()
    }

    /// Where it stands in a word, e.g. `running`, or `running, not
    /// followed` once polling gave up on it.
    pub fn status_word(&self) -> String {
        let word = crate::sanitize::sanitize(self.status.as_str()).into_owned();
        if self.is_followed() || self.status.is_finished() {
            word
        } else {
            format!("{word}, not followed")
        }
    }
}

/// A verification of a finding's fix started from the TUI.
#[derive(Clone, Debug)]
pub struct VerifyProgress {
    pub finding_id: String,
    /// Known once the service accepted the run.
    pub id: Option<String>,
    pub schedule: PollSchedule,
    /// `y` was pressed: the approval is on its way.
    pub approving: bool,
}

impl VerifyProgress {
    /// A verification of `finding_id` just asked for.
    pub fn new(finding_id: impl Into<String>, now: Instant) -> Self {
        VerifyProgress {
            finding_id: finding_id.into(),
            id: None,
            schedule: PollSchedule::new(now, FOLLOW_LIMIT),
            approving: false,
        }
    }
}

/// A change sent but not yet confirmed: the row as it was, to revert to.
#[derive(Clone, Debug)]
pub struct PendingPatch {
    pub finding_id: String,
    pub before: Option<Finding>,
    pub what: String,
    /// What was sent, to tell from a re-read whether it holds.
    pub patch: FindingPatch,
    /// Set while the finding is re-read because the change's answer was
    /// lost or unreadable: that error, for the message that follows.
    pub lost: Option<ApiError>,
}

/// A switch chosen in the switcher whose client is still being built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingSwitch {
    pub target: SwitchTarget,
    /// Tags the answer, so that only the switch asked for last lands.
    pub generation: u64,
}
