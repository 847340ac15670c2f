//! The sign-in log, as the simulator writes it: the records and their storage live in the
//! store ([`crate::store::signins`]); writing an attempt is the simulator's.

pub use crate::domain::signin::{SignInRecord, Step};
pub use crate::store::signins::{Query, append, for_user, query};
use crate::store::{self, DynBackend, StoreError};

/// Writes `record` in its own flushed transaction and returns it with its sequence number.
pub fn write(backend: &dyn DynBackend, record: &SignInRecord) -> Result<SignInRecord, StoreError> {
    let seq = store::transact(backend, |txn| append(txn, record))?;
    Ok(SignInRecord {
        seq,
        ..record.clone()
    })
}
