//! Modal dialogs: a yes/no confirmation for every destructive change (or, when the change is
//! refused before it is tried, the refusal in its place), a reason prompt for block and unblock,
//! and pickers.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::popup;
use super::text_input::TextInput;
use crate::domain::Edit;
use crate::domain::sanitize::display_safe;
use crate::tui::hits::{Hit, HitMap, Scrollable};
use crate::tui::keymap::{Command, Keymap};
use crate::tui::theme::{SELECTED_MARKER, Theme, UNSELECTED_MARKER};

/// An edit waiting for the operator's yes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingEdit {
    pub upn: String,
    pub edit: Edit,
    /// What the notice says on success, e.g. "deleted the mobile number".
    pub done: String,
    /// The change as a phrase for a refusal, e.g. "delete the mobile number of Sam Okafor".
    pub what: String,
}

/// What a confirmation does on "yes".
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OnYes {
    /// An edit through the store, as the Methods pane makes them.
    Edit(PendingEdit),
    /// The troubleshooting wizard's pending action.
    WizardAction,
    /// Undo the last change of the session.
    Undo,
    /// Reset the simulated world (phones, faults, counters, codes).
    ResetWorld,
}

#[derive(Clone, Debug)]
pub struct Confirm {
    pub title: String,
    pub message: Vec<String>,
    pub on_yes: OnYes,
    /// Why the change would be refused, when that is known before asking: the dialog then
    /// says so and offers no "yes".
    pub refusal: Option<String>,
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

/// How a picker's choice takes effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PickerKind {
    /// Enter chooses and closes; Esc cancels.
    Choose,
    /// Enter changes the row at once and the picker stays open; Esc only closes it.
    Toggle,
}

#[derive(Clone, Debug)]
pub struct Picker<T> {
    pub title: String,
    pub options: Vec<(String, T)>,
    pub selected: usize,
    pub kind: PickerKind,
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

/// A row of key buttons (`y yes · n no`); each is clickable.
pub fn buttons(
    keymap: &Keymap,
    theme: Theme,
    items: &[(Command, &str)],
    area: Rect,
    buf: &mut Buffer,
    hits: &HitMap,
) {
    let mut spans = Vec::new();
    let mut x = area.x;
    for (i, (command, label)) in items.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(" · "));
            x = x.saturating_add(3);
        }
        let key = keymap.hint(*command);
        let text = format!("{key} {label}");
        let width = u16::try_from(Line::raw(text.as_str()).width()).unwrap_or(u16::MAX);
        hits.push(
            Rect {
                x,
                y: area.y,
                width: width.min(area.right().saturating_sub(x)),
                height: 1.min(area.height),
            },
            Hit::Button(*command),
        );
        x = x.saturating_add(width);
        spans.push(Span::styled(key, theme.key()));
        spans.push(Span::raw(format!(" {label}")));
    }
    Paragraph::new(Line::from(spans))
        .wrap(Wrap { trim: false })
        .render(area, buf);
}

fn body_and_footer(inner: Rect) -> [Rect; 2] {
    Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner)
}

/// Lines `text` takes wrapped at `width` (at least one).
pub fn wrapped_height(lines: &[Line<'_>], width: u16) -> u16 {
    let total = Paragraph::new(lines.to_vec())
        .wrap(Wrap { trim: false })
        .line_count(width.max(1));
    u16::try_from(total).unwrap_or(u16::MAX).max(1)
}

pub fn render_confirm(
    dialog: &Confirm,
    area: Rect,
    buf: &mut Buffer,
    theme: Theme,
    keymap: &Keymap,
    hits: &HitMap,
) {
    let width = 64.min(area.width);
    let mut lines: Vec<Line<'_>> = dialog
        .message
        .iter()
        .map(|m| Line::raw(display_safe(m).into_owned()))
        .collect();
    if let Some(why) = &dialog.refusal {
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(
            format!("✗ {}", display_safe(why)),
            theme.error(),
        ));
    }
    let height = wrapped_height(&lines, width.saturating_sub(2)).saturating_add(3);
    let rect = popup::centered(area, width, height);
    let title = format!(" {} ", display_safe(&dialog.title));
    let inner = popup::frame(
        rect,
        buf,
        Line::styled(title, theme.title()),
        theme.border(true),
    );
    let [body, foot] = body_and_footer(inner);
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(body, buf);
    let items: &[(Command, &str)] = match dialog.refusal {
        Some(_) => &[(Command::Back, "close · nothing was changed")],
        None => &[(Command::Confirm, "yes"), (Command::Deny, "no")],
    };
    buttons(keymap, theme, items, foot, buf, hits);
}

/// Draws the reason prompt; returns where the cursor goes.
pub fn render_reason(
    prompt: &ReasonPrompt,
    area: Rect,
    buf: &mut Buffer,
    theme: Theme,
    keymap: &Keymap,
    hits: &HitMap,
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
    let lines = vec![
        Line::styled("The reason goes into the audit trail.", theme.muted()),
        Line::from(vec![
            Span::styled(label, theme.emphasis()),
            super::text_input::spans(&prompt.input, theme),
        ]),
    ];
    Paragraph::new(lines).render(body, buf);
    buttons(
        keymap,
        theme,
        &[(Command::Submit, "confirm"), (Command::Cancel, "cancel")],
        foot,
        buf,
        hits,
    );
    let offset = u16::try_from(label.len() + prompt.input.cursor_width()).unwrap_or(u16::MAX);
    (body.height > 1 && offset < body.width).then(|| (body.x + offset, body.y + 1))
}

pub fn render_picker<T>(
    picker: &Picker<T>,
    area: Rect,
    buf: &mut Buffer,
    theme: Theme,
    keymap: &Keymap,
    hits: &HitMap,
) {
    let height = u16::try_from(picker.options.len())
        .unwrap_or(u16::MAX)
        .saturating_add(4);
    let width = picker
        .options
        .iter()
        .map(|(label, _)| Line::raw(label.as_str()).width() + 4)
        .chain([picker.title.chars().count() + 6, 48])
        .max()
        .map_or(48, |w| u16::try_from(w).unwrap_or(u16::MAX));
    let rect = popup::centered(area, width, height);
    let inner = popup::frame(
        rect,
        buf,
        Line::styled(format!(" {} ", picker.title), theme.title()),
        theme.border(true),
    );
    let [body, foot] = body_and_footer(inner);
    hits.push(body, Hit::Scroll(Scrollable::Picker));
    // Keep the selected row in view when the screen is shorter than the list.
    let room = usize::from(body.height).max(1);
    let skip = picker.selected.saturating_sub(room - 1);
    let lines: Vec<Line<'_>> = picker
        .options
        .iter()
        .enumerate()
        .skip(skip)
        .take(room)
        .map(|(i, (label, _))| {
            let row = Rect {
                x: body.x,
                y: body.y + u16::try_from(i - skip).unwrap_or(0),
                width: body.width,
                height: 1,
            };
            hits.push(row, Hit::Choice(i));
            if i == picker.selected {
                Line::styled(format!("{SELECTED_MARKER}{label}"), theme.selected())
            } else {
                Line::raw(format!("{UNSELECTED_MARKER}{label}"))
            }
        })
        .collect();
    Paragraph::new(lines).render(body, buf);
    let items: &[(Command, &str)] = match picker.kind {
        PickerKind::Choose => &[(Command::Open, "choose"), (Command::Back, "cancel")],
        PickerKind::Toggle => &[
            (Command::Open, "change (applies at once)"),
            (Command::Back, "close"),
        ],
    };
    buttons(keymap, theme, items, foot, buf, hits);
}
