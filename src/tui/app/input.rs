//! Keys and pastes: which layer takes them, text into the focused field, editing keys to it,
//! everything else through the keymap.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{App, Modal, PaneId};
use crate::tui::keymap::{Command, Context, Layer};
use crate::tui::panes::lookup::Focus;
use crate::tui::panes::signin::{is_field_char, is_keypad_char};
use crate::tui::widgets::text_input::TextInput;

/// Which characters a field takes as text.
type Accepts = fn(char) -> bool;

/// The character a key types, if it types one.
fn typed(key: &KeyEvent) -> Option<char> {
    match key.code {
        KeyCode::Char(c)
            if !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(c)
        }
        _ => None,
    }
}

impl App {
    pub(super) fn on_key(&mut self, key: &KeyEvent) {
        if self.keymap.lookup(key, &[Context::Global]) == Some(Command::ForceQuit) {
            self.quit = true;
            return;
        }
        let layer = self.layer();
        if layer == Layer::Alert {
            self.alert_key(key);
            return;
        }
        // Esc while a change waits for the record stops the waiting; other keys work on.
        if self.is_changing() && self.keymap.lookup(key, &[Context::Global]) == Some(Command::Back)
        {
            self.stop_waiting();
            self.dirty = true;
            return;
        }
        // The phone's keypad takes its keys before any command does.
        if layer == Layer::SignIn
            && self.signin.takes_keys()
            && let Some(c) = typed(key).filter(|c| is_keypad_char(*c))
        {
            self.sim_event(crate::sim::Event::PressKeys(c.to_string()));
            self.dirty = true;
            return;
        }
        // A text field takes its characters before any command does: `q` is a letter there.
        if let Some(c) = typed(key)
            && let Some((input, accept)) = self.focused_field()
            && accept(c)
        {
            let before = input.value().to_owned();
            input.insert(c);
            if input.value() != before {
                self.text_changed();
            }
            self.dirty = true;
            return;
        }
        let Some(command) = self.keymap.lookup_in(key, layer) else {
            // Anything else (unbound keys, function keys, Alt combinations) is ignored.
            return;
        };
        self.dirty = true;
        if command.context() == Context::Editing {
            self.edit_field(command);
        } else {
            self.command(command);
        }
    }

    /// An error popup takes only the keys that dismiss it.
    fn alert_key(&mut self, key: &KeyEvent) {
        let dismiss = matches!(
            self.keymap.lookup_in(key, Layer::Alert),
            Some(Command::Open | Command::Back)
        ) || matches!(key.code, KeyCode::Enter | KeyCode::Esc);
        if dismiss {
            self.dismiss_alert();
        }
    }

    pub(super) fn dismiss_alert(&mut self) {
        self.alerts.pop_front();
        self.dirty = true;
    }

    /// The text field that has the keys, with the characters it accepts.
    fn focused_field(&mut self) -> Option<(&mut TextInput, Accepts)> {
        let any: Accepts = |_| true;
        match &mut self.modal {
            Some(Modal::Phone(field)) => Some((&mut field.input, any)),
            Some(Modal::Reason(prompt)) => Some((&mut prompt.input, any)),
            Some(Modal::Help(help)) if help.filtering => Some((&mut help.filter, any)),
            Some(_) => None,
            None => match self.pane {
                PaneId::Lookup if self.lookup.focus == Focus::Search => {
                    Some((&mut self.lookup.input, any))
                }
                PaneId::SignIn if self.signin.takes_text() => {
                    Some((&mut self.signin.input, is_field_char))
                }
                _ => None,
            },
        }
    }

    /// Applies an editing command to the focused field.
    fn edit_field(&mut self, command: Command) {
        let Some((input, _)) = self.focused_field() else {
            return;
        };
        let before = input.value().to_owned();
        input.edit(command);
        if input.value() != before {
            self.text_changed();
        }
    }

    /// The focused field's text changed: what depends on it follows.
    fn text_changed(&mut self) {
        match &mut self.modal {
            Some(Modal::Phone(field)) => field.changed(),
            Some(Modal::Help(help)) => help.scroll = 0,
            Some(_) => {}
            None if self.pane == PaneId::Lookup => self.run_query(),
            None => {}
        }
    }

    pub(super) fn on_paste(&mut self, text: &str) {
        if !self.alerts.is_empty() {
            return;
        }
        let Some((input, accept)) = self.focused_field() else {
            return;
        };
        let accepted: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .filter(|c| accept(*c))
            .collect();
        if input.insert_str(&accepted) {
            self.text_changed();
            self.dirty = true;
        }
    }
}
