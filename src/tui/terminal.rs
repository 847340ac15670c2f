//! The terminal guard: raw mode, the alternate screen, bracketed paste, mouse reports and the
//! hidden cursor are set up once and restored exactly once, whether phonedesk quits, panics or is
//! signalled. The UI draws through [`SafeBackend`], so no unsafe character in a cell reaches the
//! terminal.

use std::io::{self, IsTerminal, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::event::{DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste};
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::crossterm::{Command, execute};

use super::safe_backend::SafeBackend;

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

/// Mouse reports of presses, releases and the wheel, in SGR form (`CSI < b ; x ; y M`), which
/// `input::mouse` decodes. Not crossterm's `EnableMouseCapture`: that also asks for a report on
/// every motion of the pointer (mode 1003), a stream of input nothing here uses. Restoring uses
/// crossterm's `DisableMouseCapture`, which turns off every mode, these included.
struct ClickAndWheelReports;

impl Command for ClickAndWheelReports {
    fn write_ansi(&self, f: &mut impl std::fmt::Write) -> std::fmt::Result {
        f.write_str("\x1b[?1000h\x1b[?1006h")
    }
}

/// Holds the terminal in UI mode; dropping it restores the terminal.
pub struct TerminalGuard {
    pub terminal: Terminal<SafeBackend<CrosstermBackend<Stdout>>>,
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
            ClickAndWheelReports
        ) {
            restore();
            return Err(e);
        }
        match Terminal::new(SafeBackend::new(CrosstermBackend::new(io::stdout()))) {
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
