//! The change log: which users each edit touched, in order, so the saved search index can catch
//! up with the records instead of being rebuilt.
//!
//! Every edit appends one entry in the same transaction as the change itself, so after a crash at
//! any moment the log holds exactly the edits that committed. The index records the last sequence
//! number it covers; loading it replays what came after. Entries the saved index already covers
//! are forgotten when it is next written.

use super::StoreError;
use super::backend::{Backend, TreeId, Txn, TxnError};
use super::codec::{Reader, Writer};
use super::schema::{self, KEY_CHANGE_SEQ};

/// One committed edit: its sequence number and the keys of the users whose entries it changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub seq: u64,
    pub users: Vec<String>,
}

/// Appends a change touching `users` inside the caller's transaction.
pub fn append(txn: &dyn Txn, users: &[String]) -> Result<u64, TxnError> {
    let seq = schema::next_seq(txn, KEY_CHANGE_SEQ)?;
    let mut w = Writer::default();
    w.strs(users);
    txn.insert(TreeId::Changes, &seq.to_be_bytes(), &w.bytes)?;
    Ok(seq)
}

/// The last sequence number handed out (0 before any edit).
pub fn current_seq(backend: &dyn Backend) -> Result<u64, StoreError> {
    Ok(backend
        .get(TreeId::Meta, KEY_CHANGE_SEQ)?
        .and_then(|b| schema::decode_u64(&b))
        .unwrap_or(0))
}

/// The changes after `seq`, oldest first.
pub fn since(backend: &dyn Backend, seq: u64) -> Result<Vec<Change>, StoreError> {
    let mut out = Vec::new();
    let mut failure = None;
    let from = seq.saturating_add(1).to_be_bytes();
    backend.scan_from(TreeId::Changes, &from, &mut |k, v| {
        let seq = schema::decode_u64(k);
        let users = Reader::new(v).strs();
        match (seq, users) {
            (Some(seq), Ok(users)) => {
                out.push(Change { seq, users });
                true
            }
            _ => {
                failure = Some(StoreError::Corrupt {
                    path: backend.location(),
                    detail: "an entry of the change log is unreadable".into(),
                });
                false
            }
        }
    })?;
    failure.map_or(Ok(out), Err)
}

/// Forgets the changes up to and including `upto` (a saved index covers them), a bounded batch
/// per transaction.
pub fn forget(backend: &dyn Backend, upto: u64) -> Result<(), StoreError> {
    loop {
        let mut keys = Vec::new();
        backend.scan(TreeId::Changes, &[], &mut |k, _| {
            let covered = schema::decode_u64(k).is_some_and(|s| s <= upto);
            if covered {
                keys.push(k.to_vec());
            }
            covered && keys.len() < 1000
        })?;
        if keys.is_empty() {
            return Ok(());
        }
        super::transact(backend, |txn| {
            for k in &keys {
                txn.remove(TreeId::Changes, k)?;
            }
            Ok(())
        })?;
    }
}
