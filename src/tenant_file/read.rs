//! The checks of a tenant file's values: the version, the tenant, the policy and one user at a
//! time, each with the rules that span its fields (slots, defaults). Every problem is recorded
//! with its path; the walk over the file and the checks across users are in `stream`.

use serde_json::{Map, Value};

use super::VERSION;
use super::fields::{Fields, index, join};
use super::pin::read_pin;
use super::problems::OFFICE_FORBIDDEN;
use crate::domain::user::{MAX_DISPLAY_NAME_CHARS, User, UserType};
use crate::domain::{
    Block, BlockKind, DefaultMethod, PhoneMethod, PhoneType, Policy, Region, Tenant, Timestamp,
    Upn, Verification,
};

/// The longest directory (public) phone text accepted.
const MAX_DIRECTORY_PHONE_CHARS: usize = 64;

const TENANT_KEYS: &[&str] = &["name", "domain"];
const POLICY_KEYS: &[&str] = &["smsSignInGroups", "officePhoneAllowed", "verification"];
const VERIFICATION_KEYS: &[&str] = &[
    "codeLength",
    "codeLifetimeSeconds",
    "maxWrongCodes",
    "sendLimit",
    "sendWindowSeconds",
    "countrySendLimit",
    "pinMode",
    "fraudAutoBlock",
];
const USER_KEYS: &[&str] = &[
    "userPrincipalName",
    "displayName",
    "userType",
    "usageLocation",
    "groups",
    "roles",
    "mobilePhone",
    "businessPhones",
    "blocked",
    "block",
    "defaultMfaMethod",
    "phoneMethods",
    "pin",
];
const BLOCK_KEYS: &[&str] = &["kind", "reason", "since", "until"];
const METHOD_KEYS: &[&str] = &[
    "id",
    "phoneType",
    "phoneNumber",
    "smsSignInEnabled",
    "smsSignInSince",
    "smsSignInState",
];

/// What the per-user checks know about office phones when a user is read: the policy may come
/// after the users in the file, and then the check leaves a placeholder to resolve at the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OfficeRule {
    Allowed,
    Forbidden,
    NotYetKnown,
}

/// `version` must be the one this build reads.
pub fn check_version(f: &mut Fields, value: &Value) {
    match value {
        Value::Number(n) if n.as_u64() == Some(VERSION) => {}
        Value::Number(n) if n.as_u64().is_some_and(|v| v > VERSION) => f.problem(
            "version",
            format!("version {n} is newer than this phonedesk reads ({VERSION})"),
        ),
        other => f.problem("version", format!("expected {VERSION}, found {other}")),
    }
}

pub fn read_tenant(f: &mut Fields, value: &Value) -> Option<Tenant> {
    let obj = f.object(value, "tenant")?;
    f.only_keys(obj, "tenant", TENANT_KEYS);
    let name = f.string(obj, "tenant", "name");
    let domain = f.string(obj, "tenant", "domain");
    if name.is_some_and(|n| n.trim().is_empty()) {
        f.problem("tenant.name", "must not be empty");
    }
    Some(Tenant {
        name: name?.trim().to_owned(),
        domain: domain?.trim().to_owned(),
    })
}

pub fn read_policy(f: &mut Fields, value: &Value) -> Option<Policy> {
    let obj = f.object(value, "policy")?;
    f.only_keys(obj, "policy", POLICY_KEYS);
    let verification = match obj.get("verification") {
        None => Verification::default(),
        Some(v) => read_verification(f, v)?,
    };
    Some(Policy {
        sms_sign_in_groups: f.strings(obj, "policy", "smsSignInGroups"),
        office_phone_allowed: f.bool(obj, "policy", "officePhoneAllowed", true),
        verification,
    })
}

/// The verification knobs; each absent knob takes its default, each present one its range.
fn read_verification(f: &mut Fields, value: &Value) -> Option<Verification> {
    const PATH: &str = "policy.verification";
    let obj = f.object(value, PATH)?;
    f.only_keys(obj, PATH, VERIFICATION_KEYS);
    let d = Verification::default();
    let mut number = |key: &str, default: u64, range| f.uint(obj, PATH, key, default, range);
    let code_length = number(
        "codeLength",
        d.code_length.into(),
        Verification::CODE_LENGTH,
    );
    let code_lifetime_seconds = number(
        "codeLifetimeSeconds",
        d.code_lifetime_seconds.into(),
        Verification::CODE_LIFETIME_SECONDS,
    );
    let max_wrong_codes = number(
        "maxWrongCodes",
        d.max_wrong_codes.into(),
        Verification::MAX_WRONG_CODES,
    );
    let send_limit = number("sendLimit", d.send_limit.into(), Verification::SEND_LIMIT);
    let send_window_seconds = number(
        "sendWindowSeconds",
        d.send_window_seconds.into(),
        Verification::SEND_WINDOW_SECONDS,
    );
    let country_send_limit = number(
        "countrySendLimit",
        d.country_send_limit.into(),
        Verification::COUNTRY_SEND_LIMIT,
    );
    // The ranges above keep every value inside its field's type.
    let narrow = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
    Some(Verification {
        code_length: u8::try_from(code_length).unwrap_or(d.code_length),
        code_lifetime_seconds: narrow(code_lifetime_seconds),
        max_wrong_codes: narrow(max_wrong_codes),
        send_limit: narrow(send_limit),
        send_window_seconds: narrow(send_window_seconds),
        country_send_limit: narrow(country_send_limit),
        pin_mode: f.bool(obj, PATH, "pinMode", d.pin_mode),
        fraud_auto_block: f.bool(obj, PATH, "fraudAutoBlock", d.fraud_auto_block),
    })
}

pub fn read_user(
    f: &mut Fields,
    value: &Value,
    path: &str,
    office: OfficeRule,
    now: Timestamp,
) -> Option<User> {
    let obj = f.object(value, path)?;
    f.only_keys(obj, path, USER_KEYS);
    let upn = f
        .string(obj, path, "userPrincipalName")
        .and_then(|s| match Upn::parse(s) {
            Ok(upn) => Some(upn),
            Err(e) => {
                f.problem(&join(path, "userPrincipalName"), e);
                None
            }
        });
    let display_name = f.string(obj, path, "displayName").and_then(|s| {
        if s.trim().is_empty() {
            f.problem(&join(path, "displayName"), "must not be empty");
            None
        } else if s.chars().count() > MAX_DISPLAY_NAME_CHARS {
            f.problem(
                &join(path, "displayName"),
                format!("longer than {MAX_DISPLAY_NAME_CHARS} characters"),
            );
            None
        } else {
            Some(s.to_owned())
        }
    });
    let user_type = match f.opt_string(obj, path, "userType") {
        None | Some("member") => UserType::Member,
        Some("guest") => UserType::Guest,
        Some(other) => {
            f.problem(
                &join(path, "userType"),
                format!("\"{other}\" is not member or guest"),
            );
            UserType::Member
        }
    };
    let usage_location =
        f.opt_string(obj, path, "usageLocation")
            .and_then(|s| match Region::parse(s) {
                Ok(r) => Some(r),
                Err(e) => {
                    f.problem(&join(path, "usageLocation"), e.to_string());
                    None
                }
            });
    let groups = f.strings(obj, path, "groups");
    let roles = f.strings(obj, path, "roles");
    let mobile_phone = f
        .opt_string(obj, path, "mobilePhone")
        .and_then(|s| directory_phone(f, || join(path, "mobilePhone"), s));
    let business_phones: Vec<String> = f
        .strings(obj, path, "businessPhones")
        .into_iter()
        .enumerate()
        .filter_map(|(i, s)| directory_phone(f, || index(&join(path, "businessPhones"), i), &s))
        .collect();
    if business_phones.len() > 1 {
        f.problem(
            &join(path, "businessPhones"),
            "at most one business phone (as in Entra)",
        );
    }
    let blocked = f.bool(obj, path, "blocked", false);
    let block = read_block(f, obj, path, blocked, now);
    let methods = read_methods(f, obj, path, office, now);
    let pin = read_pin(f, obj, path);
    let default_mfa_method = f.opt_string(obj, path, "defaultMfaMethod").and_then(|s| {
        match s.parse::<DefaultMethod>() {
            Ok(m) if DefaultMethod::ALL.iter().any(|d| d.as_str() == s) => Some(m),
            _ => {
                f.problem(
                    &join(path, "defaultMfaMethod"),
                    format!("\"{s}\" is not sms, voiceMobile, voiceAlternateMobile or voiceOffice"),
                );
                None
            }
        }
    });
    if let Some(method) = default_mfa_method
        && !methods.iter().any(|m| m.phone_type == method.slot())
    {
        f.problem(
            &join(path, "defaultMfaMethod"),
            format!(
                "{method} needs a {} phone, and none is registered",
                method.slot()
            ),
        );
    }
    let mut user = User::new(upn?, display_name?);
    user.user_type = user_type;
    user.usage_location = usage_location;
    user.groups = groups;
    user.roles = roles;
    user.mobile_phone = mobile_phone;
    user.business_phones = business_phones;
    user.block = block;
    user.default_mfa_method = default_mfa_method;
    user.phone_methods = methods;
    user.pin = pin;
    Some(user)
}

/// Directory phones are public contact text in any format; they only need to be printable.
fn directory_phone(f: &mut Fields, at: impl Fn() -> String, text: &str) -> Option<String> {
    if text.chars().count() > MAX_DIRECTORY_PHONE_CHARS {
        f.problem(
            &at(),
            format!("longer than {MAX_DIRECTORY_PHONE_CHARS} characters"),
        );
        return None;
    }
    if text
        .chars()
        .any(|c| c.is_control() || crate::domain::phone::is_invisible_or_bidi(c))
    {
        f.problem(&at(), "contains control or invisible characters");
        return None;
    }
    let trimmed = text.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// A timestamp, or a problem at the path `at` builds.
fn timestamp(f: &mut Fields, at: impl FnOnce() -> String, text: Option<&str>) -> Option<Timestamp> {
    text.and_then(|s| match s.parse() {
        Ok(t) => Some(t),
        Err(e) => {
            f.problem(&at(), format!("{e}"));
            None
        }
    })
}

fn read_block(
    f: &mut Fields,
    obj: &Map<String, Value>,
    path: &str,
    blocked: bool,
    now: Timestamp,
) -> Option<Block> {
    let Some(value) = obj.get("block").filter(|v| !v.is_null()) else {
        return blocked.then(|| Block {
            kind: BlockKind::Admin,
            reason: "blocked in the imported tenant file".into(),
            since: now,
            until: None,
        });
    };
    let block_path = join(path, "block");
    if !blocked {
        f.problem(&block_path, "a block is given but \"blocked\" is not true");
        return None;
    }
    let b = f.object(value, &block_path)?;
    f.only_keys(b, &block_path, BLOCK_KEYS);
    let kind = match f.string(b, &block_path, "kind") {
        Some("admin") => Some(BlockKind::Admin),
        Some("fraudReport") => Some(BlockKind::FraudReport),
        Some(other) => {
            f.problem(
                &join(&block_path, "kind"),
                format!("\"{other}\" is not admin or fraudReport"),
            );
            None
        }
        None => None,
    };
    let reason = f.string(b, &block_path, "reason").map(str::to_owned);
    let since_text = f.string(b, &block_path, "since");
    let since = timestamp(f, || join(&block_path, "since"), since_text);
    let until_text = f.opt_string(b, &block_path, "until");
    let until = timestamp(f, || join(&block_path, "until"), until_text);
    Some(Block {
        kind: kind?,
        reason: reason?,
        since: since?,
        until,
    })
}

fn read_methods(
    f: &mut Fields,
    obj: &Map<String, Value>,
    path: &str,
    office: OfficeRule,
    now: Timestamp,
) -> Vec<PhoneMethod> {
    let items = f.array(obj, path, "phoneMethods");
    if items.is_empty() {
        return Vec::new();
    }
    let list_path = join(path, "phoneMethods");
    if items.len() > PhoneType::ALL.len() {
        f.problem(&list_path, "at most three methods (one per slot)");
    }
    let mut methods: Vec<PhoneMethod> = Vec::new();
    let mut slots_seen: Vec<PhoneType> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let item_path = index(&list_path, i);
        let (slot, method) = read_method(f, item, &item_path, office, now);
        // Duplicate slots are reported even when the number itself has a problem.
        if let Some(slot) = slot {
            if slots_seen.contains(&slot) {
                f.problem(
                    &join(&item_path, "phoneType"),
                    format!("a second {slot} phone; one number per slot"),
                );
                continue;
            }
            slots_seen.push(slot);
        }
        methods.extend(method);
    }
    let has = |slot| slots_seen.contains(&slot);
    if has(PhoneType::AlternateMobile) && !has(PhoneType::Mobile) {
        f.problem(
            &list_path,
            "an alternateMobile phone needs a mobile phone (add a mobile phone first)",
        );
    }
    methods.sort_by_key(|m| m.phone_type);
    methods
}

fn read_method(
    f: &mut Fields,
    value: &Value,
    path: &str,
    office: OfficeRule,
    now: Timestamp,
) -> (Option<PhoneType>, Option<PhoneMethod>) {
    let Some(obj) = f.object(value, path) else {
        return (None, None);
    };
    f.only_keys(obj, path, METHOD_KEYS);
    // `id` and `smsSignInState` are read-only: exported for people, ignored on import.
    let phone_type = f.string(obj, path, "phoneType").and_then(|s| match s {
        "mobile" => Some(PhoneType::Mobile),
        "alternateMobile" => Some(PhoneType::AlternateMobile),
        "office" => Some(PhoneType::Office),
        other => {
            f.problem(
                &join(path, "phoneType"),
                format!("\"{other}\" is not mobile, alternateMobile or office"),
            );
            None
        }
    });
    let number = f.number(obj, path, "phoneNumber");
    let enabled = f.bool(obj, path, "smsSignInEnabled", false);
    let since_text = f.opt_string(obj, path, "smsSignInSince");
    let since = timestamp(f, || join(path, "smsSignInSince"), since_text);
    let (Some(phone_type), Some(number)) = (phone_type, number) else {
        return (phone_type, None);
    };
    if number.extension().is_some() && !phone_type.allows_extension() {
        f.problem(
            &join(path, "phoneNumber"),
            format!("extensions are only meaningful for office phones, not for {phone_type}"),
        );
    }
    if phone_type == PhoneType::Office {
        match office {
            OfficeRule::Allowed => {}
            OfficeRule::Forbidden => f.problem(&join(path, "phoneType"), OFFICE_FORBIDDEN),
            OfficeRule::NotYetKnown => f.if_office_forbidden(join(path, "phoneType")),
        }
    }
    if enabled && phone_type != PhoneType::Mobile {
        f.problem(
            &join(path, "smsSignInEnabled"),
            "only the mobile slot can be enabled for SMS sign-in",
        );
    }
    let method = PhoneMethod {
        phone_type,
        phone_number: number,
        sms_sign_in_enabled: enabled,
        sms_sign_in_since: enabled.then(|| since.unwrap_or(now)),
    };
    (Some(phone_type), Some(method))
}
