//! The rules of phone methods (DOMAIN.md §1), as pure functions from a user and an edit to the
//! edited user or the reason the edit is refused.
//!
//! Both stores call [`apply_edit`], so the sled database and the in-memory twin cannot disagree on
//! a rule, and every rule is tested here without a database.

use std::fmt;

use super::diagnosis;
use super::method::{DefaultMethod, PhoneMethod, PhoneType, SmsSignInState};
use super::phone::{PhoneNumber, ShapeError};
use super::policy::Policy;
use super::role::Operator;
use super::time::Timestamp;
use super::user::{Block, BlockKind, FRAUD_BLOCK_DAYS, User};

/// Longest reason accepted for a block or unblock.
pub const MAX_REASON_CHARS: usize = 500;

/// A change an operator asks for.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Edit {
    AddPhone {
        slot: PhoneType,
        number: PhoneNumber,
    },
    UpdatePhone {
        slot: PhoneType,
        number: PhoneNumber,
    },
    DeletePhone {
        slot: PhoneType,
    },
    SetSmsSignIn {
        enabled: bool,
    },
    SetDefault {
        method: Option<DefaultMethod>,
    },
    Block {
        reason: String,
    },
    Unblock {
        reason: String,
    },
    /// The user confirmed a fraud report during a call: blocked for 90 days or until unblocked.
    FraudBlock,
}

impl Edit {
    /// The audit action name.
    pub fn action(&self) -> &'static str {
        match self {
            Self::AddPhone { .. } => "phone.add",
            Self::UpdatePhone { .. } => "phone.update",
            Self::DeletePhone { .. } => "phone.delete",
            Self::SetSmsSignIn { enabled: true } => "smsSignIn.enable",
            Self::SetSmsSignIn { enabled: false } => "smsSignIn.disable",
            Self::SetDefault { .. } => "defaultMethod.set",
            Self::Block { .. } => "user.block",
            Self::Unblock { .. } => "user.unblock",
            Self::FraudBlock => "user.fraudBlock",
        }
    }

    /// The slot the edit touches, if any.
    pub fn slot(&self) -> Option<PhoneType> {
        match self {
            Self::AddPhone { slot, .. }
            | Self::UpdatePhone { slot, .. }
            | Self::DeletePhone { slot } => Some(*slot),
            Self::SetSmsSignIn { .. } => Some(PhoneType::Mobile),
            _ => None,
        }
    }

    /// The operator's free-text reason, for edits that carry one.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Self::Block { reason } | Self::Unblock { reason } => Some(reason),
            _ => None,
        }
    }
}

/// A user's claim on a number for SMS sign-in, as the uniqueness rule needs it.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Claim {
    pub upn_key: String,
    pub sms_sign_in_since: Timestamp,
}

/// Why an edit is refused. Each message names the rule and what to do instead.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum RuleError {
    SelfService,
    NeedsPrivilegedRole,
    /// An auth-admin asked to replace a directory that holds this admin (and perhaps others).
    ReplacesAdmins {
        upn: String,
    },
    /// An auth-admin's tenant file holds this admin.
    ImportsAdmin {
        upn: String,
    },
    /// An auth-admin asked to change the simulated phone of a number this admin registered.
    PhoneOfAdmin {
        upn: String,
    },
    SlotTaken {
        slot: PhoneType,
    },
    SlotEmpty {
        slot: PhoneType,
    },
    AlternateNeedsMobile,
    MobileHasAlternate,
    DefaultInUse {
        slot: PhoneType,
        method: DefaultMethod,
    },
    DefaultNeedsSlot {
        method: DefaultMethod,
    },
    /// The default MFA method is already the one asked for: nothing would change.
    DefaultAlready {
        method: Option<DefaultMethod>,
    },
    OfficeNotAllowed,
    ExtensionNotAllowed {
        slot: PhoneType,
    },
    Shape(ShapeError),
    SameNumber,
    SmsSignInNeedsMobile,
    SmsSignInGuest,
    SmsSignInNotTargeted {
        groups: Vec<String>,
    },
    SmsSignInCannotReceive {
        why: String,
    },
    SmsSignInHeldElsewhere,
    SmsSignInAlready {
        enabled: bool,
    },
    ReasonRequired,
    /// The reason holds only invisible characters (zero-width spaces, joiners, marks).
    ReasonInvisible,
    ReasonTooLong,
    AlreadyBlocked,
    NotBlocked,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SelfService => write!(
                f,
                "self-service operations aren't supported: operators cannot change their own methods here"
            ),
            Self::NeedsPrivilegedRole => write!(
                f,
                "the user holds an admin role; only a privileged-auth-admin may act on admins"
            ),
            Self::ReplacesAdmins { upn } => write!(
                f,
                "the directory holds users with an admin role ({upn} and maybe more); replacing it acts on them, and only a privileged-auth-admin may act on admins"
            ),
            Self::ImportsAdmin { upn } => write!(
                f,
                "{upn} holds an admin role; an import sets their methods, and only a privileged-auth-admin may act on admins"
            ),
            Self::PhoneOfAdmin { upn } => write!(
                f,
                "the number is registered to {upn}, who holds an admin role; only a privileged-auth-admin may change their phone"
            ),
            Self::SlotTaken { slot } => write!(
                f,
                "{} is already registered; change it instead (one number per slot)",
                slot.a_phone()
            ),
            Self::SlotEmpty { slot } => {
                write!(f, "no {} phone is registered", slot.label().to_lowercase())
            }
            Self::AlternateNeedsMobile => write!(f, "add a mobile phone first"),
            Self::MobileHasAlternate => write!(
                f,
                "an alternate mobile is registered: update the mobile instead, or delete the alternate first"
            ),
            Self::DefaultInUse { slot, method } => write!(
                f,
                "the {} phone is the default MFA method ({}); set another default first",
                slot.label().to_lowercase(),
                method.label()
            ),
            Self::DefaultNeedsSlot { method } => write!(
                f,
                "{} needs {}, and none is registered",
                method.label(),
                method.slot().a_phone()
            ),
            Self::DefaultAlready { method: Some(m) } => {
                write!(f, "{} is already the default MFA method", m.label())
            }
            Self::DefaultAlready { method: None } => {
                write!(f, "the user already has no default MFA method")
            }
            Self::OfficeNotAllowed => write!(
                f,
                "the tenant's voice policy does not allow office phones (isOfficePhoneAllowed is off)"
            ),
            Self::ExtensionNotAllowed { slot } => write!(
                f,
                "extensions are only meaningful for office phones, not for the {} slot",
                slot.label().to_lowercase()
            ),
            Self::Shape(e) => write!(f, "{e}"),
            Self::SameNumber => write!(f, "that is already the registered number"),
            Self::SmsSignInNeedsMobile => write!(f, "SMS sign-in needs a mobile phone"),
            Self::SmsSignInGuest => write!(f, "guest (B2B) accounts cannot use SMS sign-in"),
            Self::SmsSignInNotTargeted { groups } => {
                if groups.is_empty() {
                    write!(f, "the SMS sign-in policy targets no groups")
                } else {
                    write!(
                        f,
                        "the user is in none of the groups the SMS sign-in policy targets ({})",
                        groups.join(", ")
                    )
                }
            }
            Self::SmsSignInCannotReceive { why } => {
                write!(
                    f,
                    "the mobile number cannot receive the sign-in code: {why}"
                )
            }
            Self::SmsSignInHeldElsewhere => write!(
                f,
                "another user already uses this number for SMS sign-in (numbers must be unique)"
            ),
            Self::SmsSignInAlready { enabled: true } => {
                write!(f, "SMS sign-in is already enabled")
            }
            Self::SmsSignInAlready { enabled: false } => {
                write!(f, "SMS sign-in is already disabled")
            }
            Self::ReasonRequired => write!(f, "a reason is required"),
            Self::ReasonInvisible => write!(
                f,
                "a reason needs visible text (this one holds only invisible characters such as zero-width spaces)"
            ),
            Self::ReasonTooLong => write!(
                f,
                "the reason is too long (at most {MAX_REASON_CHARS} characters)"
            ),
            Self::AlreadyBlocked => write!(f, "the user is already blocked"),
            Self::NotBlocked => write!(f, "the user is not blocked"),
        }
    }
}

impl std::error::Error for RuleError {}

impl From<ShapeError> for RuleError {
    fn from(e: ShapeError) -> Self {
        Self::Shape(e)
    }
}

/// What an edit needs to know besides the user.
pub struct EditContext<'a> {
    pub operator: &'a Operator,
    pub policy: &'a Policy,
    pub now: Timestamp,
    /// The SMS sign-in claims on the number the user's mobile will have after the edit.
    pub mobile_claims: &'a [Claim],
}

/// The outcome of an accepted edit: the user after it, plus the warnings the operator should see
/// (validity problems do not block saving, but they are never silent).
#[derive(Clone, Debug)]
pub struct Applied {
    pub user: User,
    pub warnings: Vec<String>,
}

/// Applies `edit` to `user`, or says which rule refuses it.
pub fn apply_edit(user: &User, edit: &Edit, ctx: &EditContext<'_>) -> Result<Applied, RuleError> {
    if !matches!(edit, Edit::FraudBlock) {
        ctx.operator.may_act_on(user)?;
    }
    let mut next = user.clone();
    let mut warnings = Vec::new();
    match edit {
        Edit::AddPhone { slot, number } => {
            can_add(user, *slot, ctx.policy)?;
            warnings = check_number_for_slot(user, *slot, number, ctx.policy)?;
            next.phone_methods.push(PhoneMethod {
                phone_type: *slot,
                phone_number: number.clone(),
                sms_sign_in_enabled: false,
                sms_sign_in_since: None,
            });
            next.phone_methods.sort_by_key(|m| m.phone_type);
        }
        Edit::UpdatePhone { slot, number } => {
            let current = user
                .method(*slot)
                .ok_or(RuleError::SlotEmpty { slot: *slot })?;
            if &current.phone_number == number {
                return Err(RuleError::SameNumber);
            }
            warnings = check_number_for_slot(user, *slot, number, ctx.policy)?;
            if let Some(method) = next.method_mut(*slot) {
                method.phone_number = number.clone();
                if method.sms_sign_in_enabled {
                    // A new number is a new claim: it does not inherit the old number's place.
                    method.sms_sign_in_since = Some(ctx.now);
                }
            }
        }
        Edit::DeletePhone { slot } => {
            if user.method(*slot).is_none() {
                return Err(RuleError::SlotEmpty { slot: *slot });
            }
            if *slot == PhoneType::Mobile && user.method(PhoneType::AlternateMobile).is_some() {
                return Err(RuleError::MobileHasAlternate);
            }
            if let Some(method) = user.default_mfa_method.filter(|m| m.slot() == *slot) {
                return Err(RuleError::DefaultInUse {
                    slot: *slot,
                    method,
                });
            }
            next.phone_methods.retain(|m| m.phone_type != *slot);
        }
        Edit::SetSmsSignIn { enabled } => set_sms_sign_in(&mut next, *enabled, ctx)?,
        Edit::SetDefault { method } => {
            if user.default_mfa_method == *method {
                // A change that changes nothing is not made (nor audited).
                return Err(RuleError::DefaultAlready { method: *method });
            }
            if let Some(m) = method
                && user.method(m.slot()).is_none()
            {
                return Err(RuleError::DefaultNeedsSlot { method: *m });
            }
            next.default_mfa_method = *method;
        }
        Edit::Block { reason } => {
            let reason = checked_reason(reason)?;
            if user.active_block(ctx.now).is_some() {
                return Err(RuleError::AlreadyBlocked);
            }
            next.block = Some(Block {
                kind: BlockKind::Admin,
                reason,
                since: ctx.now,
                until: None,
            });
        }
        Edit::Unblock { reason } => {
            checked_reason(reason)?;
            if user.active_block(ctx.now).is_none() {
                return Err(RuleError::NotBlocked);
            }
            next.block = None;
        }
        Edit::FraudBlock => {
            next.block = Some(Block {
                kind: BlockKind::FraudReport,
                reason: "the user reported a fraudulent verification call".into(),
                since: ctx.now,
                until: Some(ctx.now.plus_secs(FRAUD_BLOCK_DAYS * 86_400)),
            });
        }
    }
    Ok(Applied {
        user: next,
        warnings,
    })
}

/// Whether `slot` can take a new number at all, before any number is typed: the slot is empty,
/// an alternate mobile has a mobile beside it, and the policy allows office phones. The UI asks
/// this before opening the number field, so the operator never types a number to be refused.
pub fn can_add(user: &User, slot: PhoneType, policy: &Policy) -> Result<(), RuleError> {
    if user.method(slot).is_some() {
        return Err(RuleError::SlotTaken { slot });
    }
    if slot == PhoneType::AlternateMobile && user.method(PhoneType::Mobile).is_none() {
        return Err(RuleError::AlternateNeedsMobile);
    }
    if slot == PhoneType::Office && !policy.office_phone_allowed {
        return Err(RuleError::OfficeNotAllowed);
    }
    Ok(())
}

/// Slot rules for a number about to be stored, returning the validity warnings.
fn check_number_for_slot(
    user: &User,
    slot: PhoneType,
    number: &PhoneNumber,
    policy: &Policy,
) -> Result<Vec<String>, RuleError> {
    if slot == PhoneType::Office && !policy.office_phone_allowed {
        return Err(RuleError::OfficeNotAllowed);
    }
    if number.extension().is_some() && !slot.allows_extension() {
        return Err(RuleError::ExtensionNotAllowed { slot });
    }
    let found = diagnosis::diagnose(number, Some(slot), user.usage_location);
    Ok(found.warnings.into_iter().map(|w| w.message).collect())
}

fn set_sms_sign_in(user: &mut User, enabled: bool, ctx: &EditContext<'_>) -> Result<(), RuleError> {
    let guest = user.is_guest();
    let targeted = ctx.policy.targets_for_sms_sign_in(user);
    let upn_key = user.upn().key();
    let method = user
        .method_mut(PhoneType::Mobile)
        .ok_or(RuleError::SmsSignInNeedsMobile)?;
    if method.sms_sign_in_enabled == enabled {
        return Err(RuleError::SmsSignInAlready { enabled });
    }
    if !enabled {
        method.sms_sign_in_enabled = false;
        method.sms_sign_in_since = None;
        return Ok(());
    }
    if guest {
        return Err(RuleError::SmsSignInGuest);
    }
    if !targeted {
        return Err(RuleError::SmsSignInNotTargeted {
            groups: ctx.policy.sms_sign_in_groups.clone(),
        });
    }
    if let Some(why) = sms_blocker(&method.phone_number) {
        return Err(RuleError::SmsSignInCannotReceive { why });
    }
    let held = ctx.mobile_claims.iter().any(|c| c.upn_key != upn_key);
    if held {
        return Err(RuleError::SmsSignInHeldElsewhere);
    }
    method.sms_sign_in_enabled = true;
    method.sms_sign_in_since = Some(ctx.now);
    Ok(())
}

/// Why a number cannot receive a text, if it cannot: invalid, or a type that takes no SMS.
pub fn sms_blocker(number: &PhoneNumber) -> Option<String> {
    let (valid, number_type) = diagnosis::classify(number);
    if !valid {
        return Some("the number is not valid".to_owned());
    }
    if !number_type.can_receive_sms() {
        return Some(format!("it is a {} number", number_type.describe()));
    }
    None
}

/// Whether `c` shows as something a reader can see. Not: spaces, control characters, the
/// invisible and direction-changing characters a number refuses, combining marks (nothing to
/// sit on), variation selectors and tags, and the blank fillers some fonts draw as nothing.
fn is_visible(c: char) -> bool {
    !(c.is_whitespace()
        || c.is_control()
        || super::phone::is_invisible_or_bidi(c)
        || matches!(
            c,
            '\u{034F}'
                | '\u{0300}'..='\u{036F}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{2800}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FFA0}'
                | '\u{E0000}'..='\u{E007F}'
                | '\u{E0100}'..='\u{E01EF}'
        ))
}

/// A reason is for the next person who reads the audit trail: it needs visible text, at most
/// [`MAX_REASON_CHARS`] characters. Kept as typed, apart from surrounding spaces.
fn checked_reason(reason: &str) -> Result<String, RuleError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(RuleError::ReasonRequired);
    }
    if !reason.chars().any(is_visible) {
        return Err(RuleError::ReasonInvisible);
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(RuleError::ReasonTooLong);
    }
    Ok(reason.to_owned())
}

/// Graph's `smsSignInState` for one method, with a one-line reason for people.
///
/// `claims` are the SMS sign-in claims on the same number (any user, this one included); the
/// earliest claim holds the number and later ones are `phoneNumberNotUnique`.
pub fn sms_sign_in_state(
    user: &User,
    method: &PhoneMethod,
    policy: &Policy,
    claims: &[Claim],
) -> (SmsSignInState, String) {
    use SmsSignInState as S;
    if method.phone_type != PhoneType::Mobile {
        return (
            S::NotSupported,
            format!(
                "only the mobile slot can be used for SMS sign-in, not {}",
                method.phone_type
            ),
        );
    }
    if user.is_guest() {
        return (
            S::NotSupported,
            "guest (B2B) accounts cannot use SMS sign-in".into(),
        );
    }
    if !policy.targets_for_sms_sign_in(user) {
        return (
            S::NotAllowedByPolicy,
            "not in a group the SMS sign-in policy targets".into(),
        );
    }
    if !method.sms_sign_in_enabled {
        return (
            S::NotEnabled,
            "SMS sign-in is not enabled for this number".into(),
        );
    }
    if let Some(why) = sms_blocker(&method.phone_number) {
        return (
            S::NotConfigured,
            format!("enabled, but the number cannot receive texts: {why}"),
        );
    }
    let mine = (
        method.sms_sign_in_since.unwrap_or_default(),
        user.upn().key(),
    );
    let earlier = claims.iter().any(|c| {
        c.upn_key != mine.1 && (c.sms_sign_in_since, c.upn_key.as_str()) < (mine.0, mine.1.as_str())
    });
    if earlier {
        return (
            S::PhoneNumberNotUnique,
            "another user already uses this number for SMS sign-in".into(),
        );
    }
    (
        S::Ready,
        "the user can sign in with this number and a text code".into(),
    )
}

/// The claim this user's mobile makes on its number, if SMS sign-in is enabled.
pub fn claim_of(user: &User) -> Option<(PhoneNumber, Claim)> {
    let method = user.method(PhoneType::Mobile)?;
    if !method.sms_sign_in_enabled {
        return None;
    }
    Some((
        method.phone_number.without_extension(),
        Claim {
            upn_key: user.upn().key(),
            sms_sign_in_since: method.sms_sign_in_since.unwrap_or_default(),
        },
    ))
}

/// The number whose SMS sign-in claims an edit needs to see: the mobile number after the edit.
pub fn mobile_after(user: &User, edit: &Edit) -> Option<PhoneNumber> {
    match edit {
        Edit::AddPhone {
            slot: PhoneType::Mobile,
            number,
        }
        | Edit::UpdatePhone {
            slot: PhoneType::Mobile,
            number,
        } => Some(number.without_extension()),
        _ => user
            .method(PhoneType::Mobile)
            .map(|m| m.phone_number.without_extension()),
    }
}

/// Whether a user registering their own security info may set this slot. The office phone is set
/// by an administrator only (DOMAIN.md §1); users manage their mobile and alternate numbers.
pub fn self_service_may_register(slot: PhoneType) -> bool {
    slot != PhoneType::Office
}
