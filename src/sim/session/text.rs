//! The text-message leg: issue a code (admitted and stored in one transaction), carry it to the
//! phone through a provider, and let it expire. What the person types is in `entry.rs`.

use super::attempt::{CodeWait, Stage, expiry_reason};
use super::limits::{admit_send, refuse_in};
use super::phone::{PendingSms, Sms, VirtualPhone};
use super::send::Send;
use super::timers::Timer;
use super::{Actor, Session};
use crate::domain::Device;
use crate::sim::SimError;
use crate::sim::clock;
use crate::sim::device::{self as sim_device, SmsFate};
use crate::sim::flow::{Channel, FlowKind};
use crate::sim::log::{SignInRecord, Step};
use crate::sim::otp::{self, Issue};
use crate::sim::reason::{Outcome, StepKind};
use crate::sim::telecom;
use crate::sim::throttle::SsprCount;
use crate::store::Directory;

/// What the issuing transaction did.
enum Sent {
    Issued(otp::Challenge, Option<SsprCount>),
    Refused(SignInRecord),
}

fn sms_text(flow: FlowKind, code: &str) -> String {
    match flow {
        FlowKind::SmsSignIn => format!("{code} is your Microsoft sign-in code."),
        _ => format!("Use verification code {code} for Microsoft authentication."),
    }
}

impl Session {
    /// Sends a (new) code by text. `previous` is the provider of the last send: a resend or retry
    /// goes through another one.
    pub(super) fn send_code(
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
        let sender = telecom::sms_sender(&plan.dial, provider, &mut self.rng);
        let (Ok(code), Ok(secret)) = (self.codes.draw(limits.code_length), otp::fresh_secret())
        else {
            return self.service_error(store, "no random source for one-time codes");
        };
        let replaces = match &attempt.stage {
            Stage::AwaitCode(wait) => Some(wait.challenge),
            _ => None,
        };
        let upn = user.upn().to_string();
        let line = plan.dial.without_extension();
        let lifetime_ms = i64::from(limits.code_lifetime_seconds) * 1000;
        let sent = clock::transact(store, |txn| {
            match admit_send(txn, attempt.flow(), Channel::Sms, &upn, &line, &limits, now)? {
                Err(refusal) => {
                    // The refused resend still kills the code it was meant to replace.
                    if let Some(old) = replaces {
                        otp::expire(txn, old)?;
                    }
                    Ok(Sent::Refused(refuse_in(txn, &attempt, &refusal, now)?))
                }
                Ok(sspr) => {
                    let challenge = otp::issue(
                        txn,
                        &Issue {
                            upn_key: &user.upn().key(),
                            correlation_id: &attempt.correlation_id,
                            code: &code,
                            now,
                            lifetime_ms,
                            max_wrong: limits.max_wrong_codes,
                            replaces,
                            secret_candidate: &secret,
                        },
                    )?;
                    Ok(Sent::Issued(challenge, sspr))
                }
            }
        })?;
        let (challenge, sspr) = match sent {
            Sent::Refused(record) => {
                let detail = record
                    .steps
                    .iter()
                    .rev()
                    .find(|s| s.kind != StepKind::Completed)
                    .map(|s| s.detail.clone())
                    .unwrap_or_default();
                self.note(Actor::Service, format!("refused: {detail}"));
                self.ended(record);
                return Ok(());
            }
            Sent::Issued(challenge, sspr) => (challenge, sspr),
        };
        let latency = provider.sms_latency_ms;
        let attempt_id = attempt.id;
        if let Some(live) = self.current.as_mut() {
            live.provider = Some(provider);
            live.challenge = Some(challenge.seq);
            live.step(
                now,
                StepKind::CodeIssued,
                format!(
                    "a {}-digit code valid for {} s",
                    limits.code_length, limits.code_lifetime_seconds
                ),
            );
            live.step(
                now,
                StepKind::SmsSent,
                format!("{} sends the text from {sender}", provider.name),
            );
            if let Some(SsprCount::NowBlocked { until }) = sspr {
                live.step(
                    now,
                    StepKind::Throttled,
                    format!("fifth phone validation within an hour: password reset is blocked until {until}"),
                );
            }
            let (opened_at, wrong_entries) = match &live.stage {
                Stage::AwaitCode(wait) => (wait.opened_at, wait.wrong_entries),
                _ => (now, 0),
            };
            live.stage = Stage::AwaitCode(CodeWait {
                challenge: challenge.seq,
                expires_at: challenge.expires_at,
                wrong_left: limits.max_wrong_codes,
                wrong_entries,
                opened_at,
                code_length: limits.code_length,
                delivered: false,
                problem: None,
                notice: None,
            });
        }
        self.note(
            Actor::Service,
            format!(
                "sends a {}-digit code by text to {} (valid {} s)",
                limits.code_length,
                plan.registered.masked(),
                limits.code_lifetime_seconds
            ),
        );
        self.note(
            Actor::Provider,
            format!(
                "{} carries the text from {sender} ({:.1} s)",
                provider.name,
                latency as f64 / 1000.0
            ),
        );
        self.timers.schedule(
            now.plus_millis(latency),
            Timer::SmsArrives(Box::new(PendingSms {
                attempt: attempt_id,
                line,
                from: sender,
                text: sms_text(attempt.flow(), code.expose()),
                fault,
                provider: provider.name,
            })),
        );
        self.timers.schedule(
            challenge.expires_at,
            Timer::CodeExpires {
                attempt: attempt_id,
                challenge: challenge.seq,
            },
        );
        Ok(())
    }

    /// A text reaches the network at the phone's end.
    pub(super) fn sms_arrives(
        &mut self,
        store: &dyn Directory,
        pending: PendingSms,
    ) -> Result<(), SimError> {
        let now = self.now();
        let Some(device) = self.load_device(store, &pending.line)? else {
            return self.service_error(store, "the device record of the number is unreadable");
        };
        let fate = sim_device::sms_fate(&device, pending.fault, &pending.from);
        let masked = pending.line.masked();
        let (kind, detail) = match fate {
            SmsFate::Delivered => (
                StepKind::SmsDelivered,
                format!("delivered from {}", pending.from),
            ),
            SmsFate::DroppedByProvider => (
                StepKind::SmsNotSent,
                format!("{} lost the text (fault sms-drop)", pending.provider),
            ),
            SmsFate::Unreachable => (
                StepKind::PhoneUnreachable,
                unreachable_detail(&device).to_owned(),
            ),
            SmsFate::NotSubscribed => (
                StepKind::SmsNotSent,
                "the line has no messaging service".to_owned(),
            ),
            SmsFate::Landline => (
                StepKind::SmsNotSent,
                "a landline cannot receive texts".to_owned(),
            ),
            SmsFate::BlockedSender => (
                StepKind::SmsBlockedByPhone,
                format!(
                    "the phone discards texts from the blocked sender {}",
                    pending.from
                ),
            ),
        };
        let for_live = self
            .current
            .as_ref()
            .is_some_and(|a| a.id == pending.attempt && a.is_live());
        if for_live && let Some(attempt) = self.current.as_mut() {
            attempt.step(now, kind, detail.clone());
            if let Stage::AwaitCode(wait) = &mut attempt.stage {
                if fate == SmsFate::Delivered {
                    wait.delivered = true;
                    wait.problem = None;
                } else {
                    wait.problem = Some(fate);
                }
            }
        }
        let phone = self
            .phones
            .entry(pending.line.clone())
            .or_insert_with(|| VirtualPhone::new(device.clone()));
        match fate {
            SmsFate::Delivered => {
                phone.inbox.push(Sms {
                    at: now,
                    from: pending.from.clone(),
                    text: pending.text.clone(),
                });
                self.note(
                    Actor::Phone,
                    format!(
                        "{masked} receives a text from {}: \"{}\"",
                        pending.from, pending.text
                    ),
                );
            }
            SmsFate::Unreachable => {
                phone.held.push(pending);
                self.note(
                    Actor::Provider,
                    format!("{masked} is unreachable ({detail}): the network holds the text"),
                );
            }
            SmsFate::BlockedSender => self.note(Actor::Phone, format!("{masked}: {detail}")),
            _ => self.note(
                Actor::Provider,
                format!("text to {masked} not delivered: {detail}"),
            ),
        }
        Ok(())
    }

    /// A code's lifetime ran out with the attempt still waiting.
    pub(super) fn code_expires(
        &mut self,
        store: &dyn Directory,
        attempt: u32,
        challenge: u64,
    ) -> Result<(), SimError> {
        let Some(current) = self.current.as_ref() else {
            return Ok(());
        };
        let Stage::AwaitCode(wait) = &current.stage else {
            return Ok(());
        };
        if current.id != attempt || wait.challenge != challenge {
            return Ok(());
        }
        let reason = expiry_reason(wait);
        let now = self.now();
        self.note(Actor::Service, "the code expired");
        let step = Step {
            at: now,
            kind: StepKind::CodeExpired,
            detail: "the code's lifetime ran out".into(),
        };
        self.end(store, Outcome::denied(reason), vec![step], Some(challenge))
    }
}

fn unreachable_detail(device: &Device) -> &'static str {
    if device.powered_on {
        "no signal"
    } else {
        "the phone is switched off"
    }
}
