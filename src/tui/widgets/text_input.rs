//! A one-line text field: the value, a cursor, and a hard length limit so a pasted megabyte never
//! reaches the domain or the screen.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A single-line editable value. The cursor is a char index.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextInput {
    value: String,
    cursor: usize,
    max_chars: usize,
}

impl TextInput {
    pub fn new(max_chars: usize) -> Self {
        Self {
            value: String::new(),
            cursor: 0,
            max_chars,
        }
    }

    pub fn with_value(max_chars: usize, value: &str) -> Self {
        let mut input = Self::new(max_chars);
        input.insert_str(value);
        input
    }

    pub fn value(&self) -> &str {
        &self.value
    }

    pub fn cursor(&self) -> usize {
        self.cursor
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
        if c.is_control() || self.len() >= self.max_chars {
            return false;
        }
        let at = self.byte_at(self.cursor);
        self.value.insert(at, c);
        self.cursor += 1;
        true
    }

    /// Inserts pasted text up to the limit; newlines and other control characters become spaces
    /// (a paste of a formatted number often ends in a newline). Returns whether anything changed.
    pub fn insert_str(&mut self, text: &str) -> bool {
        let room = self.max_chars.saturating_sub(self.len());
        let mut changed = false;
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
        if self.cursor == 0 {
            return false;
        }
        self.cursor -= 1;
        let at = self.byte_at(self.cursor);
        self.value.remove(at);
        true
    }

    pub fn delete(&mut self) -> bool {
        if self.cursor >= self.len() {
            return false;
        }
        let at = self.byte_at(self.cursor);
        self.value.remove(at);
        true
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.len());
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.len();
    }

    /// Replaces the whole value (used when a suggestion is applied).
    pub fn set(&mut self, value: &str) {
        self.value.clear();
        self.cursor = 0;
        self.insert_str(value);
    }

    /// Applies an editing key: a character `accept` takes, Backspace, Delete, the arrows, Home,
    /// End, Ctrl-W (delete a word) and Ctrl-U (clear). Returns whether the key was used.
    pub fn apply_key(&mut self, key: &KeyEvent, accept: fn(char) -> bool) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        match key.code {
            KeyCode::Char('w') if ctrl => self.delete_word(),
            KeyCode::Char('u') if ctrl => {
                self.set("");
                true
            }
            KeyCode::Char(c) if !ctrl && !alt && accept(c) => self.insert(c),
            KeyCode::Backspace => self.backspace(),
            KeyCode::Delete => self.delete(),
            KeyCode::Left => {
                self.left();
                true
            }
            KeyCode::Right => {
                self.right();
                true
            }
            KeyCode::Home => {
                self.home();
                true
            }
            KeyCode::End => {
                self.end();
                true
            }
            _ => false,
        }
    }

    /// Deletes the word before the cursor (Ctrl-W).
    pub fn delete_word(&mut self) -> bool {
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
    fn multibyte_characters_are_edited_by_char() {
        let mut input = TextInput::with_value(10, "Zoë");
        input.backspace();
        assert_eq!(input.value(), "Zo");
        input.delete_word();
        assert_eq!(input.value(), "");
    }
}
