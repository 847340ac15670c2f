//! An answered call's keypad: `#` approves, the PIN then `#` in PIN mode, `0#` reports fraud and
//! `1` confirms it (blocking the user when the policy says so); silence until the greeting ends
//! is a timeout.

use super::attempt::{CallPhase, CallState};
use super::limits::count_failure;
use super::phone::{CallScreen, CallView};
use super::timers::Timer;
use super::{Actor, Session, system_operator};
use crate::domain::Edit;
use crate::sim::SimError;
use crate::sim::clock;
use crate::sim::log::{self, SignInRecord, Step};
use crate::sim::reason::{Outcome, Reason, StepKind};
use crate::sim::telecom::Fault;
use crate::sim::throttle;
use crate::sim::voice::{self, KeyOutcome, Keypad, Listening};
use crate::store::Directory;

impl Session {
    pub(super) fn press_keys(&mut self, store: &dyn Directory, keys: &str) -> Result<(), SimError> {
        if let Some(bad) = keys.chars().find(|c| !Keypad::is_key(*c)) {
            return Err(SimError::Invalid(format!(
                "'{}' is not a key on a phone (0-9, # and *)",
                bad.escape_default()
            )));
        }
        if keys.is_empty() || keys.chars().count() > 32 {
            return Err(SimError::Invalid("press 1 to 32 keys".into()));
        }
        if !self.connected() {
            return Err(SimError::NotNow("press keys: no call is connected".into()));
        }
        let now = self.now();
        // As the phone shows them: `0#` and `1` for a fraud report, a PIN's digits as dots.
        let shown = match self.call_mut() {
            Some(CallState {
                phase: CallPhase::Connected { keypad, .. },
                ..
            }) => keypad.display(keys),
            _ => "•".repeat(keys.chars().count()),
        };
        self.note(Actor::User, format!("presses {shown}"));
        let fault = self.call_mut().map(|c| c.fault).unwrap_or_default();
        if let Some(live) = self.current.as_mut() {
            live.step(
                now,
                StepKind::KeysPressed,
                format!("{} keys", keys.chars().count()),
            );
        }
        if fault == Fault::DtmfLoss {
            self.note(
                Actor::Provider,
                "the key tones never reach the service (fault dtmf-loss)",
            );
            if let Some(live) = self.current.as_mut() {
                live.step(now, StepKind::DtmfLost, "the key tones were lost");
            }
            return Ok(());
        }
        for key in keys.chars() {
            let outcome = match self.call_mut() {
                Some(CallState {
                    phase: CallPhase::Connected { keypad, .. },
                    ..
                }) => keypad.press(key),
                _ => return Ok(()),
            };
            self.refresh_keypad_screen();
            match outcome {
                KeyOutcome::Collected | KeyOutcome::Ignored => {}
                KeyOutcome::Approved => return self.call_approved(store),
                KeyOutcome::WrongPin => return self.wrong_pin(store),
                KeyOutcome::FraudReported => self.fraud_prompt()?,
                KeyOutcome::FraudConfirmed => return self.fraud_confirmed(store),
            }
        }
        Ok(())
    }

    fn refresh_keypad_screen(&mut self) {
        let Some(CallState {
            phase: CallPhase::Connected {
                greeting, keypad, ..
            },
            caller,
            ..
        }) = self.call_mut().cloned()
        else {
            return;
        };
        self.set_screen(Some(CallView {
            from: caller,
            screen: CallScreen::Connected {
                greeting,
                keys: keypad.shown().to_owned(),
                listening: keypad.listening(),
            },
        }));
    }

    fn call_approved(&mut self, store: &dyn Directory) -> Result<(), SimError> {
        let now = self.now();
        self.note(Actor::Phone, format!("hears: \"{}\"", voice::SUCCESS));
        let Some(attempt) = self.current.clone() else {
            return Ok(());
        };
        let upn_key = attempt.upn_key().unwrap_or_default();
        let record = attempt.record(
            Outcome::SUCCESS,
            now,
            &[Step {
                at: now,
                kind: StepKind::CodeAccepted,
                detail: "the call was approved".into(),
            }],
        );
        let seq = clock::transact(store, |txn| {
            throttle::clear_failures(txn, &upn_key)?;
            log::append(txn, &record)
        })?;
        self.ended(SignInRecord { seq, ..record });
        Ok(())
    }

    fn wrong_pin(&mut self, store: &dyn Directory) -> Result<(), SimError> {
        let now = self.now();
        self.note(Actor::Phone, format!("hears: \"{}\"", voice::DENIED));
        let Some(attempt) = self.current.clone() else {
            return Ok(());
        };
        let upn = attempt
            .user
            .as_ref()
            .map(|u| u.upn().to_string())
            .unwrap_or_default();
        let record = attempt.record(
            Outcome::denied(Reason::IncorrectPin),
            now,
            &[Step {
                at: now,
                kind: StepKind::PinRejected,
                detail: "the PIN did not match".into(),
            }],
        );
        let seq = clock::transact(store, |txn| {
            count_failure(txn, &upn, now)?;
            log::append(txn, &record)
        })?;
        self.ended(SignInRecord { seq, ..record });
        Ok(())
    }

    fn fraud_prompt(&mut self) -> Result<(), SimError> {
        let now = self.now();
        let Some(attempt_id) = self.current.as_ref().map(|a| a.id) else {
            return Ok(());
        };
        if let Some(live) = self.current.as_mut() {
            live.step(now, StepKind::FraudReported, "0# pressed: fraud alert");
        }
        let prompt = match self.call_mut() {
            Some(CallState {
                phase:
                    CallPhase::Connected {
                        greeting, prompt, ..
                    },
                ..
            }) => {
                *greeting = voice::FRAUD_CONFIRM.to_owned();
                *prompt += 1;
                *prompt
            }
            _ => return Ok(()),
        };
        self.refresh_keypad_screen();
        self.note(Actor::Phone, format!("plays: \"{}\"", voice::FRAUD_CONFIRM));
        let Some(call) = self.call_mut().map(|c| c.id) else {
            return Ok(());
        };
        let wait = voice::speaking_ms(voice::FRAUD_CONFIRM) * voice::GREETING_PLAYS;
        self.timers.schedule(
            now.plus_millis(wait),
            Timer::InputTimeout {
                attempt: attempt_id,
                call,
                prompt,
            },
        );
        Ok(())
    }

    fn fraud_confirmed(&mut self, store: &dyn Directory) -> Result<(), SimError> {
        let now = self.now();
        let Some(attempt) = self.current.clone() else {
            return Ok(());
        };
        let mut extra = vec![Step {
            at: now,
            kind: StepKind::FraudConfirmed,
            detail: "1 pressed: the fraud alert is confirmed".into(),
        }];
        let auto_block = store.policy()?.verification.fraud_auto_block;
        if auto_block && let Some(user) = &attempt.user {
            // The directory's own edit: the block and its audit entry commit together.
            store.edit(&system_operator(), user.upn().as_str(), &Edit::FraudBlock)?;
            self.note(
                Actor::Service,
                format!(
                    "blocks {} after the fraud report (90 days or until an administrator unblocks)",
                    user.upn()
                ),
            );
            extra.push(Step {
                at: now,
                kind: StepKind::UserBlocked,
                detail: "the user is blocked for 90 days or until unblocked".into(),
            });
        }
        self.note(
            Actor::Phone,
            format!("hears: \"{}\"", voice::FRAUD_SUBMITTED),
        );
        self.end(store, Outcome::denied(Reason::FraudReported), extra, None)
    }

    pub(super) fn input_timeout(
        &mut self,
        store: &dyn Directory,
        attempt: u32,
        call: u32,
        prompt: u32,
    ) -> Result<(), SimError> {
        let Some(CallState {
            phase:
                CallPhase::Connected {
                    prompt: current,
                    keypad,
                    ..
                },
            ..
        }) = self.current_call(attempt, call)
        else {
            return Ok(());
        };
        if *current != prompt {
            return Ok(());
        }
        let fraud = keypad.listening() == Listening::ForFraudConfirmation;
        let now = self.now();
        self.note(
            Actor::Service,
            "no input before the greeting ended: the call ends",
        );
        let step = Step {
            at: now,
            kind: StepKind::InputTimeout,
            detail: "no input before the greeting ended".into(),
        };
        let reason = if fraud {
            Reason::FraudReported
        } else {
            Reason::NeverEntered
        };
        self.end(store, Outcome::denied(reason), vec![step], None)
    }
}
