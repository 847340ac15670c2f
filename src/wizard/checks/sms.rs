//! The SMS sign-in state of the mobile, as the domain computes it, with a case per state so the
//! tree can send each cause to its own remedy.

use super::{CheckResult, Status};
use crate::domain::SmsSignInState;
use crate::wizard::facts::Facts;

/// The case names are Graph's `smsSignInState` values, plus `noMobile`.
pub const OUTCOMES: &[(Status, Option<&str>)] = &[
    (Status::Pass, None),
    (Status::Fail, Some("noMobile")),
    (Status::Fail, Some("notSupported")),
    (Status::Fail, Some("notAllowedByPolicy")),
    (Status::Fail, Some("notEnabled")),
    (Status::Fail, Some("notConfigured")),
    (Status::Fail, Some("phoneNumberNotUnique")),
    (Status::Fail, Some("unknownFutureValue")),
];

pub fn state(f: &Facts) -> CheckResult {
    let Some(status) = &f.sms else {
        return CheckResult::new(
            Status::Fail,
            Some("noMobile"),
            "no mobile phone is registered: SMS sign-in texts the mobile only",
        );
    };
    if status.state == SmsSignInState::Ready {
        return CheckResult::pass(format!("ready: {}", status.reason));
    }
    // The state in words first (the Graph name stays in the check's case, for the tree).
    let mut finding = format!("SMS sign-in {}: {}", status.state.short(), status.reason);
    if status.state == SmsSignInState::PhoneNumberNotUnique {
        let mine = f.user.upn().key();
        let holders: Vec<&str> = f
            .mobile_claims
            .iter()
            .filter(|c| c.upn_key != mine)
            .map(|c| c.upn_key.as_str())
            .collect();
        if !holders.is_empty() {
            finding.push_str(&format!(" (also claimed by {})", holders.join(", ")));
        }
    }
    CheckResult::new(Status::Fail, Some(status.state.as_str()), finding)
}
