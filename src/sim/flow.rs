//! The flows of DOMAIN.md §4 and their preconditions, as pure functions: given the user, the
//! policy and what was asked, which phone is used and how, or the documented reason it is not.
//! No I/O here; the session reads the store and applies the plan.

mod plan;
mod sms_sign_in;

pub use plan::{Denial, GreetingMode, Plan, plan_verification};
pub use sms_sign_in::{Holder, NoHolder, choose_holder};

use crate::domain::PhoneType;
pub use crate::domain::signin::{Channel, FlowKind};

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
