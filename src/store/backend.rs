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
    /// Users changed since the search index was last written: sequence number -> user keys.
    Changes,
}

impl TreeId {
    pub const ALL: [Self; 12] = [
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
        Self::Changes,
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
            Self::Changes => "changes",
        }
    }

    /// Trees that belong to one generation of the directory: an import writes a whole new
    /// generation beside the current one and switches to it in one small transaction, so a
    /// refused, failed or killed import leaves the previous directory exactly as it was. The
    /// audit trail and the sign-in log outlive imports.
    pub fn is_generational(self) -> bool {
        matches!(
            self,
            Self::Users
                | Self::Claims
                | Self::Challenges
                | Self::Throttles
                | Self::Devices
                | Self::Telecom
                | Self::Changes
        )
    }
}

/// One stored entry: key and value.
pub type KeyValue = (Vec<u8>, Vec<u8>);

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

    /// Visits entries with keys at or above `from`, ascending, until `visit` returns false.
    fn scan_from(
        &self,
        tree: TreeId,
        from: &[u8],
        visit: &mut dyn FnMut(&[u8], &[u8]) -> bool,
    ) -> Result<(), StoreError>;

    /// Visits entries with keys below `before`, descending, until `visit` returns false.
    fn scan_before(
        &self,
        tree: TreeId,
        before: &[u8],
        visit: &mut dyn FnMut(&[u8], &[u8]) -> bool,
    ) -> Result<(), StoreError>;

    /// The entry with the greatest key at or below `key` (the bucket that would hold it).
    fn floor(&self, tree: TreeId, key: &[u8]) -> Result<Option<KeyValue>, StoreError>;

    /// Whether the tree holds nothing (cheap: looks at one entry).
    fn is_empty(&self, tree: TreeId) -> Result<bool, StoreError>;

    fn transact_dyn(
        &self,
        work: &dyn Fn(&dyn Txn) -> Result<(), TxnError>,
    ) -> Result<(), StoreError>;

    /// Where the data lives, for the title bar and error messages.
    fn location(&self) -> String;

    /// True when the database held nothing at all when it was opened (a new one).
    fn opened_empty(&self) -> bool;

    /// The current generation of the generational trees (see [`TreeId::is_generational`]).
    fn generation(&self) -> u64;

    /// Starts writing generation `current + 1` from empty trees (clearing what a killed import
    /// may have left there) and returns its number. Nothing is visible until [`Backend::switch`].
    fn stage(&self) -> Result<u64, StoreError>;

    /// Writes entries into a tree of the staged generation, in one batch. Not durable until the
    /// switch.
    fn stage_insert(&self, tree: TreeId, items: &[KeyValue]) -> Result<(), StoreError>;

    /// Makes the staged generation durable and current, together with `work` (run in one
    /// transaction, over the trees of the new generation), then drops the old generation.
    fn switch(&self, work: &dyn Fn(&dyn Txn) -> Result<(), TxnError>) -> Result<(), StoreError>;

    /// Drops the staged generation (a refused or failed import).
    fn discard_staged(&self) -> Result<(), StoreError>;

    /// Side files kept with the database (the search index): `None` when the backend has none,
    /// `Some(Ok(bytes))` when present.
    fn read_side(&self, name: &str) -> Option<std::io::Result<Box<dyn std::io::Read + '_>>>;

    /// Writes a side file atomically and durably: either the old or the whole new file survives
    /// any crash.
    fn write_side(
        &self,
        name: &str,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), StoreError>;

    fn remove_side(&self, name: &str) -> Result<(), StoreError>;
}

/// The meta key holding the current generation.
pub const KEY_GENERATION: &[u8] = b"generation";
