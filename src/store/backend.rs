//! The key-value seam under the directory: named trees of byte keys and values, read directly or
//! changed in an all-or-nothing transaction.
//!
//! The domain operations in [`super::directory`] are written once against this seam; sled and
//! the in-memory twin only move bytes, so they cannot disagree on a rule.

use super::StoreError;

/// The trees phonedesk keeps. Names are stable: they are sled tree names on disk.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub enum TreeId {
    /// Schema version, tenant, policy, counters, the code-hashing key.
    Meta,
    /// User records keyed by lowercase UPN.
    Users,
    /// SMS sign-in claims keyed by canonical number.
    Claims,
    /// Audit entries keyed by sequence number.
    Audit,
    /// Audit sequence numbers per user: lowercase UPN, 0, sequence.
    AuditByUser,
    /// Sign-in log events keyed by sequence number.
    SignIns,
    /// Sign-in log sequence numbers per user.
    SignInsByUser,
    /// Live one-time-code challenges keyed by challenge id.
    Challenges,
    /// Send and failure counters for throttling, keyed by subject.
    Throttles,
    /// Simulated devices keyed by canonical number.
    Devices,
    /// Simulated telecom providers keyed by name.
    Telecom,
}

impl TreeId {
    pub const ALL: [Self; 11] = [
        Self::Meta,
        Self::Users,
        Self::Claims,
        Self::Audit,
        Self::AuditByUser,
        Self::SignIns,
        Self::SignInsByUser,
        Self::Challenges,
        Self::Throttles,
        Self::Devices,
        Self::Telecom,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Meta => "meta",
            Self::Users => "users",
            Self::Claims => "claims",
            Self::Audit => "audit",
            Self::AuditByUser => "audit_by_user",
            Self::SignIns => "signins",
            Self::SignInsByUser => "signins_by_user",
            Self::Challenges => "challenges",
            Self::Throttles => "throttles",
            Self::Devices => "devices",
            Self::Telecom => "telecom",
        }
    }
}

/// Why a transaction did not commit.
#[derive(Debug)]
pub enum TxnError {
    /// A rule or a missing record: nothing was written, and the caller sees this error.
    Refused(StoreError),
    /// Another writer got there first; the backend retries the transaction.
    Conflict,
    /// The storage engine failed.
    Storage(String),
}

impl From<StoreError> for TxnError {
    fn from(e: StoreError) -> Self {
        Self::Refused(e)
    }
}

/// Reads and writes inside one transaction. Point reads only: sled cannot scan inside one.
pub trait Txn {
    fn get(&self, tree: TreeId, key: &[u8]) -> Result<Option<Vec<u8>>, TxnError>;
    fn insert(&self, tree: TreeId, key: &[u8], value: &[u8]) -> Result<(), TxnError>;
    fn remove(&self, tree: TreeId, key: &[u8]) -> Result<(), TxnError>;
}

/// A storage engine, object-safe so layers above can keep their own trees behind `&dyn Backend`.
/// `transact_dyn` runs `work` with all-or-nothing effect and makes it durable before returning
/// `Ok`; `work` may run more than once, so it must have no side effects. [`super::transact`] wraps
/// it for a typed result.
pub trait Backend: Send + Sync {
    fn get(&self, tree: TreeId, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError>;

    /// Visits entries whose key starts with `prefix`, in key order, until `visit` returns false.
    fn scan(
        &self,
        tree: TreeId,
        prefix: &[u8],
        visit: &mut dyn FnMut(&[u8], &[u8]) -> bool,
    ) -> Result<(), StoreError>;

    /// Visits entries in descending key order, until `visit` returns false.
    fn scan_rev(
        &self,
        tree: TreeId,
        prefix: &[u8],
        visit: &mut dyn FnMut(&[u8], &[u8]) -> bool,
    ) -> Result<(), StoreError>;

    fn len(&self, tree: TreeId) -> Result<usize, StoreError>;

    fn transact_dyn(
        &self,
        work: &dyn Fn(&dyn Txn) -> Result<(), TxnError>,
    ) -> Result<(), StoreError>;

    /// Where the data lives, for the title bar and error messages.
    fn location(&self) -> String;
}
