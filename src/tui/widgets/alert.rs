//! The error popup: an error stays on screen, wrapped to fit, until the operator dismisses it.
//! More errors wait behind it ("1 of 3").

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::dialog::wrapped_height;
use super::popup;
use crate::domain::sanitize::display_safe;
use crate::tui::hits::{Hit, HitMap};
use crate::tui::keymap::{Command, Keymap};
use crate::tui::theme::Theme;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alert {
    /// What was being done ("Cannot delete the mobile number of Sam Okafor").
    pub title: String,
    /// Why, in full; new lines start new paragraphs.
    pub text: String,
}

pub fn render(
    alert: &Alert,
    waiting: usize,
    area: Rect,
    buf: &mut Buffer,
    theme: Theme,
    keymap: &Keymap,
    hits: &HitMap,
) {
    let width = 70.min(area.width);
    let lines: Vec<Line<'_>> = alert
        .text
        .lines()
        .map(|l| Line::raw(display_safe(l).into_owned()))
        .collect();
    let height = wrapped_height(&lines, width.saturating_sub(2)).saturating_add(3);
    let rect = popup::centered(area, width, height);
    let more = if waiting > 1 {
        format!(" · 1 of {waiting}")
    } else {
        String::new()
    };
    let title = format!(" ✗ {}{more} ", display_safe(&alert.title));
    let inner = popup::frame(rect, buf, Line::styled(title, theme.error()), theme.error());
    hits.push(rect, Hit::Dismiss);
    let [body, foot] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(body, buf);
    Line::from(vec![
        Span::styled(keymap.hint(Command::Open), theme.key()),
        Span::raw(" or "),
        Span::styled(keymap.hint(Command::Back), theme.key()),
        Span::raw(" dismiss · kept in the messages ("),
        Span::styled(keymap.hint(Command::Messages), theme.key()),
        Span::raw(")"),
    ])
    .render(foot, buf);
}
