//! The user's virtual phones: an inbox of texts (with sender and text, the only place a code is
//! ever shown), an incoming-call screen, and texts the network holds while a phone is off.
//! Nothing here is persisted: a code must never reach the database.

use std::fmt;

use crate::domain::{Device, PhoneNumber, SenderId, Timestamp};
use crate::sim::telecom::Fault;
use crate::sim::voice::Listening;

/// A text as the phone shows it. `Debug` leaves the text out (it holds a code).
#[derive(Clone, PartialEq, Eq)]
pub struct Sms {
    pub at: Timestamp,
    pub from: SenderId,
    pub text: String,
}

impl fmt::Debug for Sms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sms")
            .field("at", &self.at)
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

impl Sms {
    /// The code a person reads in the text: the first run of exactly `length` digits.
    pub fn code(&self, length: u8) -> Option<&str> {
        self.text
            .split(|c: char| !c.is_ascii_digit())
            .find(|run| run.len() == usize::from(length))
    }
}

/// A text on its way (or held by the network). `Debug` leaves the text out.
pub(crate) struct PendingSms {
    pub attempt: u32,
    pub line: PhoneNumber,
    pub from: SenderId,
    pub text: String,
    /// The fault of the provider that carried it (a held text already left the provider).
    pub fault: Fault,
    pub provider: &'static str,
}

impl fmt::Debug for PendingSms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingSms")
            .field("attempt", &self.attempt)
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

/// What the phone's screen shows about a call.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum CallScreen {
    /// Ringing, with the caller ID.
    Incoming,
    /// Answered: the greeting being played and the keys pressed as the screen shows them (the
    /// digits of a PIN as dots, see `voice::Keypad::shown`).
    Connected {
        greeting: String,
        keys: String,
        listening: Listening,
    },
}

/// A call on the phone's screen.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct CallView {
    pub from: SenderId,
    pub screen: CallScreen,
}

/// One simulated phone.
#[derive(Debug)]
pub struct VirtualPhone {
    pub device: Device,
    pub inbox: Vec<Sms>,
    pub call: Option<CallView>,
    pub(crate) held: Vec<PendingSms>,
}

impl VirtualPhone {
    pub(crate) fn new(device: Device) -> Self {
        Self {
            device,
            inbox: Vec::new(),
            call: None,
            held: Vec::new(),
        }
    }

    /// The newest text, if any.
    pub fn latest(&self) -> Option<&Sms> {
        self.inbox.last()
    }

    /// Texts the network holds until the phone is reachable.
    pub fn held_count(&self) -> usize {
        self.held.len()
    }
}
