//! The message log overlay: every notice and error of the session, newest at the bottom, with
//! how long ago each was said. It opens scrolled to the newest.

use std::cell::Cell;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::popup;
use super::toast::ToastKind;
use crate::domain::Timestamp;
use crate::domain::sanitize::display_safe;
use crate::tui::hits::{Hit, HitMap, Scrollable};
use crate::tui::messages::MessageLog;
use crate::tui::theme::Theme;
use crate::tui::when;

/// The open log: how far up from the newest it is scrolled, and when it was opened (times are
/// shown relative to that).
#[derive(Debug)]
pub struct MessagesView {
    /// Screen lines scrolled up from the bottom.
    pub up: usize,
    pub now: Timestamp,
    /// The furthest `up` can go, as the last frame found it.
    pub max_up: Cell<usize>,
}

impl MessagesView {
    pub fn new(now: Timestamp) -> Self {
        Self {
            up: 0,
            now,
            max_up: Cell::new(usize::MAX),
        }
    }

    /// Scrolls towards older messages by `delta` lines (negative: towards newer).
    pub fn scroll_by(&mut self, delta: isize) {
        self.up = self.up.saturating_add_signed(delta).min(self.max_up.get());
    }
}

pub fn render(
    view: &MessagesView,
    log: &MessageLog,
    area: Rect,
    buf: &mut Buffer,
    theme: Theme,
    hits: &HitMap,
) {
    let rect = popup::centered(area, 100, area.height.saturating_sub(2).max(3));
    let width = rect.width.saturating_sub(2);
    let mut lines: Vec<Line<'static>> = Vec::new();
    if log.dropped > 0 {
        lines.push(Line::styled(
            format!("({} older messages were dropped)", log.dropped),
            theme.muted(),
        ));
    }
    for message in log.iter() {
        let (mark, style) = match message.kind {
            ToastKind::Success => ("✓ ", theme.ok()),
            ToastKind::Error => ("✗ ", theme.error()),
            ToastKind::Info => ("• ", theme.emphasis()),
        };
        let line = Line::from(vec![
            Span::styled(
                format!("{:>12}  ", when::relative(message.at, view.now)),
                theme.muted(),
            ),
            Span::styled(mark, style),
            Span::raw(display_safe(&message.text).into_owned()),
        ]);
        lines.extend(super::wrap::line(line, width));
    }
    if log.is_empty() {
        lines.push(Line::styled("Nothing has been said yet.", theme.muted()));
    }
    let height = usize::from(rect.height.saturating_sub(2));
    let max_up = lines.len().saturating_sub(height);
    view.max_up.set(max_up);
    let up = view.up.min(max_up);
    let skip = lines.len().saturating_sub(height + up);
    let title = format!(
        " Messages · {} · newest last{} ",
        log.len(),
        if up > 0 { " · ↓ newer" } else { "" }
    );
    let inner = popup::frame(
        rect,
        buf,
        Line::styled(title, theme.title()),
        theme.border(true),
    );
    hits.push(inner, Hit::Scroll(Scrollable::Messages));
    Paragraph::new(
        lines
            .into_iter()
            .skip(skip)
            .take(height)
            .collect::<Vec<_>>(),
    )
    .render(inner, buf);
}
