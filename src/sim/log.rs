//! The sign-in log, as the simulator writes it: the records and their storage live in the
//! store ([`crate::store::signins`]); writing an attempt is the simulator's.

pub use crate::domain::signin::{SignInRecord, Step};
pub use crate::store::signins::{Query, append, for_user, query};
use crate::store::{self, DynBackend, StoreError};

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
