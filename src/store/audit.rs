//! The audit trail: who did what to whom, when, with numbers masked.

use serde::{Deserialize, Serialize};

use crate::domain::{PhoneType, Role, Timestamp, User};

/// One audited event. Numbers in `before`/`after` are always masked; codes never appear.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub seq: u64,
    pub at: Timestamp,
    pub operator: String,
    pub role: Role,
    /// A dotted action name such as `phone.add` or `numbers.reveal`.
    pub action: String,
    pub target: Option<String>,
    pub slot: Option<PhoneType>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: Option<String>,
    /// Microsoft Graph's `request-id` of the call that made the change (Graph mode), so a change
    /// can be traced in the tenant's own logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

impl AuditEntry {
    /// An entry for `action` by `operator` at `at`; the store assigns `seq` when it appends it.
    pub fn new(
        operator: &crate::domain::Operator,
        at: Timestamp,
        action: impl Into<String>,
    ) -> Self {
        Self {
            seq: 0,
            at,
            operator: operator.name.clone(),
            role: operator.role,
            action: action.into(),
            target: None,
            slot: None,
            before: None,
            after: None,
            reason: None,
            request_id: None,
        }
    }

    #[must_use]
    pub fn target(mut self, upn: impl Into<String>) -> Self {
        self.target = Some(upn.into());
        self
    }

    #[must_use]
    pub fn slot(mut self, slot: Option<PhoneType>) -> Self {
        self.slot = slot;
        self
    }

    /// The masked state before and after.
    #[must_use]
    pub fn change(mut self, before: Option<String>, after: Option<String>) -> Self {
        self.before = before;
        self.after = after;
        self
    }

    #[must_use]
    pub fn reason(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }

    #[must_use]
    pub fn request_id(mut self, id: Option<String>) -> Self {
        self.request_id = id;
        self
    }
}

/// The masked state of what an action touches, for the before/after columns.
pub fn describe_state(user: &User, action: &str, slot: Option<PhoneType>) -> Option<String> {
    if action.starts_with("phone.") {
        let slot = slot?;
        return Some(
            user.method(slot)
                .map_or_else(|| "(none)".to_owned(), |m| m.phone_number.masked()),
        );
    }
    if action.starts_with("smsSignIn.") {
        let enabled = user
            .method(PhoneType::Mobile)
            .is_some_and(|m| m.sms_sign_in_enabled);
        return Some(if enabled { "enabled" } else { "disabled" }.to_owned());
    }
    if action.starts_with("defaultMethod.") {
        return Some(
            user.default_mfa_method
                .map_or_else(|| "(none)".to_owned(), |m| m.as_str().to_owned()),
        );
    }
    if action.starts_with("user.") {
        return Some(match &user.block {
            Some(b) => format!("blocked ({})", b.kind.as_str()),
            None => "not blocked".to_owned(),
        });
    }
    None
}
