//! The last line of defence between the UI and the terminal: no cell reaches it with a character
//! that moves the cursor or changes how its neighbours draw.
//!
//! Widgets sanitise the data they show (`display_safe`), and ratatui drops C0 and C1 controls in
//! `set_stringn`, but ratatui keeps U+2028, U+2029 and format characters, and a widget that
//! forgets to sanitise (or writes a cell directly) would put data on the terminal as it is. This
//! wrapper checks every cell on its way out, where all drawing passes, and replaces what is
//! unsafe. Only the cells that changed since the last frame are drawn, so the check costs
//! next to nothing.

use std::borrow::Cow;
use std::io;

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};

use crate::domain::sanitize::{REPLACEMENT, is_terminal_unsafe};

/// A backend that draws only display-safe cells.
#[derive(Debug)]
pub struct SafeBackend<B> {
    inner: B,
}

impl<B> SafeBackend<B> {
    pub fn new(inner: B) -> Self {
        Self { inner }
    }

    pub fn inner(&self) -> &B {
        &self.inner
    }
}

/// `cell`, or a copy without its unsafe characters: a character a control char was appended to
/// keeps its base (and its width); a cell that was nothing but unsafe shows the marker.
fn safe_cell(cell: &Cell) -> Cow<'_, Cell> {
    let symbol = cell.symbol();
    if !symbol.chars().any(is_terminal_unsafe) {
        return Cow::Borrowed(cell);
    }
    let kept: String = symbol.chars().filter(|c| !is_terminal_unsafe(*c)).collect();
    let mut safe = cell.clone();
    if kept.is_empty() {
        safe.set_char(REPLACEMENT);
    } else {
        safe.set_symbol(&kept);
    }
    Cow::Owned(safe)
}

impl<B: Backend> Backend for SafeBackend<B> {
    type Error = B::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let cells: Vec<(u16, u16, Cow<'a, Cell>)> = content
            .map(|(x, y, cell)| (x, y, safe_cell(cell)))
            .collect();
        self.inner
            .draw(cells.iter().map(|(x, y, cell)| (*x, *y, cell.as_ref())))
    }

    fn append_lines(&mut self, n: u16) -> Result<(), Self::Error> {
        self.inner.append_lines(n)
    }

    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> Result<(), Self::Error> {
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> Result<Size, Self::Error> {
        self.inner.size()
    }

    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        self.inner.flush()
    }
}

/// Escape sequences phonedesk writes itself (synchronized update) go straight through.
impl<B: io::Write> io::Write for SafeBackend<B> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;

    #[test]
    fn unsafe_cells_are_replaced_on_the_way_out() {
        for (symbol, drawn) in [
            ("\u{2028}", "\u{FFFD}"),
            ("\u{2029}", "\u{FFFD}"),
            ("\u{202E}", "\u{FFFD}"),
            ("\u{85}", "\u{FFFD}"),
            // (A lone ASCII control cannot even be set: ratatui debug-asserts against it.)
            ("a\u{1b}", "a"),
            ("e\u{301}\u{2028}", "e\u{301}"),
            ("李", "李"),
        ] {
            let mut terminal = Terminal::new(SafeBackend::new(TestBackend::new(4, 1))).unwrap();
            terminal
                .draw(|frame| {
                    frame.buffer_mut()[(0, 0)].set_symbol(symbol);
                })
                .unwrap();
            let buffer = terminal.backend().inner().buffer();
            assert_eq!(buffer[(0, 0)].symbol(), drawn, "{symbol:?}");
            assert!(
                !buffer
                    .content()
                    .iter()
                    .any(|cell| cell.symbol().chars().any(is_terminal_unsafe)),
                "{symbol:?}"
            );
        }
    }
}
