//! Preconditions and routing for MFA and SSPR (and the SMS leg of SMS sign-in): which slot,
//! which channel, which number is dialled, and which greeting a call plays.

use super::{Channel, FlowKind};
use crate::domain::diagnosis;
use crate::domain::{DefaultMethod, PhoneNumber, PhoneType, PinHash, Policy, Timestamp, User};
use crate::sim::reason::Reason;

/// What a call asks for.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum GreetingMode {
    /// Press `#`.
    Standard,
    /// Enter the PIN, then `#`.
    Pin(PinHash),
}

/// How an accepted verification goes out.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Plan {
    pub slot: PhoneType,
    pub channel: Channel,
    /// The number as registered.
    pub registered: PhoneNumber,
    /// What is dialled or texted: SSPR drops an extension.
    pub dial: PhoneNumber,
    /// SSPR removed this extension before dialling.
    pub removed_extension: Option<String>,
    /// An MFA call to an office phone asks whoever answers to transfer to this extension.
    pub transfer_to: Option<String>,
    pub greeting: GreetingMode,
}

/// A refused precondition: the reason for the log and a detail for people.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Denial {
    pub reason: Reason,
    pub detail: String,
}

impl Denial {
    pub fn new(reason: Reason, detail: impl Into<String>) -> Self {
        Self {
            reason,
            detail: detail.into(),
        }
    }
}

/// The (channel, slot) the user's default method names, if the flow may use it.
fn from_default(user: &User, flow: FlowKind) -> Option<(Channel, PhoneType)> {
    let method = user.default_mfa_method?;
    let pick = match method {
        DefaultMethod::Sms => (Channel::Sms, PhoneType::Mobile),
        other => (Channel::Voice, other.slot()),
    };
    (flow != FlowKind::Sspr || pick.1.usable_for_sspr()).then_some(pick)
}

/// The first registered slot a call may go to in this flow.
fn first_voice_slot(user: &User, flow: FlowKind) -> Option<PhoneType> {
    [
        PhoneType::Mobile,
        PhoneType::Office,
        PhoneType::AlternateMobile,
    ]
    .into_iter()
    .filter(|slot| flow != FlowKind::Sspr || slot.usable_for_sspr())
    .find(|slot| user.method(*slot).is_some())
}

/// Fills in what the operator left out: the channel from the slot or the default method, the
/// slot from the channel or the default method.
fn choose(
    user: &User,
    flow: FlowKind,
    via: Option<Channel>,
    slot: Option<PhoneType>,
) -> (Channel, PhoneType) {
    let default = from_default(user, flow);
    match (via, slot) {
        (Some(via), Some(slot)) => (via, slot),
        (Some(Channel::Sms), None) => (Channel::Sms, PhoneType::Mobile),
        (Some(Channel::Voice), None) => {
            let slot = default
                .filter(|(c, _)| *c == Channel::Voice)
                .map(|(_, s)| s)
                .or_else(|| first_voice_slot(user, flow))
                .unwrap_or(PhoneType::Mobile);
            (Channel::Voice, slot)
        }
        (None, Some(PhoneType::Mobile)) => {
            let via = default
                .filter(|(_, s)| *s == PhoneType::Mobile)
                .map_or(Channel::Sms, |(c, _)| c);
            (via, PhoneType::Mobile)
        }
        (None, Some(slot)) => (Channel::Voice, slot),
        (None, None) => default.unwrap_or_else(|| {
            if user.method(PhoneType::Mobile).is_some() {
                (Channel::Sms, PhoneType::Mobile)
            } else {
                let slot = first_voice_slot(user, flow).unwrap_or(PhoneType::Mobile);
                (Channel::Voice, slot)
            }
        }),
    }
}

/// Checks the preconditions of an MFA or SSPR verification (or the text of SMS sign-in) and
/// plans it. The order is the order a person meets them: blocked, nothing registered, the slot
/// the flow may not use, the slot that is empty, text to a voice-only slot, a number that cannot
/// be dialled, a number that cannot take texts.
pub fn plan_verification(
    user: &User,
    policy: &Policy,
    flow: FlowKind,
    via: Option<Channel>,
    slot: Option<PhoneType>,
    now: Timestamp,
) -> Result<Plan, Denial> {
    if let Some(block) = user.active_block(now) {
        return Err(Denial::new(
            Reason::UserBlocked,
            format!("{} ({})", block.kind.describe(), block.reason),
        ));
    }
    if user.phone_methods.is_empty() {
        return Err(Denial::new(
            Reason::NoMethodsRegistered,
            "no phone methods are registered",
        ));
    }
    let (channel, slot) = choose(user, flow, via, slot);
    if flow == FlowKind::Sspr && !slot.usable_for_sspr() {
        return Err(Denial::new(
            Reason::AlternateNotForSspr,
            "self-service password reset calls or texts the mobile or office phone only",
        ));
    }
    let Some(method) = user.method(slot) else {
        return Err(Denial::new(
            Reason::MethodNotRegistered,
            format!("no {slot} phone is registered"),
        ));
    };
    if channel == Channel::Sms && !slot.receives_sms() {
        return Err(Denial::new(
            Reason::TextToVoiceOnlySlot,
            format!("the {slot} phone takes calls only"),
        ));
    }
    let registered = method.phone_number.clone();
    let found = diagnosis::diagnose(&registered, Some(slot), user.usage_location);
    if !found.valid {
        return Err(Denial::new(
            Reason::InvalidFormat,
            format!(
                "{} is not a number the telephone network knows",
                registered.masked()
            ),
        ));
    }
    if channel == Channel::Sms && !found.number_type.can_receive_sms() {
        return Err(Denial::new(
            Reason::TextToLandline,
            format!("it is a {} number", found.number_type.describe()),
        ));
    }
    let extension = registered.extension().map(str::to_owned);
    let (dial, removed_extension, transfer_to) = match (flow, extension) {
        (FlowKind::Sspr, Some(ext)) => (registered.without_extension(), Some(ext), None),
        (_, Some(ext)) => (registered.without_extension(), None, Some(ext)),
        (_, None) => (registered.clone(), None, None),
    };
    let greeting = match (&user.pin, flow) {
        (Some(pin), FlowKind::Mfa) if policy.verification.pin_mode => {
            GreetingMode::Pin(pin.clone())
        }
        _ => GreetingMode::Standard,
    };
    Ok(Plan {
        slot,
        channel,
        registered,
        dial,
        removed_extension,
        transfer_to,
        greeting,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Block, BlockKind, PhoneMethod, Upn};

    fn user(methods: &[(PhoneType, &str)], default: Option<DefaultMethod>) -> User {
        let mut user = User::new(Upn::parse("kim@contoso.example").unwrap(), "Kim");
        for (slot, number) in methods {
            user.phone_methods.push(PhoneMethod {
                phone_type: *slot,
                phone_number: PhoneNumber::parse_canonical(number).unwrap(),
                sms_sign_in_enabled: false,
                sms_sign_in_since: None,
            });
        }
        user.default_mfa_method = default;
        user
    }

    fn plan(
        user: &User,
        flow: FlowKind,
        via: Option<Channel>,
        slot: Option<PhoneType>,
    ) -> Result<Plan, Denial> {
        plan_verification(
            user,
            &Policy::default(),
            flow,
            via,
            slot,
            Timestamp::from_secs(1),
        )
    }

    #[test]
    fn defaults_follow_the_default_method() {
        let u = user(
            &[
                (PhoneType::Mobile, "+1 2065550101"),
                (PhoneType::Office, "+1 2065550180x14"),
            ],
            Some(DefaultMethod::VoiceOffice),
        );
        let p = plan(&u, FlowKind::Mfa, None, None).unwrap();
        assert_eq!((p.channel, p.slot), (Channel::Voice, PhoneType::Office));
        assert_eq!(p.transfer_to.as_deref(), Some("14"));
        let s = plan(&u, FlowKind::Sspr, None, None).unwrap();
        assert_eq!(s.removed_extension.as_deref(), Some("14"));
        assert_eq!(s.dial.to_string(), "+1 2065550180");
        let sms = plan(&u, FlowKind::Mfa, Some(Channel::Sms), None).unwrap();
        assert_eq!(sms.slot, PhoneType::Mobile);
    }

    #[test]
    fn refusals_carry_their_reasons() {
        let u = user(
            &[
                (PhoneType::Mobile, "+1 2065550101"),
                (PhoneType::AlternateMobile, "+1 2065550102"),
            ],
            None,
        );
        let reason = |r: Result<Plan, Denial>| r.unwrap_err().reason;
        assert_eq!(
            reason(plan(
                &u,
                FlowKind::Sspr,
                None,
                Some(PhoneType::AlternateMobile)
            )),
            Reason::AlternateNotForSspr
        );
        assert_eq!(
            reason(plan(&u, FlowKind::Mfa, None, Some(PhoneType::Office))),
            Reason::MethodNotRegistered
        );
        assert_eq!(
            reason(plan(
                &u,
                FlowKind::Mfa,
                Some(Channel::Sms),
                Some(PhoneType::AlternateMobile)
            )),
            Reason::TextToVoiceOnlySlot
        );
        let none = user(&[], None);
        assert_eq!(
            reason(plan(&none, FlowKind::Mfa, None, None)),
            Reason::NoMethodsRegistered
        );
        let landline = user(&[(PhoneType::Mobile, "+44 2079460123")], None);
        assert_eq!(
            reason(plan(&landline, FlowKind::Mfa, Some(Channel::Sms), None)),
            Reason::TextToLandline
        );
        let invalid = user(&[(PhoneType::Mobile, "+1 4251234567")], None);
        assert_eq!(
            reason(plan(&invalid, FlowKind::Mfa, Some(Channel::Voice), None)),
            Reason::InvalidFormat
        );
        let mut blocked = u.clone();
        blocked.block = Some(Block {
            kind: BlockKind::Admin,
            reason: "lost phone".into(),
            since: Timestamp::from_secs(0),
            until: None,
        });
        assert_eq!(
            reason(plan(&blocked, FlowKind::Mfa, None, None)),
            Reason::UserBlocked
        );
    }
}
