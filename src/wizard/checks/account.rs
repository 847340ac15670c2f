//! Checks on the account: blocks, registered methods, the default method, and the simulator's
//! counters that lock a user out (the SSPR limit, consecutive failures, codes left live).

use super::CheckResult;
use crate::domain::rules::sms_blocker;
use crate::domain::sanitize::display_safe;
use crate::domain::{DefaultMethod, PhoneType};
use crate::sim::throttle::{self, Refusal};
use crate::wizard::facts::Facts;

pub fn user_blocked(f: &Facts) -> CheckResult {
    let Some(block) = f.user.active_block(f.now) else {
        return CheckResult::pass("the user is not blocked");
    };
    let until = match block.until {
        Some(until) => format!(" until {until}"),
        None => " until an administrator unblocks them".to_owned(),
    };
    CheckResult::fail(format!(
        "{}{until} (\"{}\"): every phone verification is denied",
        f.describe_block(block),
        display_safe(&block.reason)
    ))
}

pub fn methods_registered(f: &Facts) -> CheckResult {
    if f.user.phone_methods.is_empty() {
        return CheckResult::fail(
            "no phone methods are registered: there is nothing to text or call (the sign-in asks to register, AADSTS50079)",
        );
    }
    let slots: Vec<&str> = f
        .user
        .phone_methods
        .iter()
        .map(|m| m.phone_type.as_str())
        .collect();
    CheckResult::pass(format!("registered: {}", slots.join(", ")))
}

pub fn default_method(f: &Facts) -> CheckResult {
    let user = &f.user;
    if user.phone_methods.is_empty() {
        return CheckResult::pass("no phone methods, so no default to check");
    }
    match user.default_mfa_method {
        None => CheckResult::fail(
            "no default MFA method is set: the sign-in falls back to a text to the mobile, or a call to the first phone",
        ),
        Some(DefaultMethod::Sms) => match user.method(PhoneType::Mobile) {
            Some(mobile) => match sms_blocker(&mobile.phone_number) {
                Some(why) => CheckResult::fail(format!(
                    "the default method texts the mobile phone, but it cannot receive texts: {why}"
                )),
                None => CheckResult::pass("the default method is a text to the mobile phone"),
            },
            None => {
                CheckResult::fail("the default method texts a mobile phone that is not registered")
            }
        },
        Some(method) => CheckResult::pass(format!(
            "the default method is {method} ({})",
            method.label().to_lowercase()
        )),
    }
}

pub fn sspr_limit(f: &Facts) -> CheckResult {
    match f.sspr_blocked_until {
        Some(until) => CheckResult::fail(format!(
            "password reset is blocked until {until}: {} phone validations within an hour block it for 24 hours after the last attempt, and each new attempt moves that time on",
            throttle::SSPR_VALIDATIONS
        )),
        None => CheckResult::pass("password reset is not blocked by its validation limit"),
    }
}

pub fn failure_lock(f: &Facts) -> CheckResult {
    let n = f.failures.consecutive;
    let failures = if n == 1 {
        "1 failed verification".to_owned()
    } else {
        format!("{n} failed verifications")
    };
    match f.failures.gate(f.now) {
        Err(Refusal::FailureLock { failures }) => CheckResult::fail(format!(
            "{failures} failed verifications in a row: checks are refused until an administrator clears the count"
        )),
        Err(Refusal::FailureDelay { until }) => CheckResult::fail(format!(
            "{failures} in a row: the next check is allowed at {until}, and each further failure doubles the wait"
        )),
        Err(refusal) => CheckResult::fail(format!("{failures} in a row: {}", refusal.describe())),
        Ok(()) if n > 0 => CheckResult::pass(format!(
            "{failures} in a row, but no wait applies now (a lock needs {})",
            throttle::MAX_CONSECUTIVE_FAILURES
        )),
        Ok(()) => CheckResult::pass("no failed verifications since the last success"),
    }
}

pub fn stale_code(f: &Facts) -> CheckResult {
    let stale: Vec<_> = f
        .live_codes
        .iter()
        .filter(|c| c.expired_at(f.now))
        .collect();
    if let Some(oldest) = stale.first() {
        return CheckResult::fail(format!(
            "{} code{} never closed: the oldest was sent at {} and expired at {}; its sign-in was abandoned, so whatever the user types against it is refused",
            stale.len(),
            if stale.len() == 1 { " was" } else { "s were" },
            oldest.issued_at,
            oldest.expires_at
        ));
    }
    match f.live_codes.last() {
        Some(live) => CheckResult::pass(format!(
            "one code is in flight, valid until {}",
            live.expires_at
        )),
        None => CheckResult::pass("no code is left open"),
    }
}
