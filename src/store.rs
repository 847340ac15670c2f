//! The directory: users, their phone methods, the policy and the audit trail, behind the
//! [`Directory`] trait in the domain's words.
//!
//! Every change and its audit entry commit in one transaction and are flushed before the call
//! returns. Roles are checked here, not only in the UI.

mod audit;
mod backend;
mod buckets;
pub mod changes;
mod checkpoint;
mod codec;
pub mod devices;
mod directory;
mod doctor;
mod import;
pub mod local_index;
mod memory;
mod record;
mod schema;
pub mod signins;
mod sled_backend;
mod upgrade;

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

pub use audit::{AuditEntry, describe_state};
pub use backend::{Backend, Backend as DynBackend, TreeId, Txn, TxnError};
pub use changes::Change;
pub use directory::Store;
pub(crate) use directory::{append_audit, decode, encode};
pub use doctor::{Finding, Report as DoctorReport};
pub use import::{CommitStage, DirectoryImport, Importer};
pub use local_index::LocalIndex;
pub use memory::MemoryBackend;
pub use record::{AuditTrail, Found, FoundUser, Record, RecordKind, SignInLog, UserSearch};
pub use schema::SCHEMA_VERSION;
pub(crate) use schema::{decode_u64, index_prefix, indexed_key, next_seq};
pub use sled_backend::SledBackend;

use crate::domain::{Claim, Device, Operator, Policy, SmsSignInState, Tenant, Timestamp, User};

/// Why a store operation did not happen. Nothing was written in any case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// No such user; `suggestions` are near matches to offer.
    NotFound {
        upn: String,
        suggestions: Vec<String>,
    },
    /// A domain rule refused the change.
    Rule(crate::domain::RuleError),
    /// Input the store cannot take (not a rule of the domain, e.g. a bad import).
    Invalid(String),
    InUse {
        path: String,
    },
    ReadOnly {
        path: String,
    },
    /// The disk holding the database is full.
    DiskFull {
        path: String,
    },
    /// The database is older than the last change phonedesk acknowledged: a file of it was
    /// lost, or an older copy put in its place.
    RolledBack {
        path: String,
        detail: String,
    },
    NotADatabase {
        path: String,
        detail: String,
    },
    NewerSchema {
        path: String,
        found: u32,
    },
    Corrupt {
        path: String,
        detail: String,
    },
    Io(String),
    /// A real tenant refused (a permission, a role, one of its own rules): its message, in
    /// plain words. Nothing was changed; the session goes on.
    Tenant(String),
    /// A real tenant could not be reached or answered (no network, throttling, an outage).
    /// Nothing was changed; trying again later may work.
    Unavailable(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotFound { upn, suggestions } => {
                write!(f, "no user {upn}")?;
                if !suggestions.is_empty() {
                    write!(f, " (did you mean {}?)", suggestions.join(", "))?;
                }
                Ok(())
            }
            Self::Rule(e) => write!(f, "{e}"),
            Self::Invalid(e) => write!(f, "{e}"),
            Self::InUse { path } => write!(
                f,
                "database {path} is in use by another phonedesk; close it first"
            ),
            Self::ReadOnly { path } => write!(
                f,
                "database {path} cannot be written (read-only or no permission); reading works, changes are refused"
            ),
            Self::DiskFull { path } => write!(
                f,
                "the disk holding database {path} is full: nothing was saved; free some space and try again"
            ),
            Self::RolledBack { path, detail } => write!(
                f,
                "database {path} is older than the last change phonedesk saved to it ({detail}): a file was lost or an older copy put in its place; nothing was changed. Restore the database from a backup or an export, or, if the older copy is what you want, delete {path}/CHECKPOINT and open it again"
            ),
            Self::NotADatabase { path, detail } => {
                write!(f, "{path} is not a phonedesk database: {detail}")
            }
            Self::NewerSchema { path, found } => write!(
                f,
                "database {path} was written by a newer phonedesk (schema {found}, this one reads up to {SCHEMA_VERSION}); upgrade phonedesk or import an export"
            ),
            Self::Corrupt { path, detail } => write!(
                f,
                "database {path} is damaged ({detail}); move it aside and restore from an export (phonedesk import FILE)"
            ),
            Self::Io(e) => write!(f, "storage failed: {e}"),
            Self::Tenant(e) | Self::Unavailable(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl StoreError {
    /// The same error, naming `path` (the database the operator gave) instead of a file or
    /// directory inside it.
    #[must_use]
    pub fn at(self, path: &str) -> Self {
        let path = path.to_owned();
        match self {
            Self::InUse { .. } => Self::InUse { path },
            Self::ReadOnly { .. } => Self::ReadOnly { path },
            Self::DiskFull { .. } => Self::DiskFull { path },
            Self::RolledBack { detail, .. } => Self::RolledBack { path, detail },
            Self::NotADatabase { detail, .. } => Self::NotADatabase { path, detail },
            Self::Corrupt { detail, .. } => Self::Corrupt { path, detail },
            Self::NewerSchema { found, .. } => Self::NewerSchema { path, found },
            other => other,
        }
    }
}

impl From<crate::domain::RuleError> for StoreError {
    fn from(e: crate::domain::RuleError) -> Self {
        Self::Rule(e)
    }
}

/// A whole directory as a tenant file carries it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub tenant: Tenant,
    pub policy: Policy,
    pub users: Vec<User>,
    /// Configured simulated devices, one per number (without extension), in number order.
    pub devices: Vec<Device>,
}

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportSummary {
    pub users: usize,
    pub replaced: usize,
}

/// A mobile method's SMS sign-in state with the reason shown to operators.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmsStatus {
    pub state: SmsSignInState,
    pub reason: String,
}

/// A local database: the record's operations (it is the simulated tenant's record) and what
/// only a local database has: every user in order, imports and exports, the change log the
/// search index catches up from, and the raw key-value seam the simulator keeps its world in.
pub trait Directory: Record {
    fn user_count(&self) -> Result<usize, StoreError>;
    fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.user_count()? == 0)
    }
    /// Every user in UPN order.
    fn for_each_user(&self, visit: &mut dyn FnMut(User)) -> Result<(), StoreError> {
        self.for_each_user_while(&mut |user| {
            visit(user);
            true
        })
    }
    /// Users in UPN order until `visit` returns false (a cancelled index build stops early).
    fn for_each_user_while(&self, visit: &mut dyn FnMut(User) -> bool) -> Result<(), StoreError>;
    /// Every SMS sign-in claim, by canonical number (for building a search index in one pass).
    fn all_claims(&self) -> Result<HashMap<String, Vec<Claim>>, StoreError>;
    /// Starts replacing the whole directory, all or nothing (see [`Importer`]). Refused when it
    /// holds users and `replace` is not given.
    fn begin_import(
        &self,
        operator: &Operator,
        replace: bool,
    ) -> Result<Box<dyn DirectoryImport + '_>, StoreError>;
    /// Replaces the whole directory with a snapshot held in memory (the demo, tests).
    fn import(
        &self,
        operator: &Operator,
        snapshot: &Snapshot,
        replace: bool,
    ) -> Result<ImportSummary, StoreError> {
        let mut import = self.begin_import(operator, replace)?;
        import.tenant(snapshot.tenant.clone());
        import.policy(snapshot.policy.clone());
        for user in &snapshot.users {
            import.add_user(user)?;
        }
        for device in &snapshot.devices {
            import.add_device(device.clone());
        }
        import.commit(&mut |_| {})
    }
    /// The whole directory, users in UPN order.
    fn export(&self) -> Result<Snapshot, StoreError>;
    /// The raw key-value seam, for the simulator's and the wizard's own trees.
    fn backend(&self) -> &dyn DynBackend;
    /// The current generation (each import makes a new one).
    fn generation(&self) -> u64;
    /// The last change-log sequence number (see [`changes`]).
    fn change_seq(&self) -> Result<u64, StoreError>;
    /// The logged changes after `seq`, oldest first.
    fn changes_since(&self, seq: u64) -> Result<Vec<Change>, StoreError>;
    /// Forgets logged changes up to `upto` (a saved index covers them).
    fn forget_changes(&self, upto: u64) -> Result<(), StoreError>;
}

/// Runs `work` in one flushed transaction and returns its value. `work` may run more than once
/// (sled retries on conflict); the value of the run that committed is returned.
pub fn transact<T>(
    backend: &dyn Backend,
    work: impl Fn(&dyn Txn) -> Result<T, TxnError>,
) -> Result<T, StoreError> {
    let out = std::cell::RefCell::new(None);
    backend.transact_dyn(&|txn| {
        let value = work(txn)?;
        *out.borrow_mut() = Some(value);
        Ok(())
    })?;
    out.into_inner()
        .ok_or_else(|| StoreError::Io("transaction produced no result".into()))
}

/// Where time comes from: the wall clock in the app, a fixed or virtual clock in tests and demos.
pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

/// The wall clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// Opens the sled database at `path`, checking its schema version.
pub fn open_sled(path: &Path, clock: Arc<dyn Clock>) -> Result<Store<SledBackend>, StoreError> {
    open_sled_with(path, clock, &|_| {})
}

/// Opens the sled database at `path`; `notice` hears about an upgrade of an older database
/// before it starts.
pub fn open_sled_with(
    path: &Path,
    clock: Arc<dyn Clock>,
    notice: &dyn Fn(&str),
) -> Result<Store<SledBackend>, StoreError> {
    let backend = SledBackend::open(path)?;
    Store::with_notice(backend, clock, notice)
}

/// A fresh in-memory directory, for tests.
pub fn open_memory(clock: Arc<dyn Clock>) -> Result<Store<MemoryBackend>, StoreError> {
    Store::new(MemoryBackend::new(), clock)
}
