//! The admission of one text or call: the account's failure gate, SSPR's validation count and
//! the send limits, checked and counted in the transaction that issues the code; and what a
//! refusal writes (the sign-in record and an audit entry) in that same transaction.

use super::attempt::Attempt;
use super::system_operator;
use crate::domain::{PhoneNumber, Timestamp, Verification};
use crate::sim::flow::{Channel, FlowKind};
use crate::sim::log::{self, SignInRecord, Step};
use crate::sim::reason::{Outcome, Reason, StepKind};
use crate::sim::throttle::{self, Refusal, SsprCount};
use crate::store::{AuditEntry, Txn, TxnError, append_audit};

/// The sign-in reason and step of a refusal.
pub(super) fn refusal_reason(refusal: &Refusal) -> (Reason, StepKind) {
    match refusal {
        Refusal::SendLimit { .. } => (Reason::Throttled, StepKind::Throttled),
        Refusal::SsprBlocked { .. } => (Reason::SsprLimitReached, StepKind::Throttled),
        Refusal::FailureDelay { .. } | Refusal::FailureLock { .. } => {
            (Reason::TooManyFailures, StepKind::FailureDelay)
        }
    }
}

fn audit_action(refusal: &Refusal) -> &'static str {
    match refusal {
        Refusal::SendLimit { .. } => "signIn.throttled",
        Refusal::SsprBlocked { .. } => "sspr.blocked",
        Refusal::FailureDelay { .. } => "signIn.failureDelay",
        Refusal::FailureLock { .. } => "signIn.locked",
    }
}

/// An audit entry by the simulated service about `upn`.
pub(super) fn service_audit(
    now: Timestamp,
    action: &str,
    upn: Option<&str>,
    reason: String,
) -> AuditEntry {
    let entry = AuditEntry::new(&system_operator(), now, action).reason(reason);
    match upn {
        Some(upn) => entry.target(upn),
        None => entry,
    }
}

/// Ends `attempt` with a refusal inside the transaction: the record and the audit entry.
pub(super) fn refuse_in(
    txn: &dyn Txn,
    attempt: &Attempt,
    refusal: &Refusal,
    now: Timestamp,
) -> Result<SignInRecord, TxnError> {
    let (reason, kind) = refusal_reason(refusal);
    let extra = [Step {
        at: now,
        kind,
        detail: refusal.describe(),
    }];
    let record = attempt.record(Outcome::denied(reason), now, &extra);
    let seq = log::append(txn, &record)?;
    let upn = attempt.user.as_ref().map(|u| u.upn().to_string());
    append_audit(
        txn,
        &service_audit(
            now,
            audit_action(refusal),
            upn.as_deref(),
            refusal.describe(),
        ),
    )?;
    Ok(SignInRecord { seq, ..record })
}

/// Admits one send, or says why not. Counts are written only when it is admitted (an SSPR block
/// is extended by a refused attempt, as "24 hours after the last attempt" requires).
pub(super) fn admit_send(
    txn: &dyn Txn,
    flow: FlowKind,
    channel: Channel,
    upn: &str,
    line: &PhoneNumber,
    limits: &Verification,
    now: Timestamp,
) -> Result<Result<Option<SsprCount>, Refusal>, TxnError> {
    let upn_key = upn.to_ascii_lowercase();
    if let Err(refusal) = throttle::failures_in(txn, &upn_key)?.gate(now) {
        return Ok(Err(refusal));
    }
    let sspr = if flow == FlowKind::Sspr {
        match throttle::record_sspr_validation(txn, &upn_key, now)? {
            Ok(count) => Some(count),
            Err(refusal) => return Ok(Err(refusal)),
        }
    } else {
        None
    };
    if let Err(refusal) = throttle::record_send(txn, channel, &upn_key, line, limits, now)? {
        return Ok(Err(refusal));
    }
    if let Some(SsprCount::NowBlocked { until }) = sspr {
        append_audit(
            txn,
            &service_audit(
                now,
                "sspr.blocked",
                Some(upn),
                format!(
                    "{} phone validations within an hour: password reset blocked until {until}",
                    throttle::SSPR_VALIDATIONS
                ),
            ),
        )?;
    }
    Ok(Ok(sspr))
}

/// Counts a failed check; audits the moment the account reaches the lock.
pub(super) fn count_failure(txn: &dyn Txn, upn: &str, now: Timestamp) -> Result<(), TxnError> {
    let failures = throttle::record_failure(txn, &upn.to_ascii_lowercase(), now)?;
    if failures.consecutive == throttle::MAX_CONSECUTIVE_FAILURES {
        append_audit(
            txn,
            &service_audit(
                now,
                "signIn.locked",
                Some(upn),
                format!(
                    "{} failed verifications in a row: checks refused until an administrator clears them",
                    failures.consecutive
                ),
            ),
        )?;
    }
    Ok(())
}
