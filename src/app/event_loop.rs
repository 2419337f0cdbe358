//! The event loop: terminal events, worker answers, timers and signals in,
//! effects out; a frame is drawn only when something changed, at most every
//! 16 ms, inside a synchronized update.

use std::time::Duration;

use chrono::Utc;
use crossterm::event::{Event, EventStream, KeyEventKind};
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use futures::StreamExt;
use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio::sync::mpsc;
use tokio::time::{Instant, sleep_until};

use super::action::Action;
use super::effect::Effect;
use super::state::{AppState, Pane};
use super::switch::{SessionChange, SwitchTarget, Switcher};
use super::terminal::Tui;
use super::update::{awaits_switch, start, update};
use super::worker::Worker;
use crate::api::Client;

/// Shortest time between two frames.
const FRAME: Duration = Duration::from_millis(16);
/// Shortest auto-refresh interval.
const MIN_REFRESH: Duration = Duration::from_secs(10);

/// Runs the TUI until the user quits or a signal arrives.
/// Returns what a stopped bulk job left undone, to print once the terminal
/// is restored.
pub async fn run(
    mut state: AppState,
    client: Client,
    switcher: Switcher,
) -> color_eyre::Result<Option<String>> {
    let mut tui = Tui::enter()?;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut worker = Worker::new(client, tx);
    let size = tui.terminal.size()?;
    update(&mut state, Action::Resize(size.width, size.height));
    let effects = start(&mut state);
    let (switch_tx, mut switches) = mpsc::unbounded_channel();
    let runner = EffectRunner {
        switcher,
        done: switch_tx,
    };
    runner.run(&mut worker, effects);
    let every = state.session.refresh_interval.max(MIN_REFRESH);
    let mut refresh = tokio::time::interval_at(Instant::now() + every, every);
    let mut signals = Signals::new()?;
    let mut events = EventStream::new();
    let mut dirty = true;
    let mut last_draw = Instant::now() - FRAME;
    let mut next_tick = Instant::now();

    while !state.quit {
        let tick_every = tick_interval(&state);
        let action = tokio::select! {
            event = events.next() => match event {
                Some(Ok(Event::Key(key))) if key.kind == KeyEventKind::Press => Some(Action::Key(key)),
                Some(Ok(Event::Mouse(mouse))) => Some(Action::Mouse(mouse)),
                Some(Ok(Event::Resize(w, h))) => Some(Action::Resize(w, h)),
                Some(Ok(_)) => None,
                // The terminal went away: nothing more can be shown.
                Some(Err(_)) | None => Some(Action::Terminate),
            },
            Some(action) = rx.recv() => Some(action),
            Some((generation, target, result)) = switches.recv() => {
                // The new client is in place before its first request goes
                // out; a switch that is no longer awaited changes nothing.
                let awaited = awaits_switch(&state, generation);
                let result = result.map(|(client, change)| {
                    if awaited {
                        worker = worker.with_client(client);
                    }
                    change
                });
                Some(Action::Switched { generation, target, result })
            }
            _ = refresh.tick() => Some(Action::RefreshDue),
            () = signals.recv() => Some(Action::Terminate),
            _ = sleep_until(last_draw + FRAME), if dirty => {
                draw(&mut tui, &state)?;
                last_draw = Instant::now();
                dirty = false;
                None
            }
            _ = sleep_until(next_tick), if tick_every.is_some() => {
                next_tick = Instant::now() + tick_every.unwrap_or(Duration::from_secs(1));
                Some(Action::Tick { now: std::time::Instant::now(), wall: Utc::now() })
            }
        };
        if let Some(action) = action {
            if matches!(action, Action::Tick { .. }) || next_tick < Instant::now() {
                next_tick = Instant::now() + tick_every.unwrap_or(Duration::from_secs(1));
            }
            state.now = std::time::Instant::now();
            state.wall = Utc::now();
            let effects = update(&mut state, action);
            runner.run(&mut worker, effects);
            dirty = true;
        }
    }
    drop(tui);
    Ok(state.exit_report.take())
}

/// The signals that end the TUI: SIGTERM, SIGINT (ctrl-c reaches the TUI
/// as a key in raw mode, so this one comes from `kill`) and SIGHUP (the
/// terminal closed). Each quits like `q` forced: the terminal is restored,
/// and a running bulk job is reported, not waited for.
struct Signals {
    term: Signal,
    int: Signal,
    hup: Signal,
}

impl Signals {
    fn new() -> std::io::Result<Signals> {
        Ok(Signals {
            term: signal(SignalKind::terminate())?,
            int: signal(SignalKind::interrupt())?,
            hup: signal(SignalKind::hangup())?,
        })
    }

    /// Waits for any of them.
    async fn recv(&mut self) {
        tokio::select! {
            _ = self.term.recv() => {}
            _ = self.int.recv() => {}
            _ = self.hup.recv() => {}
        }
    }
}

/// The answer of a switch: its generation, the target, and its client and
/// session.
type SwitchDone = (u64, SwitchTarget, Result<(Client, SessionChange), String>);

/// Hands effects to the worker. A switch is built off the event loop (an
/// `api_key_command` may take seconds) and comes back on `done`; the loop
/// then replaces the worker's client.
struct EffectRunner {
    switcher: Switcher,
    done: mpsc::UnboundedSender<SwitchDone>,
}

impl EffectRunner {
    fn run(&self, worker: &mut Worker, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Switch { generation, target } => {
                    let switcher = self.switcher.clone();
                    let done = self.done.clone();
                    tokio::task::spawn_blocking(move || {
                        let result = switcher.switch(&target);
                        // The loop is gone when the TUI quit meanwhile.
                        let _ = done.send((generation, target, result));
                    });
                }
                other => worker.run(other),
            }
        }
    }
}

/// How often time-dependent things on screen need a redraw, if at all:
/// the spinner while requests are out, "updated Ns ago", fading toasts.
fn tick_interval(state: &AppState) -> Option<Duration> {
    if state.in_flight > 0 {
        Some(Duration::from_millis(100))
    } else if state.toasts.iter().any(|t| !t.error)
        || (command_center_shown(state) && state.command_center.updated_at.is_some())
        || state.bulk.as_ref().is_some_and(|b| !b.finished)
        || state.scan.is_some()
        || state.budget.pacing_until.is_some()
    {
        Some(Duration::from_secs(1))
    } else {
        None
    }
}

/// True when the command center is on screen: its tab, or the band.
fn command_center_shown(state: &AppState) -> bool {
    state.pane == Pane::CommandCenter
        || crate::ui::layout::panes(
            crate::ui::layout::screen(ratatui::layout::Rect::new(0, 0, state.size.0, state.size.1))
                .main,
        )
        .band
        .is_some()
}

fn draw(tui: &mut Tui, state: &AppState) -> color_eyre::Result<()> {
    crossterm::queue!(tui.terminal.backend_mut(), BeginSynchronizedUpdate)?;
    tui.terminal.draw(|frame| crate::ui::render(frame, state))?;
    crossterm::execute!(tui.terminal.backend_mut(), EndSynchronizedUpdate)?;
    Ok(())
}
