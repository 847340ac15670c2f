//! Limits that protect users and the telephone bill (DOMAIN.md §4, ROBUSTNESS.md):
//!
//! - **Send limits**, per user, per number and per country calling code, counted separately for
//!   texts and calls over a sliding window (policy knobs; by default 5 per user and per number in
//!   300 s, which still allows the documented "five attempts within five minutes").
//! - **SSPR validations**: five phone validations within one hour block password reset for the
//!   user for 24 hours after the last attempt (a refused attempt counts as an attempt).
//! - **Consecutive failures** per account (wrong codes, wrong PINs): the first
//!   [`FREE_FAILURES`] cost nothing extra; each further one makes the next check wait longer
//!   ([`failure_delay`]), and at [`MAX_CONSECUTIVE_FAILURES`] checks are refused until an
//!   administrator clears the count. Only a success or an administrator resets it: never time.
//!
//! Timestamps in the future (a clock that moved backwards) count as inside every window, so a
//! clock jump never frees anyone early.

use serde::{Deserialize, Serialize};

use super::flow::Channel;
use crate::domain::{PhoneNumber, Timestamp, Verification};
use crate::store::{DynBackend, StoreError, TreeId, Txn, TxnError, decode, encode};

/// SSPR: validations allowed within [`SSPR_WINDOW_MS`] before the block.
pub const SSPR_VALIDATIONS: usize = 5;
pub const SSPR_WINDOW_MS: i64 = 3_600_000;
pub const SSPR_BLOCK_MS: i64 = 24 * 3_600_000;
/// Consecutive failures that add no delay.
pub const FREE_FAILURES: u32 = 5;
/// Consecutive failures after which checks are refused until an administrator clears them.
pub const MAX_CONSECUTIVE_FAILURES: u32 = 20;
const FIRST_DELAY_MS: i64 = 30_000;
const MAX_DELAY_MS: i64 = 15 * 60_000;

/// What a limit is counted over.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Scope {
    User,
    Number,
    Country,
}

impl Scope {
    fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Number => "number",
            Self::Country => "country",
        }
    }
}

/// Why a send or a check is refused.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Refusal {
    SendLimit {
        channel: Channel,
        scope: Scope,
        limit: u32,
        window_seconds: u32,
    },
    SsprBlocked {
        until: Timestamp,
    },
    FailureDelay {
        until: Timestamp,
    },
    FailureLock {
        failures: u32,
    },
}

impl Refusal {
    /// One line for the timeline, the step and the audit entry.
    pub fn describe(&self) -> String {
        match self {
            Self::SendLimit {
                channel: Channel::Sms,
                scope,
                limit,
                window_seconds,
            } => format!(
                "you've hit our limit on text verification codes ({limit} per {} in {window_seconds} s)",
                scope.as_str()
            ),
            Self::SendLimit {
                channel: Channel::Voice,
                scope,
                limit,
                window_seconds,
            } => format!(
                "AADSTS50088: limit on telecom MFA calls reached ({limit} per {} in {window_seconds} s)",
                scope.as_str()
            ),
            Self::SsprBlocked { until } => {
                format!("password reset is blocked for this user until {until}")
            }
            Self::FailureDelay { until } => {
                format!("too many failed attempts: the next check is allowed at {until}")
            }
            Self::FailureLock { failures } => format!(
                "{failures} failed verifications in a row: locked until an administrator clears it"
            ),
        }
    }
}

/// Counts the instants inside the window that ends at `now` (future instants count).
fn in_window(times: &[Timestamp], now: Timestamp, window_ms: i64) -> usize {
    times.iter().filter(|t| now.since(**t) < window_ms).count()
}

fn read<T: serde::de::DeserializeOwned + Default>(
    txn: &dyn Txn,
    key: &[u8],
) -> Result<T, TxnError> {
    match txn.get(TreeId::Throttles, key)? {
        Some(bytes) => decode(&bytes, "throttle record").map_err(TxnError::Refused),
        None => Ok(T::default()),
    }
}

fn write<T: Serialize>(txn: &dyn Txn, key: &[u8], value: &T) -> Result<(), TxnError> {
    txn.insert(TreeId::Throttles, key, &encode(value)?)
}

fn key(parts: &[&str]) -> Vec<u8> {
    parts.join("\0").into_bytes()
}

/// Checks the send limits for one text or call and, when it may go, records it. All three
/// scopes are checked before any is recorded, so a refused send counts nowhere.
pub fn record_send(
    txn: &dyn Txn,
    channel: Channel,
    upn_key: &str,
    number: &PhoneNumber,
    limits: &Verification,
    now: Timestamp,
) -> Result<Result<(), Refusal>, TxnError> {
    let window_ms = i64::from(limits.send_window_seconds) * 1000;
    let line = number.without_extension().to_string();
    let country = number.country_code().to_string();
    let scopes = [
        (Scope::User, upn_key, limits.send_limit),
        (Scope::Number, line.as_str(), limits.send_limit),
        (Scope::Country, country.as_str(), limits.country_send_limit),
    ];
    let mut records = Vec::with_capacity(scopes.len());
    for (scope, subject, limit) in scopes {
        let k = key(&["send", channel.as_str(), scope.as_str(), subject]);
        let mut times: Vec<Timestamp> = read(txn, &k)?;
        times.retain(|t| now.since(*t) < window_ms);
        if in_window(&times, now, window_ms) >= limit as usize {
            return Ok(Err(Refusal::SendLimit {
                channel,
                scope,
                limit,
                window_seconds: limits.send_window_seconds,
            }));
        }
        times.push(now);
        records.push((k, times));
    }
    for (k, times) in &records {
        write(txn, k, times)?;
    }
    Ok(Ok(()))
}

/// A user's SSPR validations.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SsprRecord {
    validations: Vec<Timestamp>,
    blocked_until: Option<Timestamp>,
}

/// What an allowed SSPR validation did.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SsprCount {
    Counted,
    /// This validation was the fifth within the hour: password reset is now blocked.
    NowBlocked {
        until: Timestamp,
    },
}

/// Counts one SSPR phone validation, or refuses it while the user is blocked (extending the
/// block: it lasts 24 hours after the last attempt).
pub fn record_sspr_validation(
    txn: &dyn Txn,
    upn_key: &str,
    now: Timestamp,
) -> Result<Result<SsprCount, Refusal>, TxnError> {
    let k = key(&["sspr", upn_key]);
    let mut record: SsprRecord = read(txn, &k)?;
    if let Some(until) = record.blocked_until
        && now < until
    {
        let until = now.plus_millis(SSPR_BLOCK_MS).max(until);
        record.blocked_until = Some(until);
        write(txn, &k, &record)?;
        return Ok(Err(Refusal::SsprBlocked { until }));
    }
    record
        .validations
        .retain(|t| now.since(*t) < SSPR_WINDOW_MS);
    record.validations.push(now);
    let count = if in_window(&record.validations, now, SSPR_WINDOW_MS) >= SSPR_VALIDATIONS {
        let until = now.plus_millis(SSPR_BLOCK_MS);
        record.blocked_until = Some(until);
        record.validations.clear();
        SsprCount::NowBlocked { until }
    } else {
        record.blocked_until = None;
        SsprCount::Counted
    };
    write(txn, &k, &record)?;
    Ok(Ok(count))
}

/// Until when password reset is blocked for the user at `now`, read outside a transaction (the
/// troubleshooting wizard looks, it does not count). `None` when it is not blocked.
pub fn sspr_blocked_until(
    backend: &dyn DynBackend,
    upn_key: &str,
    now: Timestamp,
) -> Result<Option<Timestamp>, StoreError> {
    let record: SsprRecord = match backend.get(TreeId::Throttles, &key(&["sspr", upn_key]))? {
        Some(bytes) => decode(&bytes, "throttle record")?,
        None => return Ok(None),
    };
    Ok(record.blocked_until.filter(|until| now < *until))
}

/// A user's consecutive failed verifications.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Failures {
    pub consecutive: u32,
    pub last_at: Option<Timestamp>,
}

/// How long the check after `consecutive` failures must wait: nothing for the first
/// [`FREE_FAILURES`], then 30 s doubling per failure, at most 15 minutes.
pub fn failure_delay(consecutive: u32) -> i64 {
    if consecutive < FREE_FAILURES {
        return 0;
    }
    let doublings = (consecutive - FREE_FAILURES).min(16);
    FIRST_DELAY_MS
        .saturating_mul(1i64 << doublings)
        .min(MAX_DELAY_MS)
}

impl Failures {
    /// Whether a check may run at `now`.
    ///
    /// The first [`FREE_FAILURES`] cost no wait at all, whatever the clock says. After them the
    /// check waits [`failure_delay`] from the last failure; a clock that reads before the last
    /// failure (it moved backwards) is inside that wait, so a clock jump never shortens it.
    pub fn gate(&self, now: Timestamp) -> Result<(), Refusal> {
        if self.consecutive >= MAX_CONSECUTIVE_FAILURES {
            return Err(Refusal::FailureLock {
                failures: self.consecutive,
            });
        }
        let delay = failure_delay(self.consecutive);
        let Some(last) = self.last_at.filter(|_| delay > 0) else {
            return Ok(());
        };
        let until = last.plus_millis(delay);
        if now < until {
            return Err(Refusal::FailureDelay { until });
        }
        Ok(())
    }
}

fn failures_key(upn_key: &str) -> Vec<u8> {
    key(&["failures", upn_key])
}

pub fn failures_in(txn: &dyn Txn, upn_key: &str) -> Result<Failures, TxnError> {
    read(txn, &failures_key(upn_key))
}

/// A user's consecutive failures, read outside a transaction (the troubleshooting wizard).
pub fn failures_of(backend: &dyn DynBackend, upn_key: &str) -> Result<Failures, StoreError> {
    match backend.get(TreeId::Throttles, &failures_key(upn_key))? {
        Some(bytes) => decode(&bytes, "throttle record"),
        None => Ok(Failures::default()),
    }
}

/// Counts one more failure; returns the new count.
pub fn record_failure(txn: &dyn Txn, upn_key: &str, now: Timestamp) -> Result<Failures, TxnError> {
    let mut failures = failures_in(txn, upn_key)?;
    failures.consecutive = failures.consecutive.saturating_add(1);
    failures.last_at = Some(now);
    write(txn, &failures_key(upn_key), &failures)?;
    Ok(failures)
}

/// A success (or an administrator) resets the count.
pub fn clear_failures(txn: &dyn Txn, upn_key: &str) -> Result<Failures, TxnError> {
    let before = failures_in(txn, upn_key)?;
    txn.remove(TreeId::Throttles, &failures_key(upn_key))?;
    Ok(before)
}

/// An administrator clears a user's consecutive failures (the only way out of the lock besides a
/// success), audited in the same flushed transaction. Returns the count that was cleared.
/// Refused, with nothing written, when the operator's role does not cover the user (an
/// auth-admin and an admin), as every change to a user is.
pub fn reset_failures(
    store: &dyn crate::store::Directory,
    operator: &crate::domain::Operator,
    upn: &str,
) -> Result<u32, super::SimError> {
    let user = store.user(upn)?;
    operator
        .may_act_on(&user)
        .map_err(|e| super::SimError::Store(e.into()))?;
    let now = store.now();
    let before = super::clock::transact(store, |txn| {
        let before = clear_failures(txn, &user.upn().key())?;
        let entry = crate::store::AuditEntry::new(operator, now, "signIn.clearFailures")
            .target(user.upn().to_string())
            .change(
                Some(format!("{} consecutive failures", before.consecutive)),
                Some("0 consecutive failures".into()),
            );
        crate::store::append_audit(txn, &entry)?;
        Ok(before)
    })?;
    Ok(before.consecutive)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_and_are_capped() {
        assert_eq!(failure_delay(0), 0);
        assert_eq!(failure_delay(4), 0);
        assert_eq!(failure_delay(5), 30_000);
        assert_eq!(failure_delay(6), 60_000);
        assert_eq!(failure_delay(8), 240_000);
        assert_eq!(failure_delay(19), MAX_DELAY_MS);
    }

    #[test]
    fn the_gate_never_opens_by_time_at_the_cap() {
        let t = Timestamp::from_secs(1_000);
        let locked = Failures {
            consecutive: MAX_CONSECUTIVE_FAILURES,
            last_at: Some(t),
        };
        assert!(locked.gate(t.plus_secs(365 * 86_400)).is_err());
        let waiting = Failures {
            consecutive: 6,
            last_at: Some(t),
        };
        assert!(waiting.gate(t.plus_secs(59)).is_err());
        assert!(waiting.gate(t.plus_secs(60)).is_ok());
        // A clock that moved back before the last failure does not open the gate.
        assert!(waiting.gate(t.plus_secs(-3600)).is_err());
    }

    /// One wrong code costs nothing (the first five are free), even when the clock now reads
    /// before it: a failure "in the future" must not turn into a wait the limits do not have.
    #[test]
    fn free_failures_never_wait_even_on_a_clock_behind_them() {
        let t = Timestamp::from_secs(1_000);
        for consecutive in 1..FREE_FAILURES {
            let failures = Failures {
                consecutive,
                last_at: Some(t),
            };
            assert_eq!(failures.gate(t.plus_secs(-600)), Ok(()), "{consecutive}");
            assert_eq!(failures.gate(t), Ok(()));
        }
        let sixth = Failures {
            consecutive: FREE_FAILURES,
            last_at: Some(t),
        };
        assert_eq!(
            sixth.gate(t.plus_secs(29)),
            Err(Refusal::FailureDelay {
                until: t.plus_secs(30)
            })
        );
        assert_eq!(sixth.gate(t.plus_secs(30)), Ok(()));
    }

    #[test]
    fn future_instants_count_inside_the_window() {
        let now = Timestamp::from_secs(1_000);
        let times = [now.plus_secs(500), now.plus_secs(-100), now.plus_secs(-400)];
        assert_eq!(in_window(&times, now, 300_000), 2);
    }
}
