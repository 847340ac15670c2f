//! Which way a sign-in reaches the user: by text or by call, to which phone. Not a problem check:
//! it decides whether the tree asks about texts (senders, messaging service) or calls (caller
//! ID, voicemail).

use super::{CheckResult, Status, slot_phrase};
use crate::sim::Channel;
use crate::wizard::facts::{Facts, Route};

pub const OUTCOMES: &[(Status, Option<&str>)] = &[
    (Status::Info, Some("text")),
    (Status::Info, Some("call")),
    (Status::Unknown, Some("none")),
];

pub fn planned_route(f: &Facts) -> CheckResult {
    match &f.route {
        Route::Planned {
            channel,
            slot,
            number,
            from_log,
        } => {
            let (case, how) = match channel {
                Channel::Sms => ("text", "a text to"),
                Channel::Voice => ("call", "a call to"),
            };
            let why = if *from_log {
                "as in the user's latest attempt"
            } else {
                "by the default method"
            };
            CheckResult::new(
                Status::Info,
                Some(case),
                format!(
                    "the {} reaches the user by {how} {} {} ({why})",
                    f.flow.label(),
                    slot_phrase(*slot),
                    f.show(number)
                ),
            )
        }
        Route::Refused(denial) => CheckResult::new(
            Status::Unknown,
            Some("none"),
            format!(
                "the {} cannot reach a phone: {} ({})",
                f.flow.label(),
                denial.detail,
                denial.reason.text()
            ),
        ),
    }
}
