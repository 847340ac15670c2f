//! The tenant and its authentication-method policy.

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
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            sms_sign_in_groups: Vec::new(),
            office_phone_allowed: true,
        }
    }
}

impl Policy {
    /// Whether the SMS sign-in policy targets this user.
    pub fn targets_for_sms_sign_in(&self, user: &User) -> bool {
        self.sms_sign_in_groups.iter().any(|g| user.is_member_of(g))
    }
}
