//! The sign-in log of the simulated tenant: every attempt, persisted in the `SignIns` tree by
//! sequence number with a per-user index in `SignInsByUser` (like the audit trail), so the
//! troubleshooting wizard can ask "what happened to this user in the last five minutes" without
//! scanning everyone. The simulator writes it (`crate::sim::log::write`); the store reads it
//! behind [`super::SignInLog`].
//!
//! Records carry masked numbers and step kinds, never a code or a PIN.

use super::{
    DynBackend, StoreError, TreeId, Txn, TxnError, decode, decode_u64, encode, index_prefix,
    indexed_key, next_seq,
};
use crate::domain::signin::SignInRecord;
use crate::domain::{Timestamp, Upn};

const KEY_SIGNIN_SEQ: &[u8] = b"signin_seq";

/// Appends `record` inside the caller's transaction; returns its sequence number.
pub fn append(txn: &dyn Txn, record: &SignInRecord) -> Result<u64, TxnError> {
    let seq = next_seq(txn, KEY_SIGNIN_SEQ)?;
    let record = SignInRecord {
        seq,
        ..record.clone()
    };
    txn.insert(TreeId::SignIns, &seq.to_be_bytes(), &encode(&record)?)?;
    if let Some(user) = &record.user {
        let key = indexed_key(&user.to_ascii_lowercase(), seq);
        txn.insert(TreeId::SignInsByUser, &key, &[])?;
    }
    Ok(seq)
}

/// What to read from the log.
#[derive(Clone, Debug, Default)]
pub struct Query<'a> {
    /// Only this user's attempts.
    pub user: Option<&'a Upn>,
    /// Only attempts that started at or after this instant.
    pub since: Option<Timestamp>,
    /// At most this many records (0 is none).
    pub limit: usize,
}

/// Attempts matching `query`, newest first.
pub fn query(backend: &dyn DynBackend, query: &Query<'_>) -> Result<Vec<SignInRecord>, StoreError> {
    let mut records = Vec::new();
    if query.limit == 0 {
        return Ok(records);
    }
    let mut failure = None;
    let keep = |record: SignInRecord, records: &mut Vec<SignInRecord>| -> bool {
        // Sequence order is write order; a record older than `since` ends the scan.
        if query.since.is_some_and(|since| record.started_at < since) {
            return false;
        }
        records.push(record);
        records.len() < query.limit
    };
    match query.user {
        Some(upn) => {
            let prefix = index_prefix(&upn.key());
            let mut seqs = Vec::new();
            backend.scan_rev(TreeId::SignInsByUser, &prefix, &mut |k, _| {
                if let Some(seq) = k.get(prefix.len()..).and_then(decode_u64) {
                    seqs.push(seq);
                }
                true
            })?;
            for seq in seqs {
                let Some(bytes) = backend.get(TreeId::SignIns, &seq.to_be_bytes())? else {
                    continue;
                };
                if !keep(decode(&bytes, "sign-in record")?, &mut records) {
                    break;
                }
            }
        }
        None => {
            backend.scan_rev(
                TreeId::SignIns,
                &[],
                &mut |_, v| match decode(v, "sign-in record") {
                    Ok(record) => keep(record, &mut records),
                    Err(e) => {
                        failure = Some(e);
                        false
                    }
                },
            )?;
        }
    }
    failure.map_or(Ok(records), Err)
}

/// The user's attempts, newest first, optionally only those since `since`.
pub fn for_user(
    backend: &dyn DynBackend,
    upn: &Upn,
    since: Option<Timestamp>,
) -> Result<Vec<SignInRecord>, StoreError> {
    query(
        backend,
        &Query {
            user: Some(upn),
            since,
            limit: usize::MAX,
        },
    )
}

impl<B: super::Backend> super::SignInLog for super::Store<B> {
    fn sign_ins(
        &self,
        upn: Option<&Upn>,
        since: Option<Timestamp>,
        limit: usize,
    ) -> Result<Vec<SignInRecord>, StoreError> {
        query(
            &self.backend,
            &Query {
                user: upn,
                since,
                limit,
            },
        )
    }
}
