//! Commands and the keys that trigger them.
//!
//! One table of commands (name, description, where it applies) feeds key lookup, the footer hints
//! and the help overlay, so they cannot disagree. Defaults come from the embedded
//! `assets/keymap.toml`; a user's `keymap.toml` in the config directory replaces the keys of the
//! commands it names and leaves every other command alone. A bad user file is reported and
//! ignored.

use std::collections::HashMap;
use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The embedded default bindings.
pub const DEFAULT_KEYMAP: &str = include_str!("../../assets/keymap.toml");

/// Where a command applies. The focused context is searched first, then `Global`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Context {
    Global,
    /// Typing in a text field: only commands listed here (Enter, Esc, Tab...) are taken as
    /// commands; every printable key is text.
    Typing,
    /// Moving through a list.
    List,
    /// A user is selected (Lookup results, Methods).
    User,
    SignIn,
    Troubleshoot,
    Lookup,
    Methods,
    PhoneField,
    Confirm,
}

impl Context {
    pub fn title(self) -> &'static str {
        match self {
            Self::Global => "Everywhere",
            Self::Typing => "While typing",
            Self::List => "Lists",
            Self::User => "Selected user",
            Self::SignIn => "Sign-in simulator",
            Self::Troubleshoot => "Troubleshooting wizard",
            Self::Lookup => "Lookup",
            Self::Methods => "Methods",
            Self::PhoneField => "Phone number field",
            Self::Confirm => "Confirmation",
        }
    }
}

macro_rules! commands {
    ($($variant:ident => $name:literal, $context:ident, $short:literal, $description:literal;)*) => {
        /// Everything a key can do.
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
        pub enum Command { $($variant,)* }

        impl Command {
            pub const ALL: &'static [Command] = &[$(Command::$variant,)*];

            /// The name used in `keymap.toml`.
            pub fn name(self) -> &'static str {
                match self { $(Command::$variant => $name,)* }
            }

            pub fn context(self) -> Context {
                match self { $(Command::$variant => Context::$context,)* }
            }

            pub fn description(self) -> &'static str {
                match self { $(Command::$variant => $description,)* }
            }

            /// A word or two for the footer.
            pub fn short(self) -> &'static str {
                match self { $(Command::$variant => $short,)* }
            }
        }
    };
}

commands! {
    ForceQuit => "force_quit", Global, "quit", "quit, always";
    Quit => "quit", Global, "quit", "quit";
    Help => "help", Global, "help", "show or hide this help";
    NextPane => "next_pane", Global, "next pane", "next pane";
    PrevPane => "prev_pane", Global, "prev pane", "previous pane";
    PaneLookup => "pane_lookup", Global, "lookup", "Lookup pane";
    PaneMethods => "pane_methods", Global, "methods", "Methods pane";
    PaneSignIn => "pane_signin", Global, "sign-in", "Sign-in pane";
    PaneTroubleshoot => "pane_troubleshoot", Global, "troubleshoot", "Troubleshoot pane";
    FocusSearch => "focus_search", Global, "search", "search";
    Open => "open", Global, "open", "open / confirm";
    Back => "back", Global, "back", "back / cancel";
    Down => "down", List, "down", "move down";
    Up => "up", List, "up", "move up";
    PageDown => "page_down", List, "page down", "page down";
    PageUp => "page_up", List, "page up", "page up";
    Top => "top", List, "top", "first row";
    Bottom => "bottom", List, "bottom", "last row";
    Reveal => "reveal", User, "reveal", "reveal numbers (audited)";
    Block => "block", User, "block", "block / unblock";
    Filters => "filters", Lookup, "filters", "filters";
    Add => "add", Methods, "add", "add a number";
    Edit => "edit", Methods, "edit", "edit the number";
    Delete => "delete", Methods, "delete", "delete the number";
    SmsSignIn => "sms_sign_in", Methods, "SMS sign-in", "enable / disable SMS sign-in";
    DefaultMethod => "default_method", Methods, "default", "set the default MFA method";
    FixNumber => "fix_number", Methods, "fix", "apply the suggested correction";
    NewSignIn => "new_sign_in", SignIn, "new", "start a sign-in (SMS sign-in, MFA, password reset)";
    PlayDemo => "play_demo", SignIn, "demo", "play a guided demo";
    NextStep => "next_step", SignIn, "next step", "next step of the demo";
    AnswerCall => "answer_call", SignIn, "answer", "answer the call on the virtual phone";
    HangUp => "hang_up", SignIn, "hang up", "decline or end the call";
    Resend => "resend", SignIn, "resend", "send a new code / try again";
    AdvanceTime => "advance_time", SignIn, "+30 s", "let 30 seconds of virtual time pass";
    Conditions => "conditions", SignIn, "conditions", "phone and telecom conditions";
    NewWizard => "new_wizard", Troubleshoot, "symptom", "pick the symptom and start the wizard";
    DeviceAnswer => "device_answer", Troubleshoot, "device", "answer from the simulated device";
    RetryInSignIn => "retry_in_sign_in", Troubleshoot, "retry", "retry in the Sign-in pane, then come back";
    WriteTicket => "write_ticket", Troubleshoot, "ticket", "write the ticket note (Markdown)";
    ApplySuggestion => "apply_suggestion", PhoneField, "use suggestion", "use the suggested number";
    Confirm => "confirm", Confirm, "yes", "yes";
    Deny => "deny", Confirm, "no", "no";
    Submit => "submit", Typing, "open / done", "done";
    Cancel => "cancel", Typing, "cancel", "cancel";
}

/// A key with its modifiers, as written in `keymap.toml` (`q`, `ctrl-c`, `enter`, `backtab`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl Key {
    /// Normalises an event: Shift is part of the character for printable keys (`G`, `?`).
    pub fn from_event(event: &KeyEvent) -> Self {
        let mut modifiers =
            event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        if matches!(event.code, KeyCode::Char(_) | KeyCode::BackTab) {
            modifiers.remove(KeyModifiers::SHIFT);
        }
        Self {
            code: event.code,
            modifiers,
        }
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            if let Some(r) = rest.strip_prefix("ctrl-") {
                modifiers |= KeyModifiers::CONTROL;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt-") {
                modifiers |= KeyModifiers::ALT;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("shift-") {
                modifiers |= KeyModifiers::SHIFT;
                rest = r;
            } else {
                break;
            }
        }
        let code = match rest {
            "enter" => KeyCode::Enter,
            "esc" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "backspace" => KeyCode::Backspace,
            "delete" => KeyCode::Delete,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" => KeyCode::PageUp,
            "pagedown" => KeyCode::PageDown,
            "space" => KeyCode::Char(' '),
            f if f.len() > 1
                && f.starts_with('f')
                && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) =>
            {
                KeyCode::F(f[1..].parse().unwrap_or(1))
            }
            single if single.chars().count() == 1 => {
                let c = single.chars().next().unwrap_or(' ');
                if c.is_control() {
                    return Err(format!("\"{text}\" is not a key"));
                }
                KeyCode::Char(c)
            }
            _ => {
                return Err(format!(
                    "\"{text}\" is not a key (try q, ctrl-c, enter, esc, tab, up, f1)"
                ));
            }
        };
        let mut key = Self { code, modifiers };
        if matches!(key.code, KeyCode::Char(_)) {
            key.modifiers.remove(KeyModifiers::SHIFT);
        }
        Ok(key)
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        match self.code {
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::F(n) => write!(f, "F{n}"),
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            _ => f.write_str("?"),
        }
    }
}

/// Command -> keys.
#[derive(Clone, Debug)]
pub struct Keymap {
    keys: HashMap<Command, Vec<Key>>,
}

impl Keymap {
    /// The embedded defaults. The embedded file is checked by a test, so this cannot fail in a
    /// released build; should it ever, every command simply has no key.
    pub fn defaults() -> Self {
        let mut map = Self {
            keys: HashMap::new(),
        };
        let _ = map.patch(DEFAULT_KEYMAP);
        map
    }

    /// The defaults patched by a user file's text. Returns the keymap and, for a bad file, the
    /// reason it was ignored.
    pub fn with_user_file(text: Option<&str>) -> (Self, Option<String>) {
        let map = Self::defaults();
        let Some(text) = text else {
            return (map, None);
        };
        let mut patched = map.clone();
        match patched.patch(text) {
            Ok(()) => (patched, None),
            Err(e) => (map, Some(e)),
        }
    }

    /// Replaces the keys of each command `text` names; all or nothing.
    pub fn patch(&mut self, text: &str) -> Result<(), String> {
        let table: toml::Table = text
            .parse()
            .map_err(|e: toml::de::Error| e.message().to_owned())?;
        let mut updates = Vec::new();
        for (name, value) in &table {
            let command = Command::ALL
                .iter()
                .find(|c| c.name() == name)
                .ok_or_else(|| format!("unknown command \"{name}\""))?;
            let list = value
                .as_array()
                .ok_or_else(|| format!("{name}: expected a list of keys, like [\"q\"]"))?;
            let keys = list
                .iter()
                .map(|v| {
                    v.as_str()
                        .ok_or_else(|| format!("{name}: keys are strings"))
                        .and_then(|s| Key::parse(s).map_err(|e| format!("{name}: {e}")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            updates.push((*command, keys));
        }
        for (command, keys) in updates {
            self.keys.insert(command, keys);
        }
        Ok(())
    }

    pub fn keys(&self, command: Command) -> &[Key] {
        self.keys.get(&command).map_or(&[], Vec::as_slice)
    }

    /// The command `event` triggers in `contexts`, searched in order. Callers list `Global` last
    /// when it applies; a text field leaves it out so that `q` is a letter there.
    pub fn lookup(&self, event: &KeyEvent, contexts: &[Context]) -> Option<Command> {
        let key = Key::from_event(event);
        contexts.iter().find_map(|context| {
            Command::ALL
                .iter()
                .filter(|c| c.context() == *context)
                .find(|c| self.keys(**c).contains(&key))
                .copied()
        })
    }

    /// The first key of `command`, for hints ("" when unbound).
    pub fn hint(&self, command: Command) -> String {
        self.keys(command)
            .first()
            .map(ToString::to_string)
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn the_embedded_keymap_binds_every_command() {
        let mut map = Keymap {
            keys: HashMap::new(),
        };
        map.patch(DEFAULT_KEYMAP).unwrap();
        for command in Command::ALL {
            assert!(
                !map.keys(*command).is_empty(),
                "{} has no key",
                command.name()
            );
        }
    }

    #[test]
    fn contexts_are_searched_before_global() {
        let map = Keymap::defaults();
        let tab = press(KeyCode::Tab, KeyModifiers::NONE);
        let field = [Context::PhoneField, Context::Typing];
        assert_eq!(map.lookup(&tab, &field), Some(Command::ApplySuggestion));
        assert_eq!(
            map.lookup(&tab, &[Context::Lookup, Context::Global]),
            Some(Command::NextPane)
        );
        let q = press(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(
            map.lookup(&q, &[Context::Lookup, Context::Global]),
            Some(Command::Quit)
        );
        assert_eq!(map.lookup(&q, &field), None, "q is a letter while typing");
        let shift_g = press(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(
            map.lookup(&shift_g, &[Context::List]),
            Some(Command::Bottom)
        );
    }

    #[test]
    fn a_user_file_changes_only_what_it_names() {
        let (map, problem) = Keymap::with_user_file(Some("quit = [\"x\"]\n"));
        assert!(problem.is_none());
        let x = press(KeyCode::Char('x'), KeyModifiers::NONE);
        assert_eq!(map.lookup(&x, &[Context::Global]), Some(Command::Quit));
        assert_eq!(map.hint(Command::Help), "?");
    }

    #[test]
    fn a_bad_user_file_is_reported_and_ignored() {
        for bad in [
            "quit = \"q\"",
            "frobnicate = [\"x\"]",
            "quit = [\"ctrl-\"]",
            "not toml [",
        ] {
            let (map, problem) = Keymap::with_user_file(Some(bad));
            assert!(problem.is_some(), "{bad}");
            assert_eq!(map.hint(Command::Quit), "q");
        }
    }
}
