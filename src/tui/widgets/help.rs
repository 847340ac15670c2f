//! The help overlay, generated from the same command table and keymap as the footer.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::popup;
use crate::tui::keymap::{Command, Context, Keymap};
use crate::tui::theme::Theme;

/// The order the help lists its sections in.
const SECTIONS: [Context; 10] = [
    Context::Global,
    Context::List,
    Context::Lookup,
    Context::User,
    Context::Methods,
    Context::SignIn,
    Context::Troubleshoot,
    Context::PhoneField,
    Context::Confirm,
    Context::Typing,
];

/// The help text, one line per command, grouped by context.
pub fn lines(keymap: &Keymap, theme: Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for context in SECTIONS {
        lines.push(Line::styled(context.title(), theme.title()));
        for command in Command::ALL.iter().filter(|c| c.context() == context) {
            let keys: Vec<String> = keymap
                .keys(*command)
                .iter()
                .map(ToString::to_string)
                .collect();
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<14}", keys.join(" ")), theme.key()),
                Span::raw(command.description()),
            ]));
        }
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled(
        "Search by name, UPN or any part of a number; filters: is:blocked is:ready is:nomethods is:admin is:guest",
        theme.muted(),
    ));
    lines.push(Line::styled(
        "Keys can be changed in keymap.toml in the config directory (see README).",
        theme.muted(),
    ));
    lines.push(Line::styled(
        "Microsoft's docs announce that Microsoft-provided SMS and voice delivery is retired on 1 February 2027: after that a customer-managed telecom provider is needed.",
        theme.muted(),
    ));
    lines
}

pub fn render(keymap: &Keymap, scroll: u16, area: Rect, buf: &mut Buffer, theme: Theme) {
    let rect = popup::centered(area, 84, area.height.saturating_sub(2).max(3));
    let title = Line::styled(" Help · keys ", theme.title());
    let inner = popup::frame(rect, buf, title, theme.border(true));
    Paragraph::new(lines(keymap, theme))
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0))
        .render(inner, buf);
}
