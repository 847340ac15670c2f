//! The simulated telecom providers: names, virtual latency, an injectable fault each, and who a
//! text or a call appears to come from (DOMAIN.md §4 "Senders", "Telecom routes").
//!
//! Faults are persisted in the `Telecom` tree (by provider id), so a fault set from the command
//! line shows in the next simulation. A send picks a provider at random; a resend or retry picks
//! one of the others, so a faulty route can be escaped, as Microsoft's advice to retry implies.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::SimError;
use crate::domain::diagnosis;
use crate::domain::{Operator, PhoneNumber, SenderId};
use crate::rng::SeededRng;
use crate::sim::clock;
use crate::store::{self, AuditEntry, Directory, DynBackend, StoreError, TreeId, append_audit};

/// US short codes Microsoft sends verification texts from.
pub const US_SHORT_CODES: &[&str] = &[
    "26096", "51789", "69829", "85873", "87892", "97671", "99399", "673803",
];
/// Canadian short codes.
pub const CA_SHORT_CODES: &[&str] = &["20873", "37107", "97671", "673803", "759731"];
/// Default voice caller ID in the US (and Canada). Caller ID is not guaranteed.
pub const US_CALLER_ID: &str = "+1 8553308653";

/// One simulated provider.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Provider {
    /// Stable key (storage, command line).
    pub id: &'static str,
    pub name: &'static str,
    /// Virtual time from "send" to the phone.
    pub sms_latency_ms: i64,
    /// Virtual time from "dial" to the phone ringing.
    pub call_latency_ms: i64,
    /// The long number texts and calls come from outside the US and Canada (fictional).
    pub long_number: &'static str,
}

/// The providers, in routing order.
pub const PROVIDERS: [Provider; 3] = [
    Provider {
        id: "northwind",
        name: "Northwind Telecom",
        sms_latency_ms: 2_100,
        call_latency_ms: 3_000,
        long_number: "+44 2079460990",
    },
    Provider {
        id: "tailspin",
        name: "Tailspin Mobile",
        sms_latency_ms: 3_400,
        call_latency_ms: 4_200,
        long_number: "+44 2079460991",
    },
    Provider {
        id: "litware",
        name: "Litware Voice",
        sms_latency_ms: 1_600,
        call_latency_ms: 5_000,
        long_number: "+61 491570156",
    },
];

/// What can go wrong with a provider.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fault {
    #[default]
    None,
    /// Texts are accepted and silently lost.
    SmsDrop,
    /// Calls cannot be placed.
    CallFail,
    /// Key presses (DTMF tones) never reach the service; extensions cannot be dialled.
    DtmfLoss,
}

impl Fault {
    pub const ALL: [Self; 4] = [Self::None, Self::SmsDrop, Self::CallFail, Self::DtmfLoss];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::SmsDrop => "sms-drop",
            Self::CallFail => "call-fail",
            Self::DtmfLoss => "dtmf-loss",
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Fault {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|f| f.as_str() == wanted)
            .ok_or_else(|| {
                format!("unknown fault \"{s}\": use none, sms-drop, call-fail or dtmf-loss")
            })
    }
}

/// A provider's persisted state.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderState {
    pub fault: Fault,
}

/// The provider with this id or name (any case).
pub fn find(name: &str) -> Option<&'static Provider> {
    let wanted = name.trim().to_ascii_lowercase();
    PROVIDERS
        .iter()
        .find(|p| p.id == wanted || p.name.to_ascii_lowercase() == wanted)
}

fn unknown_provider(name: &str) -> SimError {
    let known: Vec<&str> = PROVIDERS.iter().map(|p| p.id).collect();
    SimError::Invalid(format!(
        "no provider \"{}\" (providers: {})",
        name.chars().take(40).collect::<String>(),
        known.join(", ")
    ))
}

/// A provider's fault as stored.
pub fn fault_of(backend: &dyn DynBackend, provider: &Provider) -> Result<Fault, StoreError> {
    Ok(
        match backend.get(TreeId::Telecom, provider.id.as_bytes())? {
            Some(bytes) => store::decode::<ProviderState>(&bytes, "telecom provider")?.fault,
            None => Fault::None,
        },
    )
}

/// Every provider with its fault.
pub fn status(backend: &dyn DynBackend) -> Result<Vec<(Provider, Fault)>, StoreError> {
    PROVIDERS
        .iter()
        .map(|p| Ok((*p, fault_of(backend, p)?)))
        .collect()
}

/// Sets a provider's fault, audited in the same flushed transaction. Returns the provider.
pub fn set_fault(
    store: &dyn Directory,
    operator: &Operator,
    provider: &str,
    fault: Fault,
) -> Result<&'static Provider, SimError> {
    let found = find(provider).ok_or_else(|| unknown_provider(provider))?;
    let before = fault_of(store.backend(), found)?;
    let value = store::encode(&ProviderState { fault }).map_err(crate::sim::txn_error)?;
    let now = store.now();
    clock::transact(store, |txn| {
        txn.insert(TreeId::Telecom, found.id.as_bytes(), &value)?;
        let entry = AuditEntry::new(operator, now, "telecom.fault").change(
            Some(format!("{}: {before}", found.id)),
            Some(format!("{}: {fault}", found.id)),
        );
        append_audit(txn, &entry)
    })?;
    Ok(found)
}

/// Picks the provider for a send: any of them at first, another one than `previous` on a retry.
pub fn route(rng: &mut SeededRng, previous: Option<&str>) -> &'static Provider {
    let choices: Vec<&'static Provider> = PROVIDERS
        .iter()
        .filter(|p| Some(p.id) != previous)
        .collect();
    let picked: &&'static Provider = rng.pick(&choices);
    picked
}

/// Where a number is, as libphonenumber names it (`US`, `CA`, `GB`, ...).
fn region_of(number: &PhoneNumber) -> Option<String> {
    diagnosis::diagnose(number, None, None).region
}

/// Who a text to `number` comes from: a short code for the US and Canada (any of the list, so it
/// can change between messages), the provider's long number elsewhere.
pub fn sms_sender(number: &PhoneNumber, provider: &Provider, rng: &mut SeededRng) -> SenderId {
    let codes = match region_of(number).as_deref() {
        Some("US") => US_SHORT_CODES,
        Some("CA") => CA_SHORT_CODES,
        _ => &[],
    };
    if codes.is_empty() {
        return long_number(provider);
    }
    SenderId::ShortCode((*rng.pick(codes)).to_owned())
}

/// The caller ID a call to `number` shows: the default US caller ID in North America, the
/// provider's long number elsewhere.
pub fn caller_id(number: &PhoneNumber, provider: &Provider) -> SenderId {
    match region_of(number).as_deref() {
        Some("US" | "CA") => constant_sender(US_CALLER_ID),
        _ => long_number(provider),
    }
}

/// Every sender a verification text to `number` may come from (the short codes of its country,
/// or each provider's long number): what a phone must not block to receive the code.
pub fn possible_senders(number: &PhoneNumber) -> Vec<SenderId> {
    let codes = match region_of(number).as_deref() {
        Some("US") => US_SHORT_CODES,
        Some("CA") => CA_SHORT_CODES,
        _ => &[],
    };
    if codes.is_empty() {
        return PROVIDERS.iter().map(long_number).collect();
    }
    codes
        .iter()
        .map(|c| SenderId::ShortCode((*c).to_owned()))
        .collect()
}

/// Every caller ID a verification call to `number` may show.
pub fn possible_callers(number: &PhoneNumber) -> Vec<SenderId> {
    let mut callers: Vec<SenderId> = PROVIDERS.iter().map(|p| caller_id(number, p)).collect();
    callers.sort();
    callers.dedup();
    callers
}

fn long_number(provider: &Provider) -> SenderId {
    constant_sender(provider.long_number)
}

/// The sender a constant above names. The constants are checked by a test; should one ever fail
/// to parse, the phone shows the placeholder short code `00000` rather than stopping the flow.
fn constant_sender(text: &str) -> SenderId {
    SenderId::parse(text).unwrap_or_else(|_| SenderId::ShortCode("00000".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_numbers_parse() {
        for p in PROVIDERS {
            assert!(SenderId::parse(p.long_number).is_ok(), "{}", p.id);
        }
        assert!(SenderId::parse(US_CALLER_ID).is_ok());
        assert_eq!(find("Tailspin Mobile").map(|p| p.id), Some("tailspin"));
        assert!(find("nobody").is_none());
    }

    #[test]
    fn retries_avoid_the_previous_route() {
        let mut rng = SeededRng::new(9);
        for _ in 0..100 {
            assert_ne!(route(&mut rng, Some("northwind")).id, "northwind");
        }
    }

    #[test]
    fn possible_senders_cover_every_pick() {
        let mut rng = SeededRng::new(4);
        for text in ["+1 2065550101", "+1 6045550190", "+61 491570159"] {
            let number = PhoneNumber::parse_canonical(text).unwrap();
            let senders = possible_senders(&number);
            let callers = possible_callers(&number);
            for provider in &PROVIDERS {
                assert!(callers.contains(&caller_id(&number, provider)), "{text}");
                for _ in 0..20 {
                    let sender = sms_sender(&number, provider, &mut rng);
                    assert!(senders.contains(&sender), "{text}: {sender}");
                }
            }
        }
    }

    #[test]
    fn senders_follow_the_country() {
        let mut rng = SeededRng::new(1);
        let us = PhoneNumber::parse_canonical("+1 2065550101").unwrap();
        let ca = PhoneNumber::parse_canonical("+1 6045550190").unwrap();
        let au = PhoneNumber::parse_canonical("+61 491570159").unwrap();
        for _ in 0..20 {
            let s = sms_sender(&us, &PROVIDERS[0], &mut rng).to_string();
            assert!(US_SHORT_CODES.contains(&s.as_str()));
            let c = sms_sender(&ca, &PROVIDERS[0], &mut rng).to_string();
            assert!(CA_SHORT_CODES.contains(&c.as_str()));
        }
        assert_eq!(
            sms_sender(&au, &PROVIDERS[1], &mut rng).to_string(),
            "+44 2079460991"
        );
        assert_eq!(caller_id(&us, &PROVIDERS[2]).to_string(), "+1 8553308653");
    }
}
