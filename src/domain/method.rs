//! The three phone slots and the Graph `phoneAuthenticationMethod` shape (DOMAIN.md §1).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::phone::PhoneNumber;
use super::time::Timestamp;

/// A phone slot. The slot of a method never changes: to move a number, add the new slot and delete
/// the old one.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PhoneType {
    Mobile,
    AlternateMobile,
    Office,
}

impl PhoneType {
    pub const ALL: [Self; 3] = [Self::Mobile, Self::AlternateMobile, Self::Office];

    /// The fixed method id Graph gives every method in this slot.
    pub fn method_id(self) -> &'static str {
        match self {
            Self::Mobile => "3179e48a-750b-4051-897c-87b9720928f7",
            Self::AlternateMobile => "b6332ec1-7057-4abe-9331-3d72feddfe41",
            Self::Office => "e37fc753-ff3b-4958-9484-eaa9425c82bc",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mobile => "mobile",
            Self::AlternateMobile => "alternateMobile",
            Self::Office => "office",
        }
    }

    /// A label for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Mobile => "Mobile",
            Self::AlternateMobile => "Alternate mobile",
            Self::Office => "Office",
        }
    }

    /// The slot's phone with its article, for sentences: "an office phone".
    pub fn a_phone(self) -> &'static str {
        match self {
            Self::Mobile => "a mobile phone",
            Self::AlternateMobile => "an alternate mobile phone",
            Self::Office => "an office phone",
        }
    }

    /// Only the mobile slot receives text messages; the other two are voice only.
    pub fn receives_sms(self) -> bool {
        self == Self::Mobile
    }

    /// SSPR may call or text the mobile and office phones, never the alternate mobile.
    pub fn usable_for_sspr(self) -> bool {
        self != Self::AlternateMobile
    }

    /// Extensions are meaningful for office phones only.
    pub fn allows_extension(self) -> bool {
        self == Self::Office
    }

    /// The slots that carry a mobile number, where a landline deserves a warning.
    pub fn expects_mobile(self) -> bool {
        self != Self::Office
    }
}

impl fmt::Display for PhoneType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PhoneType {
    type Err = String;

    /// Accepts the Graph names in any case, plus `alternate`/`alt` as aliases.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "mobile" => Ok(Self::Mobile),
            "alternatemobile" | "alternate" | "alt" => Ok(Self::AlternateMobile),
            "office" => Ok(Self::Office),
            _ => Err(format!(
                "unknown phone type \"{s}\": use mobile, alternateMobile or office"
            )),
        }
    }
}

/// One registered phone method.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PhoneMethod {
    pub phone_type: PhoneType,
    pub phone_number: PhoneNumber,
    pub sms_sign_in_enabled: bool,
    /// When this number was claimed for SMS sign-in (enabled, or the number changed while enabled).
    /// The earliest claim holds a shared number; later claimants are `phoneNumberNotUnique`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_sign_in_since: Option<Timestamp>,
}

/// Graph's read-only `smsSignInState`, computed from the user, the policy and the other holders of
/// the number; never accepted from input.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SmsSignInState {
    NotSupported,
    NotAllowedByPolicy,
    NotEnabled,
    NotConfigured,
    PhoneNumberNotUnique,
    Ready,
    UnknownFutureValue,
}

impl SmsSignInState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotSupported => "notSupported",
            Self::NotAllowedByPolicy => "notAllowedByPolicy",
            Self::NotEnabled => "notEnabled",
            Self::NotConfigured => "notConfigured",
            Self::PhoneNumberNotUnique => "phoneNumberNotUnique",
            Self::Ready => "ready",
            Self::UnknownFutureValue => "unknownFutureValue",
        }
    }
}

impl SmsSignInState {
    /// A short label for narrow columns.
    pub fn short(self) -> &'static str {
        match self {
            Self::NotSupported => "unsupported",
            Self::NotAllowedByPolicy => "not in policy",
            Self::NotEnabled => "not enabled",
            Self::NotConfigured => "not configured",
            Self::PhoneNumberNotUnique => "not unique",
            Self::Ready => "ready",
            Self::UnknownFutureValue => "unknown",
        }
    }
}

impl fmt::Display for SmsSignInState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The default MFA method: which phone, by text or by voice.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DefaultMethod {
    Sms,
    VoiceMobile,
    VoiceAlternateMobile,
    VoiceOffice,
}

impl DefaultMethod {
    pub const ALL: [Self; 4] = [
        Self::Sms,
        Self::VoiceMobile,
        Self::VoiceAlternateMobile,
        Self::VoiceOffice,
    ];

    /// The slot this method needs.
    pub fn slot(self) -> PhoneType {
        match self {
            Self::Sms | Self::VoiceMobile => PhoneType::Mobile,
            Self::VoiceAlternateMobile => PhoneType::AlternateMobile,
            Self::VoiceOffice => PhoneType::Office,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sms => "sms",
            Self::VoiceMobile => "voiceMobile",
            Self::VoiceAlternateMobile => "voiceAlternateMobile",
            Self::VoiceOffice => "voiceOffice",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Sms => "Text to mobile",
            Self::VoiceMobile => "Call mobile",
            Self::VoiceAlternateMobile => "Call alternate mobile",
            Self::VoiceOffice => "Call office",
        }
    }
}

impl fmt::Display for DefaultMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DefaultMethod {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|m| m.as_str().to_ascii_lowercase() == wanted)
            .ok_or_else(|| {
                format!(
                    "unknown method \"{s}\": use sms, voiceMobile, voiceAlternateMobile, voiceOffice or none"
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_have_the_fixed_graph_ids() {
        assert_eq!(
            PhoneType::Mobile.method_id(),
            "3179e48a-750b-4051-897c-87b9720928f7"
        );
        assert_eq!(
            PhoneType::AlternateMobile.method_id(),
            "b6332ec1-7057-4abe-9331-3d72feddfe41"
        );
        assert_eq!(
            PhoneType::Office.method_id(),
            "e37fc753-ff3b-4958-9484-eaa9425c82bc"
        );
    }

    #[test]
    fn only_mobile_receives_sms_and_alternate_is_not_for_sspr() {
        assert!(PhoneType::Mobile.receives_sms());
        assert!(!PhoneType::AlternateMobile.receives_sms());
        assert!(!PhoneType::Office.receives_sms());
        assert!(PhoneType::Mobile.usable_for_sspr());
        assert!(PhoneType::Office.usable_for_sspr());
        assert!(!PhoneType::AlternateMobile.usable_for_sspr());
    }

    #[test]
    fn names_parse_case_insensitively() {
        assert_eq!(
            "alternatemobile".parse::<PhoneType>(),
            Ok(PhoneType::AlternateMobile)
        );
        assert_eq!(
            "VOICEOFFICE".parse::<DefaultMethod>(),
            Ok(DefaultMethod::VoiceOffice)
        );
        assert!("fax".parse::<PhoneType>().is_err());
    }
}
