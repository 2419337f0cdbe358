//! Acting from the list without leaving the keyboard: `y` copies the
//! finding's id, `Y` its affected URL (OSC 52, written by the runtime), `O`
//! opens it in the browser, or copies the link where no browser can open.

use crate::app::effect::Effect;
use crate::app::state::AppState;
use crate::sanitize::sanitize;

/// `y`: the selected finding's id to the clipboard.
pub fn copy_id(state: &mut AppState) -> Vec<Effect> {
    let Some(id) = state.focused_finding().map(|f| f.id()) else {
        state.toast("select a finding in the list first", false);
        return Vec::new();
    };
    state.toast(format!("copied the id {}", sanitize(&id)), false);
    vec![Effect::Copy { text: id }]
}

/// `Y`: the selected finding's affected URL to the clipboard.
pub fn copy_url(state: &mut AppState) -> Vec<Effect> {
    let Some(finding) = state.focused_finding() else {
        state.toast("select a finding in the list first", false);
        return Vec::new();
    };
    let Some(url) = finding.primary_url().map(str::to_string) else {
        state.toast("this finding names no affected URL", false);
        return Vec::new();
    };
    state.toast(format!("copied the URL {}", sanitize(&url)), false);
    vec![Effect::Copy { text: url }]
}

/// The link `O` opens: the finding in the web app when the profile names
/// one (`web_url`), else its affected URL.
pub fn link_of(state: &AppState) -> Option<String> {
    let finding = state.focused_finding()?;
    match &state.session.web_url {
        Some(web) => Some(format!(
            "{}/projects/{}/findings/{}",
            web.trim_end_matches('/'),
            state.session.project_id,
            finding.id()
        )),
        None => finding
            .primary_url()
            .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
            .map(str::to_string),
    }
}

/// `O`: the link in the browser; over SSH, where no browser can open on
/// this side, the link is copied instead.
pub fn open_browser(state: &mut AppState) -> Vec<Effect> {
    if state.focused_finding().is_none() {
        state.toast("select a finding in the list first", false);
        return Vec::new();
    }
    let Some(url) = link_of(state) else {
        state.toast(
            "no link to open: the finding names no http(s) URL and the profile has no web_url",
            false,
        );
        return Vec::new();
    };
    if state.session.over_ssh {
        state.toast(
            format!(
                "over SSH no browser opens here: copied the link {} instead",
                sanitize(&url)
            ),
            false,
        );
        return vec![Effect::Copy { text: url }];
    }
    state.toast(format!("opening {} in the browser", sanitize(&url)), false);
    vec![Effect::OpenUrl { url }]
}

/// The browser could not be started.
pub fn open_failed(state: &mut AppState, url: &str, why: &str) -> Vec<Effect> {
    state.toast(
        format!(
            "{} not opened: {}; press Y to copy it",
            sanitize(url),
            sanitize(why)
        ),
        true,
    );
    Vec::new()
}
