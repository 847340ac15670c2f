//! The terminal guard: raw mode, the alternate screen, bracketed paste, mouse capture and the
//! hidden cursor are set up once and restored exactly once, whether phonedesk quits, panics or is
//! signalled.

use std::io::{self, IsTerminal, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

static ENTERED: AtomicBool = AtomicBool::new(false);
static RESTORED: AtomicBool = AtomicBool::new(false);

/// Why the terminal UI cannot start here; the message points at the headless commands.
pub fn refusal() -> Option<String> {
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        return Some(
            "the terminal UI needs a terminal on stdin and stdout; for scripts use the headless commands (phonedesk --help), e.g. phonedesk user search QUERY"
                .into(),
        );
    }
    if std::env::var("TERM").is_ok_and(|t| t == "dumb") {
        return Some(
            "TERM=dumb cannot draw the terminal UI; set TERM (e.g. xterm-256color) or use the headless commands (phonedesk --help)"
                .into(),
        );
    }
    None
}

/// Restores the terminal; safe to call from any path, only the first call does anything.
pub fn restore() {
    if !ENTERED.load(Ordering::SeqCst) || RESTORED.swap(true, Ordering::SeqCst) {
        return;
    }
    let _ = disable_raw_mode();
    let mut out = io::stdout();
    let _ = execute!(
        out,
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        Show
    );
    let _ = out.flush();
}

/// Holds the terminal in UI mode; dropping it restores the terminal.
pub struct TerminalGuard {
    pub terminal: Terminal<CrosstermBackend<Stdout>>,
}

impl TerminalGuard {
    pub fn enter() -> io::Result<Self> {
        enable_raw_mode()?;
        ENTERED.store(true, Ordering::SeqCst);
        let mut out = io::stdout();
        if let Err(e) = execute!(
            out,
            EnterAlternateScreen,
            EnableBracketedPaste,
            EnableMouseCapture
        ) {
            restore();
            return Err(e);
        }
        match Terminal::new(CrosstermBackend::new(io::stdout())) {
            Ok(terminal) => Ok(Self { terminal }),
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}
