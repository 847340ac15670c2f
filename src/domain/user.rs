//! Users: their public directory phones and their private authentication phones (DOMAIN.md §3).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::method::{DefaultMethod, PhoneMethod, PhoneType};
use super::pin::PinHash;
use super::region::Region;
use super::time::Timestamp;

/// Entra's limit on a user principal name.
pub const MAX_UPN_CHARS: usize = 113;
/// Entra's limit on a display name.
pub const MAX_DISPLAY_NAME_CHARS: usize = 256;
/// A fraud report blocks the user for this long unless an administrator unblocks them first.
pub const FRAUD_BLOCK_DAYS: i64 = 90;

/// A user principal name. Compared case-insensitively, as Entra does; [`Upn::key`] is the
/// lowercase form the store keys on.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Upn(String);

impl Upn {
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("a user principal name is required".into());
        }
        if text.chars().count() > MAX_UPN_CHARS {
            return Err(format!(
                "a user principal name has at most {MAX_UPN_CHARS} characters"
            ));
        }
        if let Some(bad) = text
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || "@.-_'+#".contains(*c)))
        {
            return Err(format!(
                "'{}' is not allowed in a user principal name",
                bad.escape_default()
            ));
        }
        let mut parts = text.split('@');
        let (local, domain) = (parts.next(), parts.next());
        match (local, domain, parts.next()) {
            (Some(l), Some(d), None) if !l.is_empty() && d.contains('.') && !d.starts_with('.') => {
                Ok(Self(text.to_owned()))
            }
            _ => Err(format!(
                "\"{text}\" is not a user principal name like kim@contoso.example"
            )),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The case-folded form used as the storage key and for comparisons.
    pub fn key(&self) -> String {
        self.0.to_ascii_lowercase()
    }

    /// The part before `@`.
    pub fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or(&self.0)
    }
}

impl PartialEq for Upn {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }
}

impl Eq for Upn {}

impl fmt::Display for Upn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Upn {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Upn> for String {
    fn from(value: Upn) -> Self {
        value.0
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum UserType {
    #[default]
    Member,
    Guest,
}

impl UserType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::Guest => "guest",
        }
    }
}

/// Why a user is blocked from phone MFA.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum BlockKind {
    /// An administrator blocked the user (Entra's "block/unblock users").
    Admin,
    /// The user reported a fraudulent MFA call or text (`0#` then `1`).
    FraudReport,
}

impl BlockKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::FraudReport => "fraudReport",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Self::Admin => "blocked by an administrator",
            Self::FraudReport => "blocked after a fraud report",
        }
    }
}

/// A block on the user: every phone MFA attempt is denied while it lasts.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Block {
    pub kind: BlockKind,
    pub reason: String,
    pub since: Timestamp,
    /// When the block lapses by itself; `None` lasts until an administrator unblocks.
    pub until: Option<Timestamp>,
}

impl Block {
    /// The block a disabled account (a real tenant's `accountEnabled: false`) stands for, as
    /// read at `now`: the tenant blocks every sign-in, and does not say since when.
    pub fn account_disabled(now: Timestamp) -> Self {
        Self {
            kind: BlockKind::Admin,
            reason: "sign-in blocked in the tenant (accountEnabled is false)".into(),
            since: now,
            until: None,
        }
    }

    pub fn is_active(&self, now: Timestamp) -> bool {
        self.until.is_none_or(|until| now < until)
    }
}

/// A directory user as phonedesk knows them.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub user_principal_name: Upn,
    pub display_name: String,
    #[serde(default)]
    pub user_type: UserType,
    #[serde(default)]
    pub usage_location: Option<Region>,
    #[serde(default)]
    pub groups: Vec<String>,
    /// Directory roles; any role makes the user an administrator for the purposes of who may
    /// manage their methods.
    #[serde(default)]
    pub roles: Vec<String>,
    /// Directory (public) mobile phone: contact data anyone in the organisation can see.
    #[serde(default)]
    pub mobile_phone: Option<String>,
    /// Directory (public) business phones.
    #[serde(default)]
    pub business_phones: Vec<String>,
    #[serde(default)]
    pub block: Option<Block>,
    #[serde(default)]
    pub default_mfa_method: Option<DefaultMethod>,
    /// Authentication (private) phones, at most one per slot, kept in slot order.
    #[serde(default)]
    pub phone_methods: Vec<PhoneMethod>,
    /// The voice PIN for PIN mode, hashed; never kept in plain text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<PinHash>,
}

impl User {
    /// A member with no phones, groups or roles.
    pub fn new(upn: Upn, display_name: impl Into<String>) -> Self {
        Self {
            user_principal_name: upn,
            display_name: display_name.into(),
            user_type: UserType::Member,
            usage_location: None,
            groups: Vec::new(),
            roles: Vec::new(),
            mobile_phone: None,
            business_phones: Vec::new(),
            block: None,
            default_mfa_method: None,
            phone_methods: Vec::new(),
            pin: None,
        }
    }

    pub fn upn(&self) -> &Upn {
        &self.user_principal_name
    }

    pub fn is_admin(&self) -> bool {
        !self.roles.is_empty()
    }

    pub fn is_guest(&self) -> bool {
        self.user_type == UserType::Guest
    }

    pub fn method(&self, slot: PhoneType) -> Option<&PhoneMethod> {
        self.phone_methods.iter().find(|m| m.phone_type == slot)
    }

    pub fn method_mut(&mut self, slot: PhoneType) -> Option<&mut PhoneMethod> {
        self.phone_methods.iter_mut().find(|m| m.phone_type == slot)
    }

    /// The active block, if any, at `now`.
    pub fn active_block(&self, now: Timestamp) -> Option<&Block> {
        self.block.as_ref().filter(|b| b.is_active(now))
    }

    pub fn is_member_of(&self, group: &str) -> bool {
        self.groups.iter().any(|g| g.eq_ignore_ascii_case(group))
    }
}
