//! What a screen shows, computed from the session without touching the store: the sign-in
//! page, the virtual phone, the timeline and the code countdown. Rendering stays a pure function
//! of this.

use super::attempt::{CallPhase, Stage};
use super::phone::{CallView, Sms};
use super::{Session, TimelineEntry};
use crate::domain::{Device, Timestamp};
use crate::sim::reason::Outcome;

/// The sign-in page.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Screen {
    /// Nothing started.
    Idle,
    /// SMS sign-in's first page: "enter your phone number".
    EnterPhoneNumber,
    /// "Enter the code we texted to ...", with what the page says after a wrong entry.
    EnterCode {
        sent_to: String,
        wrong_left: u32,
        notice: Option<String>,
    },
    /// "We're calling your phone ...".
    WaitingForCall { calling: String },
    /// The end, with what the person is told (never the internal reason).
    Finished {
        outcome: Outcome,
        message: &'static str,
    },
}

/// What the session waits for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Waiting {
    /// Nothing started, or the attempt ended.
    Nothing,
    PhoneNumber,
    Code,
    /// The call is being placed (only time moves it on).
    Dialling,
    IncomingCall,
    /// An answered call waits for keys.
    Keys,
}

/// The phone of the number in use.
#[derive(Clone, Debug)]
pub struct PhoneView<'a> {
    /// Masked.
    pub number: String,
    pub device: &'a Device,
    pub inbox: &'a [Sms],
    pub call: Option<&'a CallView>,
    /// Texts the network holds while the phone is unreachable.
    pub held: usize,
}

/// Everything a sign-in pane draws.
#[derive(Clone, Debug)]
pub struct SessionView<'a> {
    pub now: Timestamp,
    pub started_at: Timestamp,
    pub screen: Screen,
    pub phone: Option<PhoneView<'a>>,
    pub timeline: &'a [TimelineEntry],
    /// Milliseconds until the code expires, while the page waits for a code.
    pub code_expires_in_ms: Option<i64>,
    pub correlation_id: Option<&'a str>,
}

impl Session {
    /// What the session waits for now.
    pub fn waiting(&self) -> Waiting {
        let Some(attempt) = &self.current else {
            return Waiting::Nothing;
        };
        match &attempt.stage {
            Stage::AskNumber => Waiting::PhoneNumber,
            Stage::AwaitCode(_) => Waiting::Code,
            Stage::Call(call) => match call.phase {
                CallPhase::Dialling => Waiting::Dialling,
                CallPhase::Ringing => Waiting::IncomingCall,
                CallPhase::Connected { .. } => Waiting::Keys,
            },
            Stage::Ended(_) => Waiting::Nothing,
        }
    }

    /// Whether a code typed now reaches a challenge: the page asks for one, or the attempt
    /// that ended had sent one (a late entry or a replay is an attempt of its own). After a
    /// sign-in refused before any code was sent, there is nothing to type a code into.
    pub fn accepts_code(&self) -> bool {
        self.current.as_ref().is_some_and(|attempt| {
            matches!(attempt.stage, Stage::AwaitCode(_))
                || (matches!(attempt.stage, Stage::Ended(_)) && attempt.challenge.is_some())
        })
    }

    /// The newest code that reached the phone during the current attempt, as a person reads
    /// it off the screen (what "the person does the right thing" types).
    pub fn code_on_phone(&self) -> Option<String> {
        let attempt = self.current.as_ref()?;
        let Stage::AwaitCode(wait) = &attempt.stage else {
            return None;
        };
        let phone = self.phones.get(&attempt.line()?)?;
        phone
            .inbox
            .iter()
            .rev()
            .take_while(|sms| sms.at >= wait.opened_at)
            .find_map(|sms| sms.code(wait.code_length))
            .map(str::to_owned)
    }

    /// The screen model.
    pub fn view(&self) -> SessionView<'_> {
        let now = self.now();
        let mut code_expires_in_ms = None;
        let screen = match &self.current {
            None => Screen::Idle,
            Some(attempt) => match &attempt.stage {
                Stage::AskNumber => Screen::EnterPhoneNumber,
                Stage::AwaitCode(wait) => {
                    code_expires_in_ms = Some(wait.expires_at.since(now).max(0));
                    Screen::EnterCode {
                        sent_to: attempt.masked_number().unwrap_or_default(),
                        wrong_left: wait.wrong_left,
                        notice: wait.notice.clone(),
                    }
                }
                Stage::Call(_) => Screen::WaitingForCall {
                    calling: attempt.masked_number().unwrap_or_default(),
                },
                Stage::Ended(outcome) => Screen::Finished {
                    outcome: *outcome,
                    message: super::page::end_message(outcome.reason),
                },
            },
        };
        let phone = self.focus.as_ref().and_then(|line| {
            let phone = self.phones.get(line)?;
            Some(PhoneView {
                number: line.masked(),
                device: &phone.device,
                inbox: &phone.inbox,
                call: phone.call.as_ref(),
                held: phone.held.len(),
            })
        });
        SessionView {
            now,
            started_at: self.started_at,
            screen,
            phone,
            timeline: &self.timeline,
            code_expires_in_ms,
            correlation_id: self.correlation_id(),
        }
    }
}
