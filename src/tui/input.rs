//! Terminal input for the serve loop: keys, pastes, mouse reports and resizes, never held back by a sequence
//! that does not end.
//!
//! phonedesk reads the terminal itself instead of through crossterm's `EventStream`, whose
//! parser waits forever on an unfinished escape sequence and whose reader then blocks in
//! `read(2)` where it cannot see the resize signal (see `decoder` and `reader` for the details
//! and README "The terminal UI" for the behaviour). The events are crossterm's own `Event`
//! values, so everything downstream is unchanged:
//!
//! - `reader`: a thread doing blocking reads of standard input, chunks stamped with their time;
//! - `decoder`: a pure, clocked state machine from bytes to events;
//! - [`Input`]: the two together with SIGWINCH, as one async source.
//!
//! While nothing happens nothing runs: the thread is blocked in `read`, and the only timer is the
//! decoder's deadline, which exists only while a sequence or paste is unfinished.

pub mod decoder;
pub mod keys;
pub mod mouse;
mod reader;

use std::io;
use std::time::Instant;

use ratatui::crossterm::event::{Event, KeyModifiers};
use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio::sync::mpsc;

pub use decoder::Decoder;
pub use keys::is_ctrl_c;

/// The modifiers whose bit is set in `bits`, by a report's own `table` of bits (key reports
/// and mouse reports number them differently).
fn modifiers_in(bits: u16, table: &[(u16, KeyModifiers)]) -> KeyModifiers {
    table
        .iter()
        .filter(|(bit, _)| bits & bit != 0)
        .fold(KeyModifiers::NONE, |all, (_, modifier)| all | *modifier)
}

/// What [`Input::next`] saw.
#[derive(Debug)]
pub enum Batch {
    /// Events in the order they arrived (never empty).
    Events(Vec<Event>),
    /// Standard input ended: the terminal hung up.
    Closed,
}

/// The terminal's keys, pastes and resizes.
pub struct Input {
    chunks: mpsc::Receiver<io::Result<reader::Chunk>>,
    decoder: Decoder,
    resized: Signal,
}

impl Input {
    /// Starts reading the terminal. Call it after raw mode is on.
    pub fn start() -> io::Result<Self> {
        Ok(Self {
            resized: signal(SignalKind::window_change())?,
            chunks: reader::spawn()?,
            decoder: Decoder::new(Instant::now()),
        })
    }

    /// Waits for the next events. Cancel-safe: state changes only between awaits, and events
    /// decoded but not yet returned stay in the decoder for the next call.
    pub async fn next(&mut self) -> io::Result<Batch> {
        loop {
            let events = self.decoder.take_events();
            if !events.is_empty() {
                return Ok(Batch::Events(events));
            }
            let deadline = self.decoder.deadline();
            tokio::select! {
                // A resize first: under a flood of input the screen still follows the window.
                biased;
                _ = self.resized.recv() => {
                    let (width, height) = ratatui::crossterm::terminal::size()?;
                    return Ok(Batch::Events(vec![Event::Resize(width, height)]));
                }
                chunk = self.chunks.recv() => match chunk {
                    Some(Ok(chunk)) => self.decoder.feed(&chunk.bytes, chunk.at),
                    Some(Err(e)) => return Err(e),
                    None => {
                        self.decoder.flush();
                        let events = self.decoder.take_events();
                        if events.is_empty() {
                            return Ok(Batch::Closed);
                        }
                        return Ok(Batch::Events(events));
                    }
                },
                () = sleep_until(deadline), if deadline.is_some() => {
                    // Chunks read before the deadline but not yet looked at belong before it.
                    while let Ok(chunk) = self.chunks.try_recv() {
                        let chunk = chunk?;
                        self.decoder.feed(&chunk.bytes, chunk.at);
                    }
                    self.decoder.expire(Instant::now());
                }
            }
        }
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(tokio::time::Instant::from_std(at)).await,
        None => std::future::pending().await,
    }
}
