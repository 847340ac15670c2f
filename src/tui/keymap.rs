//! Commands and the keys that trigger them.
//!
//! One table of commands (name, description, where it applies) feeds key lookup, the footer
//! hints, the help overlay and the README's key tables (a test compares them), so none of them
//! can disagree. Defaults come from the embedded `assets/keymap.toml`; a user's `keymap.toml` in
//! the config directory replaces the keys of the commands it names and leaves every other command
//! alone. A file with a mistake is reported with its line and column, and ignored (see [`file`]).

pub mod docs;
mod file;
mod key;
mod layer;

use std::collections::HashMap;

use ratatui::crossterm::event::KeyEvent;

pub use file::FileProblem;
pub use key::Key;
pub use layer::Layer;

/// The embedded default bindings.
pub const DEFAULT_KEYMAP: &str = include_str!("../../assets/keymap.toml");

/// Where a command applies. A [`Layer`] lists the contexts searched for a key, most specific
/// first.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum Context {
    Global,
    /// Moving through a list.
    List,
    Lookup,
    /// A user is selected (Lookup results, Methods).
    User,
    Methods,
    SignIn,
    Troubleshoot,
    PhoneField,
    /// Moving and deleting inside any text field.
    Editing,
    /// Typing in a text field: only commands listed here (Enter, Esc...) and the editing keys
    /// are commands; every printable key is text.
    Typing,
    Confirm,
}

impl Context {
    /// The order the help and the README list the contexts in.
    pub const ALL: [Self; 11] = [
        Self::Global,
        Self::List,
        Self::Lookup,
        Self::User,
        Self::Methods,
        Self::SignIn,
        Self::Troubleshoot,
        Self::PhoneField,
        Self::Editing,
        Self::Typing,
        Self::Confirm,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Self::Global => "Everywhere",
            Self::List => "Lists",
            Self::Lookup => "Lookup (pane 1)",
            Self::User => "The selected user (Lookup, Methods)",
            Self::Methods => "Methods (pane 2)",
            Self::SignIn => "Sign-in simulator (pane 3)",
            Self::Troubleshoot => "Troubleshooting wizard (pane 4)",
            Self::PhoneField => "Phone number field",
            Self::Editing => "Editing any text field",
            Self::Typing => "While typing",
            Self::Confirm => "Confirmations",
        }
    }
}

macro_rules! commands {
    ($($variant:ident => $name:literal, $context:ident, $short:literal, $description:literal;)*) => {
        /// Everything a key can do.
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
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

            /// A sentence for the help and the README.
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
    ForceQuit => "force_quit", Global, "quit", "quit at once, from anywhere (Ctrl-C always does)";
    Quit => "quit", Global, "quit", "quit (never while typing in a field)";
    Help => "help", Global, "help", "show or hide this help; / filters it";
    Messages => "messages", Global, "messages", "the message log: every notice and error of this session";
    NextPane => "next_pane", Global, "next pane", "next pane (also from the search box)";
    PrevPane => "prev_pane", Global, "prev pane", "previous pane";
    PaneLookup => "pane_lookup", Global, "lookup", "Lookup pane";
    PaneMethods => "pane_methods", Global, "methods", "Methods pane";
    PaneSignIn => "pane_signin", Global, "sign-in", "Sign-in pane";
    PaneTroubleshoot => "pane_troubleshoot", Global, "troubleshoot", "Troubleshoot pane";
    FocusSearch => "focus_search", Global, "search", "a new search: the old query is selected, so typing replaces it";
    Open => "open", Global, "open", "open / confirm";
    Back => "back", Global, "back", "back / close; never into a text field";
    Copy => "copy", Global, "copy", "copy to the clipboard (OSC 52): the UPN; in Sign-in the correlation id; in Troubleshoot the ticket note";
    Undo => "undo", Global, "undo", "undo the last change of this session (asks first; audited like any change)";
    Down => "down", List, "down", "move down";
    Up => "up", List, "up", "move up";
    PageDown => "page_down", List, "page down", "page down";
    PageUp => "page_up", List, "page up", "page up";
    Top => "top", List, "top", "first row";
    Bottom => "bottom", List, "bottom", "last row";
    Filters => "filters", Lookup, "filters", "filters (or type is:blocked, is:ready, is:nomethods, is:admin, is:guest)";
    Sort => "sort", Lookup, "sort", "sort the results: best match, name, UPN, usage location, SMS sign-in, flags";
    Reveal => "reveal", User, "reveal", "reveal the authentication numbers (audited); again to mask them";
    Block => "block", User, "block", "block / unblock the user (asks for a reason)";
    Add => "add", Methods, "add", "add a number to the selected slot";
    Edit => "edit", Methods, "edit", "change the number in the selected slot";
    Delete => "delete", Methods, "delete", "delete the number in the selected slot";
    SmsSignIn => "sms_sign_in", Methods, "SMS sign-in", "enable / disable SMS sign-in";
    DefaultMethod => "default_method", Methods, "default", "set the default MFA method";
    FixNumber => "fix_number", Methods, "fix", "apply the suggested correction to the selected number (no reveal needed)";
    NewSignIn => "new_sign_in", SignIn, "new", "start a sign-in: SMS sign-in, or MFA / password reset for the user selected in Lookup";
    PlayDemo => "play_demo", SignIn, "demo", "pick a guided demo";
    NextStep => "next_step", SignIn, "next step", "next step of the demo";
    AnswerCall => "answer_call", SignIn, "answer", "answer the call on the virtual phone; then digits, # and * are its keypad";
    HangUp => "hang_up", SignIn, "hang up", "decline or end the call";
    Resend => "resend", SignIn, "resend", "send a new code (or try again after an attempt ended)";
    AdvanceTime => "advance_time", SignIn, "+30 s", "let 30 seconds of virtual time pass (to show expiry and limits)";
    Conditions => "conditions", SignIn, "conditions", "phone conditions (power, signal, SMS, voicemail, landline, blocked senders) and provider faults";
    ResetWorld => "reset_world", SignIn, "reset world", "reset the simulated world: phone conditions, provider faults, counters and codes (users, methods and the audit stay; asks first)";
    NewWizard => "new_wizard", Troubleshoot, "symptom", "pick the symptom the caller reports and start";
    DeviceAnswer => "device_answer", Troubleshoot, "device", "answer the question from the simulated device instead of asking the caller";
    RetryInSignIn => "retry_in_sign_in", Troubleshoot, "retry", "have the user retry in the Sign-in pane, and coming back re-checks the sign-in log (on a real tenant: re-read its log once the caller retried)";
    WriteTicket => "write_ticket", Troubleshoot, "ticket", "write the ticket note (Markdown, numbers masked) and say where";
    ApplySuggestion => "apply_suggestion", PhoneField, "use suggestion", "use the suggested number";
    CursorLeft => "cursor_left", Editing, "left", "cursor one character left";
    CursorRight => "cursor_right", Editing, "right", "cursor one character right";
    LineStart => "line_start", Editing, "start", "cursor to the start of the field";
    LineEnd => "line_end", Editing, "end", "cursor to the end of the field";
    DeleteBack => "delete_back", Editing, "delete", "delete the character before the cursor";
    DeleteForward => "delete_forward", Editing, "delete", "delete the character under the cursor";
    DeleteWord => "delete_word", Editing, "delete word", "delete the word before the cursor";
    KillToEnd => "kill_to_end", Editing, "delete to end", "delete from the cursor to the end";
    KillToStart => "kill_to_start", Editing, "delete to start", "delete from the start to the cursor";
    Submit => "submit", Typing, "open / done", "done (search: open the user; a dialog: save)";
    Cancel => "cancel", Typing, "leave field", "leave the field (the search keeps its text); close a dialog without saving";
    Confirm => "confirm", Confirm, "yes", "yes";
    Deny => "deny", Confirm, "no", "no";
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
        if let Ok(bindings) = file::read(DEFAULT_KEYMAP) {
            map.apply(&bindings);
        }
        map
    }

    /// The defaults patched by a user file's text. Returns the keymap and, for a file with
    /// mistakes, why it was ignored: each mistake on its own line, with its line and column.
    pub fn with_user_file(text: Option<&str>) -> (Self, Option<String>) {
        let map = Self::defaults();
        let Some(text) = text else {
            return (map, None);
        };
        match map.patched(text) {
            Ok(patched) => (patched, None),
            Err(problems) => {
                let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
                (map, Some(lines.join("\n")))
            }
        }
    }

    /// This keymap with the keys of each command `text` names replaced; all or nothing.
    pub fn patched(&self, text: &str) -> Result<Self, Vec<FileProblem>> {
        let bindings = file::read(text).map_err(|p| vec![p])?;
        let mut patched = self.clone();
        patched.apply(&bindings);
        let problems = file::check(text, &bindings, &patched, self);
        if problems.is_empty() {
            Ok(patched)
        } else {
            Err(problems)
        }
    }

    fn apply(&mut self, bindings: &[file::Binding]) {
        for binding in bindings {
            let keys = binding.keys.iter().map(|(k, _)| *k).collect();
            self.keys.insert(binding.command, keys);
        }
    }

    pub fn keys(&self, command: Command) -> &[Key] {
        self.keys.get(&command).map_or(&[], Vec::as_slice)
    }

    /// The command `event` triggers in `contexts`, searched in order.
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

    /// The command `event` triggers where `layer` has the keys.
    pub fn lookup_in(&self, event: &KeyEvent, layer: Layer) -> Option<Command> {
        self.lookup(event, layer.contexts())
    }

    /// The first key of `command`, for hints ("" when unbound).
    pub fn hint(&self, command: Command) -> String {
        self.keys(command)
            .first()
            .map(ToString::to_string)
            .unwrap_or_default()
    }

    /// Every key of `command`, as the help lists them (`↓ j`).
    pub fn all_hints(&self, command: Command) -> String {
        let keys: Vec<String> = self.keys(command).iter().map(ToString::to_string).collect();
        keys.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};

    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn the_embedded_keymap_binds_every_command() {
        let bindings = file::read(DEFAULT_KEYMAP).unwrap();
        let map = Keymap::defaults();
        assert_eq!(bindings.len(), Command::ALL.len());
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
        assert_eq!(
            map.lookup_in(&tab, Layer::PhoneField),
            Some(Command::ApplySuggestion)
        );
        assert_eq!(map.lookup_in(&tab, Layer::Results), Some(Command::NextPane));
        let q = press(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(map.lookup_in(&q, Layer::Results), Some(Command::Quit));
        let home = press(KeyCode::Home, KeyModifiers::NONE);
        assert_eq!(
            map.lookup_in(&home, Layer::SearchBox),
            Some(Command::LineStart)
        );
        assert_eq!(map.lookup_in(&home, Layer::Results), Some(Command::Top));
        let shift_g = press(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(
            map.lookup(&shift_g, &[Context::List]),
            Some(Command::Bottom)
        );
    }

    #[test]
    fn a_user_file_changes_only_what_it_names() {
        let (map, problem) = Keymap::with_user_file(Some("quit = [\"ctrl-q\"]\n"));
        assert!(problem.is_none(), "{problem:?}");
        let ctrl_q = press(KeyCode::Char('q'), KeyModifiers::CONTROL);
        assert_eq!(map.lookup_in(&ctrl_q, Layer::Results), Some(Command::Quit));
        assert_eq!(map.hint(Command::Help), "?");
    }

    /// The only places where the defaults let one key mean two commands: a more specific
    /// command shadows a general one on purpose.
    #[test]
    fn the_defaults_layer_keys_only_on_purpose() {
        let map = Keymap::defaults();
        let mut layered = Vec::new();
        for layer in Layer::ALL {
            let mut keys: Vec<Key> = Command::ALL
                .iter()
                .filter(|c| layer.contexts().contains(&c.context()))
                .flat_map(|c| map.keys(*c).iter().copied())
                .collect();
            keys.sort_by_key(ToString::to_string);
            keys.dedup();
            for key in keys {
                let on = file::commands_on(&map, layer, key);
                if on.len() > 1 {
                    layered.push(format!("{layer:?} {key}: {on:?}"));
                }
            }
        }
        insta::assert_snapshot!(layered.join("\n"));
    }
}
