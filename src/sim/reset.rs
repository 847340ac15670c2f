//! An administrator's clean slate for one user's verifications: the consecutive-failure count
//! (the delay and the lock of [`super::throttle`]) and any code still marked live, cleared in one
//! flushed transaction with one audit entry. The troubleshooting wizard offers it when a user is
//! locked out by failures or a stale code is left behind; a new sign-in then starts fresh.

use super::SimError;
use super::otp;
use super::throttle;
use crate::domain::Operator;
use crate::sim::clock;
use crate::store::{AuditEntry, Directory, append_audit};

/// What a reset cleared.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Cleared {
    /// Consecutive failed verifications before the reset.
    pub failures: u32,
    /// Live codes marked expired.
    pub codes: usize,
}

/// Clears `upn`'s failure count and expires their live codes, audited as `signIn.reset`.
/// Refused, with nothing written, when the operator may not act on the user (an auth-admin and
/// an admin; their own account).
pub fn reset_verification(
    store: &dyn Directory,
    operator: &Operator,
    upn: &str,
) -> Result<Cleared, SimError> {
    let user = store.user(upn)?;
    operator
        .may_act_on(&user)
        .map_err(|e| SimError::Store(e.into()))?;
    let upn_key = user.upn().key();
    // Scans are not allowed inside a transaction: collect the codes first, expire them inside
    // (expiring an already-finished code is a no-op, so a race cannot revive anything).
    let live: Vec<u64> = otp::live_for(store.backend(), &upn_key)?
        .iter()
        .map(|c| c.seq)
        .collect();
    let now = store.now();
    let failures = clock::transact(store, |txn| {
        for seq in &live {
            otp::expire(txn, *seq)?;
        }
        let before = throttle::clear_failures(txn, &upn_key)?;
        let entry = AuditEntry::new(operator, now, "signIn.reset")
            .target(user.upn().to_string())
            .change(
                Some(format!(
                    "{} consecutive failures, {} live codes",
                    before.consecutive,
                    live.len()
                )),
                Some("0 consecutive failures, 0 live codes".into()),
            );
        append_audit(txn, &entry)?;
        Ok(before.consecutive)
    })?;
    Ok(Cleared {
        failures,
        codes: live.len(),
    })
}
