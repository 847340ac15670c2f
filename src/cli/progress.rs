//! A progress line for long commands (import, export, generate): on a terminal it rewrites one
//! line of standard error at most ten times a second; in a pipe or a log it prints nothing, so
//! scripts only see the summary.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

pub struct Progress {
    shown: bool,
    started: Instant,
    last: Option<Instant>,
}

const EVERY: Duration = Duration::from_millis(100);

impl Progress {
    pub fn on_stderr() -> Self {
        Self {
            shown: std::io::stderr().is_terminal(),
            started: Instant::now(),
            last: None,
        }
    }

    /// A progress line that never shows.
    pub fn silent() -> Self {
        Self {
            shown: false,
            started: Instant::now(),
            last: None,
        }
    }

    /// Shows `what`, with `done` of `total` (if known) and a rate and time left from `done`.
    pub fn show(&mut self, what: &str, done: u64, total: Option<u64>, unit: &str) {
        if !self.shown || self.last.is_some_and(|t| t.elapsed() < EVERY) {
            return;
        }
        self.last = Some(Instant::now());
        let secs = self.started.elapsed().as_secs_f64().max(0.001);
        let rate = done as f64 / secs;
        let mut line = format!("{what}: {}", thousands(done));
        if let Some(total) = total {
            line.push_str(&format!(" of {}", thousands(total)));
        }
        line.push_str(&format!(" {unit}, {}/s", thousands(rate as u64)));
        if let Some(total) = total.filter(|t| *t > done && rate > 0.0) {
            let left = (total - done) as f64 / rate;
            line.push_str(&format!(", about {left:.0} s left"));
        }
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{line}");
        let _ = err.flush();
    }

    /// Clears the line (before the summary is printed).
    pub fn done(&mut self) {
        if self.shown && self.last.is_some() {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.done();
    }
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
