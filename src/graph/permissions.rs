//! Which permission or role a Graph operation needs (GRAPH.md §3), so a 403 names what would
//! allow it instead of saying "forbidden".

/// What phonedesk asked the tenant for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    SearchUsers,
    ReadUser,
    ReadRoles,
    ReadPhoneMethods,
    WritePhoneMethods,
    ReadDefaultMethod,
    WriteDefaultMethod,
    BlockUser,
    ReadSignIns,
}

impl Operation {
    /// The delegated scope and the admin role that allow it.
    pub fn needs(self) -> &'static str {
        match self {
            Self::SearchUsers | Self::ReadUser => {
                "reading users needs the User.Read.All permission"
            }
            Self::ReadRoles => {
                "reading a user's directory roles needs the Directory.Read.All permission"
            }
            Self::ReadPhoneMethods => {
                "reading phone methods needs UserAuthMethod-Phone.Read.All (or UserAuthenticationMethod.Read.All) and the Authentication Administrator role, or Privileged Authentication Administrator for an admin"
            }
            Self::WritePhoneMethods => {
                "changing phone methods needs UserAuthMethod-Phone.ReadWrite.All (or UserAuthenticationMethod.ReadWrite.All) and the Authentication Administrator role, or Privileged Authentication Administrator for an admin"
            }
            Self::ReadDefaultMethod | Self::WriteDefaultMethod => {
                "the default method needs UserAuthenticationMethod.ReadWrite.All and the Authentication Administrator role, or Privileged Authentication Administrator for an admin"
            }
            Self::BlockUser => {
                "blocking sign-in needs User.EnableDisableAccount.All with User.Read.All, and a role allowed to change the user's accountEnabled (Privileged Authentication Administrator for an admin)"
            }
            Self::ReadSignIns => {
                "the sign-in log needs AuditLog.Read.All, a Reports Reader (or Security Reader, Global Reader) role, and an Entra ID P1 or P2 licence"
            }
        }
    }
}

/// The scopes `phonedesk login` asks for: the least that every command needs.
pub const SCOPES: &str = "offline_access openid profile User.Read.All Directory.Read.All \
UserAuthenticationMethod.ReadWrite.All User.EnableDisableAccount.All AuditLog.Read.All";
