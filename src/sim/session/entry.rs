//! What the person types into the code field: checked and consumed in one transaction with its
//! consequences (the account's failure count, a dead code, the sign-in record). A code typed
//! after its attempt ended is logged as an attempt of its own (a replay, a late entry).

use super::attempt::{Attempt, CodeWait, Stage};
use super::limits::{count_failure, refuse_in};
use super::{Actor, Session};
use crate::domain::Timestamp;
use crate::sim::SimError;
use crate::sim::clock;
use crate::sim::log::{self, SignInRecord, Step};
use crate::sim::otp::{self, Check};
use crate::sim::reason::{Outcome, Reason, StepKind};
use crate::sim::throttle::{self, Refusal};
use crate::store::{Directory, Txn, TxnError};

/// What the checking transaction did.
enum Entered {
    /// The attempt ended (record written).
    Ended(SignInRecord),
    /// Wrong, with this many wrong entries left.
    Wrong { left: u32 },
    /// The account must wait before the next check (nothing counted).
    Wait(Refusal),
}

impl Session {
    /// The person types a code: checked and consumed in one transaction.
    pub(super) fn type_code(&mut self, store: &dyn Directory, input: &str) -> Result<(), SimError> {
        let now = self.now();
        let limits = store.policy()?.verification;
        let Some(current) = self.current.as_ref() else {
            return Err(SimError::NotNow("type a code: nothing was started".into()));
        };
        let (challenge, late) = match (&current.stage, current.challenge) {
            (Stage::AwaitCode(wait), _) => (wait.challenge, false),
            (Stage::Ended(_), Some(challenge)) => (challenge, true),
            _ => {
                return Err(SimError::NotNow(
                    "type a code: the sign-in page is not asking for one".into(),
                ));
            }
        };
        if late {
            // A code typed after its attempt ended is a new attempt of its own (a replay, a late
            // entry), logged with its own record under the same correlation id.
            let mut again = current.clone();
            self.attempts += 1;
            again.id = self.attempts;
            again.ordinal += 1;
            again.started_at = now;
            again.steps.clear();
            again.stage = Stage::AwaitCode(CodeWait {
                challenge,
                expires_at: now,
                wrong_left: 0,
                wrong_entries: 0,
                opened_at: now,
                code_length: limits.code_length,
                delivered: true,
                problem: None,
                notice: None,
            });
            self.current = Some(again);
        }
        let Some(attempt) = self.current.clone() else {
            return Ok(());
        };
        let upn = attempt
            .user
            .as_ref()
            .map(|u| u.upn().to_string())
            .unwrap_or_default();
        let entry = otp::normalise(input, limits.code_length);
        let shown = match entry {
            Some(_) => format!("types a {}-digit code", limits.code_length),
            None => format!(
                "types something that is not a {}-digit code",
                limits.code_length
            ),
        };
        self.note(Actor::User, shown);
        let entered_step = Step {
            at: now,
            kind: StepKind::CodeEntered,
            detail: if late {
                "a code typed after the attempt ended".into()
            } else {
                "a code typed on the sign-in page".into()
            },
        };
        let check = EntryCheck {
            attempt: &attempt,
            upn: &upn,
            challenge,
            digits: entry.as_deref(),
            late,
            now,
            entered: &entered_step,
        };
        let result = clock::transact(store, |txn| check.run(txn))?;
        match result {
            Entered::Ended(record) => {
                self.ended(record);
                Ok(())
            }
            Entered::Wrong { left } => {
                self.note(
                    Actor::Service,
                    format!("incorrect code: {left} more tries with this code"),
                );
                if let Some(live) = self.current.as_mut() {
                    live.steps.push(entered_step);
                    live.step(
                        now,
                        StepKind::CodeRejected,
                        format!("incorrect code; {left} tries left"),
                    );
                    if let Stage::AwaitCode(wait) = &mut live.stage {
                        wait.wrong_left = left;
                        wait.wrong_entries += 1;
                        // The tries left are the timeline's: the page says what the real one says.
                        wait.notice = Some(super::page::WRONG_CODE.to_owned());
                    }
                }
                Ok(())
            }
            Entered::Wait(refusal) => {
                let detail = refusal.describe();
                self.note(Actor::Service, format!("not checked: {detail}"));
                if let Some(live) = self.current.as_mut() {
                    live.step(now, StepKind::FailureDelay, detail.clone());
                    if let Stage::AwaitCode(wait) = &mut live.stage {
                        wait.notice = Some(super::page::TRY_LATER.to_owned());
                    }
                }
                Ok(())
            }
        }
    }
}

/// One entry, as its transaction needs it.
struct EntryCheck<'a> {
    attempt: &'a Attempt,
    upn: &'a str,
    challenge: u64,
    /// The normalised code; `None` when the entry broke the entry rule.
    digits: Option<&'a str>,
    /// Typed after the attempt ended.
    late: bool,
    now: Timestamp,
    entered: &'a Step,
}

impl EntryCheck<'_> {
    /// The account's gate, the check, and what follows from it, inside one transaction.
    fn run(&self, txn: &dyn Txn) -> Result<Entered, TxnError> {
        let (now, late, upn) = (self.now, self.late, self.upn);
        let upn_key = upn.to_ascii_lowercase();
        // The account's gate guards checks that could succeed; a finished code is reported as
        // such.
        let live = otp::challenge_in(txn, self.challenge)?
            .is_some_and(|c| c.state == otp::ChallengeState::Live && !c.expired_at(now));
        let gate = if live {
            throttle::failures_in(txn, &upn_key)?.gate(now)
        } else {
            Ok(())
        };
        match gate {
            Err(refusal @ Refusal::FailureLock { .. }) => {
                return Ok(Entered::Ended(refuse_in(txn, self.attempt, &refusal, now)?));
            }
            Err(refusal) if !late => return Ok(Entered::Wait(refusal)),
            Err(refusal) => {
                return Ok(Entered::Ended(refuse_in(txn, self.attempt, &refusal, now)?));
            }
            Ok(()) => {}
        }
        let (check, _) = otp::check(txn, self.challenge, self.digits, now)?;
        let (outcome, kind, detail) = match check {
            Check::Accepted => {
                throttle::clear_failures(txn, &upn_key)?;
                (Outcome::SUCCESS, StepKind::CodeAccepted, "code accepted")
            }
            Check::Incorrect { left } if !late => {
                count_failure(txn, upn, now)?;
                return Ok(Entered::Wrong { left });
            }
            Check::Incorrect { .. } | Check::Superseded | Check::NotFound => {
                count_failure(txn, upn, now)?;
                (
                    Outcome::denied(Reason::IncorrectCode),
                    StepKind::CodeRejected,
                    "incorrect code",
                )
            }
            Check::TooMany => {
                count_failure(txn, upn, now)?;
                (
                    Outcome::denied(Reason::TooManyIncorrectCodes),
                    StepKind::CodeRejected,
                    "too many incorrect codes: the code is dead",
                )
            }
            Check::AlreadyUsed => {
                count_failure(txn, upn, now)?;
                (
                    Outcome::denied(Reason::CodeAlreadyUsed),
                    StepKind::CodeRejected,
                    "the code was already used",
                )
            }
            Check::Expired => (
                Outcome::denied(Reason::CodeExpired),
                StepKind::CodeExpired,
                "the code has expired",
            ),
        };
        let extra = [
            self.entered.clone(),
            Step {
                at: now,
                kind,
                detail: detail.into(),
            },
        ];
        let record = self.attempt.record(outcome, now, &extra);
        let seq = log::append(txn, &record)?;
        Ok(Entered::Ended(SignInRecord { seq, ..record }))
    }
}
