//! Keys while a dialog is open. Dialogs use fixed keys (arrows, j/k, enter,
//! esc, y/n) so that a rebinding can never lock the user inside one.

use crossterm::event::{Event, KeyCode, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::{change, list};
use crate::api::model::{Domain, FindingPatch, FindingStatus, Severity};
use crate::app::effect::Effect;
use crate::app::state::{AppState, AssignChoice, FilterField, Modal, ScanProgress};

/// The assign menu's choices, in order: me, the people of the config,
/// a typed UUID, nobody.
pub fn assign_choices(state: &AppState) -> Vec<AssignChoice> {
    let mut out = vec![AssignChoice::Me];
    out.extend(
        state
            .session
            .people
            .iter()
            .map(|(name, id)| AssignChoice::Person(name.clone(), id.clone())),
    );
    out.extend([AssignChoice::Uuid, AssignChoice::Unassigned]);
    out
}

/// The filter menu's fields, in order.
pub const FILTER_FIELDS: [FilterField; 4] = [
    FilterField::Severity,
    FilterField::Status,
    FilterField::Domain,
    FilterField::Owner,
];

/// The values a filter field offers; the first one clears the filter.
pub fn filter_values(state: &AppState, field: FilterField) -> Vec<String> {
    let mut values = vec!["(any)".to_string()];
    match field {
        FilterField::Severity => values.extend(Severity::KNOWN.iter().map(ToString::to_string)),
        FilterField::Status => values.extend(FindingStatus::KNOWN.iter().map(ToString::to_string)),
        FilterField::Domain => values.extend(Domain::KNOWN.iter().map(ToString::to_string)),
        FilterField::Owner => {
            values.extend(["me".to_string(), "unassigned".to_string()]);
            values.extend(state.session.people.iter().map(|(name, _)| name.clone()));
        }
    }
    values
}

/// Number of choices of a menu modal.
fn choices(state: &AppState, modal: &Modal) -> usize {
    match modal {
        Modal::StatusMenu { targets, .. } => targets.len(),
        Modal::AssignMenu { .. } => assign_choices(state).len(),
        Modal::Switcher { .. } => state.targets.len(),
        Modal::SeverityMenu { .. } => Severity::KNOWN.len(),
        Modal::FilterFields { .. } => FILTER_FIELDS.len(),
        Modal::FilterValues { field, .. } => filter_values(state, *field).len(),
        _ => 0,
    }
}

/// Handles one key for the open dialog.
pub fn on_key(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let Some(mut modal) = state.modal.take() else {
        return Vec::new();
    };
    // Menus share their movement keys.
    let count = choices(state, &modal);
    if let Modal::StatusMenu { selected, .. }
    | Modal::AssignMenu { selected, .. }
    | Modal::SeverityMenu { selected, .. }
    | Modal::FilterFields { selected }
    | Modal::FilterValues { selected, .. }
    | Modal::Switcher { selected } = &mut modal
    {
        match key.code {
            KeyCode::Up | KeyCode::Char('k') => {
                *selected = selected.saturating_sub(1);
                state.modal = Some(modal);
                return Vec::new();
            }
            KeyCode::Down | KeyCode::Char('j') => {
                *selected = (*selected + 1).min(count.saturating_sub(1));
                state.modal = Some(modal);
                return Vec::new();
            }
            KeyCode::Esc | KeyCode::Char('q') => return Vec::new(),
            _ => {}
        }
    }
    match modal {
        Modal::Help { scroll } => match key.code {
            KeyCode::Down | KeyCode::Char('j') => keep(
                state,
                Modal::Help {
                    scroll: scroll.saturating_add(1),
                },
            ),
            KeyCode::Up | KeyCode::Char('k') => keep(
                state,
                Modal::Help {
                    scroll: scroll.saturating_sub(1),
                },
            ),
            _ => Vec::new(),
        },
        Modal::ConfirmDismiss { ids } => match key.code {
            KeyCode::Char('y') | KeyCode::Char('Y') => {
                let patch = FindingPatch {
                    status: Some(FindingStatus::Dismissed),
                    ..FindingPatch::default()
                };
                change::apply(state, ids, patch)
            }
            _ => Vec::new(),
        },
        Modal::StatusMenu {
            ids,
            targets,
            selected,
        } => match key.code {
            KeyCode::Enter => match targets.get(selected) {
                Some(to) if *to == FindingStatus::Dismissed => {
                    keep(state, Modal::ConfirmDismiss { ids })
                }
                Some(to) => {
                    let patch = FindingPatch {
                        status: Some(to.clone()),
                        ..FindingPatch::default()
                    };
                    change::apply(state, ids, patch)
                }
                None => Vec::new(),
            },
            _ => keep(
                state,
                Modal::StatusMenu {
                    ids,
                    targets,
                    selected,
                },
            ),
        },
        Modal::AssignMenu { ids, selected } => match key.code {
            KeyCode::Enter => match assign_choices(state).get(selected).cloned() {
                Some(choice) => assign(state, ids, choice),
                None => Vec::new(),
            },
            _ => keep(state, Modal::AssignMenu { ids, selected }),
        },
        Modal::OwnerPrompt {
            ids,
            mut input,
            error,
        } => match key.code {
            KeyCode::Enter => {
                let value = input.value().trim().to_string();
                match uuid::Uuid::parse_str(&value) {
                    Ok(uuid) => change::apply(state, ids, owner_patch(Some(uuid.to_string()))),
                    Err(_) => keep(
                        state,
                        Modal::OwnerPrompt {
                            ids,
                            input,
                            error: Some("not a UUID: paste the user id, e.g. 3f2b…-…".to_string()),
                        },
                    ),
                }
            }
            KeyCode::Esc => Vec::new(),
            _ => {
                input.handle_event(&Event::Key(key));
                let error = if input.value().is_empty() {
                    None
                } else {
                    error
                };
                keep(state, Modal::OwnerPrompt { ids, input, error })
            }
        },
        Modal::SeverityMenu { ids, selected } => match key.code {
            KeyCode::Enter => {
                let severity = change::severity_options().get(selected).cloned();
                let patch = FindingPatch {
                    severity,
                    ..FindingPatch::default()
                };
                change::apply(state, ids, patch)
            }
            _ => keep(state, Modal::SeverityMenu { ids, selected }),
        },
        Modal::FilterFields { selected } => match key.code {
            KeyCode::Enter => keep(
                state,
                Modal::FilterValues {
                    field: FILTER_FIELDS[selected.min(3)],
                    selected: 0,
                },
            ),
            _ => keep(state, Modal::FilterFields { selected }),
        },
        Modal::FilterValues { field, selected } => match key.code {
            KeyCode::Enter => set_filter(state, field, selected),
            _ => keep(state, Modal::FilterValues { field, selected }),
        },
        Modal::ScanPrompt { mut input, error } => match key.code {
            KeyCode::Enter => start_scan(state, input),
            KeyCode::Esc => Vec::new(),
            _ => {
                input.handle_event(&Event::Key(key));
                keep(state, Modal::ScanPrompt { input, error })
            }
        },
        Modal::Switcher { selected } => match key.code {
            KeyCode::Enter => super::session::choose(state, selected),
            _ => keep(state, Modal::Switcher { selected }),
        },
        Modal::ConfirmApprove {
            verification_id,
            finding_id,
        } => super::verify::on_confirm(state, key.code, verification_id, &finding_id),
        Modal::ConfirmQuit => match key.code {
            KeyCode::Char('y') | KeyCode::Char('Y') => super::session::confirm_quit(state),
            _ => Vec::new(),
        },
        Modal::Bulk => {
            if key.code == KeyCode::Char('c') {
                let effects = super::session::cancel_bulk(state);
                state.modal = Some(Modal::Bulk);
                return effects;
            }
            if !matches!(key.code, KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q')) {
                return keep(state, Modal::Bulk);
            }
            // Closing a running job only hides it: the status bar keeps
            // counting, and the overlay comes back if anything is refused.
            if state.bulk.as_ref().is_none_or(|b| b.finished) {
                state.bulk = None;
            }
            Vec::new()
        }
    }
}

fn keep(state: &mut AppState, modal: Modal) -> Vec<Effect> {
    state.modal = Some(modal);
    Vec::new()
}

fn owner_patch(owner: Option<String>) -> FindingPatch {
    FindingPatch {
        owner_id: Some(owner),
        ..FindingPatch::default()
    }
}

fn assign(state: &mut AppState, ids: Vec<String>, choice: AssignChoice) -> Vec<Effect> {
    match choice {
        AssignChoice::Me => match state.session.me.clone() {
            Some(me) => change::apply(state, ids, owner_patch(Some(me))),
            None => {
                state.toast(
                    "your user id is not known: set `me` in the config profile, or choose \"a user id\"",
                    true,
                );
                Vec::new()
            }
        },
        AssignChoice::Person(_, id) => change::apply(state, ids, owner_patch(Some(id))),
        AssignChoice::Uuid => keep(
            state,
            Modal::OwnerPrompt {
                ids,
                input: Input::default(),
                error: None,
            },
        ),
        AssignChoice::Unassigned => change::apply(state, ids, owner_patch(None)),
    }
}

fn set_filter(state: &mut AppState, field: FilterField, selected: usize) -> Vec<Effect> {
    let values = filter_values(state, field);
    let value = values.get(selected).filter(|_| selected > 0).cloned();
    let q = &mut state.findings.query;
    match field {
        FilterField::Severity => q.severity = value.map(|v| Severity::parse(&v)),
        FilterField::Status => q.status = value.map(|v| FindingStatus::parse(&v)),
        FilterField::Domain => q.domain = value.map(|v| Domain::parse(&v)),
        FilterField::Owner => {
            // By position: a person may well be called "me".
            q.owner_id = match selected {
                0 => None,
                1 => match state.session.me.clone() {
                    Some(me) => Some(me),
                    None => {
                        state.toast(
                            "your user id is not known: set `me` in the config profile",
                            true,
                        );
                        return Vec::new();
                    }
                },
                2 => Some("none".to_string()),
                n => state.session.people.get(n - 3).map(|(_, id)| id.clone()),
            }
        }
    }
    list::reload(state)
}

fn start_scan(state: &mut AppState, input: Input) -> Vec<Effect> {
    let url = input.value().trim().to_string();
    if let Err(e) = crate::api::ssrf::check_url(&url) {
        return keep(
            state,
            Modal::ScanPrompt {
                input,
                error: Some(format!("{e}; enter a public http(s) URL")),
            },
        );
    }
    if state.scan.as_ref().is_some_and(ScanProgress::is_followed) {
        state.toast("a scan is already running: wait for it to finish", false);
        return Vec::new();
    }
    state.scan = Some(ScanProgress::new(url.clone(), state.now));
    vec![Effect::StartScan { url }]
}
