//! The seam between phonedesk and its directory of record: the simulated tenant in the embedded
//! sled database, or a real tenant through Microsoft Graph.
//!
//! - [`Record`]: the record's operations in the domain's words (read a user, edit a phone slot,
//!   reveal numbers), with its [`AuditTrail`], its [`SignInLog`] and its [`UserSearch`];
//! - [`super::Directory`] extends it with what only a local database has: the raw key-value
//!   seam the simulator keeps its world in, imports, exports, the change log.
//!
//! The simulator takes a `&dyn Directory`, so it cannot be handed a real tenant:
//!
//! ```compile_fail
//! # use phonedesk::store::Record;
//! fn simulate(world: &dyn phonedesk::store::Directory) {}
//! fn on_graph(record: &dyn Record) {
//!     simulate(record); // a record is not a local database
//! }
//! ```
//!
//! When the record is the simulated tenant, [`Record::simulated`] hands the same database to the
//! simulator; a real tenant answers `None`, and simulations run on a sandbox instead.

use super::{AuditEntry, Directory, SmsStatus, StoreError};
use crate::domain::signin::SignInRecord;
use crate::domain::{
    Applied, Claim, Edit, Operator, PhoneNumber, Policy, Region, SmsSignInState, Tenant, Timestamp,
    Upn, User,
};

/// Which directory of record phonedesk works on, for the title bar, messages and the audit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordKind {
    /// The simulated tenant in the database at `path`.
    Simulated { path: String },
    /// A real tenant through Microsoft Graph.
    Graph {
        tenant: String,
        account: Option<String>,
    },
}

impl RecordKind {
    pub fn is_graph(&self) -> bool {
        matches!(self, Self::Graph { .. })
    }

    /// One line for a title bar: `simulated tenant` or `contoso.onmicrosoft.com as kim@…`.
    pub fn label(&self) -> String {
        match self {
            Self::Simulated { .. } => "simulated tenant".to_owned(),
            Self::Graph { tenant, account } => match account {
                Some(account) => format!("{tenant} (Microsoft Graph, signed in as {account})"),
                None => format!("{tenant} (Microsoft Graph)"),
            },
        }
    }
}

/// phonedesk's own record of what operators did: kept in the local database in both modes.
pub trait AuditTrail: Send + Sync {
    /// Records an event that is not an edit (an export that revealed numbers, a cleared
    /// challenge); `seq` is assigned here.
    fn record(&self, entry: &AuditEntry) -> Result<(), StoreError>;
    /// Audit entries, newest first, for one user or everyone.
    fn audit(&self, upn: Option<&Upn>, limit: usize) -> Result<Vec<AuditEntry>, StoreError>;
}

/// The sign-in log of the directory of record: the simulator's attempts in sled mode, the
/// tenant's `auditLogs/signIns` in Graph mode.
pub trait SignInLog: Send + Sync {
    /// Attempts, newest first: of one user or everyone, since an instant, at most `limit`.
    fn sign_ins(
        &self,
        upn: Option<&Upn>,
        since: Option<Timestamp>,
        limit: usize,
    ) -> Result<Vec<SignInRecord>, StoreError>;
}

/// One user of a search's answer, as a list shows them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundUser {
    pub upn: String,
    pub display_name: String,
    /// The mobile authentication number, masked, when the search knows it.
    pub mobile: Option<String>,
    pub sms_state: Option<SmsSignInState>,
    /// Registered phone methods, when the search knows them (a tenant search does not).
    pub methods: Option<u8>,
    pub usage_location: Option<String>,
    pub blocked: bool,
    /// `None` when the search cannot tell (a tenant search reads no roles).
    pub admin: Option<bool>,
    pub guest: bool,
}

/// A search's answer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Found {
    /// Best first, at most the limit asked for.
    pub rows: Vec<FoundUser>,
    /// How many users match in all, when known.
    pub total: Option<usize>,
    /// More match than `rows` holds.
    pub more: bool,
    /// What the operator should know about this search (what it cannot cover).
    pub note: Option<String>,
}

/// Finding users as the operator types: the local index in sled mode, Graph's own query in
/// Graph mode.
pub trait UserSearch: Send + Sync {
    /// Users matching `text` (a name, a UPN, digits of a number), best first. `region` reads a
    /// national number (the operator's, from `PHONEDESK_REGION`).
    fn find(
        &self,
        text: &str,
        region: Option<Region>,
        limit: usize,
        cancelled: &dyn Fn() -> bool,
    ) -> Result<Found, StoreError>;
}

/// The directory of record in the domain's words. Every change is checked by the domain's rules
/// and audited before it is reported done; roles are enforced here, not only in the UI.
pub trait Record: AuditTrail + SignInLog + Send + Sync {
    /// Where the data lives (a path, "(in memory)", or the tenant's name).
    fn location(&self) -> String;
    fn kind(&self) -> RecordKind;
    fn tenant(&self) -> Result<Tenant, StoreError>;
    fn policy(&self) -> Result<Policy, StoreError>;
    /// One user, or `NotFound` with near matches.
    fn user(&self, upn: &str) -> Result<User, StoreError>;
    /// SMS sign-in claims on one number (a real tenant keeps its own: none are known here).
    fn claims_on(&self, number: &PhoneNumber) -> Result<Vec<Claim>, StoreError>;
    /// The SMS sign-in state of the user's mobile method with its reason, if they have a mobile.
    fn sms_status(&self, user: &User) -> Result<Option<SmsStatus>, StoreError> {
        let Some(mobile) = user.method(crate::domain::PhoneType::Mobile) else {
            return Ok(None);
        };
        let claims = self.claims_on(&mobile.phone_number)?;
        let (state, reason) =
            crate::domain::rules::sms_sign_in_state(user, mobile, &self.policy()?, &claims);
        Ok(Some(SmsStatus { state, reason }))
    }
    /// Applies an operator's edit under the domain rules; the change and its audit entry are
    /// durable before this returns.
    fn edit(&self, operator: &Operator, upn: &str, edit: &Edit) -> Result<Applied, StoreError>;
    /// Records that `operator` revealed `upn`'s authentication numbers, and returns the user.
    /// Refused (and not recorded) when the role does not cover the user.
    fn reveal(&self, operator: &Operator, upn: &str, context: &str) -> Result<User, StoreError>;
    /// The current time as the record stamps it.
    fn now(&self) -> Timestamp;
    /// A search over this record. Loading it may take a while (the local index); the TUI does it
    /// on its worker.
    fn user_search(&self) -> Result<Box<dyn UserSearch + '_>, StoreError>;
    /// The local database when it is the record itself (the simulated tenant): the simulator
    /// may run on it. A real tenant answers `None`.
    fn simulated(&self) -> Option<&dyn Directory>;
    /// Ends the calls in progress as soon as they can (Esc while the tenant is slow), and every
    /// call after them until [`Record::resume`]: an operation of several calls stops as a
    /// whole, wherever the Esc falls. Nothing to do for a local database.
    fn interrupt(&self) {}
    /// Lets calls run again after [`Record::interrupt`]; the TUI's worker says so as each job
    /// starts.
    fn resume(&self) {}
}
