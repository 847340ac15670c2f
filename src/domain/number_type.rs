//! What kind of line a number is, in libphonenumber's words, and what that means for sign-in.

use serde::Serialize;

/// libphonenumber's number type, named as JSON names it (`fixedLineOrMobile`, `tollFree`, ...).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum NumberType {
    FixedLine,
    Mobile,
    FixedLineOrMobile,
    TollFree,
    PremiumRate,
    SharedCost,
    PersonalNumber,
    Voip,
    Pager,
    Uan,
    Voicemail,
    Unknown,
}

impl NumberType {
    /// The JSON name, for plain-text output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::FixedLine => "fixedLine",
            Self::Mobile => "mobile",
            Self::FixedLineOrMobile => "fixedLineOrMobile",
            Self::TollFree => "tollFree",
            Self::PremiumRate => "premiumRate",
            Self::SharedCost => "sharedCost",
            Self::PersonalNumber => "personalNumber",
            Self::Voip => "voip",
            Self::Pager => "pager",
            Self::Uan => "uan",
            Self::Voicemail => "voicemail",
            Self::Unknown => "unknown",
        }
    }

    /// A plain description for people.
    pub fn describe(self) -> &'static str {
        match self {
            Self::FixedLine => "fixed line",
            Self::Mobile => "mobile",
            Self::FixedLineOrMobile => "fixed line or mobile",
            Self::TollFree => "toll-free",
            Self::PremiumRate => "premium rate",
            Self::SharedCost => "shared cost",
            Self::PersonalNumber => "personal number",
            Self::Voip => "VoIP",
            Self::Pager => "pager",
            Self::Uan => "company (UAN) number",
            Self::Voicemail => "voicemail access",
            Self::Unknown => "unknown type",
        }
    }

    /// Whether a text message can be expected to arrive. `FixedLineOrMobile` (US/Canada) cannot be
    /// told apart from the number, so it gets the benefit of the doubt.
    pub fn can_receive_sms(self) -> bool {
        matches!(self, Self::Mobile | Self::FixedLineOrMobile)
    }

    /// Why a number of this type is a poor authentication phone, when it is one.
    pub fn caveat(self) -> Option<&'static str> {
        match self {
            Self::TollFree => {
                Some("toll-free numbers often cannot receive international calls or text messages")
            }
            Self::PremiumRate => {
                Some("calls to premium-rate numbers cost money and are a known toll-fraud pattern")
            }
            Self::Voip => Some("VoIP numbers often do not receive verification texts"),
            Self::SharedCost | Self::Uan | Self::PersonalNumber => {
                Some("this kind of number is routed by a service and may not reach one phone")
            }
            Self::Pager => Some("pagers cannot answer a call or show a verification code"),
            Self::Voicemail => Some("this number reaches a voicemail system, not a person"),
            _ => None,
        }
    }
}
