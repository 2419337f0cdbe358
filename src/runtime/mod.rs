//! The TUI's runtime: the state, the worker that runs every effect (a
//! switch included), and the client's rate-budget watch, in one place. The
//! terminal's event loop ([`event_loop`]) only feeds it input and draws its
//! state; tests drive the same runtime with no terminal, so no test
//! re-implements the loop.

mod bulk;
pub mod event_loop;
mod notify;
pub mod persist;
mod remediation;
mod switcher;
pub mod terminal;
mod worker;

use std::time::Duration;

use tokio::sync::{mpsc, watch};

use crate::api::Client;
use crate::api::ratelimit::BudgetSnapshot;
use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::state::AppState;
use crate::app::update::{start, update};
use crate::journal::Journal;

pub use notify::Notice;
use switcher::SwitchDone;
pub use switcher::{Switcher, session_change};
use worker::Worker;

/// State, worker and effects: the whole TUI but the terminal.
pub struct Runtime {
    /// The one state; read it to draw or to check a test.
    pub state: AppState,
    worker: Worker,
    answers: mpsc::UnboundedReceiver<Action>,
    switches: mpsc::UnboundedReceiver<SwitchDone>,
    /// The client's budget; `None` once its sender is gone.
    budget: Option<watch::Receiver<BudgetSnapshot>>,
    /// Alerts to tell beyond the screen (bell, desktop), for the event
    /// loop to run between two frames (or a test to read).
    notices: Vec<Notice>,
    /// Texts to put on the clipboard (OSC 52), for the event loop to write
    /// between two frames (or a test to read).
    copied: Vec<String>,
}

impl Runtime {
    /// A runtime for `state`, talking to the service through `client`;
    /// `switcher` opens what the switcher offers; bulk jobs are journalled
    /// in `journal` (or refused with its error). Call [`Runtime::start`]
    /// inside a tokio runtime to load the first data.
    pub fn new(
        state: AppState,
        client: Client,
        switcher: Switcher,
        journal: Result<Journal, String>,
    ) -> Runtime {
        let (tx, answers) = mpsc::unbounded_channel();
        let (switch_done, switches) = mpsc::unbounded_channel();
        let budget = Some(client.watch_budget());
        Runtime {
            state,
            worker: Worker::new(client, tx, switcher, switch_done, journal),
            answers,
            switches,
            budget,
            notices: Vec::new(),
            copied: Vec::new(),
        }
    }

    /// Asks for what the first screen shows.
    pub fn start(&mut self) {
        let effects = start(&mut self.state);
        self.run(effects);
    }

    /// Applies one action and runs the effects it asks for.
    pub fn dispatch(&mut self, action: Action) {
        let effects = update(&mut self.state, action);
        self.run(effects);
    }

    /// Waits for the next thing the outside world says: a change of the
    /// rate budget, an answer of the worker, or an opened switch (whose
    /// client is installed before the answer is handed over, so its first
    /// request already goes to the new target).
    pub async fn next_answer(&mut self) -> Action {
        loop {
            let budget_alive = self.budget.is_some();
            tokio::select! {
                // Biased: a request records the budget before its answer is
                // sent, so the budget an answer reports is applied first.
                biased;
                changed = async {
                    match self.budget.as_mut() {
                        Some(rx) => rx.changed().await,
                        None => std::future::pending().await,
                    }
                }, if budget_alive => match changed {
                    Ok(()) => {
                        let snapshot = self
                            .budget
                            .as_mut()
                            .map(|rx| *rx.borrow_and_update())
                            .unwrap_or_default();
                        return Action::Budget(snapshot);
                    }
                    // The client that published it is gone (a switch).
                    Err(_) => self.budget = None,
                },
                Some(action) = self.answers.recv() => return action,
                Some((generation, target, result)) = self.switches.recv() => {
                    let awaited = self.state.awaits_switch(generation);
                    let result = result.map(|(client, change)| {
                        if awaited {
                            self.budget = Some(client.watch_budget());
                            self.worker = self.worker.with_client(client);
                        }
                        change
                    });
                    return Action::Switched { generation, target, result };
                }
            }
        }
    }

    /// Feeds answers back until nothing is in flight, or `limit` passes.
    pub async fn settle(&mut self, limit: Duration) -> Result<(), String> {
        self.run_until(|s| s.in_flight == 0, limit).await
    }

    /// Feeds answers back until `done` holds, or `limit` passes.
    pub async fn run_until(
        &mut self,
        done: impl Fn(&AppState) -> bool,
        limit: Duration,
    ) -> Result<(), String> {
        let deadline = tokio::time::Instant::now() + limit;
        while !done(&self.state) {
            let action = tokio::time::timeout_at(deadline, self.next_answer())
                .await
                .map_err(|_| {
                    format!(
                        "still waiting after {}s ({} request(s) in flight)",
                        limit.as_secs(),
                        self.state.in_flight
                    )
                })?;
            self.dispatch(action);
        }
        Ok(())
    }

    /// The notices raised since the last call.
    pub fn take_notices(&mut self) -> Vec<Notice> {
        std::mem::take(&mut self.notices)
    }

    /// The texts copied since the last call.
    pub fn take_copied(&mut self) -> Vec<String> {
        std::mem::take(&mut self.copied)
    }

    fn run(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                // Written to the terminal by the event loop, never by a
                // worker task in the middle of a frame.
                Effect::Notify {
                    title,
                    body,
                    bell,
                    desktop,
                } => self.notices.push(Notice {
                    title,
                    body,
                    bell,
                    desktop,
                }),
                Effect::Copy { text } => self.copied.push(text),
                // Small files, written at once: the last one (on quit)
                // must be on disk before the process ends.
                Effect::SaveHistory { path, lines } => persist::write_history(&path, &lines),
                Effect::Remember { path, remembered } => {
                    persist::write_remembered(&path, &remembered)
                }
                other => self.worker.run(other),
            }
        }
    }
}
