//! One sign-in attempt in memory: what it knows (flow, user, plan, route), where it stands, and
//! the steps it took; turned into a [`SignInRecord`] when it ends.

use crate::domain::{PhoneNumber, SenderId, Timestamp, User};
use crate::sim::device::SmsFate;
use crate::sim::flow::{FlowKind, FlowRequest, Plan};
use crate::sim::log::{SignInRecord, Step};
use crate::sim::reason::{Outcome, Reason, StepKind};
use crate::sim::telecom::{Fault, Provider};
use crate::sim::voice::Keypad;

/// Waiting for a text code.
#[derive(Clone, Debug)]
pub(super) struct CodeWait {
    pub challenge: u64,
    pub expires_at: Timestamp,
    pub wrong_left: u32,
    pub wrong_entries: u32,
    /// When the first code of this attempt was sent (a person types a code that came after it).
    pub opened_at: Timestamp,
    pub code_length: u8,
    /// Some text of this attempt reached the inbox.
    pub delivered: bool,
    /// What kept the latest text from the inbox, if something did.
    pub problem: Option<SmsFate>,
    /// What the sign-in page says besides asking (wrong code, wait).
    pub notice: Option<String>,
}

/// Where a call stands.
#[derive(Clone, Debug)]
pub(super) enum CallPhase {
    Dialling,
    Ringing,
    Connected {
        greeting: String,
        keypad: Keypad,
        /// Which prompt the input timeout belongs to (the fraud prompt restarts it).
        prompt: u32,
    },
}

/// A verification call.
#[derive(Clone, Debug)]
pub(super) struct CallState {
    pub id: u32,
    pub caller: SenderId,
    pub fault: Fault,
    pub phase: CallPhase,
}

#[derive(Clone, Debug)]
pub(super) enum Stage {
    /// SMS sign-in's first page.
    AskNumber,
    AwaitCode(CodeWait),
    Call(CallState),
    Ended(Outcome),
}

#[derive(Clone, Debug)]
pub(super) struct Attempt {
    pub id: u32,
    pub correlation_id: String,
    /// 1 for the first attempt under the correlation id, then 2, 3, ... for retries.
    pub ordinal: u32,
    pub request: FlowRequest,
    pub started_at: Timestamp,
    /// What was typed on SMS sign-in's first page (kept for a retry).
    pub typed_number: Option<String>,
    /// The number SMS sign-in's first page understood, before a user is known.
    pub entered: Option<PhoneNumber>,
    pub user: Option<User>,
    pub plan: Option<Plan>,
    pub provider: Option<&'static Provider>,
    /// The latest code challenge, kept after the end for late entries.
    pub challenge: Option<u64>,
    pub steps: Vec<Step>,
    pub stage: Stage,
}

impl Attempt {
    pub(super) fn flow(&self) -> FlowKind {
        self.request.kind()
    }

    pub(super) fn is_live(&self) -> bool {
        !matches!(self.stage, Stage::Ended(_))
    }

    pub(super) fn outcome(&self) -> Option<Outcome> {
        match self.stage {
            Stage::Ended(outcome) => Some(outcome),
            _ => None,
        }
    }

    pub(super) fn upn_key(&self) -> Option<String> {
        self.user.as_ref().map(|u| u.upn().key())
    }

    /// The line the attempt texts or calls.
    pub(super) fn line(&self) -> Option<PhoneNumber> {
        self.plan.as_ref().map(|p| p.dial.without_extension())
    }

    pub(super) fn masked_number(&self) -> Option<String> {
        match &self.plan {
            Some(plan) => Some(plan.registered.masked()),
            None => self.entered.as_ref().map(PhoneNumber::masked),
        }
    }

    pub(super) fn step(&mut self, at: Timestamp, kind: StepKind, detail: impl Into<String>) {
        self.steps.push(Step {
            at,
            kind,
            detail: detail.into(),
        });
    }

    /// The log record of this attempt ending with `outcome` at `now`, with `extra` steps after
    /// the ones taken so far (built before the end is committed, inside its transaction).
    pub(super) fn record(&self, outcome: Outcome, now: Timestamp, extra: &[Step]) -> SignInRecord {
        let mut steps = self.steps.clone();
        steps.extend_from_slice(extra);
        steps.push(Step {
            at: now,
            kind: StepKind::Completed,
            detail: outcome.describe(),
        });
        SignInRecord {
            seq: 0,
            correlation_id: self.correlation_id.clone(),
            attempt: self.ordinal,
            started_at: self.started_at,
            ended_at: now,
            flow: self.flow(),
            user: self.user.as_ref().map(|u| u.upn().to_string()),
            number: self.masked_number(),
            channel: self.plan.as_ref().map(|p| p.channel),
            slot: self.plan.as_ref().map(|p| p.slot),
            provider: self.provider.map(|p| p.name.to_owned()),
            result: outcome.result,
            reason: outcome.reason,
            error_code: outcome.reason.map(Reason::error_code),
            steps,
        }
    }
}

/// The reason a code wait ends with when its time runs out: a wrong entry if there was one;
/// else what kept the text from the phone; else the user never entered it.
pub(super) fn expiry_reason(wait: &CodeWait) -> Reason {
    if wait.wrong_entries > 0 {
        return Reason::IncorrectCode;
    }
    if wait.delivered {
        return Reason::NeverEntered;
    }
    match wait.problem {
        Some(SmsFate::DroppedByProvider | SmsFate::NotSubscribed | SmsFate::Landline) => {
            Reason::SmsNotSent
        }
        Some(SmsFate::Unreachable) => Reason::UnableToReach,
        // A blocked sender looks delivered to the service.
        Some(SmsFate::BlockedSender | SmsFate::Delivered) | None => Reason::NeverEntered,
    }
}
