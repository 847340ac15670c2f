//! Graph's JSON in the domain's words: a user with their phone methods, the SMS sign-in state the
//! tenant computed, the default method, and a sign-in of the log.
//!
//! Graph is lenient in places and so is this: unknown enum values read as "unknown", missing
//! fields as absent, a number the tenant masked stays masked ([`PhoneNumber::masked_by_tenant`]).

use serde_json::Value;

use crate::domain::{
    Block, DefaultMethod, PhoneMethod, PhoneNumber, PhoneType, Policy, Region, SmsSignInState,
    Timestamp, Upn, User, UserType,
};

/// The policy group a Graph-mode user is put in when the tenant says SMS sign-in is allowed
/// for them: the tenant computes `smsSignInState`, and phonedesk's rules read that answer through
/// the same policy test they use on the simulated tenant.
pub const TENANT_SAYS_ALLOWED: &str = "(allowed by the tenant's SMS sign-in policy)";

/// The policy phonedesk's rules see in Graph mode: SMS sign-in for those the tenant allows it
/// for, office phones allowed (the tenant refuses otherwise).
pub fn policy() -> Policy {
    Policy {
        sms_sign_in_groups: vec![TENANT_SAYS_ALLOWED.into()],
        ..Policy::default()
    }
}

/// The properties phonedesk reads of a user (`accountEnabled` and `usageLocation` need asking).
pub const USER_SELECT: &str = "id,userPrincipalName,displayName,userType,usageLocation,mobilePhone,businessPhones,accountEnabled";

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// A user of the tenant, as phonedesk shows and edits them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemoteUser {
    /// The object id: enableSmsSignIn works reliably only with it (GRAPH.md §7.3).
    pub id: String,
    pub user: User,
    /// `smsSignInState` of the mobile method, as the tenant computed it.
    pub sms_state: Option<SmsSignInState>,
    /// The default method when it is not a phone (`push`, `oath`): shown as it is.
    pub other_default: Option<String>,
    /// Whether the directory roles could be read (else `user.roles` is empty for want of them).
    pub roles_known: bool,
}

pub fn phone_type(text: &str) -> Option<PhoneType> {
    match text {
        "mobile" => Some(PhoneType::Mobile),
        "alternateMobile" => Some(PhoneType::AlternateMobile),
        "office" => Some(PhoneType::Office),
        _ => None,
    }
}

pub fn sms_state(text: &str) -> SmsSignInState {
    match text {
        "notSupported" => SmsSignInState::NotSupported,
        "notAllowedByPolicy" => SmsSignInState::NotAllowedByPolicy,
        "notEnabled" => SmsSignInState::NotEnabled,
        "notConfigured" => SmsSignInState::NotConfigured,
        "phoneNumberNotUnique" => SmsSignInState::PhoneNumberNotUnique,
        "ready" => SmsSignInState::Ready,
        _ => SmsSignInState::UnknownFutureValue,
    }
}

/// A number as Graph returns it: canonical (`+1 2065555555`), or masked for an Authentication
/// Administrator. `None` for something that is neither.
pub fn number(text: &str) -> Option<PhoneNumber> {
    PhoneNumber::parse(text, None)
        .ok()
        .or_else(|| PhoneNumber::masked_by_tenant(text))
}

/// Graph's `userPreferredMethodForSecondaryAuthentication`.
pub fn default_method(text: &str) -> Result<Option<DefaultMethod>, String> {
    Ok(match text {
        "sms" => Some(DefaultMethod::Sms),
        "voiceMobile" => Some(DefaultMethod::VoiceMobile),
        "voiceAlternateMobile" => Some(DefaultMethod::VoiceAlternateMobile),
        "voiceOffice" => Some(DefaultMethod::VoiceOffice),
        "" | "none" => None,
        other => return Err(other.to_owned()),
    })
}

/// Builds the user from `/users/{id}` (with [`USER_SELECT`]), their `phoneMethods` list, their
/// sign-in preferences (beta; `None` when not readable) and their directory roles (`None` when
/// not readable). `now` dates the block a disabled account stands for.
pub fn user(
    body: &Value,
    methods: &Value,
    preferences: Option<&Value>,
    roles: Option<Vec<String>>,
    now: Timestamp,
) -> Result<RemoteUser, String> {
    let upn = text(body, "userPrincipalName").ok_or("a user without userPrincipalName")?;
    let upn = Upn::parse(upn).map_err(|e| format!("userPrincipalName: {e}"))?;
    let id = text(body, "id").unwrap_or_default().to_owned();
    let mut user = User::new(
        upn,
        text(body, "displayName").unwrap_or_default().to_owned(),
    );
    user.user_type = match text(body, "userType") {
        Some(t) if t.eq_ignore_ascii_case("guest") => UserType::Guest,
        _ => UserType::Member,
    };
    user.usage_location = text(body, "usageLocation").and_then(|r| Region::parse(r).ok());
    user.mobile_phone = text(body, "mobilePhone").map(str::to_owned);
    user.business_phones = body
        .get("businessPhones")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    if body.get("accountEnabled").and_then(Value::as_bool) == Some(false) {
        user.block = Some(Block::account_disabled(now));
    }
    let mut sms = None;
    for m in methods
        .get("value")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(slot) = text(m, "phoneType").and_then(phone_type) else {
            continue;
        };
        let Some(number) = text(m, "phoneNumber").and_then(number) else {
            continue;
        };
        let state = text(m, "smsSignInState").map(sms_state);
        if slot == PhoneType::Mobile {
            sms = state;
        }
        let enabled = matches!(
            state,
            Some(
                SmsSignInState::Ready
                    | SmsSignInState::NotConfigured
                    | SmsSignInState::PhoneNumberNotUnique
            )
        );
        if state.is_some_and(|s| s != SmsSignInState::NotAllowedByPolicy)
            && slot == PhoneType::Mobile
        {
            user.groups = vec![TENANT_SAYS_ALLOWED.into()];
        }
        user.phone_methods.push(PhoneMethod {
            phone_type: slot,
            phone_number: number,
            sms_sign_in_enabled: enabled,
            sms_sign_in_since: enabled.then_some(Timestamp(0)),
        });
    }
    user.phone_methods.sort_by_key(|m| m.phone_type);
    let mut other_default = None;
    if let Some(p) = preferences
        && let Some(chosen) = text(p, "userPreferredMethodForSecondaryAuthentication")
    {
        match default_method(chosen) {
            Ok(method) => user.default_mfa_method = method,
            Err(other) => other_default = Some(other),
        }
    }
    let roles_known = roles.is_some();
    user.roles = roles.unwrap_or_default();
    Ok(RemoteUser {
        id,
        user,
        sms_state: sms,
        other_default,
        roles_known,
    })
}

/// The display names of the directory roles in a `memberOf/microsoft.graph.directoryRole` list.
pub fn roles(list: &[Value]) -> Vec<String> {
    list.iter()
        .filter_map(|r| text(r, "displayName"))
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(s: &str) -> Value {
        serde_json::from_str(s).unwrap()
    }

    #[test]
    fn the_documented_user_and_methods_read_as_a_user() {
        // GRAPH.md §1.1 (user-get) and §1.2 (list phone methods), with accountEnabled asked for.
        let body = json(
            r#"{"businessPhones": ["+1 425 555 0109"], "displayName": "Adele Vance", "givenName": "Adele", "jobTitle": "Retail Manager", "mail": "AdeleV@contoso.com", "mobilePhone": "+1 425 555 0109", "officeLocation": "18/2111", "preferredLanguage": "en-US", "surname": "Vance", "userPrincipalName": "AdeleV@contoso.com", "id": "87d349ed-44d7-43e1-9a83-5f2406dee5bd", "accountEnabled": true}"#,
        );
        let methods = json(
            r#"{"value": [{"phoneNumber": "+1 2065555555", "phoneType": "mobile", "smsSignInState": "ready", "id": "3179e48a-750b-4051-897c-87b9720928f7"}, {"phoneNumber": "+1 2065555556", "phoneType": "alternateMobile", "smsSignInState": "notSupported", "id": "b6332ec1-7057-4abe-9331-3d72feddfe41"}, {"phoneNumber": "+1 2065555557", "phoneType": "office", "smsSignInState": "notSupported", "id": "e37fc753-ff3b-4958-9484-eaa9425c82bc"}]}"#,
        );
        let prefs = json(
            r#"{"isSystemPreferredAuthenticationMethodEnabled": false, "userPreferredMethodForSecondaryAuthentication": "push"}"#,
        );
        let remote = user(&body, &methods, Some(&prefs), None, Timestamp(0)).unwrap();
        assert_eq!(remote.id, "87d349ed-44d7-43e1-9a83-5f2406dee5bd");
        assert_eq!(remote.user.phone_methods.len(), 3);
        assert_eq!(remote.sms_state, Some(SmsSignInState::Ready));
        assert!(
            remote
                .user
                .method(PhoneType::Mobile)
                .unwrap()
                .sms_sign_in_enabled
        );
        assert_eq!(remote.other_default.as_deref(), Some("push"));
        assert!(remote.user.block.is_none());
        assert!(!remote.roles_known);
        // The tenant's answer goes through phonedesk's own rules unchanged.
        let mobile = remote.user.method(PhoneType::Mobile).unwrap();
        let (state, _) =
            crate::domain::rules::sms_sign_in_state(&remote.user, mobile, &policy(), &[]);
        assert_eq!(state, SmsSignInState::Ready);
    }

    #[test]
    fn masked_numbers_stay_masked_and_a_disabled_account_is_a_block() {
        let body = json(
            r#"{"userPrincipalName": "kim@contoso.example", "displayName": "Kim", "accountEnabled": false}"#,
        );
        let methods = json(
            r#"{"value": [{"phoneNumber": "+1 XXXXXXXX55", "phoneType": "mobile", "smsSignInState": "notAllowedByPolicy"}, {"phoneNumber": "+1 2065555556", "phoneType": "fax"}]}"#,
        );
        let remote = user(
            &body,
            &methods,
            None,
            Some(vec!["Helpdesk Administrator".into()]),
            Timestamp(0),
        )
        .unwrap();
        let mobile = remote.user.method(PhoneType::Mobile).unwrap();
        assert!(mobile.phone_number.is_masked_by_tenant());
        assert_eq!(mobile.phone_number.to_string(), "+1 ********55");
        assert_eq!(
            remote.user.phone_methods.len(),
            1,
            "an unknown phone type is skipped"
        );
        assert!(remote.user.block.is_some());
        assert!(remote.user.is_admin() && remote.roles_known);
        assert_eq!(remote.sms_state, Some(SmsSignInState::NotAllowedByPolicy));
    }

    #[test]
    fn unknown_enum_values_are_kept_as_unknown() {
        assert_eq!(
            sms_state("somethingNew"),
            SmsSignInState::UnknownFutureValue
        );
        assert_eq!(default_method("oath"), Err("oath".into()));
        assert_eq!(
            default_method("voiceOffice"),
            Ok(Some(DefaultMethod::VoiceOffice))
        );
    }
}
