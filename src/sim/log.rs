//! The sign-in log: every attempt, persisted in the `SignIns` tree by sequence number with a
//! per-user index in `SignInsByUser` (like the audit trail), so the troubleshooting wizard can ask
//! "what happened to this user in the last five minutes" without scanning everyone.
//!
//! Records carry masked numbers and step kinds, never a code or a PIN.

use serde::{Deserialize, Serialize};

use super::flow::{Channel, FlowKind};
use super::reason::{Outcome, Reason, SignInResult, StepKind};
use crate::domain::{PhoneType, Timestamp, Upn};
use crate::store::{
    self, DynBackend, StoreError, TreeId, Txn, TxnError, decode, encode, index_prefix, indexed_key,
    next_seq,
};

const KEY_SIGNIN_SEQ: &[u8] = b"signin_seq";

/// One step of an attempt.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    pub at: Timestamp,
    pub kind: StepKind,
    /// For people; never holds a code or a PIN.
    pub detail: String,
}

/// One sign-in attempt as the log keeps it.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInRecord {
    /// Assigned when the record is written.
    pub seq: u64,
    /// Shared by the attempts of one sign-in (a retry keeps it).
    pub correlation_id: String,
    /// 1 for the first attempt under this correlation id, 2 for the retry, ...
    pub attempt: u32,
    pub started_at: Timestamp,
    pub ended_at: Timestamp,
    pub flow: FlowKind,
    /// The user, when the attempt identified one.
    pub user: Option<String>,
    /// Masked (`+1 ********01`).
    pub number: Option<String>,
    pub channel: Option<Channel>,
    pub slot: Option<PhoneType>,
    /// The telecom provider of the last send.
    pub provider: Option<String>,
    pub result: SignInResult,
    pub reason: Option<Reason>,
    /// AADSTS code of a denial.
    pub error_code: Option<u32>,
    pub steps: Vec<Step>,
}

impl SignInRecord {
    pub fn outcome(&self) -> Outcome {
        Outcome {
            result: self.result,
            reason: self.reason,
        }
    }
}

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

/// Writes `record` in its own flushed transaction and returns it with its sequence number; the
/// simulated world's time line reaches at least the record's end (see [`super::clock`]).
pub fn write(backend: &dyn DynBackend, record: &SignInRecord) -> Result<SignInRecord, StoreError> {
    let seq = store::transact(backend, |txn| {
        let seq = append(txn, record)?;
        super::clock::keep_up(txn, record.ended_at)?;
        Ok(seq)
    })?;
    Ok(SignInRecord {
        seq,
        ..record.clone()
    })
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
                if let Some(seq) = k.get(prefix.len()..).and_then(store::decode_u64) {
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
