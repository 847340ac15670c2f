//! Checks on the user's sign-in log since their latest success (in the last day): what the
//! attempts ended with, in the log's own reasons, and the "five attempts within five minutes"
//! rule for faulty telecom providers (DOMAIN.md §4).

use super::{CheckResult, Status};
use crate::sim::log::SignInRecord;
use crate::sim::reason::{Reason, StepKind};
use crate::wizard::facts::Facts;

/// The window of the provider rule: "try at least five times within 5 minutes".
pub const FIVE_MINUTES_MS: i64 = 5 * 60_000;
/// Attempts the provider rule asks for before a support case.
pub const ATTEMPTS_BEFORE_SUPPORT: usize = 5;

const SINCE: &str = "since the latest success in the last 24 hours";

/// An attempt that failed at the telecom provider (as the log can tell): a text or a call the
/// provider could not send or place, a service error, or key tones lost on the way.
pub fn provider_fault(record: &SignInRecord) -> bool {
    matches!(
        record.reason,
        Some(Reason::SmsNotSent | Reason::CallNotPlaced | Reason::ServiceError)
    ) || record.steps.iter().any(|s| s.kind == StepKind::DtmfLost)
}

/// One attempt in a finding: when, what, through whom, under which correlation id.
pub fn describe(record: &SignInRecord) -> String {
    let mut text = format!("{} {}", record.started_at, record.flow.label());
    if let Some(channel) = record.channel {
        text.push_str(&format!(
            " by {}",
            if channel == crate::sim::Channel::Sms {
                "text"
            } else {
                "call"
            }
        ));
    }
    if let Some(provider) = &record.provider {
        text.push_str(&format!(" via {provider}"));
    }
    text.push_str(&format!(
        ": {} (correlation {})",
        record.reason.map_or("success", Reason::text),
        record.correlation_id
    ));
    text
}

/// The detail of the step of the first of `kinds` (most telling first) in `record`: the
/// simulator's account of what happened.
fn detail(record: &SignInRecord, kinds: &[StepKind]) -> Option<String> {
    kinds
        .iter()
        .find_map(|kind| record.steps.iter().find(|s| s.kind == *kind))
        .map(|s| s.detail.clone())
}

/// What a log check looks for: the attempts that match, how to say they did, and how to say
/// none did.
struct Look<'a> {
    wanted: &'a dyn Fn(&SignInRecord) -> bool,
    /// "went to voicemail": follows "N attempts".
    what: &'a str,
    /// "no call went to voicemail": followed by the window.
    none: &'a str,
    /// The step kinds whose detail explains the latest match.
    kinds: &'a [StepKind],
}

/// Fails when unresolved attempts match: how many, and the latest with its detail.
fn look_for(f: &Facts, look: &Look<'_>) -> CheckResult {
    let Look {
        wanted,
        what,
        none,
        kinds,
    } = look;
    let found: Vec<&SignInRecord> = f.unresolved().iter().filter(|r| wanted(r)).collect();
    let Some(latest) = found.first() else {
        return CheckResult::pass(format!("{none} {SINCE}"));
    };
    let mut finding = format!(
        "{} attempt{} {what}; the latest: {}",
        found.len(),
        if found.len() == 1 { "" } else { "s" },
        describe(latest)
    );
    if let Some(detail) = detail(latest, kinds) {
        finding.push_str(&format!(" - {detail}"));
    }
    CheckResult::fail(finding)
}

fn reason_in(reasons: &'static [Reason]) -> impl Fn(&SignInRecord) -> bool {
    move |r| r.reason.is_some_and(|reason| reasons.contains(&reason))
}

pub fn throttled(f: &Facts) -> CheckResult {
    let mut result = look_for(
        f,
        &Look {
            wanted: &reason_in(&[Reason::Throttled]),
            what: "was refused by the send limit (AADSTS50088)",
            none: "no attempt was refused by the send limit",
            kinds: &[StepKind::Throttled],
        },
    );
    let latest = f
        .unresolved()
        .iter()
        .find(|r| r.reason == Some(Reason::Throttled));
    if let Some(latest) = latest {
        // Every send the limit counted was inside the window before the refusal, so all of them
        // have left it one window after the refusal.
        let refused_at = latest
            .steps
            .iter()
            .find(|s| s.kind == StepKind::Throttled)
            .map_or(latest.ended_at, |s| s.at);
        let v = &f.policy.verification;
        result.finding.push_str(&format!(
            "; the limit allows {} texts and {} calls per user and per number in {} s, so sends are possible again by {}",
            v.send_limit,
            v.send_limit,
            v.send_window_seconds,
            refused_at.plus_secs(i64::from(v.send_window_seconds))
        ));
    }
    result
}

pub fn voicemail(f: &Facts) -> CheckResult {
    look_for(
        f,
        &Look {
            wanted: &reason_in(&[Reason::Voicemail]),
            what: "went to voicemail",
            none: "no call went to voicemail",
            kinds: &[StepKind::Voicemail],
        },
    )
}

pub fn unreachable(f: &Facts) -> CheckResult {
    look_for(
        f,
        &Look {
            wanted: &reason_in(&[Reason::UnableToReach]),
            what: "could not reach the phone",
            none: "every attempt reached the phone",
            kinds: &[StepKind::PhoneUnreachable],
        },
    )
}

pub fn never_entered(f: &Facts) -> CheckResult {
    look_for(
        f,
        &Look {
            wanted: &reason_in(&[Reason::NeverEntered]),
            what: "was sent but never completed (the service believes the phone got it)",
            none: "no code or call was left unused",
            kinds: &[
                StepKind::SmsDelivered,
                StepKind::NoAnswer,
                StepKind::InputTimeout,
            ],
        },
    )
}

pub fn provider_failures(f: &Facts) -> CheckResult {
    look_for(
        f,
        &Look {
            wanted: &provider_fault,
            what: "failed at the telecom provider",
            none: "no attempt failed at the telecom provider",
            kinds: &[
                StepKind::SmsNotSent,
                StepKind::CallNotPlaced,
                StepKind::DtmfLost,
                StepKind::ServiceError,
            ],
        },
    )
}

pub fn key_tones(f: &Facts) -> CheckResult {
    look_for(
        f,
        &Look {
            wanted: &|r| r.steps.iter().any(|s| s.kind == StepKind::DtmfLost),
            what: "lost the key tones on the way (missing DTMF tones, a provider fault)",
            none: "no key tones were lost",
            kinds: &[StepKind::DtmfLost],
        },
    )
}

pub fn wrong_codes(f: &Facts) -> CheckResult {
    look_for(
        f,
        &Look {
            wanted: &reason_in(&[Reason::IncorrectCode, Reason::TooManyIncorrectCodes]),
            what: "ended with a wrong code",
            none: "no wrong code was typed",
            kinds: &[StepKind::CodeRejected],
        },
    )
}

pub fn code_expired(f: &Facts) -> CheckResult {
    let lifetime = f.policy.verification.code_lifetime_seconds;
    let mut result = look_for(
        f,
        &Look {
            wanted: &reason_in(&[Reason::CodeExpired]),
            what: "typed a code after it expired",
            none: "no code was typed after it expired",
            kinds: &[StepKind::CodeExpired],
        },
    );
    if result.status == Status::Fail {
        result
            .finding
            .push_str(&format!("; a code lives {lifetime} s"));
    }
    result
}

pub fn code_reused(f: &Facts) -> CheckResult {
    look_for(
        f,
        &Look {
            wanted: &reason_in(&[Reason::CodeAlreadyUsed]),
            what: "typed a code that was already used once",
            none: "no code was typed twice",
            kinds: &[StepKind::CodeRejected],
        },
    )
}

pub fn wrong_pin(f: &Facts) -> CheckResult {
    look_for(
        f,
        &Look {
            wanted: &reason_in(&[Reason::IncorrectPin]),
            what: "ended with a wrong PIN",
            none: "no wrong PIN was entered",
            kinds: &[StepKind::PinRejected],
        },
    )
}

pub fn hung_up(f: &Facts) -> CheckResult {
    look_for(
        f,
        &Look {
            wanted: &reason_in(&[Reason::HungUp]),
            what: "ended with the user hanging up before approving",
            none: "nobody hung up before approving",
            kinds: &[StepKind::HungUp],
        },
    )
}

pub fn invalid_extension(f: &Facts) -> CheckResult {
    look_for(
        f,
        &Look {
            wanted: &reason_in(&[Reason::InvalidExtension]),
            what: "could not be transferred to the extension",
            none: "every transfer to an extension worked",
            kinds: &[StepKind::InvalidExtension, StepKind::TransferPrompt],
        },
    )
}

/// The busiest five minutes of provider failures: how many, from when to when.
fn busiest_window(faults: &[&SignInRecord]) -> (usize, Option<(String, String)>) {
    let mut best = (0, None);
    for first in faults {
        let start = first.started_at;
        let inside: Vec<&&SignInRecord> = faults
            .iter()
            .filter(|r| {
                let offset = r.started_at.since(start);
                (0..FIVE_MINUTES_MS).contains(&offset)
            })
            .collect();
        if inside.len() > best.0 {
            let last = inside.iter().map(|r| r.started_at).max().unwrap_or(start);
            best = (inside.len(), Some((start.to_string(), last.to_string())));
        }
    }
    best
}

/// Passes once the user has made the documented retries: five attempts failing at the provider
/// within five minutes. Below that, the advice is to retry (another provider may carry it).
pub fn five_attempts(f: &Facts) -> CheckResult {
    let faults: Vec<&SignInRecord> = f
        .unresolved()
        .iter()
        .filter(|r| provider_fault(r))
        .collect();
    let last_five = f
        .log
        .iter()
        .filter(|r| f.now.since(r.started_at) < FIVE_MINUTES_MS)
        .count();
    let (busiest, span) = busiest_window(&faults);
    match span {
        Some((from, to)) if busiest >= ATTEMPTS_BEFORE_SUPPORT => CheckResult::pass(format!(
            "{busiest} attempts failed at the provider within five minutes ({from} to {to}): the retries Microsoft asks for are done"
        )),
        _ => CheckResult::fail(format!(
            "{last_five} attempt{} in the last five minutes, at most {busiest} failing at the provider within five minutes: fewer than the {ATTEMPTS_BEFORE_SUPPORT} Microsoft asks for before a support case",
            if last_five == 1 { "" } else { "s" }
        )),
    }
}
