//! The tenant-file shape of a user (for export and `user show --json`), and `to_json`, the
//! whole-snapshot writer over [`TenantWriter`]. Keys come out in a fixed order and an export
//! passes users in UPN order, so the same directory always gives the same bytes.

use std::collections::HashMap;

use serde::Serialize;

use super::pin::HIDDEN_PIN;
use super::writer::TenantWriter;
use crate::domain::rules::{self, Claim};
use crate::domain::{
    Block, PhoneNumber, PhoneType, PinHash, Policy, SmsSignInState, Timestamp, User,
};
use crate::store::Snapshot;

/// How much of the authentication numbers an export shows.
pub struct ExportOptions<'a> {
    /// Decides per user whether their numbers are written in full (an audited reveal) or masked.
    pub reveal: &'a dyn Fn(&User) -> bool,
}

/// A revealed user's PIN hash, or the marker a masked export writes instead.
#[derive(Serialize)]
#[serde(untagged)]
enum PinOut<'a> {
    Hash(&'a PinHash),
    Hidden(&'static str),
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct UserOut<'a> {
    user_principal_name: &'a str,
    display_name: &'a str,
    user_type: &'static str,
    usage_location: Option<&'a str>,
    groups: &'a [String],
    roles: &'a [String],
    mobile_phone: Option<&'a str>,
    business_phones: &'a [String],
    blocked: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    block: Option<&'a Block>,
    default_mfa_method: Option<&'static str>,
    phone_methods: Vec<MethodOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pin: Option<PinOut<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MethodOut<'a> {
    id: &'static str,
    phone_type: &'static str,
    phone_number: NumberOut<'a>,
    sms_sign_in_enabled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    sms_sign_in_since: Option<AsText<&'a Timestamp>>,
    sms_sign_in_state: SmsSignInState,
}

/// A number in full (written straight from its `Display`, no string in between: export writes
/// millions) or masked.
enum NumberOut<'a> {
    Full(&'a PhoneNumber),
    Masked(String),
}

impl Serialize for NumberOut<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Full(number) => serializer.collect_str(number),
            Self::Masked(text) => serializer.serialize_str(text),
        }
    }
}

/// A value written as the string its `Display` gives.
struct AsText<T>(T);

impl<T: std::fmt::Display> Serialize for AsText<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

/// Serialises `snapshot` as a version-1 tenant file (pretty JSON, trailing newline), users in
/// the snapshot's order.
pub fn to_json(snapshot: &Snapshot, options: &ExportOptions<'_>) -> String {
    let claims = claims_by_number(&snapshot.users);
    let mut out = Vec::new();
    let written = TenantWriter::begin(
        &mut out,
        &snapshot.tenant,
        &snapshot.policy,
        &snapshot.devices,
    )
    .and_then(|mut writer| {
        for user in &snapshot.users {
            writer.user(user, mobile_claims(user, &claims), (options.reveal)(user))?;
        }
        writer.finish()
    });
    // Writing plain structs into memory cannot fail, and JSON is UTF-8.
    match written {
        Ok(_) => String::from_utf8(out).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// Every SMS sign-in claim of `users`, by number: what each user's sign-in state is judged by.
pub fn claims_by_number(users: &[User]) -> HashMap<PhoneNumber, Vec<Claim>> {
    let mut claims: HashMap<PhoneNumber, Vec<Claim>> = HashMap::new();
    for user in users {
        if let Some((number, claim)) = rules::claim_of(user) {
            claims.entry(number).or_default().push(claim);
        }
    }
    claims
}

/// The claims on `user`'s mobile number (theirs included).
pub fn mobile_claims<'c>(user: &User, claims: &'c HashMap<PhoneNumber, Vec<Claim>>) -> &'c [Claim] {
    if claims.is_empty() {
        return &[];
    }
    user.method(PhoneType::Mobile)
        .and_then(|m| claims.get(&m.phone_number.without_extension()))
        .map_or(&[][..], Vec::as_slice)
}

/// One user in the tenant-file shape, as `user show --json` prints it too.
pub fn user_json(
    user: &User,
    policy: &Policy,
    mobile_claims: &[Claim],
    reveal: bool,
) -> serde_json::Value {
    serde_json::to_value(user_out(user, policy, mobile_claims, reveal)).unwrap_or_default()
}

pub(super) fn user_out<'a>(
    user: &'a User,
    policy: &Policy,
    mobile_claims: &[Claim],
    reveal: bool,
) -> UserOut<'a> {
    let phone_methods = user
        .phone_methods
        .iter()
        .map(|m| {
            let (state, _) = rules::sms_sign_in_state(user, m, policy, mobile_claims);
            MethodOut {
                id: m.phone_type.method_id(),
                phone_type: m.phone_type.as_str(),
                phone_number: if reveal {
                    NumberOut::Full(&m.phone_number)
                } else {
                    NumberOut::Masked(m.phone_number.masked())
                },
                sms_sign_in_enabled: m.sms_sign_in_enabled,
                sms_sign_in_since: m.sms_sign_in_since.as_ref().map(AsText),
                sms_sign_in_state: state,
            }
        })
        .collect();
    UserOut {
        user_principal_name: user.upn().as_str(),
        display_name: &user.display_name,
        user_type: user.user_type.as_str(),
        usage_location: user.usage_location.as_ref().map(|r| r.code()),
        groups: &user.groups,
        roles: &user.roles,
        mobile_phone: user.mobile_phone.as_deref(),
        business_phones: &user.business_phones,
        blocked: user.block.is_some(),
        block: user.block.as_ref(),
        default_mfa_method: user.default_mfa_method.map(|m| m.as_str()),
        phone_methods,
        pin: user.pin.as_ref().map(|pin| {
            if reveal {
                PinOut::Hash(pin)
            } else {
                PinOut::Hidden(HIDDEN_PIN)
            }
        }),
    }
}
