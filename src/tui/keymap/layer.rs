//! What has the keys at a given moment, and the contexts a key is looked up in there.
//!
//! The app decides which layer is on top (a popup, a dialog, a text field, a pane); the layer
//! lists its contexts, most specific first. The same list drives key lookup and the keymap file's
//! check for two commands on one key, so the check sees exactly what a key press would.

use super::Context;

/// Who takes the next key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Layer {
    /// An error waiting to be read: only the keys that dismiss it.
    Alert,
    Help,
    /// Typing into the help's filter.
    HelpFilter,
    Messages,
    Confirm,
    /// A list of choices (default method, filters, flows, demos, conditions, symptoms).
    Picker,
    PhoneField,
    Reason,
    SearchBox,
    Results,
    Methods,
    SignIn,
    /// The sign-in page's field (a phone number or a code) has the keys.
    SignInField,
    Troubleshoot,
}

use Context as C;

impl Layer {
    pub const ALL: [Self; 14] = [
        Self::Alert,
        Self::Help,
        Self::HelpFilter,
        Self::Messages,
        Self::Confirm,
        Self::Picker,
        Self::PhoneField,
        Self::Reason,
        Self::SearchBox,
        Self::Results,
        Self::Methods,
        Self::SignIn,
        Self::SignInField,
        Self::Troubleshoot,
    ];

    /// The contexts searched for a key, in order: the first command found wins.
    pub fn contexts(self) -> &'static [Context] {
        match self {
            Self::Alert => &[C::Global],
            Self::Help | Self::Messages | Self::Picker => &[C::List, C::Global],
            Self::HelpFilter | Self::SearchBox => &[C::Editing, C::Typing, C::List, C::Global],
            Self::Confirm => &[C::Confirm, C::Global],
            Self::PhoneField => &[C::PhoneField, C::Editing, C::Typing, C::Global],
            Self::Reason => &[C::Editing, C::Typing, C::Global],
            Self::Results => &[C::List, C::User, C::Lookup, C::Global],
            Self::Methods => &[C::List, C::User, C::Methods, C::Global],
            Self::SignIn => &[C::SignIn, C::List, C::Global],
            Self::SignInField => &[C::Editing, C::Typing, C::SignIn, C::List, C::Global],
            Self::Troubleshoot => &[C::Troubleshoot, C::List, C::Global],
        }
    }

    /// Whether every printable character is text here (so it is never a command).
    pub fn takes_all_text(self) -> bool {
        matches!(
            self,
            Self::HelpFilter | Self::SearchBox | Self::PhoneField | Self::Reason
        )
    }

    /// Where this is, in words, for the keymap file's messages.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Alert => "an error popup",
            Self::Help => "the help",
            Self::HelpFilter => "the help's filter",
            Self::Messages => "the message log",
            Self::Confirm => "a confirmation",
            Self::Picker => "a list of choices",
            Self::PhoneField => "the phone number field",
            Self::Reason => "the reason prompt",
            Self::SearchBox => "the search box",
            Self::Results => "the Lookup results",
            Self::Methods => "the Methods pane",
            Self::SignIn => "the Sign-in pane",
            Self::SignInField => "the sign-in page's field",
            Self::Troubleshoot => "the Troubleshoot pane",
        }
    }
}
