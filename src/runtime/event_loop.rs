//! The event loop: terminal events, worker answers, timers and signals in,
//! effects out; a frame is drawn only when something changed, at most every
//! 16 ms, inside a synchronized update.

use std::time::Duration;

use chrono::Utc;
use crossterm::event::{Event, EventStream, KeyEventKind};
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use futures::StreamExt;
use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio::time::{Instant, sleep_until};

use super::Runtime;
use super::terminal::Tui;
use crate::app::action::Action;
use crate::app::state::{AppState, Pane};
use crate::ui::theme::Theme;

/// Shortest time between two frames.
const FRAME: Duration = Duration::from_millis(16);
/// Shortest auto-refresh interval.
const MIN_REFRESH: Duration = Duration::from_secs(10);

/// Runs the TUI until the user quits or a signal arrives.
/// Returns what a stopped bulk job left undone, to print once the terminal
/// is restored.
pub async fn run(mut runtime: Runtime, theme: Theme) -> color_eyre::Result<Option<String>> {
    let mut tui = Tui::enter()?;
    let size = tui.terminal.size()?;
    runtime.dispatch(Action::Resize(size.width, size.height));
    runtime.start();
    let every = runtime.state.session.refresh_interval.max(MIN_REFRESH);
    let opened = std::time::Instant::now();
    let mut signals = Signals::new()?;
    let mut events = EventStream::new();
    let mut dirty = true;
    let mut last_draw = Instant::now() - FRAME;
    let mut next_tick = Instant::now();

    while !runtime.state.quit {
        let tick_every = tick_interval(&runtime.state);
        // The state knows when the next refresh is due: an interval after
        // the last, or the retry of an outage's backoff.
        let refresh_due = runtime
            .state
            .alerts
            .refresh_due(every)
            .unwrap_or(opened + every);
        let action = tokio::select! {
            event = events.next() => match event {
                Some(Ok(Event::Key(key))) if key.kind == KeyEventKind::Press => Some(Action::Key(key)),
                Some(Ok(Event::Mouse(mouse))) => Some(Action::Mouse(mouse)),
                Some(Ok(Event::Resize(w, h))) => Some(Action::Resize(w, h)),
                Some(Ok(_)) => None,
                // The terminal went away: nothing more can be shown.
                Some(Err(_)) | None => Some(Action::Terminate),
            },
            action = runtime.next_answer() => Some(action),
            () = sleep_until(Instant::from_std(refresh_due)) => Some(Action::RefreshDue),
            () = signals.recv() => Some(Action::Terminate),
            _ = sleep_until(last_draw + FRAME), if dirty => {
                // Keys typed since the last frame filter the list once.
                runtime.state.findings.settle();
                draw(&mut tui, &runtime.state, &theme)?;
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
            runtime.state.now = std::time::Instant::now();
            runtime.state.wall = Utc::now();
            runtime.dispatch(action);
            dirty = true;
            for text in runtime.take_copied() {
                super::persist::copy(tui.terminal.backend_mut(), &text);
            }
            for notice in runtime.take_notices() {
                if notice.bell {
                    super::notify::bell(tui.terminal.backend_mut());
                }
                if notice.desktop {
                    super::notify::desktop(&notice);
                }
            }
        }
    }
    drop(tui);
    Ok(runtime.state.exit_report.take())
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

/// How often time-dependent things on screen need a redraw, if at all:
/// the spinner while requests are out, "updated Ns ago", fading toasts.
fn tick_interval(state: &AppState) -> Option<Duration> {
    if state.findings.search.pending.is_some() {
        // A `/` text waits for its debounce: send it on time.
        Some(Duration::from_millis(50))
    } else if state.in_flight > 0 {
        Some(Duration::from_millis(100))
    } else if state.toasts.iter().any(|t| !t.error)
        || (command_center_shown(state) && state.command_center.updated_at.is_some())
        || state.bulk.as_ref().is_some_and(|b| b.is_active())
        || state.scan.is_some()
        || state.budget.pacing_until.is_some()
        || state.alerts.outage.is_some()
    {
        Some(Duration::from_secs(1))
    } else {
        None
    }
}

/// True when the command center is on screen: its tab, or the band.
fn command_center_shown(state: &AppState) -> bool {
    state.pane == Pane::CommandCenter
        || crate::app::layout::panes(
            crate::app::layout::screen(ratatui::layout::Rect::new(
                0,
                0,
                state.size.0,
                state.size.1,
            ))
            .main,
        )
        .band
        .is_some()
}

fn draw(tui: &mut Tui, state: &AppState, theme: &Theme) -> color_eyre::Result<()> {
    crossterm::queue!(tui.terminal.backend_mut(), BeginSynchronizedUpdate)?;
    tui.terminal
        .draw(|frame| crate::ui::render(frame, state, theme))?;
    crossterm::execute!(tui.terminal.backend_mut(), EndSynchronizedUpdate)?;
    Ok(())
}
