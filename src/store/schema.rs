//! What is on disk: the schema version, the meta keys and the key encodings.

use super::StoreError;
use super::backend::{Backend, TreeId, Txn, TxnError};

/// The schema this build writes. Bump it with a migration when the stored shape changes.
///
/// - 1: one JSON record per user; the user count was a full scan.
/// - 2: users in range buckets of compact records, claims in hash buckets, a user counter, a
///   change log for the saved search index, and generations of trees for all-or-nothing imports.
pub const SCHEMA_VERSION: u32 = 2;

pub const KEY_APP: &[u8] = b"app";
pub const KEY_SCHEMA: &[u8] = b"schema_version";
pub const KEY_TENANT: &[u8] = b"tenant";
pub const KEY_POLICY: &[u8] = b"policy";
pub const KEY_AUDIT_SEQ: &[u8] = b"audit_seq";
/// The number of users, kept in the same transaction as the import that changes it.
pub const KEY_USER_COUNT: &[u8] = b"user_count";
/// The last change-log sequence number.
pub const KEY_CHANGE_SEQ: &[u8] = b"change_seq";
/// Counts every committed transaction; the checkpoint beside the database remembers the last
/// one acknowledged.
pub const KEY_COMMIT_SEQ: &[u8] = b"commit_seq";
const APP_MARK: &[u8] = b"phonedesk";

/// Checks the version of an existing database, or stamps a new one. Returns the version found
/// (an older one is upgraded by the caller).
pub fn check_or_init<B: Backend>(backend: &B) -> Result<u32, StoreError> {
    let path = backend.location();
    match backend.get(TreeId::Meta, KEY_SCHEMA)? {
        Some(bytes) => {
            let found = decode_u64(&bytes)
                .and_then(|v| u32::try_from(v).ok())
                .filter(|v| *v > 0)
                .ok_or_else(|| StoreError::Corrupt {
                    path: path.clone(),
                    detail: "unreadable schema version".into(),
                })?;
            if found > SCHEMA_VERSION {
                return Err(StoreError::NewerSchema { path, found });
            }
            Ok(found)
        }
        None => {
            if !backend.opened_empty() {
                return Err(StoreError::NotADatabase {
                    path,
                    detail: "sled data without a phonedesk schema version".into(),
                });
            }
            backend.transact_dyn(&|txn: &dyn Txn| {
                txn.insert(TreeId::Meta, KEY_APP, APP_MARK)?;
                txn.insert(
                    TreeId::Meta,
                    KEY_SCHEMA,
                    &u64::from(SCHEMA_VERSION).to_be_bytes(),
                )?;
                Ok(())
            })?;
            Ok(SCHEMA_VERSION)
        }
    }
}

pub fn decode_u64(bytes: &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(bytes.try_into().ok()?))
}

/// Takes the next value of a counter kept in the meta tree, inside the caller's transaction.
pub fn next_seq(txn: &dyn Txn, key: &[u8]) -> Result<u64, TxnError> {
    let current = txn
        .get(TreeId::Meta, key)?
        .and_then(|b| decode_u64(&b))
        .unwrap_or(0);
    let next = current + 1;
    txn.insert(TreeId::Meta, key, &next.to_be_bytes())?;
    Ok(next)
}

/// `prefix`, a 0 separator, then the big-endian sequence: per-user index keys sort by time.
pub fn indexed_key(prefix: &str, seq: u64) -> Vec<u8> {
    let mut key = Vec::with_capacity(prefix.len() + 9);
    key.extend_from_slice(prefix.as_bytes());
    key.push(0);
    key.extend_from_slice(&seq.to_be_bytes());
    key
}

/// The prefix that [`indexed_key`] keys of `prefix` share.
pub fn index_prefix(prefix: &str) -> Vec<u8> {
    let mut key = prefix.as_bytes().to_vec();
    key.push(0);
    key
}
