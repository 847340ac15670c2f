//! A one-line text field: the value, a cursor, the readline editing keys, and a hard length
//! limit so a pasted megabyte never reaches the domain or the screen.
//!
//! The whole value can be selected (a new search starts that way): typing or pasting then
//! replaces it, a deleting key clears it, and a cursor key keeps it and moves the cursor, as in a
//! browser's address bar.

use ratatui::text::Span;

use crate::domain::sanitize::display_safe;
use crate::tui::keymap::Command;
use crate::tui::theme::Theme;

/// The value as drawn: display-safe, and reversed while the whole value is selected.
pub fn spans(input: &TextInput, theme: Theme) -> Span<'static> {
    let text = display_safe(input.value()).into_owned();
    if input.is_selected() {
        Span::styled(text, theme.selected())
    } else {
        Span::raw(text)
    }
}

/// A single-line editable value. The cursor is a char index.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextInput {
    value: String,
    cursor: usize,
    max_chars: usize,
    /// The whole value is selected: the next text replaces it.
    selected: bool,
}

impl TextInput {
    pub fn new(max_chars: usize) -> Self {
        Self {
            value: String::new(),
            cursor: 0,
            max_chars,
            selected: false,
        }
    }

    pub fn with_value(max_chars: usize, value: &str) -> Self {
        let mut input = Self::new(max_chars);
        input.insert_str(value);
        input
    }

    /// Selects the whole value (nothing happens to an empty one).
    pub fn select_all(&mut self) {
        self.selected = !self.value.is_empty();
        self.cursor = self.len();
    }

    /// Whether the whole value is selected.
    pub fn is_selected(&self) -> bool {
        self.selected
    }

    /// Drops a selection before typing replaces it. Returns whether there was text to drop.
    fn take_selection(&mut self) -> bool {
        if !std::mem::take(&mut self.selected) {
            return false;
        }
        self.value.clear();
        self.cursor = 0;
        true
    }

    pub fn value(&self) -> &str {
        &self.value
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Screen cells between the start of the value and the cursor, as drawn.
    pub fn cursor_width(&self) -> usize {
        let typed: String = self.value.chars().take(self.cursor).collect();
        ratatui::text::Line::raw(display_safe(&typed).into_owned()).width()
    }

    fn byte_at(&self, char_index: usize) -> usize {
        self.value
            .char_indices()
            .nth(char_index)
            .map_or(self.value.len(), |(i, _)| i)
    }

    fn len(&self) -> usize {
        self.value.chars().count()
    }

    /// Inserts a typed character; control characters and anything past the limit are dropped.
    /// Returns whether the value changed.
    pub fn insert(&mut self, c: char) -> bool {
        if c.is_control() {
            return false;
        }
        let replaced = self.take_selection();
        if self.len() >= self.max_chars {
            return replaced;
        }
        let at = self.byte_at(self.cursor);
        self.value.insert(at, c);
        self.cursor += 1;
        true
    }

    /// Inserts pasted text up to the limit; newlines and other control characters become spaces
    /// (a paste of a formatted number often ends in a newline). Returns whether anything changed.
    pub fn insert_str(&mut self, text: &str) -> bool {
        let mut changed = self.take_selection();
        let room = self.max_chars.saturating_sub(self.len());
        for c in text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .take(room)
        {
            changed |= self.insert(c);
        }
        changed
    }

    pub fn backspace(&mut self) -> bool {
        if self.take_selection() {
            return true;
        }
        if self.cursor == 0 {
            return false;
        }
        self.cursor -= 1;
        let at = self.byte_at(self.cursor);
        self.value.remove(at);
        true
    }

    pub fn delete(&mut self) -> bool {
        if self.take_selection() {
            return true;
        }
        if self.cursor >= self.len() {
            return false;
        }
        let at = self.byte_at(self.cursor);
        self.value.remove(at);
        true
    }

    pub fn left(&mut self) {
        self.selected = false;
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.selected = false;
        self.cursor = (self.cursor + 1).min(self.len());
    }

    pub fn home(&mut self) {
        self.selected = false;
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.selected = false;
        self.cursor = self.len();
    }

    /// Replaces the whole value (used when a suggestion is applied).
    pub fn set(&mut self, value: &str) {
        self.value.clear();
        self.cursor = 0;
        self.selected = false;
        self.insert_str(value);
    }

    /// Deletes from the cursor to the end (Ctrl-K).
    pub fn kill_to_end(&mut self) -> bool {
        if self.take_selection() {
            return true;
        }
        let at = self.byte_at(self.cursor);
        let changed = at < self.value.len();
        self.value.truncate(at);
        changed
    }

    /// Deletes from the start to the cursor (Ctrl-U).
    pub fn kill_to_start(&mut self) -> bool {
        if self.take_selection() {
            return true;
        }
        let at = self.byte_at(self.cursor);
        self.value.replace_range(..at, "");
        let changed = self.cursor > 0;
        self.cursor = 0;
        changed
    }

    /// Applies an editing command (the `Editing` context of the keymap). Returns whether the
    /// command is one (so the key is used up), whatever it changed.
    pub fn edit(&mut self, command: Command) -> bool {
        // Whether the value changed does not matter here: the caller compares values.
        let _changed = match command {
            Command::CursorLeft => {
                self.left();
                false
            }
            Command::CursorRight => {
                self.right();
                false
            }
            Command::LineStart => {
                self.home();
                false
            }
            Command::LineEnd => {
                self.end();
                false
            }
            Command::DeleteBack => self.backspace(),
            Command::DeleteForward => self.delete(),
            Command::DeleteWord => self.delete_word(),
            Command::KillToEnd => self.kill_to_end(),
            Command::KillToStart => self.kill_to_start(),
            _ => return false,
        };
        true
    }

    /// Deletes the word before the cursor (Ctrl-W).
    pub fn delete_word(&mut self) -> bool {
        if self.take_selection() {
            return true;
        }
        let mut changed = false;
        while self.cursor > 0 && self.value.chars().nth(self.cursor - 1) == Some(' ') {
            changed |= self.backspace();
        }
        while self.cursor > 0 && self.value.chars().nth(self.cursor - 1) != Some(' ') {
            changed |= self.backspace();
        }
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typing_and_editing_move_the_cursor() {
        let mut input = TextInput::new(10);
        for c in "+1 206".chars() {
            input.insert(c);
        }
        input.left();
        input.backspace();
        assert_eq!(input.value(), "+1 26");
        input.home();
        input.delete();
        assert_eq!(input.value(), "1 26");
        input.end();
        assert_eq!(input.cursor(), 4);
    }

    #[test]
    fn the_limit_caps_typing_and_pasting() {
        let mut input = TextInput::new(5);
        input.insert_str(&"9".repeat(5000));
        assert_eq!(input.value(), "99999");
        assert!(!input.insert('1'));
    }

    #[test]
    fn pasted_control_characters_become_spaces() {
        let mut input = TextInput::new(40);
        input.insert_str("+1 206\n555\u{1b}0100");
        assert_eq!(input.value(), "+1 206 555 0100");
        assert!(!input.insert('\u{7}'));
    }

    #[test]
    fn readline_kills_cut_around_the_cursor() {
        let mut input = TextInput::with_value(40, "priya raman");
        input.home();
        for _ in 0..5 {
            input.right();
        }
        assert!(input.kill_to_end());
        assert_eq!(input.value(), "priya");
        input.end();
        input.left();
        assert!(input.kill_to_start());
        assert_eq!((input.value(), input.cursor()), ("a", 0));
    }

    #[test]
    fn a_selection_is_replaced_by_typing_and_kept_by_moving() {
        let mut input = TextInput::with_value(40, "rosa");
        input.select_all();
        assert!(input.insert('l'));
        assert_eq!(input.value(), "l");
        input.set("rosa");
        input.select_all();
        input.left();
        assert!(input.insert('x'));
        assert_eq!(input.value(), "rosxa");
        input.select_all();
        assert!(input.backspace());
        assert_eq!(input.value(), "");
    }

    #[test]
    fn multibyte_characters_are_edited_by_char() {
        let mut input = TextInput::with_value(10, "Zoë");
        input.backspace();
        assert_eq!(input.value(), "Zo");
        input.delete_word();
        assert_eq!(input.value(), "");
    }
}
