//! The phone-number field: what the operator types, and, live, what it will be saved as.
//!
//! The state recomputes the domain's `PhoneCheck` whenever the text changes, never while
//! rendering; the widget only draws that result: canonical form, region and number type, the
//! errors that block saving, the warnings that do not, and the suggested correction one key away.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::popup;
use super::text_input::TextInput;
use crate::domain::diagnosis::{self, PhoneCheck};
use crate::domain::phone::MAX_INPUT_CHARS;
use crate::domain::{PhoneNumber, PhoneType, Region};
use crate::tui::keymap::{Command, Keymap};
use crate::tui::theme::Theme;

/// Whether the field fills an empty slot or changes a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldMode {
    Add,
    Update,
}

#[derive(Clone, Debug)]
pub struct PhoneField {
    pub slot: PhoneType,
    pub mode: FieldMode,
    pub upn: String,
    pub user_label: String,
    pub input: TextInput,
    home: Option<Region>,
    check: PhoneCheck,
}

impl PhoneField {
    pub fn new(
        slot: PhoneType,
        mode: FieldMode,
        current: Option<&PhoneNumber>,
        home: Option<Region>,
        upn: &str,
        user_label: &str,
    ) -> Self {
        let input = TextInput::with_value(
            MAX_INPUT_CHARS,
            &current.map(ToString::to_string).unwrap_or_default(),
        );
        let check = diagnosis::check(input.value(), None, Some(slot), home);
        Self {
            slot,
            mode,
            upn: upn.to_owned(),
            user_label: user_label.to_owned(),
            input,
            home,
            check,
        }
    }

    /// Recomputes the check after the text changed.
    pub fn changed(&mut self) {
        self.check = diagnosis::check(self.input.value(), None, Some(self.slot), self.home);
    }

    pub fn check(&self) -> &PhoneCheck {
        &self.check
    }

    /// Replaces the text with the suggested correction. Returns false when there is none.
    pub fn apply_suggestion(&mut self) -> bool {
        let Some(suggestion) = self.check.suggestion().map(ToString::to_string) else {
            return false;
        };
        self.input.set(&suggestion);
        self.changed();
        true
    }

    /// The number to save, when the input is accepted (warnings allowed).
    pub fn number(&self) -> Option<&PhoneNumber> {
        self.check.number.as_ref().filter(|_| self.check.accepted())
    }

    pub fn title(&self) -> String {
        let verb = match self.mode {
            FieldMode::Add => "Add",
            FieldMode::Update => "Change",
        };
        format!(
            " {verb} {} number · {} ",
            self.slot.label().to_lowercase(),
            self.user_label
        )
    }
}

/// Draws the field as a popup over `area`; returns where the cursor goes.
pub fn render(
    field: &PhoneField,
    area: Rect,
    buf: &mut Buffer,
    theme: Theme,
    keymap: &Keymap,
) -> Option<(u16, u16)> {
    let rect = popup::centered(area, 76, 16);
    let inner = popup::frame(
        rect,
        buf,
        Line::styled(field.title(), theme.title()),
        theme.border(true),
    );
    if inner.height == 0 || inner.width == 0 {
        return None;
    }
    let check = field.check();
    let prompt = "Number: ";
    let mut lines = vec![Line::from(vec![
        Span::styled(prompt, theme.emphasis()),
        super::text_input::spans(&field.input, theme),
    ])];
    lines.push(Line::raw(""));
    if field.input.value().trim().is_empty() {
        lines.push(Line::styled(
            "Type + and the country code, then the number: +1 206 555 0100, +44 20 7946 0000",
            theme.muted(),
        ));
        if field.slot == PhoneType::Office {
            lines.push(Line::styled(
                "An extension follows an x: +1 425 555 0150 x2301",
                theme.muted(),
            ));
        }
    } else if let Some(canonical) = &check.canonical {
        lines.push(Line::from(vec![
            Span::styled("Saved as  ", theme.muted()),
            Span::styled(canonical.clone(), theme.emphasis()),
        ]));
        lines.push(Line::from(vec![
            Span::styled("Region    ", theme.muted()),
            Span::raw(check.region.clone().unwrap_or_else(|| "(unknown)".into())),
            Span::styled("   Type ", theme.muted()),
            Span::raw(check.number_type.describe()),
            Span::styled("   Valid ", theme.muted()),
            if check.valid {
                Span::styled("yes", theme.ok())
            } else {
                Span::styled("no", theme.warning())
            },
        ]));
    }
    if !field.input.value().trim().is_empty() {
        for error in &check.errors {
            lines.push(Line::styled(format!("✗ {}", error.message), theme.error()));
        }
    }
    for warning in &check.warnings {
        lines.push(Line::styled(
            format!("! {}", warning.message),
            theme.warning(),
        ));
    }
    if let Some(suggestion) = check.suggestion() {
        lines.push(Line::from(vec![
            Span::styled("Suggestion ", theme.muted()),
            Span::styled(suggestion.to_string(), theme.emphasis()),
            Span::raw("  "),
            Span::styled(keymap.hint(Command::ApplySuggestion), theme.key()),
            Span::raw(" use it"),
        ]));
    }
    let [body, footer] = ratatui::layout::Layout::vertical([
        ratatui::layout::Constraint::Min(1),
        ratatui::layout::Constraint::Length(1),
    ])
    .areas(inner);
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(body, buf);
    let save = if field.number().is_some() {
        Span::styled(" save", theme.ok())
    } else {
        Span::styled(" save (fix the errors first)", theme.muted())
    };
    Line::from(vec![
        Span::styled(keymap.hint(Command::Submit), theme.key()),
        save,
        Span::raw(" · "),
        Span::styled(keymap.hint(Command::Cancel), theme.key()),
        Span::raw(" cancel"),
    ])
    .render(footer, buf);
    let offset = u16::try_from(prompt.len() + field.input.cursor_width()).unwrap_or(u16::MAX);
    (offset < body.width).then(|| (body.x + offset, body.y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_check_follows_the_text_and_the_suggestion_is_one_call_away() {
        let au = Region::parse("AU").ok();
        let mut field = PhoneField::new(
            PhoneType::Mobile,
            FieldMode::Add,
            None,
            au,
            "x@y.example",
            "X",
        );
        field.input.insert_str("+1 491570157");
        field.changed();
        assert!(!field.check().valid);
        assert!(field.apply_suggestion());
        assert_eq!(field.input.value(), "+61 491570157");
        assert!(field.check().valid);
        assert_eq!(
            field.number().map(ToString::to_string).as_deref(),
            Some("+61 491570157")
        );
    }

    #[test]
    fn shape_errors_block_saving() {
        let mut field = PhoneField::new(
            PhoneType::Mobile,
            FieldMode::Add,
            None,
            None,
            "x@y.example",
            "X",
        );
        field.input.insert_str("+1 206 CALL");
        field.changed();
        assert!(field.number().is_none());
    }
}
