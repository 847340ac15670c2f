//! Everything the app told the operator this session: each notice on the status line and each
//! error popup is kept here, so nothing said is lost when it disappears from the screen.

use std::collections::VecDeque;

use super::widgets::toast::ToastKind;
use crate::domain::Timestamp;

/// Messages kept; older ones are dropped (a session rarely says more than a few hundred things).
pub const KEPT: usize = 1_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub at: Timestamp,
    pub kind: ToastKind,
    pub text: String,
}

#[derive(Clone, Debug, Default)]
pub struct MessageLog {
    entries: VecDeque<Message>,
    /// Messages dropped to stay within [`KEPT`].
    pub dropped: usize,
}

impl MessageLog {
    pub fn push(&mut self, at: Timestamp, kind: ToastKind, text: impl Into<String>) {
        if self.entries.len() == KEPT {
            self.entries.pop_front();
            self.dropped += 1;
        }
        self.entries.push_back(Message {
            at,
            kind,
            text: text.into(),
        });
    }

    /// Oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Message> {
        self.entries.iter()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
