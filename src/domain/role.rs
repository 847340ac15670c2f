//! The operator and their Entra role.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::rules::RuleError;
use super::user::User;

/// The two Entra roles that manage authentication methods.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
pub enum Role {
    /// Authentication Administrator: non-admin users only.
    #[default]
    #[serde(rename = "auth-admin")]
    AuthAdmin,
    /// Privileged Authentication Administrator: every user, admins included.
    #[serde(rename = "privileged-auth-admin")]
    PrivilegedAuthAdmin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AuthAdmin => "auth-admin",
            Self::PrivilegedAuthAdmin => "privileged-auth-admin",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "auth-admin" => Ok(Self::AuthAdmin),
            "privileged-auth-admin" => Ok(Self::PrivilegedAuthAdmin),
            other => Err(format!(
                "unknown role \"{other}\": use auth-admin or privileged-auth-admin"
            )),
        }
    }
}

/// Who is at the keyboard. Every change and every reveal is recorded under this name and role.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Operator {
    pub name: String,
    pub role: Role,
}

impl Operator {
    pub fn new(name: impl Into<String>, role: Role) -> Self {
        Self {
            name: name.into(),
            role,
        }
    }

    /// May this operator change or reveal this user's authentication methods, or clear their
    /// verification state?
    ///
    /// An Authentication Administrator acts on non-admin users only; and nobody manages their own
    /// methods through the admin API ("self-service operations aren't supported").
    pub fn may_act_on(&self, user: &User) -> Result<(), RuleError> {
        if self.name.eq_ignore_ascii_case(user.upn().as_str()) {
            return Err(RuleError::SelfService);
        }
        self.covers(user)
    }

    /// Does this operator's role cover this user? The role half of [`Operator::may_act_on`],
    /// for what touches a user without being a change of their own methods: their simulated
    /// sign-in, the phone at the end of their number, their record in an import.
    pub fn covers(&self, user: &User) -> Result<(), RuleError> {
        if user.is_admin() && self.role == Role::AuthAdmin {
            return Err(RuleError::NeedsPrivilegedRole);
        }
        Ok(())
    }

    /// May this operator replace a directory (an import with `--replace`, `demo reset`) that
    /// holds `admin`, the first admin found in it (`None`: it holds none)?
    ///
    /// Replacing a directory deletes every user in it and recreates them from the file, with
    /// the file's methods and a fresh verification state: for the admins in it that is acting
    /// on admins, which an Authentication Administrator may not do.
    pub fn may_replace(&self, admin: Option<&User>) -> Result<(), RuleError> {
        match admin {
            Some(user) if self.role == Role::AuthAdmin => Err(RuleError::ReplacesAdmins {
                upn: user.upn().to_string(),
            }),
            _ => Ok(()),
        }
    }

    /// May this operator import `user` from a tenant file? An import sets every user's methods:
    /// an Authentication Administrator may import non-admin users only.
    pub fn may_import(&self, user: &User) -> Result<(), RuleError> {
        self.covers(user).map_err(|_| RuleError::ImportsAdmin {
            upn: user.upn().to_string(),
        })
    }
}
