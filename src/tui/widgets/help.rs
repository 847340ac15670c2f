//! The help overlay, generated from the same command table and keymap as the footer and the
//! README. It scrolls (with a position indicator) and `/` filters it.

use std::cell::Cell;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::popup;
use super::text_input::{self, TextInput};
use crate::tui::hits::{Hit, HitMap, Scrollable};
use crate::tui::keymap::{Command, Context, Keymap};
use crate::tui::theme::Theme;

/// Longest filter text.
const FILTER_MAX_CHARS: usize = 40;

/// The open help: where it is scrolled to and what it is filtered by.
#[derive(Debug)]
pub struct HelpView {
    /// First line shown.
    pub scroll: usize,
    pub filter: TextInput,
    /// The filter field has the keys.
    pub filtering: bool,
    /// The furthest `scroll` can usefully go, as the last frame found it (written by drawing,
    /// so the keys stop where the text ends).
    pub max_scroll: Cell<usize>,
}

impl Default for HelpView {
    fn default() -> Self {
        Self {
            scroll: 0,
            filter: TextInput::new(FILTER_MAX_CHARS),
            filtering: false,
            max_scroll: Cell::new(usize::MAX),
        }
    }
}

impl HelpView {
    /// Scrolls by `delta` lines, within the text.
    pub fn scroll_by(&mut self, delta: isize) {
        self.scroll = self
            .scroll
            .saturating_add_signed(delta)
            .min(self.max_scroll.get());
    }
}

/// Notes after the command list.
const NOTES: [&str; 5] = [
    "In the search box digits and letters are text: press Esc first, then 1-4 switch panes and q quits; Tab works from the box.",
    "Search by name, UPN or any part of a number; filters: is:blocked is:ready is:nomethods is:admin is:guest",
    "Mouse: click a tab, a row, a choice or a key shown in the footer; the wheel scrolls lists, the timeline, the wizard's path, the messages and this help.",
    "Keys can be changed in keymap.toml in the config directory (see README).",
    "Microsoft's docs announce that Microsoft-provided SMS and voice delivery is retired on 1 February 2027: after that a customer-managed telecom provider is needed.",
];

/// The help text, one line per command, grouped by context; with a filter, only the commands
/// (and notes) whose keys, name or description contain it.
pub fn lines(keymap: &Keymap, theme: Theme, filter: &str) -> Vec<Line<'static>> {
    let wanted = filter.trim().to_lowercase();
    let matches = |text: &str| wanted.is_empty() || text.to_lowercase().contains(&wanted);
    let mut lines = Vec::new();
    for context in Context::ALL {
        let rows: Vec<Line<'static>> = Command::ALL
            .iter()
            .filter(|c| c.context() == context)
            .filter_map(|command| {
                let keys = keymap.all_hints(*command);
                let searched = format!("{keys} {} {}", command.name(), command.description());
                matches(&searched).then(|| {
                    Line::from(vec![
                        Span::styled(format!("  {keys:<16}"), theme.key()),
                        Span::raw(command.description()),
                    ])
                })
            })
            .collect();
        if rows.is_empty() {
            continue;
        }
        lines.push(Line::styled(context.title(), theme.title()));
        lines.extend(rows);
        lines.push(Line::raw(""));
    }
    for note in NOTES.iter().filter(|n| matches(n)) {
        lines.push(Line::styled(*note, theme.muted()));
    }
    if lines.is_empty() {
        lines.push(Line::styled(
            format!("Nothing in the help mentions \"{}\".", filter.trim()),
            theme.muted(),
        ));
    }
    lines
}

pub fn render(
    view: &HelpView,
    keymap: &Keymap,
    area: Rect,
    buf: &mut Buffer,
    theme: Theme,
    hits: &HitMap,
) -> Option<(u16, u16)> {
    let rect = popup::centered(area, 96, area.height.saturating_sub(2).max(3));
    let width = rect.width.saturating_sub(2).max(1);
    // Wrap each line first, so the scroll position counts screen lines.
    let text = lines(keymap, theme, view.filter.value());
    let wrapped: Vec<Line<'static>> = text
        .into_iter()
        .flat_map(|line| super::wrap::line(line, width))
        .collect();
    let inner_height = rect.height.saturating_sub(2);
    let show_filter = view.filtering || !view.filter.value().is_empty();
    let text_height = usize::from(inner_height.saturating_sub(u16::from(show_filter)));
    let max = wrapped.len().saturating_sub(text_height);
    view.max_scroll.set(max);
    let scroll = view.scroll.min(max);
    let last = (scroll + text_height).min(wrapped.len());
    let position = if wrapped.len() <= text_height {
        "all shown".to_owned()
    } else {
        let more = match (scroll > 0, last < wrapped.len()) {
            (true, true) => " ↑↓",
            (false, true) => " ↓ more",
            (true, false) => " ↑",
            (false, false) => "",
        };
        format!("lines {}-{last} of {}{more}", scroll + 1, wrapped.len())
    };
    let title = Line::from(vec![
        Span::styled(" Help · keys ", theme.title()),
        Span::styled(format!("· {position} "), theme.muted()),
        Span::styled(
            format!("· {} filter ", keymap.hint(Command::FocusSearch)),
            theme.muted(),
        ),
    ]);
    let inner = popup::frame(rect, buf, title, theme.border(true));
    hits.push(inner, Hit::Scroll(Scrollable::Help));
    let [filter_area, body] = Layout::vertical([
        Constraint::Length(u16::from(show_filter)),
        Constraint::Min(0),
    ])
    .areas(inner);
    Paragraph::new(wrapped.into_iter().skip(scroll).collect::<Vec<_>>()).render(body, buf);
    if !show_filter {
        return None;
    }
    let label = "filter: ";
    Line::from(vec![
        Span::styled(label, theme.emphasis()),
        text_input::spans(&view.filter, theme),
    ])
    .render(filter_area, buf);
    let x = u16::try_from(label.len() + view.filter.cursor_width()).unwrap_or(u16::MAX);
    (view.filtering && x < filter_area.width).then(|| (filter_area.x + x, filter_area.y))
}
