//! The serve loop: one `select!` over terminal input, search results, a timer that exists only
//! while something is due, and termination signals. The screen is drawn only when something
//! changed, inside a synchronized update, so an idle phonedesk uses no CPU.

use std::sync::Arc;
use std::time::Instant;

use futures_util::StreamExt;
use ratatui::crossterm::event::EventStream;
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use tokio::signal::unix::{SignalKind, signal};

use super::app::{App, Startup};
use super::terminal::{self, TerminalGuard};
use super::view;
use crate::domain::Operator;
use crate::store::Directory;

/// How the loop ended.
pub enum Exit {
    Quit,
    /// A signal arrived; the process should exit with this code (128 + signal number).
    Signal(u8),
    /// Storage failed; the session cannot continue.
    Fatal(String),
}

fn draw(guard: &mut TerminalGuard, app: &mut App) -> std::io::Result<()> {
    if let Some(text) = app.take_clipboard() {
        use std::io::Write;
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
    store: Arc<dyn Directory>,
    operator: Operator,
    startup: Startup,
) -> std::io::Result<Exit> {
    let (worker_tx, mut worker_rx) = tokio::sync::mpsc::unbounded_channel();
    let mut app = App::new(store, operator, startup, worker_tx).map_err(std::io::Error::other)?;
    let mut term = signal(SignalKind::terminate())?;
    let mut hangup = signal(SignalKind::hangup())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut guard = TerminalGuard::enter()?;
    let mut events = EventStream::new();
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
            event = events.next() => match event {
                // One event per turn: polling crossterm's stream with a no-op waker (to drain
                // a batch) loses its wake-ups and stalls input. A frame costs well under 2 ms,
                // and a paste arrives as one event, so drawing per event is cheap enough.
                Some(Ok(event)) => app.handle_event(&event),
                Some(Err(e)) => return Err(e),
                None => break Exit::Quit,
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

async fn sleep_until(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}
