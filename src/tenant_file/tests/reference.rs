//! The reader and writer as they were before streaming, kept verbatim (apart from how they reach
//! the shared per-value checks) so tests can prove the streaming versions give the same problems
//! and the same bytes.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use serde_json::Value;

use crate::domain::rules::{self, Claim};
use crate::domain::{
    Block, Device, PhoneNumber, PhoneType, PinHash, Policy, SenderId, SmsSignInState, Tenant,
    Timestamp, User,
};
use crate::store::Snapshot;
use crate::tenant_file::devices::read_device;
use crate::tenant_file::fields::{Fields, index, join};
use crate::tenant_file::pin::HIDDEN_PIN;
use crate::tenant_file::problems::Entry;
use crate::tenant_file::read::{OfficeRule, read_policy, read_tenant, read_user};
use crate::tenant_file::{ExportOptions, Problem, VERSION};

const TOP_KEYS: &[&str] = &["version", "tenant", "policy", "users", "devices"];

/// The old per-user call took the policy; the rule it applied is this.
fn office(policy: Option<&Policy>) -> OfficeRule {
    if policy.is_some_and(|p| !p.office_phone_allowed) {
        OfficeRule::Forbidden
    } else {
        OfficeRule::Allowed
    }
}

fn problems(fields: Fields) -> Vec<Problem> {
    fields
        .entries
        .into_iter()
        .map(|e| match e {
            Entry::Problem(p) => p,
            Entry::IfOfficeForbidden(path) => panic!("the old reader never deferred: {path}"),
        })
        .collect()
}

pub fn parse(bytes: &[u8], now: Timestamp) -> Result<Snapshot, Vec<Problem>> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        vec![Problem {
            path: String::new(),
            message: format!(
                "the file is not UTF-8 text (invalid byte at offset {})",
                e.valid_up_to()
            ),
        }]
    })?;
    let value: Value = serde_json::from_str(text).map_err(|e| {
        vec![Problem {
            path: String::new(),
            message: format!("not valid JSON: {e}"),
        }]
    })?;
    let mut fields = Fields::default();
    let snapshot = read_top(&mut fields, &value, now);
    match snapshot {
        Some(s) if fields.entries.is_empty() => Ok(s),
        _ => Err(problems(fields)),
    }
}

fn read_top(f: &mut Fields, value: &Value, now: Timestamp) -> Option<Snapshot> {
    let top = f.object(value, "(top level)")?;
    f.only_keys(top, "", TOP_KEYS);
    match top.get("version") {
        Some(Value::Number(n)) if n.as_u64() == Some(VERSION) => {}
        Some(Value::Number(n)) if n.as_u64().is_some_and(|v| v > VERSION) => f.problem(
            "version",
            format!("version {n} is newer than this phonedesk reads ({VERSION})"),
        ),
        Some(other) => f.problem("version", format!("expected {VERSION}, found {other}")),
        None => f.problem("version", "required"),
    }
    let tenant = match top.get("tenant") {
        Some(v) => read_tenant(f, v),
        None => {
            f.problem("tenant", "required");
            None
        }
    };
    let policy = match top.get("policy") {
        Some(v) => read_policy(f, v),
        None => Some(Policy::default()),
    };
    let users = match top.get("users") {
        Some(Value::Array(items)) => read_users(f, items, policy.as_ref(), now),
        Some(_) => {
            f.problem("users", "expected an array of users");
            Vec::new()
        }
        None => {
            f.problem("users", "required");
            Vec::new()
        }
    };
    let devices = match top.get("devices") {
        Some(Value::Array(items)) => read_devices(f, items),
        Some(_) => {
            f.problem("devices", "expected an array of devices");
            Vec::new()
        }
        None => Vec::new(),
    };
    Some(Snapshot {
        tenant: tenant?,
        policy: policy?,
        users,
        devices,
    })
}

fn read_users(
    f: &mut Fields,
    items: &[Value],
    policy: Option<&Policy>,
    now: Timestamp,
) -> Vec<User> {
    let mut users = Vec::with_capacity(items.len());
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let path = index("users", i);
        let Some(user) = read_user(f, item, &path, office(policy), now) else {
            continue;
        };
        if let Some(first) = seen.insert(user.upn().key(), i) {
            f.problem(
                &join(&path, "userPrincipalName"),
                format!("duplicate of users[{first}] (user principal names ignore case)"),
            );
        }
        users.push(user);
    }
    users
}

/// The old `read_devices`: a duplicate names the latest earlier device with the number.
fn read_devices(f: &mut Fields, items: &[Value]) -> Vec<Device> {
    let mut devices: Vec<Device> = Vec::with_capacity(items.len());
    let mut seen: HashMap<PhoneNumber, usize> = HashMap::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let path = index("devices", i);
        let Some(device) = read_device(f, item, &path) else {
            continue;
        };
        if let Some(first) = seen.insert(device.phone_number.clone(), i) {
            f.problem(
                &join(&path, "phoneNumber"),
                format!("duplicate of devices[{first}] (one device per number)"),
            );
            continue;
        }
        devices.push(device);
    }
    devices.sort_by(|a, b| a.phone_number.cmp(&b.phone_number));
    devices
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
