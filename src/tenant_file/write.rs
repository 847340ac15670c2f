//! Writing a tenant file. Keys come out in a fixed order and users in UPN order, so the same
//! directory always gives the same bytes.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::VERSION;
use super::pin::HIDDEN_PIN;
use crate::domain::rules::{self, Claim};
use crate::domain::{
    Block, Device, PhoneNumber, PhoneType, PinHash, Policy, SenderId, SmsSignInState, Tenant, User,
};
use crate::store::Snapshot;

/// How much of the authentication numbers an export shows.
pub struct ExportOptions<'a> {
    /// Decides per user whether their numbers are written in full (an audited reveal) or masked.
    pub reveal: &'a dyn Fn(&User) -> bool,
}

#[derive(Serialize)]
struct FileOut<'a> {
    version: u64,
    tenant: &'a Tenant,
    policy: &'a Policy,
    users: Vec<UserOut<'a>>,
    devices: Vec<DeviceOut<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DeviceOut<'a> {
    phone_number: String,
    powered_on: bool,
    signal: bool,
    sms_subscribed: bool,
    voicemail: bool,
    landline: bool,
    blocked_senders: &'a [SenderId],
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
struct UserOut<'a> {
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
    phone_methods: Vec<MethodOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pin: Option<PinOut<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MethodOut {
    id: &'static str,
    phone_type: &'static str,
    phone_number: String,
    sms_sign_in_enabled: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    sms_sign_in_since: Option<String>,
    sms_sign_in_state: SmsSignInState,
}

/// Serialises `snapshot` as a version-1 tenant file (pretty JSON, trailing newline).
pub fn to_json(snapshot: &Snapshot, options: &ExportOptions<'_>) -> String {
    let mut claims: HashMap<PhoneNumber, Vec<Claim>> = HashMap::new();
    for user in &snapshot.users {
        if let Some((number, claim)) = rules::claim_of(user) {
            claims.entry(number).or_default().push(claim);
        }
    }
    let users = snapshot
        .users
        .iter()
        .map(|user| {
            let mobile_claims = user
                .method(PhoneType::Mobile)
                .and_then(|m| claims.get(&m.phone_number.without_extension()))
                .map_or(&[][..], Vec::as_slice);
            user_out(
                user,
                &snapshot.policy,
                mobile_claims,
                (options.reveal)(user),
            )
        })
        .collect();
    let file = FileOut {
        version: VERSION,
        tenant: &snapshot.tenant,
        policy: &snapshot.policy,
        users,
        devices: devices_out(snapshot, options),
    };
    // Serialising plain structs of strings, numbers and booleans cannot fail.
    let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
    text.push('\n');
    text
}

/// Devices, with each number written in full only when every user holding it is revealed (a
/// device nobody holds follows the export as a whole), so a device never un-masks a number.
fn devices_out<'a>(snapshot: &'a Snapshot, options: &ExportOptions<'_>) -> Vec<DeviceOut<'a>> {
    let mut masked: HashSet<PhoneNumber> = HashSet::new();
    let mut held: HashSet<PhoneNumber> = HashSet::new();
    let mut any_revealed = false;
    for user in &snapshot.users {
        let revealed = (options.reveal)(user);
        any_revealed |= revealed;
        for method in &user.phone_methods {
            let line = method.phone_number.without_extension();
            if !revealed {
                masked.insert(line.clone());
            }
            held.insert(line);
        }
    }
    snapshot
        .devices
        .iter()
        .map(|d: &'a Device| {
            let number = &d.phone_number;
            let reveal = if held.contains(number) {
                !masked.contains(number)
            } else {
                any_revealed
            };
            DeviceOut {
                phone_number: if reveal {
                    number.to_string()
                } else {
                    number.masked()
                },
                powered_on: d.powered_on,
                signal: d.signal,
                sms_subscribed: d.sms_subscribed,
                voicemail: d.voicemail,
                landline: d.landline,
                blocked_senders: &d.blocked_senders,
            }
        })
        .collect()
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

fn user_out<'a>(
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
                    m.phone_number.to_string()
                } else {
                    m.phone_number.masked()
                },
                sms_sign_in_enabled: m.sms_sign_in_enabled,
                sms_sign_in_since: m.sms_sign_in_since.map(|t| t.to_string()),
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
