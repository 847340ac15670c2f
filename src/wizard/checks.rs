//! The named automatic checks the tree refers to. Each is a pure function of [`Facts`] that
//! answers pass, fail or unknown (or, for a route, a case to branch on) with a finding in plain
//! words. The rules themselves stay in the domain and the simulator; a check only asks them and
//! says what it found.

mod account;
mod log;
mod number;
mod route;
mod sms;

use serde::Serialize;

use super::facts::Facts;

/// What a check concluded.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Status {
    /// Nothing wrong here.
    Pass,
    /// The problem this check looks for is there.
    Fail,
    /// The check cannot tell.
    Unknown,
    /// An observation that only decides the way on (which channel a sign-in uses).
    Info,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::Unknown => "unknown",
            Self::Info => "info",
        }
    }

    pub const ALL: [Self; 4] = [Self::Pass, Self::Fail, Self::Unknown, Self::Info];
}

/// One check's answer.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct CheckResult {
    pub status: Status,
    /// A finer outcome the tree may branch on (`notEnabled`, `text`), one of the check's cases.
    pub case: Option<&'static str>,
    /// What was found, in plain words; numbers masked unless revealed.
    pub finding: String,
}

impl CheckResult {
    pub fn pass(finding: impl Into<String>) -> Self {
        Self::new(Status::Pass, None, finding)
    }

    pub fn fail(finding: impl Into<String>) -> Self {
        Self::new(Status::Fail, None, finding)
    }

    pub fn unknown(finding: impl Into<String>) -> Self {
        Self::new(Status::Unknown, None, finding)
    }

    pub fn new(status: Status, case: Option<&'static str>, finding: impl Into<String>) -> Self {
        Self {
            status,
            case,
            finding: finding.into(),
        }
    }
}

/// A check as the tree names it.
pub struct CheckSpec {
    pub name: &'static str,
    /// Every (status, case) the check can answer: the tree must route each of them.
    pub outcomes: &'static [(Status, Option<&'static str>)],
    /// Reads the sign-in log or the simulator's counters, which move while the operator waits
    /// (a retry in the sign-in pane): `refresh` re-runs these.
    pub live: bool,
    pub run: fn(&Facts) -> CheckResult,
}

impl std::fmt::Debug for CheckSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

const PASS_FAIL: &[(Status, Option<&str>)] = &[(Status::Pass, None), (Status::Fail, None)];

const fn spec(name: &'static str, live: bool, run: fn(&Facts) -> CheckResult) -> CheckSpec {
    CheckSpec {
        name,
        outcomes: PASS_FAIL,
        live,
        run,
    }
}

/// Every check, by name.
pub static CHECKS: &[CheckSpec] = &[
    spec("user-blocked", false, account::user_blocked),
    spec("methods-registered", false, account::methods_registered),
    spec("default-method", false, account::default_method),
    spec("sspr-limit", true, account::sspr_limit),
    spec("failure-lock", true, account::failure_lock),
    spec("stale-code", true, account::stale_code),
    spec("number-shape", false, number::shape),
    spec("number-valid", false, number::valid),
    spec("country-code", false, number::country_code),
    spec(
        "landline-in-mobile-slot",
        false,
        number::landline_in_mobile_slot,
    ),
    spec("service-number", false, number::service_number),
    spec("country-opt-in", false, number::country_opt_in),
    CheckSpec {
        name: "sspr-extension",
        outcomes: &[
            (Status::Pass, None),
            (Status::Fail, None),
            (Status::Unknown, None),
        ],
        live: false,
        run: number::sspr_extension,
    },
    CheckSpec {
        name: "sms-sign-in-state",
        outcomes: sms::OUTCOMES,
        live: false,
        run: sms::state,
    },
    CheckSpec {
        name: "planned-route",
        outcomes: route::OUTCOMES,
        live: true,
        run: route::planned_route,
    },
    spec("log-throttled", true, log::throttled),
    spec("log-voicemail", true, log::voicemail),
    spec("log-unreachable", true, log::unreachable),
    spec("log-never-entered", true, log::never_entered),
    spec("log-provider-failures", true, log::provider_failures),
    spec("log-key-tones", true, log::key_tones),
    spec("log-wrong-codes", true, log::wrong_codes),
    spec("log-code-expired", true, log::code_expired),
    spec("log-code-reused", true, log::code_reused),
    spec("log-wrong-pin", true, log::wrong_pin),
    spec("log-hung-up", true, log::hung_up),
    spec("log-invalid-extension", true, log::invalid_extension),
    spec("five-attempts", true, log::five_attempts),
];

pub use log::provider_fault as log_provider_fault;

/// The check with this name.
pub fn find(name: &str) -> Option<&'static CheckSpec> {
    CHECKS.iter().find(|c| c.name == name)
}

/// A list of slot phrases for a finding: "the mobile number +1 ********57: ...".
fn slot_phrase(slot: crate::domain::PhoneType) -> &'static str {
    match slot {
        crate::domain::PhoneType::Mobile => "the mobile number",
        crate::domain::PhoneType::AlternateMobile => "the alternate mobile number",
        crate::domain::PhoneType::Office => "the office number",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_kebab_case() {
        let mut names: Vec<&str> = CHECKS.iter().map(|c| c.name).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len());
        for name in names {
            assert!(
                name.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{name}"
            );
        }
    }
}
