//! The flows of DOMAIN.md §4 and their preconditions, as pure functions: given the user, the
//! policy and what was asked, which phone is used and how, or the documented reason it is not.
//! No I/O here; the session reads the store and applies the plan.

mod plan;
mod sms_sign_in;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use plan::{Denial, GreetingMode, Plan, plan_verification};
pub use sms_sign_in::{Holder, NoHolder, choose_holder};

use crate::domain::PhoneType;

/// Which flow an attempt belongs to.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FlowKind {
    /// First factor for frontline workers: the phone number instead of a user name.
    SmsSignIn,
    Mfa,
    /// Self-service password reset.
    Sspr,
}

impl FlowKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SmsSignIn => "smsSignIn",
            Self::Mfa => "mfa",
            Self::Sspr => "sspr",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::SmsSignIn => "SMS sign-in",
            Self::Mfa => "MFA",
            Self::Sspr => "password reset",
        }
    }
}

impl fmt::Display for FlowKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Text or voice.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Channel {
    Sms,
    Voice,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sms => "sms",
            Self::Voice => "voice",
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Channel {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "sms" | "text" => Ok(Self::Sms),
            "voice" | "call" => Ok(Self::Voice),
            _ => Err(format!("unknown channel \"{s}\": use sms or voice")),
        }
    }
}

/// What the operator starts. SMS sign-in starts at the page that asks for the phone number; MFA
/// and SSPR start for a user, with an optional channel and slot (else the user's default method).
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum FlowRequest {
    SmsSignIn,
    Mfa {
        upn: String,
        via: Option<Channel>,
        slot: Option<PhoneType>,
    },
    Sspr {
        upn: String,
        via: Option<Channel>,
        slot: Option<PhoneType>,
    },
}

impl FlowRequest {
    /// The channel the flow will certainly use, when the request alone decides it: SMS sign-in
    /// texts; an explicit `via`; the alternate mobile and office slots only take calls.
    pub fn known_channel(&self) -> Option<Channel> {
        match self {
            Self::SmsSignIn => Some(Channel::Sms),
            Self::Mfa { via, slot, .. } | Self::Sspr { via, slot, .. } => match (via, slot) {
                (Some(via), _) => Some(*via),
                (None, Some(slot)) if !slot.receives_sms() => Some(Channel::Voice),
                _ => None,
            },
        }
    }

    pub fn kind(&self) -> FlowKind {
        match self {
            Self::SmsSignIn => FlowKind::SmsSignIn,
            Self::Mfa { .. } => FlowKind::Mfa,
            Self::Sspr { .. } => FlowKind::Sspr,
        }
    }
}
