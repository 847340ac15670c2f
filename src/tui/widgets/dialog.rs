//! Modal dialogs: a yes/no confirmation for every destructive change, a reason prompt for block
//! and unblock, and a picker for the default method.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::popup;
use super::text_input::TextInput;
use crate::domain::Edit;
use crate::domain::sanitize::display_safe;
use crate::tui::keymap::{Command, Keymap};
use crate::tui::theme::{SELECTED_MARKER, Theme, UNSELECTED_MARKER};

/// An edit waiting for the operator's yes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingEdit {
    pub upn: String,
    pub edit: Edit,
    /// What the toast says on success, e.g. "deleted the mobile number".
    pub done: String,
    /// What the refusal says it could not do, e.g. "delete mobile".
    pub what: String,
}

/// What a confirmation does on "yes".
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OnYes {
    /// An edit through the store, as the Methods pane makes them.
    Edit(PendingEdit),
    /// The troubleshooting wizard's pending action.
    WizardAction,
}

#[derive(Clone, Debug)]
pub struct Confirm {
    pub title: String,
    pub message: Vec<String>,
    pub on_yes: OnYes,
}

#[derive(Clone, Debug)]
pub struct ReasonPrompt {
    pub title: String,
    pub input: TextInput,
    pub upn: String,
    pub block: bool,
}

/// Longest reason the prompt takes (the domain's limit).
pub const REASON_MAX_CHARS: usize = crate::domain::rules::MAX_REASON_CHARS;

#[derive(Clone, Debug)]
pub struct Picker<T> {
    pub title: String,
    pub options: Vec<(String, T)>,
    pub selected: usize,
}

impl<T> Picker<T> {
    pub fn down(&mut self) {
        if self.selected + 1 < self.options.len() {
            self.selected += 1;
        }
    }

    pub fn up(&mut self) {
        self.selected = self.selected.saturating_sub(1);
    }

    pub fn chosen(&self) -> Option<&T> {
        self.options.get(self.selected).map(|(_, v)| v)
    }
}

fn footer(keymap: &Keymap, theme: Theme, items: &[(Command, &str)]) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, (command, label)) in items.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(" · "));
        }
        spans.push(Span::styled(keymap.hint(*command), theme.key()));
        spans.push(Span::raw(format!(" {label}")));
    }
    Line::from(spans)
}

fn body_and_footer(inner: Rect) -> [Rect; 2] {
    Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner)
}

pub fn render_confirm(
    dialog: &Confirm,
    area: Rect,
    buf: &mut Buffer,
    theme: Theme,
    keymap: &Keymap,
) {
    let rect = popup::centered(area, 64, 9);
    let inner = popup::frame(
        rect,
        buf,
        Line::styled(format!(" {} ", dialog.title), theme.title()),
        theme.border(true),
    );
    let [body, foot] = body_and_footer(inner);
    let lines: Vec<Line<'_>> = dialog
        .message
        .iter()
        .map(|m| Line::raw(display_safe(m).into_owned()))
        .collect();
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(body, buf);
    footer(
        keymap,
        theme,
        &[(Command::Confirm, "yes"), (Command::Deny, "no")],
    )
    .render(foot, buf);
}

/// Draws the reason prompt; returns where the cursor goes.
pub fn render_reason(
    prompt: &ReasonPrompt,
    area: Rect,
    buf: &mut Buffer,
    theme: Theme,
    keymap: &Keymap,
) -> Option<(u16, u16)> {
    let rect = popup::centered(area, 70, 8);
    let inner = popup::frame(
        rect,
        buf,
        Line::styled(format!(" {} ", prompt.title), theme.title()),
        theme.border(true),
    );
    let [body, foot] = body_and_footer(inner);
    let label = "Reason: ";
    let shown: String = prompt.input.value().to_owned();
    let lines = vec![
        Line::styled("The reason goes into the audit trail.", theme.muted()),
        Line::from(vec![
            Span::styled(label, theme.emphasis()),
            Span::raw(shown),
        ]),
    ];
    Paragraph::new(lines).render(body, buf);
    footer(
        keymap,
        theme,
        &[(Command::Submit, "confirm"), (Command::Cancel, "cancel")],
    )
    .render(foot, buf);
    let typed: String = prompt
        .input
        .value()
        .chars()
        .take(prompt.input.cursor())
        .collect();
    let offset = u16::try_from(label.len() + Line::raw(typed).width()).unwrap_or(u16::MAX);
    (body.height > 1 && offset < body.width).then(|| (body.x + offset, body.y + 1))
}

pub fn render_picker<T>(
    picker: &Picker<T>,
    area: Rect,
    buf: &mut Buffer,
    theme: Theme,
    keymap: &Keymap,
) {
    let height = u16::try_from(picker.options.len())
        .unwrap_or(u16::MAX)
        .saturating_add(4);
    let rect = popup::centered(area, 48, height);
    let inner = popup::frame(
        rect,
        buf,
        Line::styled(format!(" {} ", picker.title), theme.title()),
        theme.border(true),
    );
    let [body, foot] = body_and_footer(inner);
    let lines: Vec<Line<'_>> = picker
        .options
        .iter()
        .enumerate()
        .map(|(i, (label, _))| {
            if i == picker.selected {
                Line::styled(format!("{SELECTED_MARKER}{label}"), theme.selected())
            } else {
                Line::raw(format!("{UNSELECTED_MARKER}{label}"))
            }
        })
        .collect();
    Paragraph::new(lines).render(body, buf);
    footer(
        keymap,
        theme,
        &[(Command::Open, "choose"), (Command::Back, "cancel")],
    )
    .render(foot, buf);
}
