//! The `:` command line: commands with completion (tab) and a history kept
//! across restarts (up and down walk it). An unknown command says so and
//! suggests the closest one.

use crossterm::event::{Event, KeyCode, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::{detail, groups, list, session, views};
use crate::api::model::{Domain, FindingStatus, Severity};
use crate::app::effect::Effect;
use crate::app::keymap::{COMMANDS, Intent, Scope};
use crate::app::state::{AppState, GroupBy, Modal, SortKey};
use crate::app::switch::SwitchTarget;
use crate::config::views::{GROUP_BY, OwnerSpec, SORT_KEYS, owner_spec};
use crate::sanitize::sanitize;

/// The history file in the state directory.
pub const HISTORY_FILE: &str = "command_history";
/// Entries of the history kept.
pub const HISTORY_LIMIT: usize = 200;

/// `:` opens the command line (`prefill` typed in already).
pub fn open(state: &mut AppState, prefill: &str) -> Vec<Effect> {
    state.modal = Some(Modal::CommandLine {
        input: Input::new(prefill.to_string()),
        history_at: None,
        completions: Vec::new(),
    });
    Vec::new()
}

/// A key while the command line is open.
pub fn key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let intent = state.keymap.intent(Scope::Prompt, &key);
    let Some(Modal::CommandLine {
        mut input,
        mut history_at,
        mut completions,
    }) = state.modal.take()
    else {
        return Vec::new();
    };
    match (intent, key.code) {
        (Some(Intent::PromptCancel), _) | (_, KeyCode::Esc) => return Vec::new(),
        (Some(Intent::PromptSubmit), _) => return submit(state, input.value()),
        (_, KeyCode::Tab) => {
            let (line, offered) = complete(state, input.value());
            input = Input::new(line);
            completions = offered;
        }
        (_, KeyCode::Up | KeyCode::Down) => {
            let n = state.command_history.len();
            let at = match (key.code, history_at) {
                (KeyCode::Up, None) if n > 0 => Some(0),
                (KeyCode::Up, Some(i)) => Some((i + 1).min(n.saturating_sub(1))),
                (KeyCode::Down, Some(0)) => None,
                (KeyCode::Down, Some(i)) => Some(i - 1),
                (_, at) => at,
            };
            history_at = at;
            let line = at
                .and_then(|i| state.command_history.get(n - 1 - i))
                .cloned()
                .unwrap_or_default();
            input = Input::new(line);
            completions.clear();
        }
        _ => {
            input.handle_event(&Event::Key(key));
            history_at = None;
            completions.clear();
        }
    }
    state.modal = Some(Modal::CommandLine {
        input,
        history_at,
        completions,
    });
    Vec::new()
}

/// The line with its last word completed, and the choices when more than
/// one fits.
pub fn complete(state: &AppState, line: &str) -> (String, Vec<String>) {
    let (head, word) = match line.rfind(' ') {
        Some(at) => (&line[..=at], &line[at + 1..]),
        None => ("", line),
    };
    let command = head.split_whitespace().next();
    let candidates: Vec<String> = match command {
        None => COMMANDS.iter().map(|(c, _)| c.to_string()).collect(),
        Some("view") => state
            .views
            .views
            .iter()
            .map(|v| v.spec.name.clone())
            .collect(),
        Some("project") => targets(state, |t| match t {
            SwitchTarget::Project(p) => Some(p.clone()),
            SwitchTarget::Profile(_) => None,
        }),
        Some("profile") => targets(state, |t| match t {
            SwitchTarget::Profile(p) => Some(p.clone()),
            SwitchTarget::Project(_) => None,
        }),
        Some("sort") => SORT_KEYS.iter().map(|k| k.to_string()).collect(),
        Some("group") => GROUP_BY.iter().map(|k| k.to_string()).collect(),
        Some("filter") => filter_words(word),
        Some(_) => Vec::new(),
    };
    // A view's name may hold spaces: complete the rest of the line.
    let (head, word) = if command == Some("view") {
        let at = line.find(' ').map_or(line.len(), |i| i + 1);
        (&line[..at], &line[at..])
    } else {
        (head, word)
    };
    let lower = word.to_lowercase();
    let fits: Vec<String> = candidates
        .into_iter()
        .filter(|c| c.to_lowercase().starts_with(&lower))
        .collect();
    match fits.as_slice() {
        [] => (line.to_string(), Vec::new()),
        [one] => {
            let space = if one.ends_with('=') { "" } else { " " };
            (format!("{head}{one}{space}"), Vec::new())
        }
        many => {
            let common = common_prefix(many);
            let word = if common.chars().count() > word.chars().count() {
                common
            } else {
                word.to_string()
            };
            (format!("{head}{word}"), many.to_vec())
        }
    }
}

fn targets(state: &AppState, pick: impl Fn(&SwitchTarget) -> Option<String>) -> Vec<String> {
    state.targets.iter().filter_map(pick).collect()
}

/// `severity=`, or the values of a field once its `=` is typed.
fn filter_words(word: &str) -> Vec<String> {
    let fields = [
        "severity=",
        "status=",
        "domain=",
        "owner=",
        "text=",
        "clear",
    ];
    let Some((field, _)) = word.split_once('=') else {
        return fields.iter().map(|f| f.to_string()).collect();
    };
    let values: Vec<&str> = match field {
        "severity" => Severity::KNOWN.iter().map(Severity::as_str).collect(),
        "status" => FindingStatus::KNOWN
            .iter()
            .map(FindingStatus::as_str)
            .collect(),
        "domain" => Domain::KNOWN.iter().map(Domain::as_str).collect(),
        "owner" => vec!["me", "none"],
        _ => Vec::new(),
    };
    values.iter().map(|v| format!("{field}={v}")).collect()
}

fn common_prefix(words: &[String]) -> String {
    let first = &words[0];
    let mut end = first.len();
    for w in &words[1..] {
        end = first
            .char_indices()
            .zip(w.chars())
            .find(|((_, a), b)| !a.eq_ignore_ascii_case(b))
            .map_or(end.min(w.len()), |((i, _), _)| i.min(end));
    }
    first[..end].to_string()
}

/// Enter: the line joins the history and runs.
pub fn submit(state: &mut AppState, line: &str) -> Vec<Effect> {
    let line = line.trim();
    if line.is_empty() {
        return Vec::new();
    }
    let mut effects = remember_line(state, line);
    effects.extend(run(state, line));
    effects
}

/// Adds a line to the history (not twice in a row) and asks the runtime
/// to keep it.
fn remember_line(state: &mut AppState, line: &str) -> Vec<Effect> {
    let h = &mut state.command_history;
    if h.last().map(String::as_str) != Some(line) {
        h.push(line.to_string());
    }
    if h.len() > HISTORY_LIMIT {
        h.drain(..h.len() - HISTORY_LIMIT);
    }
    match &state.session.state_dir {
        Some(dir) => vec![Effect::SaveHistory {
            path: dir.join(HISTORY_FILE),
            lines: state.command_history.clone(),
        }],
        None => Vec::new(),
    }
}

/// Runs one command line.
pub fn run(state: &mut AppState, line: &str) -> Vec<Effect> {
    let line = line.trim().trim_start_matches(':');
    let (command, rest) = match line.split_once(char::is_whitespace) {
        Some((c, r)) => (c, r.trim()),
        None => (line, ""),
    };
    match command {
        "view" => match state.views.find(rest) {
            Some(i) => views::switch(state, i),
            None => {
                let names: Vec<String> = state
                    .views
                    .views
                    .iter()
                    .map(|v| v.spec.name.clone())
                    .collect();
                state.toast(
                    format!(
                        "no view {}; the views are {}",
                        sanitize(rest),
                        sanitize(&names.join(", "))
                    ),
                    true,
                );
                Vec::new()
            }
        },
        "project" => switch_to(state, SwitchTarget::Project(rest.to_string())),
        "profile" => switch_to(state, SwitchTarget::Profile(rest.to_string())),
        "sort" => sort(state, rest),
        "filter" => filter(state, rest),
        "group" if rest.is_empty() => groups::cycle(state),
        "group" => match GroupBy::parse(rest) {
            Ok(by) => groups::set(state, by),
            Err(why) => {
                state.toast(format!("group: {}", sanitize(&why)), true);
                Vec::new()
            }
        },
        "goto" => match rest.parse::<usize>() {
            Ok(n) if n > 0 => views::goto(state, n),
            _ => {
                state.toast("goto takes a row number from 1: :goto 40", true);
                Vec::new()
            }
        },
        "open" if !rest.is_empty() => detail::open(state, rest.to_string()),
        "open" => {
            state.toast("open takes a finding id: :open ID", true);
            Vec::new()
        }
        "mark-filter" => list::mark_filter(state),
        "save-view" => views::save(state, rest),
        "help" => {
            state.modal = Some(Modal::Help {
                scroll: 0,
                filter: rest.to_string(),
            });
            Vec::new()
        }
        unknown => {
            let names = COMMANDS.iter().map(|(c, _)| *c);
            let closest = names.min_by_key(|c| edit_distance(unknown, c));
            let hint = closest.map_or(String::new(), |c| format!("; did you mean :{c}?"));
            state.toast(
                format!("unknown command :{}{hint}", sanitize(unknown)),
                true,
            );
            Vec::new()
        }
    }
}

/// `:project` and `:profile`: a target the switcher offers.
fn switch_to(state: &mut AppState, target: SwitchTarget) -> Vec<Effect> {
    match state.targets.iter().position(|t| *t == target) {
        Some(i) => session::choose(state, i),
        None => {
            let offered: Vec<String> = state.targets.iter().map(SwitchTarget::label).collect();
            let offered = if offered.is_empty() {
                "nothing else".to_string()
            } else {
                offered.join(", ")
            };
            state.toast(
                format!(
                    "{} is not offered here; this session can open {}",
                    sanitize(&target.label()),
                    sanitize(&offered)
                ),
                true,
            );
            Vec::new()
        }
    }
}

/// `:sort severity age` (or `severity,age`): keys in turn.
fn sort(state: &mut AppState, rest: &str) -> Vec<Effect> {
    let words: Vec<&str> = rest
        .split([',', ' '])
        .filter(|w| !w.trim().is_empty())
        .collect();
    let mut keys = Vec::new();
    for w in &words {
        match SortKey::parse(w) {
            Some(k) if !keys.contains(&k) => keys.push(k),
            Some(_) => {}
            None => {
                state.toast(
                    format!(
                        "{} is not a sort key; use {}",
                        sanitize(w),
                        SORT_KEYS.join(", ")
                    ),
                    true,
                );
                return Vec::new();
            }
        }
    }
    let f = &mut state.findings;
    f.sort = keys.first().copied().unwrap_or_default();
    f.sort_then = keys.iter().skip(1).copied().collect();
    f.recompute_visible();
    list::keep_in_view(state);
    state.sync_view();
    state.toast(state.findings.sort_text(), false);
    Vec::new()
}

/// `:filter severity=critical status=new`: server filters, the list
/// reloaded; fields not named keep their value, `clear` clears them all.
fn filter(state: &mut AppState, rest: &str) -> Vec<Effect> {
    let mut query = state.findings.query.clone();
    let mut open_only = state.findings.open_only;
    for word in rest.split_whitespace() {
        if word == "clear" {
            query = Default::default();
            open_only = false;
            continue;
        }
        let Some((field, value)) = word.split_once('=') else {
            state.toast(
                format!(
                    "{} is not field=value; e.g. :filter severity=critical status=new",
                    sanitize(word)
                ),
                true,
            );
            return Vec::new();
        };
        let value = value.trim();
        let bad = |what: &str| format!("{} is not a {what}", sanitize(value));
        let result: Result<(), String> = match field {
            "severity" => parse_or_none(value, Severity::parse_known)
                .map(|v| query.severity = v)
                .ok_or_else(|| bad("severity (critical, high, medium, low)")),
            "status" if value == "open" => {
                query.status = None;
                open_only = true;
                Ok(())
            }
            "status" => parse_or_none(value, FindingStatus::parse_known)
                .map(|v| {
                    open_only = false;
                    query.status = v
                })
                .ok_or_else(|| bad("status (new, triaged, in_progress, ready_verify, ...)")),
            "domain" => parse_or_none(value, Domain::parse_known)
                .map(|v| query.domain = v)
                .ok_or_else(|| bad("domain (security, performance, accessibility, seo)")),
            "text" => {
                query.q = Some(value.to_string()).filter(|v| !v.is_empty());
                Ok(())
            }
            "owner" if value.is_empty() || value == "any" => {
                query.owner_id = None;
                Ok(())
            }
            "owner" => {
                let people: Vec<(String, String)> = state
                    .session
                    .people
                    .iter()
                    .map(|(n, i)| (n.to_string(), i.to_string()))
                    .collect();
                match owner_spec(value, &people) {
                    Ok(OwnerSpec::Me) => match state.session.me() {
                        Some(me) => {
                            query.owner_id = Some(me.to_string());
                            Ok(())
                        }
                        None => {
                            Err("your user id is not known: set `me` in the config profile"
                                .to_string())
                        }
                    },
                    Ok(OwnerSpec::Unassigned) => {
                        query.owner_id = Some("none".to_string());
                        Ok(())
                    }
                    Ok(OwnerSpec::Id(id)) => {
                        query.owner_id = Some(id);
                        Ok(())
                    }
                    Err(why) => Err(why),
                }
            }
            other => Err(format!(
                "{} is not a filter; use severity, status, domain, owner or text",
                sanitize(other)
            )),
        };
        if let Err(why) = result {
            state.toast(why, true);
            return Vec::new();
        }
    }
    state.findings.query = query;
    state.findings.open_only = open_only;
    state.pane = crate::app::state::Pane::Findings;
    let effects = list::reload(state);
    state.sync_view();
    effects
}

/// `any` or nothing clears a field; else a known value.
fn parse_or_none<T>(value: &str, parse: impl Fn(&str) -> Option<T>) -> Option<Option<T>> {
    if value.is_empty() || value == "any" {
        return Some(None);
    }
    parse(value).map(Some)
}

/// Levenshtein distance, for "did you mean".
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::edit_distance;

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("veiw", "view"), 2);
        assert_eq!(edit_distance("sort", "sort"), 0);
        assert_eq!(edit_distance("gto", "goto"), 1);
        assert_eq!(edit_distance("", "help"), 4);
    }
}
