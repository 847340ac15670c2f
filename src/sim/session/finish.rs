//! Ending attempts: the sign-in record is written in one flushed transaction (with whatever the
//! end changes, such as an expired challenge) before the session reports the end.

use super::attempt::{Stage, expiry_reason};
use super::{Actor, Session};
use crate::sim::SimError;
use crate::sim::clock;
use crate::sim::flow::Denial;
use crate::sim::log::{self, SignInRecord, Step};
use crate::sim::otp;
use crate::sim::reason::{Outcome, Reason, StepKind};
use crate::store::Directory;

impl Session {
    /// Ends the live attempt with `outcome` after `extra` steps; when `expire` names a
    /// challenge, it is marked expired in the same transaction as the record.
    pub(super) fn end(
        &mut self,
        store: &dyn Directory,
        outcome: Outcome,
        extra: Vec<Step>,
        expire: Option<u64>,
    ) -> Result<(), SimError> {
        let now = self.now();
        let Some(attempt) = self.current.as_ref().filter(|a| a.is_live()) else {
            return Ok(());
        };
        let record = attempt.record(outcome, now, &extra);
        let seq = clock::transact(store, |txn| {
            if let Some(challenge) = expire {
                otp::expire(txn, challenge)?;
            }
            log::append(txn, &record)
        })?;
        self.ended(SignInRecord { seq, ..record });
        Ok(())
    }

    /// Takes note of an end already committed (inside the transaction of its cause).
    pub(super) fn ended(&mut self, record: SignInRecord) {
        let outcome = record.outcome();
        if let Some(attempt) = self.current.as_mut() {
            attempt.steps = record.steps.clone();
            attempt.stage = Stage::Ended(outcome);
            let id = attempt.id;
            self.timers.forget_attempt(id);
        }
        if let Some(line) = &self.focus
            && let Some(phone) = self.phones.get_mut(line)
        {
            phone.call = None;
        }
        let text = match outcome.reason {
            None => "sign-in verified: success".to_owned(),
            Some(reason) => format!("sign-in denied: {reason} (AADSTS{})", reason.error_code()),
        };
        self.note(Actor::Service, text);
        self.records.push(record);
    }

    /// Ends the live attempt on a refused precondition.
    pub(super) fn deny(&mut self, store: &dyn Directory, denial: Denial) -> Result<(), SimError> {
        let now = self.now();
        self.note(Actor::Service, format!("refused: {}", denial.detail));
        let step = Step {
            at: now,
            kind: StepKind::PreconditionFailed,
            detail: denial.detail,
        };
        self.end(store, Outcome::denied(denial.reason), vec![step], None)
    }

    /// Ends the live attempt because a record of the simulated world is unreadable.
    pub(super) fn service_error(
        &mut self,
        store: &dyn Directory,
        detail: &str,
    ) -> Result<(), SimError> {
        let now = self.now();
        self.note(Actor::Service, format!("service error: {detail}"));
        let step = Step {
            at: now,
            kind: StepKind::ServiceError,
            detail: detail.to_owned(),
        };
        let expire = self.current.as_ref().and_then(|a| a.challenge);
        self.end(
            store,
            Outcome::denied(Reason::ServiceError),
            vec![step],
            expire,
        )
    }

    /// Ends a live attempt the person walked away from (a new flow starts): the code dies.
    pub(super) fn abandon(&mut self, store: &dyn Directory) -> Result<(), SimError> {
        let Some(attempt) = self.current.as_ref().filter(|a| a.is_live()) else {
            return Ok(());
        };
        let now = self.now();
        let (reason, expire) = match &attempt.stage {
            // Nothing was sent: nothing to log.
            Stage::AskNumber => {
                self.current = None;
                return Ok(());
            }
            Stage::AwaitCode(wait) => (expiry_reason(wait), Some(wait.challenge)),
            Stage::Call(call) => match call.phase {
                super::attempt::CallPhase::Connected { .. } => (Reason::HungUp, None),
                _ => (Reason::NeverEntered, None),
            },
            Stage::Ended(_) => return Ok(()),
        };
        self.note(Actor::User, "leaves the sign-in page");
        let step = Step {
            at: now,
            kind: StepKind::InputTimeout,
            detail: "the sign-in page was left".into(),
        };
        self.end(store, Outcome::denied(reason), vec![step], expire)
    }
}
