//! The voice leg: place the call (admitted like a text), connect it to the phone, ring, answer
//! and play the greeting, or end with what the phone did instead (voicemail, unreachable, not
//! placed, declined, hung up). The keypad of an answered call is in `keypad.rs`.

use super::attempt::{CallPhase, CallState, Stage};
use super::limits::{admit_send, refuse_in};
use super::phone::{CallScreen, CallView, VirtualPhone};
use super::send::Send;
use super::timers::Timer;
use super::{Actor, Session};
use crate::sim::SimError;
use crate::sim::clock;
use crate::sim::device::{self as sim_device, CallFate};
use crate::sim::flow::Channel;
use crate::sim::log::Step;
use crate::sim::reason::{Outcome, Reason, StepKind};
use crate::sim::telecom::{self, Fault};
use crate::sim::voice::{self, Keypad, Listening};
use crate::store::Directory;

/// How long a phone rings before the network gives up.
pub const RING_MS: i64 = 30_000;

impl Session {
    /// Places a verification call through a provider (another one than `previous` on a retry).
    pub(super) fn place_call(
        &mut self,
        store: &dyn Directory,
        previous: Option<&'static str>,
    ) -> Result<(), SimError> {
        let Some(Send {
            attempt,
            plan,
            user,
            provider,
            fault,
            limits,
            now,
        }) = self.prepare_send(store, previous)?
        else {
            return Ok(());
        };
        let caller = telecom::caller_id(&plan.dial, provider);
        let upn = user.upn().to_string();
        let line = plan.dial.without_extension();
        let refused = clock::transact(store, |txn| {
            match admit_send(
                txn,
                attempt.flow(),
                Channel::Voice,
                &upn,
                &line,
                &limits,
                now,
            )? {
                Err(refusal) => Ok(Some(refuse_in(txn, &attempt, &refusal, now)?)),
                Ok(_) => Ok(None),
            }
        })?;
        if let Some(record) = refused {
            self.note(
                Actor::Service,
                "refused: limit on telecom MFA calls reached",
            );
            self.ended(record);
            return Ok(());
        }
        self.calls += 1;
        let call = self.calls;
        if let Some(live) = self.current.as_mut() {
            live.provider = Some(provider);
            live.step(
                now,
                StepKind::CallPlaced,
                format!("{} dials from {caller}", provider.name),
            );
            live.stage = Stage::Call(CallState {
                id: call,
                caller: caller.clone(),
                fault,
                phase: CallPhase::Dialling,
            });
        }
        self.note(
            Actor::Service,
            format!("calls {} ({} phone)", plan.dial.masked(), plan.slot),
        );
        self.note(
            Actor::Provider,
            format!("{} dials from caller ID {caller}", provider.name),
        );
        self.timers.schedule(
            now.plus_millis(provider.call_latency_ms),
            Timer::CallConnects {
                attempt: attempt.id,
                call,
            },
        );
        Ok(())
    }

    /// The live call with id `call` of attempt `attempt`, if it is still the current one.
    pub(super) fn current_call(&self, attempt: u32, call: u32) -> Option<&CallState> {
        let current = self.current.as_ref().filter(|a| a.id == attempt)?;
        match &current.stage {
            Stage::Call(state) if state.id == call => Some(state),
            _ => None,
        }
    }

    pub(super) fn call_mut(&mut self) -> Option<&mut CallState> {
        match &mut self.current.as_mut()?.stage {
            Stage::Call(state) => Some(state),
            _ => None,
        }
    }

    pub(super) fn set_screen(&mut self, screen: Option<CallView>) {
        if let Some(line) = self.focus.clone()
            && let Some(phone) = self.phones.get_mut(&line)
        {
            phone.call = screen;
        }
    }

    /// Ends the call (and the attempt) with `fate`'s reason.
    fn call_not_taken(&mut self, store: &dyn Directory, fate: CallFate) -> Result<(), SimError> {
        let now = self.now();
        let masked = self.focus.as_ref().map(|l| l.masked()).unwrap_or_default();
        let (reason, kind, detail) = match fate {
            CallFate::NotPlaced => (
                Reason::CallNotPlaced,
                StepKind::CallNotPlaced,
                "the provider could not place the call (fault call-fail)".to_owned(),
            ),
            CallFate::Voicemail(why) => (
                Reason::Voicemail,
                StepKind::Voicemail,
                format!("{why}; the call goes to voicemail"),
            ),
            CallFate::Unreachable(why) => (
                Reason::UnableToReach,
                StepKind::PhoneUnreachable,
                why.to_owned(),
            ),
            CallFate::Rings => return Ok(()),
        };
        let actor = if reason == Reason::Voicemail {
            Actor::Phone
        } else {
            Actor::Provider
        };
        self.note(actor, format!("{masked}: {detail}"));
        let step = Step {
            at: now,
            kind,
            detail,
        };
        self.end(store, Outcome::denied(reason), vec![step], None)
    }

    pub(super) fn call_connects(
        &mut self,
        store: &dyn Directory,
        attempt: u32,
        call: u32,
    ) -> Result<(), SimError> {
        let Some(state) = self.current_call(attempt, call) else {
            return Ok(());
        };
        let (fault, caller) = (state.fault, state.caller.clone());
        let Some(line) = self.focus.clone() else {
            return Ok(());
        };
        let Some(device) = self.load_device(store, &line)? else {
            return self.service_error(store, "the device record of the number is unreadable");
        };
        let fate = sim_device::call_fate(&device, fault, &caller);
        if fate != CallFate::Rings {
            return self.call_not_taken(store, fate);
        }
        let now = self.now();
        if let Some(live) = self.current.as_mut() {
            live.step(
                now,
                StepKind::Ringing,
                format!("the phone rings, showing {caller}"),
            );
        }
        if let Some(state) = self.call_mut() {
            state.phase = CallPhase::Ringing;
        }
        self.set_screen(Some(CallView {
            from: caller.clone(),
            screen: CallScreen::Incoming,
        }));
        self.note(
            Actor::Phone,
            format!("{} rings: incoming call from {caller}", line.masked()),
        );
        self.timers.schedule(
            now.plus_millis(RING_MS),
            Timer::RingTimeout { attempt, call },
        );
        Ok(())
    }

    pub(super) fn ring_timeout(
        &mut self,
        store: &dyn Directory,
        attempt: u32,
        call: u32,
    ) -> Result<(), SimError> {
        let Some(state) = self.current_call(attempt, call) else {
            return Ok(());
        };
        if !matches!(state.phase, CallPhase::Ringing) {
            return Ok(());
        }
        let now = self.now();
        if let Some(live) = self.current.as_mut() {
            live.step(now, StepKind::NoAnswer, "nobody answered");
        }
        self.not_answered(store, "nobody answered")
    }

    /// The phone did not take a ringing call: voicemail or unreachable, by its forwarding.
    fn not_answered(&mut self, store: &dyn Directory, why: &'static str) -> Result<(), SimError> {
        let Some(line) = self.focus.clone() else {
            return Ok(());
        };
        let Some(device) = self.load_device(store, &line)? else {
            return self.service_error(store, "the device record of the number is unreadable");
        };
        self.call_not_taken(store, sim_device::not_answered(&device, why))
    }

    fn ringing(&self) -> bool {
        matches!(
            self.current.as_ref().map(|a| &a.stage),
            Some(Stage::Call(CallState {
                phase: CallPhase::Ringing,
                ..
            }))
        )
    }

    pub(super) fn connected(&self) -> bool {
        matches!(
            self.current.as_ref().map(|a| &a.stage),
            Some(Stage::Call(CallState {
                phase: CallPhase::Connected { .. },
                ..
            }))
        )
    }

    pub(super) fn answer(&mut self, store: &dyn Directory) -> Result<(), SimError> {
        if !self.ringing() {
            return Err(SimError::NotNow("answer: no phone is ringing".into()));
        }
        let now = self.now();
        let Some(attempt) = self.current.as_ref() else {
            return Ok(());
        };
        let Some(plan) = attempt.plan.clone() else {
            return Ok(());
        };
        let (attempt_id, caller, fault) = match &attempt.stage {
            Stage::Call(state) => (attempt.id, state.caller.clone(), state.fault),
            _ => return Ok(()),
        };
        self.note(Actor::User, "answers the call");
        if let Some(live) = self.current.as_mut() {
            live.step(now, StepKind::Answered, "the call was answered");
        }
        if let Some(ext) = &plan.transfer_to {
            self.note(
                Actor::Phone,
                format!("hears: \"{}\"", voice::extension_prompt(ext)),
            );
            if let Some(live) = self.current.as_mut() {
                live.step(
                    now,
                    StepKind::TransferPrompt,
                    "whoever answers is asked to transfer the call to the extension",
                );
            }
            if fault == Fault::DtmfLoss {
                let step = Step {
                    at: now,
                    kind: StepKind::InvalidExtension,
                    detail: "the extension could not be reached (fault dtmf-loss)".into(),
                };
                self.note(Actor::Provider, "the extension could not be reached");
                return self.end(
                    store,
                    Outcome::denied(Reason::InvalidExtension),
                    vec![step],
                    None,
                );
            }
        }
        let greeting = voice::greeting(&plan.greeting, plan.transfer_to.as_deref());
        let prompt_ms = voice::speaking_ms(&greeting) * voice::GREETING_PLAYS;
        let keypad = Keypad::new(plan.greeting.clone());
        if let Some(state) = self.call_mut() {
            state.phase = CallPhase::Connected {
                greeting: greeting.clone(),
                keypad,
                prompt: 1,
            };
        }
        if let Some(live) = self.current.as_mut() {
            live.step(
                now,
                StepKind::GreetingPlayed,
                match plan.greeting {
                    crate::sim::flow::GreetingMode::Standard => "standard greeting (press #)",
                    crate::sim::flow::GreetingMode::Pin(_) => "PIN greeting (PIN, then #)",
                },
            );
        }
        self.note(Actor::Phone, format!("plays: \"{greeting}\""));
        self.set_screen(Some(CallView {
            from: caller,
            screen: CallScreen::Connected {
                greeting,
                keys: String::new(),
                listening: Listening::ForApproval,
            },
        }));
        let Some(call) = self.call_mut().map(|c| c.id) else {
            return Ok(());
        };
        self.timers.schedule(
            now.plus_millis(prompt_ms),
            Timer::InputTimeout {
                attempt: attempt_id,
                call,
                prompt: 1,
            },
        );
        Ok(())
    }

    pub(super) fn decline(&mut self, store: &dyn Directory) -> Result<(), SimError> {
        if !self.ringing() {
            return Err(SimError::NotNow("decline: no phone is ringing".into()));
        }
        let now = self.now();
        self.note(Actor::User, "declines the call");
        if let Some(live) = self.current.as_mut() {
            live.step(now, StepKind::Declined, "the call was declined");
        }
        self.not_answered(store, "the call was declined")
    }

    pub(super) fn hang_up(&mut self, store: &dyn Directory) -> Result<(), SimError> {
        if self.ringing() {
            return self.decline(store);
        }
        if !self.connected() {
            return Err(SimError::NotNow("hang up: no call is in progress".into()));
        }
        let now = self.now();
        let fraud = self.listening() == Some(Listening::ForFraudConfirmation);
        self.note(Actor::User, "hangs up");
        let step = Step {
            at: now,
            kind: StepKind::HungUp,
            detail: "the user hung up".into(),
        };
        let reason = if fraud {
            Reason::FraudReported
        } else {
            Reason::HungUp
        };
        self.end(store, Outcome::denied(reason), vec![step], None)
    }

    pub(super) fn listening(&self) -> Option<Listening> {
        match &self.current.as_ref()?.stage {
            Stage::Call(CallState {
                phase: CallPhase::Connected { keypad, .. },
                ..
            }) => Some(keypad.listening()),
            _ => None,
        }
    }
}

impl VirtualPhone {
    /// Whether the phone shows a ringing call.
    pub fn is_ringing(&self) -> bool {
        matches!(
            self.call,
            Some(CallView {
                screen: CallScreen::Incoming,
                ..
            })
        )
    }
}
