//! The tenant and its authentication-method policy.

use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};

use super::user::User;

/// The organisation phonedesk is looking at.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tenant {
    pub name: String,
    pub domain: String,
}

/// The parts of the authentication-method policy that phone methods depend on.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    /// Groups targeted by the SMS method with "use for sign-in". A user in none of them is
    /// `notAllowedByPolicy` for SMS sign-in.
    pub sms_sign_in_groups: Vec<String>,
    /// The voice policy's `isOfficePhoneAllowed`: whether office phones may be registered at all.
    pub office_phone_allowed: bool,
    /// How the simulated verification service behaves (codes, limits, voice). Databases and files
    /// written before these knobs existed read as the defaults.
    #[serde(default)]
    pub verification: Verification,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            sms_sign_in_groups: Vec::new(),
            office_phone_allowed: true,
            verification: Verification::default(),
        }
    }
}

impl Policy {
    /// Whether the SMS sign-in policy targets this user.
    pub fn targets_for_sms_sign_in(&self, user: &User) -> bool {
        self.sms_sign_in_groups.iter().any(|g| user.is_member_of(g))
    }
}

/// The knobs of the verification service (DOMAIN.md §4). Microsoft publishes few of these
/// numbers; the defaults follow what is documented (6 digits, 180 s, "five attempts within five
/// minutes") and peers (5 wrong entries per code).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Verification {
    /// Digits in a one-time code.
    pub code_length: u8,
    /// How long a code is accepted after it is issued.
    pub code_lifetime_seconds: u32,
    /// Wrong entries one code survives; the next wrong entry kills it.
    pub max_wrong_codes: u32,
    /// Texts (and, separately, calls) allowed per user and per number in one window.
    pub send_limit: u32,
    /// The window the send limits count over.
    pub send_window_seconds: u32,
    /// Texts (and, separately, calls) allowed per country calling code in one window: the
    /// toll-fraud guard across users.
    pub country_send_limit: u32,
    /// Voice calls ask users who have a PIN for it ("enter your PIN followed by the pound key").
    pub pin_mode: bool,
    /// A confirmed fraud report (`0#` then `1`) blocks the user.
    pub fraud_auto_block: bool,
}

impl Default for Verification {
    fn default() -> Self {
        Self {
            code_length: 6,
            code_lifetime_seconds: 180,
            max_wrong_codes: 5,
            send_limit: 5,
            send_window_seconds: 300,
            country_send_limit: 100,
            pin_mode: false,
            fraud_auto_block: true,
        }
    }
}

impl Verification {
    /// Accepted code lengths: at least 6 digits (ROBUSTNESS.md), at most what fits in a `u64` draw.
    pub const CODE_LENGTH: RangeInclusive<u64> = 6..=10;
    pub const CODE_LIFETIME_SECONDS: RangeInclusive<u64> = 30..=3600;
    pub const MAX_WRONG_CODES: RangeInclusive<u64> = 1..=10;
    /// At least 5, so the documented "five attempts within five minutes" stays possible.
    pub const SEND_LIMIT: RangeInclusive<u64> = 5..=100;
    pub const SEND_WINDOW_SECONDS: RangeInclusive<u64> = 60..=86_400;
    pub const COUNTRY_SEND_LIMIT: RangeInclusive<u64> = 5..=1_000_000;
}
