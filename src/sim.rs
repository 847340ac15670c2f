//! The simulated world behind the sign-in pane and `phonedesk signin`: flows as state machines
//! (SMS sign-in, MFA and SSPR by text and voice), one-time codes, limits, devices, telecom
//! providers, voice calls, the persisted sign-in log, and the guided demos.
//!
//! Deterministic when asked: a virtual clock and a seeded generator make every flow replay
//! exactly (same seed, same codes, senders, routes and timeline). The live app draws codes from
//! the operating system. No ratatui here: a pane drives [`session::Session`] and draws its view.

pub mod clock;
pub mod demo_script;
pub mod device;
pub mod flow;
pub mod log;
pub mod otp;
pub mod person;
pub mod reason;
pub mod reset;
pub mod sandbox;
pub mod session;
pub mod stand_in;
pub mod telecom;
pub mod throttle;
pub mod voice;
pub mod world;

use std::fmt;

pub use clock::VirtualClock;

pub use demo_script::{DemoPlayer, DemoScript, PlayedStep};
pub use device::DeviceChange;
pub use flow::{Channel, FlowKind, FlowRequest};
pub use log::{SignInRecord, Step};
pub use person::Response;

pub use reason::{Outcome, Reason, SignInResult, StepKind};
pub use session::{Event, Session, SessionOptions, SessionView, TimelineEntry, Waiting};
pub use telecom::Fault;

use crate::store::{StoreError, TxnError};

/// Why the simulator did not do what it was asked. A denied sign-in is not an error: it is an
/// [`Outcome`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimError {
    Store(StoreError),
    /// The event does not fit what the session is doing ("no phone is ringing").
    NotNow(String),
    /// Input the simulator cannot take (an unknown provider, a key no phone has).
    Invalid(String),
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Store(e) => write!(f, "{e}"),
            Self::NotNow(e) | Self::Invalid(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for SimError {}

impl From<StoreError> for SimError {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}

/// A transaction error outside a transaction (an encoding failure) as a store error.
pub(crate) fn txn_error(e: TxnError) -> SimError {
    SimError::Store(match e {
        TxnError::Refused(e) => e,
        TxnError::Conflict => StoreError::Io("transaction conflict".into()),
        TxnError::Storage(e) => StoreError::Io(e),
    })
}
