//! The sign-in log's vocabulary (DOMAIN.md §4, §5), shared by every directory of record: how an
//! attempt ended, why, its steps, and the record the log keeps. The simulator writes these for
//! the simulated tenant; a real tenant's sign-in log is read into them (`status.errorCode`
//! mapped to the same reasons, an unknown code kept as it is). Stable camelCase names: the
//! troubleshooting wizard counts them, so they are never free text.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::{PhoneType, Timestamp};

/// Success or not.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SignInResult {
    Success,
    Denied,
}

impl SignInResult {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Denied => "denied",
        }
    }
}

/// Why an attempt was denied. The first group are Entra's MFA denied reasons, the second the
/// provider-level results, the rest phonedesk's names for rules DOMAIN.md states without a log
/// text (each marked "choice" in its doc).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Reason {
    IncorrectCode,
    TooManyIncorrectCodes,
    CodeAlreadyUsed,
    NeverEntered,
    Voicemail,
    UnableToReach,
    HungUp,
    IncorrectPin,
    UserBlocked,
    InvalidFormat,
    NoMethodsRegistered,
    FraudReported,
    ServiceError,
    SmsNotSent,
    CallNotPlaced,
    InvalidExtension,
    Throttled,
    /// Choice: a code typed after its lifetime (or before its issue time after a clock jump).
    CodeExpired,
    /// Choice: the chosen slot has no number (the user has other methods).
    MethodNotRegistered,
    /// Choice: text asked for a slot that only takes calls.
    TextToVoiceOnlySlot,
    /// Choice: text asked for a number whose type cannot receive texts (a landline).
    TextToLandline,
    /// Choice: SSPR never uses the alternate mobile phone.
    AlternateNotForSspr,
    /// Choice: the number is not `ready` for SMS sign-in (state in the step detail).
    SmsSignInNotReady,
    /// Choice: guest (B2B) accounts cannot use SMS sign-in.
    GuestNotAllowed,
    /// Choice: five phone validations within an hour block SSPR for 24 hours.
    SsprLimitReached,
    /// Choice: too many consecutive failed verifications on the account; growing delays, then a
    /// lock only an administrator clears.
    TooManyFailures,
}

impl Reason {
    pub const ALL: [Self; 26] = [
        Self::IncorrectCode,
        Self::TooManyIncorrectCodes,
        Self::CodeAlreadyUsed,
        Self::NeverEntered,
        Self::Voicemail,
        Self::UnableToReach,
        Self::HungUp,
        Self::IncorrectPin,
        Self::UserBlocked,
        Self::InvalidFormat,
        Self::NoMethodsRegistered,
        Self::FraudReported,
        Self::ServiceError,
        Self::SmsNotSent,
        Self::CallNotPlaced,
        Self::InvalidExtension,
        Self::Throttled,
        Self::CodeExpired,
        Self::MethodNotRegistered,
        Self::TextToVoiceOnlySlot,
        Self::TextToLandline,
        Self::AlternateNotForSspr,
        Self::SmsSignInNotReady,
        Self::GuestNotAllowed,
        Self::SsprLimitReached,
        Self::TooManyFailures,
    ];

    /// The stable camelCase name (as in JSON).
    pub fn name(self) -> &'static str {
        match self {
            Self::IncorrectCode => "incorrectCode",
            Self::TooManyIncorrectCodes => "tooManyIncorrectCodes",
            Self::CodeAlreadyUsed => "codeAlreadyUsed",
            Self::NeverEntered => "neverEntered",
            Self::Voicemail => "voicemail",
            Self::UnableToReach => "unableToReach",
            Self::HungUp => "hungUp",
            Self::IncorrectPin => "incorrectPin",
            Self::UserBlocked => "userBlocked",
            Self::InvalidFormat => "invalidFormat",
            Self::NoMethodsRegistered => "noMethodsRegistered",
            Self::FraudReported => "fraudReported",
            Self::ServiceError => "serviceError",
            Self::SmsNotSent => "smsNotSent",
            Self::CallNotPlaced => "callNotPlaced",
            Self::InvalidExtension => "invalidExtension",
            Self::Throttled => "throttled",
            Self::CodeExpired => "codeExpired",
            Self::MethodNotRegistered => "methodNotRegistered",
            Self::TextToVoiceOnlySlot => "textToVoiceOnlySlot",
            Self::TextToLandline => "textToLandline",
            Self::AlternateNotForSspr => "alternateNotForSspr",
            Self::SmsSignInNotReady => "smsSignInNotReady",
            Self::GuestNotAllowed => "guestNotAllowed",
            Self::SsprLimitReached => "ssprLimitReached",
            Self::TooManyFailures => "tooManyFailures",
        }
    }

    /// The sign-in log text (DOMAIN.md §5 where it has one).
    pub fn text(self) -> &'static str {
        match self {
            Self::IncorrectCode => "user entered incorrect code",
            Self::TooManyIncorrectCodes => "entered incorrect code too many times",
            Self::CodeAlreadyUsed => "verification code already used once",
            Self::NeverEntered => "user never entered the verification code",
            Self::Voicemail => "phone call went to voicemail",
            Self::UnableToReach => "unable to reach the user's phone",
            Self::HungUp => "user hung up the phone call without succeeding the authentication",
            Self::IncorrectPin => "user entered incorrect PIN",
            Self::UserBlocked => "user is blocked",
            Self::InvalidFormat => "phone number has an invalid format",
            Self::NoMethodsRegistered => "user doesn't have any verification methods registered",
            Self::FraudReported => "fraud code entered",
            Self::ServiceError => "service error",
            Self::SmsNotSent => "SMS could not be sent (provider)",
            Self::CallNotPlaced => "call could not be placed (provider)",
            Self::InvalidExtension => "invalid extension",
            Self::Throttled => "throttled",
            Self::CodeExpired => "verification code expired",
            Self::MethodNotRegistered => "the chosen phone method is not registered",
            Self::TextToVoiceOnlySlot => {
                "text messages go to the mobile phone only; this phone takes calls"
            }
            Self::TextToLandline => "the number cannot receive text messages",
            Self::AlternateNotForSspr => "password reset cannot use the alternate mobile phone",
            Self::SmsSignInNotReady => "SMS sign-in is not ready for this number",
            Self::GuestNotAllowed => "guest accounts cannot use SMS sign-in",
            Self::SsprLimitReached => {
                "too many phone validations for password reset; blocked for 24 hours"
            }
            Self::TooManyFailures => "too many failed verifications on this account",
        }
    }

    /// The AADSTS code logged with the denial: 50088 for telecom limits, 50079 when nothing is
    /// registered to verify with, 50074 ("MFA not passed") when the user never completed the
    /// challenge, 500121 ("strong authentication failed") when a check failed or was refused.
    pub fn error_code(self) -> u32 {
        match self {
            Self::Throttled | Self::SsprLimitReached => 50088,
            Self::NoMethodsRegistered | Self::MethodNotRegistered => 50079,
            Self::NeverEntered
            | Self::Voicemail
            | Self::UnableToReach
            | Self::HungUp
            | Self::SmsNotSent
            | Self::CallNotPlaced
            | Self::InvalidExtension
            | Self::CodeExpired
            | Self::ServiceError => 50074,
            _ => 500121,
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}

/// The end of an attempt.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    pub result: SignInResult,
    pub reason: Option<Reason>,
}

impl Outcome {
    pub const SUCCESS: Self = Self {
        result: SignInResult::Success,
        reason: None,
    };

    pub fn denied(reason: Reason) -> Self {
        Self {
            result: SignInResult::Denied,
            reason: Some(reason),
        }
    }

    pub fn is_success(&self) -> bool {
        self.result == SignInResult::Success
    }

    /// `success` or `denied (<reason>)`, the CLI's last line.
    pub fn describe(&self) -> String {
        match self.reason {
            None => self.result.as_str().to_owned(),
            Some(reason) => format!("{} ({reason})", self.result.as_str()),
        }
    }
}

/// What one step of an attempt was, for the log and the wizard. Provider-level results are here
/// (`smsSent`, `smsNotSent`, `callNotPlaced`, `phoneUnreachable`, `invalidExtension`,
/// `throttled`); codes and PINs never appear in a step.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum StepKind {
    /// AADSTS50076: the sign-in needs a second factor.
    MfaRequired,
    /// The flow began (SSPR, SMS sign-in).
    Started,
    NumberEntered,
    UserIdentified,
    PreconditionFailed,
    /// The extension was removed before dialling (SSPR).
    ExtensionRemoved,
    CodeIssued,
    SmsSent,
    SmsNotSent,
    SmsDelivered,
    SmsBlockedByPhone,
    PhoneUnreachable,
    CodeEntered,
    CodeAccepted,
    CodeRejected,
    CodeExpired,
    Resend,
    CallPlaced,
    CallNotPlaced,
    Ringing,
    Answered,
    Declined,
    NoAnswer,
    Voicemail,
    TransferPrompt,
    InvalidExtension,
    GreetingPlayed,
    KeysPressed,
    DtmfLost,
    PinRejected,
    FraudReported,
    FraudConfirmed,
    UserBlocked,
    HungUp,
    InputTimeout,
    Throttled,
    FailureDelay,
    ServiceError,
    Completed,
}

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

/// One step of an attempt.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub at: Timestamp,
    pub kind: StepKind,
    /// For people; never holds a code or a PIN.
    pub detail: String,
}

/// One sign-in attempt as the log keeps it.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInRecord {
    /// Assigned when the record is written.
    pub seq: u64,
    /// Shared by the attempts of one sign-in (a retry keeps it).
    pub correlation_id: String,
    /// 1 for the first attempt under this correlation id, 2 for the retry, ...
    pub attempt: u32,
    pub started_at: Timestamp,
    pub ended_at: Timestamp,
    pub flow: FlowKind,
    /// The user, when the attempt identified one.
    pub user: Option<String>,
    /// Masked (`+1 ********01`).
    pub number: Option<String>,
    pub channel: Option<Channel>,
    pub slot: Option<PhoneType>,
    /// The telecom provider of the last send.
    pub provider: Option<String>,
    pub result: SignInResult,
    pub reason: Option<Reason>,
    /// AADSTS code of a denial.
    pub error_code: Option<u32>,
    pub steps: Vec<Step>,
}

impl SignInRecord {
    pub fn outcome(&self) -> Outcome {
        Outcome {
            result: self.result,
            reason: self.reason,
        }
    }
}
