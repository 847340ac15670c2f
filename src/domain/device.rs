//! The phone at the end of a number, as the simulator models it: is it on, does it have signal,
//! can it take texts, does it forward to voicemail, is it a landline, which senders it blocks.
//! These are the conditions the troubleshooting list of DOMAIN.md §6 checks on a device.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::diagnosis;
use super::number_type::NumberType;
use super::phone::PhoneNumber;

/// Shortest and longest short code accepted (US short codes are 5-6 digits, Canada's 5-6; some
/// countries use 3-8).
pub const SHORT_CODE_DIGITS: std::ops::RangeInclusive<usize> = 3..=8;
/// Most blocked senders one device keeps (a phone's block list is short; this bounds the record).
pub const MAX_BLOCKED_SENDERS: usize = 50;

/// Who a text or a call comes from, as the phone shows it: a short code or a full number.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum SenderId {
    ShortCode(String),
    Number(PhoneNumber),
}

impl SenderId {
    /// A short code (`26096`) or a number with its country code (`+1 855 330 8653`, normalised).
    pub fn parse(text: &str) -> Result<Self, String> {
        let trimmed = text.trim();
        if trimmed.starts_with('+') {
            let number = PhoneNumber::parse(trimmed, None).map_err(|e| e.to_string())?;
            if number.extension().is_some() {
                return Err("a sender number has no extension".into());
            }
            return Ok(Self::Number(number));
        }
        let digits: String = trimmed.chars().filter(|c| *c != ' ').collect();
        if digits.bytes().all(|b| b.is_ascii_digit()) && SHORT_CODE_DIGITS.contains(&digits.len()) {
            return Ok(Self::ShortCode(digits));
        }
        Err(format!(
            "\"{}\" is neither a short code ({} to {} digits) nor a number with +country code",
            trimmed.chars().take(40).collect::<String>(),
            SHORT_CODE_DIGITS.start(),
            SHORT_CODE_DIGITS.end()
        ))
    }
}

impl fmt::Display for SenderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ShortCode(code) => f.write_str(code),
            Self::Number(number) => write!(f, "{number}"),
        }
    }
}

impl Serialize for SenderId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SenderId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// One simulated phone, keyed by its number without extension (an office extension is a desk on
/// the same line).
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Device {
    pub phone_number: PhoneNumber,
    pub powered_on: bool,
    pub signal: bool,
    /// The line has a messaging service (texts can be delivered at all).
    pub sms_subscribed: bool,
    /// Calls that are not answered, declined, or cannot reach the phone go to voicemail.
    pub voicemail: bool,
    /// A fixed line: it takes calls, never texts.
    pub landline: bool,
    /// Short codes and numbers the owner blocked: their texts are discarded and their calls
    /// rejected. Kept sorted and without duplicates.
    pub blocked_senders: Vec<SenderId>,
}

impl Device {
    /// The device a number has until someone changes it: on, with signal, no voicemail; a
    /// landline when the number is a fixed line; SMS when the number type can take texts.
    pub fn defaults_for(number: &PhoneNumber) -> Self {
        let number = number.without_extension();
        let (_, kind) = diagnosis::classify(&number);
        let landline = kind == NumberType::FixedLine;
        Self {
            sms_subscribed: kind.can_receive_sms() && !landline,
            phone_number: number,
            powered_on: true,
            signal: true,
            voicemail: false,
            landline,
            blocked_senders: Vec::new(),
        }
    }

    /// The phone can be reached by the network right now.
    pub fn reachable(&self) -> bool {
        self.powered_on && self.signal
    }

    /// The phone can receive a text when reachable.
    pub fn takes_texts(&self) -> bool {
        self.sms_subscribed && !self.landline
    }

    pub fn blocks(&self, sender: &SenderId) -> bool {
        self.blocked_senders.binary_search(sender).is_ok()
    }

    /// Adds a blocked sender (kept sorted); refuses beyond [`MAX_BLOCKED_SENDERS`].
    pub fn block(&mut self, sender: SenderId) -> Result<(), String> {
        if let Err(at) = self.blocked_senders.binary_search(&sender) {
            if self.blocked_senders.len() >= MAX_BLOCKED_SENDERS {
                return Err(format!(
                    "a device blocks at most {MAX_BLOCKED_SENDERS} senders"
                ));
            }
            self.blocked_senders.insert(at, sender);
        }
        Ok(())
    }

    pub fn unblock(&mut self, sender: &SenderId) {
        self.blocked_senders.retain(|s| s != sender);
    }

    /// A one-line summary for people and for the audit trail (no number in it).
    pub fn summary(&self) -> String {
        let on_off = |b: bool| if b { "on" } else { "off" };
        let blocked = if self.blocked_senders.is_empty() {
            "none".to_owned()
        } else {
            self.blocked_senders
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        format!(
            "power {}, signal {}, sms {}, voicemail {}, landline {}, blocked senders: {blocked}",
            on_off(self.powered_on),
            on_off(self.signal),
            on_off(self.sms_subscribed),
            on_off(self.voicemail),
            if self.landline { "yes" } else { "no" },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(s: &str) -> PhoneNumber {
        PhoneNumber::parse_canonical(s).unwrap()
    }

    #[test]
    fn defaults_follow_the_number_type() {
        let mobile = Device::defaults_for(&number("+61 491570156"));
        assert!(mobile.reachable() && mobile.takes_texts() && !mobile.landline);
        let uk_fixed = Device::defaults_for(&number("+44 2079460123"));
        assert!(uk_fixed.landline && !uk_fixed.takes_texts());
        let office = Device::defaults_for(&number("+1 2065550180x14"));
        assert_eq!(office.phone_number, number("+1 2065550180"));
        assert!(!office.voicemail && office.blocked_senders.is_empty());
    }

    #[test]
    fn senders_parse_as_short_codes_or_numbers() {
        assert_eq!(
            SenderId::parse(" 26096 "),
            Ok(SenderId::ShortCode("26096".into()))
        );
        assert_eq!(
            SenderId::parse("+1 855 330 8653").unwrap().to_string(),
            "+1 8553308653"
        );
        assert!(SenderId::parse("12").is_err());
        assert!(SenderId::parse("abc").is_err());
        assert!(SenderId::parse("+1 2065550100x1").is_err());
    }

    #[test]
    fn block_list_stays_sorted_and_unique() {
        let mut device = Device::defaults_for(&number("+1 2065550101"));
        device.block(SenderId::parse("97671").unwrap()).unwrap();
        device.block(SenderId::parse("26096").unwrap()).unwrap();
        device.block(SenderId::parse("26096").unwrap()).unwrap();
        assert_eq!(device.blocked_senders.len(), 2);
        assert!(device.blocks(&SenderId::parse("26096").unwrap()));
        device.unblock(&SenderId::parse("26096").unwrap());
        assert!(!device.blocks(&SenderId::parse("26096").unwrap()));
    }
}
