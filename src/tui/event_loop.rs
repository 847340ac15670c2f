//! The serve loop: one `select!` over terminal input, search results, a timer that exists only
//! while something is due, and termination signals. The screen is drawn only when something
//! changed, inside a synchronized update, so an idle phonedesk uses no CPU.
//!
//! Input comes from [`super::input`] (phonedesk's own reader and decoder, not crossterm's event
//! stream): every batch of events is handled, then the screen is drawn once. Ctrl-C ends the loop
//! as soon as it is read, whatever the keymap says and whatever came before it.

use std::sync::Arc;
use std::time::Instant;

use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use tokio::signal::unix::{SignalKind, signal};

use super::app::{App, Startup};
use super::input::{self, Batch, Input};
use super::terminal::{self, TerminalGuard};
use super::view;
use crate::domain::Operator;
use crate::store::Record;

/// How the loop ended.
pub enum Exit {
    Quit,
    /// A signal arrived, or the terminal hung up; the process should exit with this code
    /// (128 + signal number).
    Signal(u8),
    /// Storage failed; the session cannot continue.
    Fatal(String),
}

/// The exit status for a terminal that went away without a SIGHUP (its input ended).
const HUNG_UP: u8 = 129;

fn draw(guard: &mut TerminalGuard, app: &mut App) -> std::io::Result<()> {
    if let Some(text) = app.take_clipboard() {
        use std::io::Write;
        // An escape sequence phonedesk writes itself: straight through the safe backend.
        let out = guard.terminal.backend_mut();
        out.write_all(super::clipboard::osc52(&text).as_bytes())?;
        out.flush()?;
    }
    execute!(guard.terminal.backend_mut(), BeginSynchronizedUpdate)?;
    let drawn = guard
        .terminal
        .draw(|frame| view::render(app, frame))
        .map(drop);
    execute!(guard.terminal.backend_mut(), EndSynchronizedUpdate)?;
    drawn
}

/// Runs the UI until the operator quits, a signal arrives or storage fails.
pub async fn serve(
    store: Arc<dyn Record>,
    operator: Operator,
    startup: Startup,
) -> std::io::Result<Exit> {
    let (worker_tx, mut worker_rx) = tokio::sync::mpsc::unbounded_channel();
    let mut app = App::new(store, operator, startup, worker_tx).map_err(std::io::Error::other)?;
    let mut term = signal(SignalKind::terminate())?;
    let mut hangup = signal(SignalKind::hangup())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut guard = TerminalGuard::enter()?;
    let mut input = Input::start()?;
    let exit = loop {
        if app.take_dirty() {
            draw(&mut guard, &mut app)?;
        }
        if let Some(why) = app.fatal() {
            break Exit::Fatal(why.to_owned());
        }
        if app.should_quit() {
            break Exit::Quit;
        }
        let deadline = app.next_deadline().map(tokio::time::Instant::from_std);
        tokio::select! {
            batch = input.next() => match batch? {
                Batch::Events(events) => {
                    if handle(&mut app, &events) == Handled::CtrlC {
                        break Exit::Quit;
                    }
                }
                Batch::Closed => break Exit::Signal(HUNG_UP),
            },
            Some(msg) = worker_rx.recv() => app.on_worker(msg),
            () = sleep_until(deadline), if deadline.is_some() => app.tick(Instant::now()),
            _ = term.recv() => break Exit::Signal(143),
            _ = hangup.recv() => break Exit::Signal(129),
            _ = interrupt.recv() => break Exit::Signal(130),
        }
    };
    drop(guard);
    terminal::restore();
    Ok(exit)
}

#[derive(PartialEq, Eq)]
enum Handled {
    All,
    CtrlC,
}

/// Hands `events` to the app in order; stops at Ctrl-C, a quit or a fatal error.
fn handle(app: &mut App, events: &[ratatui::crossterm::event::Event]) -> Handled {
    for event in events {
        if input::is_ctrl_c(event) {
            return Handled::CtrlC;
        }
        app.handle_event(event);
        // The loop's top looks at these; the keys after a quit or a storage failure are not
        // for this session.
        if app.should_quit() || app.fatal().is_some() {
            break;
        }
    }
    Handled::All
}

async fn sleep_until(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}
