//! The simulated person: what `--respond` and the guided demos ask them to do next, played
//! against a session with human reaction times (virtual, like everything else).
//!
//! Each response applies at the next point where the session waits for the person: the machines
//! (texts, call set-up) finish first. `auto` is the person doing the right thing: type the code
//! that reached the phone, or answer and press `#`. In PIN mode `auto` does not know the PIN
//! (phonedesk never keeps it in the clear); use `keys:PIN#`.

use std::fmt;
use std::str::FromStr;

use super::SimError;
use super::flow::{Channel, FlowRequest};
use super::session::{CallScreen, Event, Session, Waiting};
use super::voice::{self, Keypad};
use crate::store::Directory;

/// Time to read a text and type its code.
pub const READ_AND_TYPE_MS: i64 = 8_000;
/// Time to pick up a ringing phone.
pub const PICK_UP_MS: i64 = 4_000;
/// Time to click "send a new code" or "try again".
pub const CLICK_MS: i64 = 2_000;
/// Time an answering person listens before hanging up (`hangup`).
pub const LISTEN_BEFORE_HANGING_UP_MS: i64 = 3_000;
/// Longest `wait:` accepted (a day).
pub const MAX_WAIT_SECONDS: u32 = 86_400;

/// One thing the person does.
#[derive(Clone, PartialEq, Eq)]
pub enum Response {
    /// The right thing: type the code from the phone, or answer and press `#`.
    Auto,
    /// Type this into the code field (any text: the entry rule decides).
    Code(String),
    /// Answer if ringing, wait for the greeting, press these keys.
    Keys(String),
    /// Do nothing: let the code expire, the phone ring out, the greeting run out.
    None,
    /// Answer and do nothing more.
    Answer,
    /// Answer, listen a moment, hang up (a ringing call is declined).
    HangUp,
    /// Ask for a new code, or try again after an attempt ended.
    Resend,
    /// Let this many seconds pass.
    Wait(u32),
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for Response {
    /// The code of `code:` is never echoed (it may be a real one).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Auto => f.write_str("auto"),
            Self::Code(_) => f.write_str("code:..."),
            Self::Keys(keys) => write!(f, "keys:{keys}"),
            Self::None => f.write_str("none"),
            Self::Answer => f.write_str("answer"),
            Self::HangUp => f.write_str("hangup"),
            Self::Resend => f.write_str("resend"),
            Self::Wait(s) => write!(f, "wait:{s}"),
        }
    }
}

impl FromStr for Response {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (word, value) = match s.split_once(':') {
            Some((w, v)) => (w, Some(v)),
            None => (s, None),
        };
        match (word.trim().to_ascii_lowercase().as_str(), value) {
            ("auto", None) => Ok(Self::Auto),
            ("none", None) => Ok(Self::None),
            ("answer", None) => Ok(Self::Answer),
            ("hangup", None) => Ok(Self::HangUp),
            ("resend", None) => Ok(Self::Resend),
            ("code", Some(code)) => Ok(Self::Code(code.to_owned())),
            ("keys", Some(keys)) => {
                if keys.is_empty() || keys.chars().count() > 32 {
                    return Err("keys: takes 1 to 32 keys".into());
                }
                match keys.chars().find(|c| !Keypad::is_key(*c)) {
                    Some(bad) => Err(format!(
                        "keys: '{}' is not a key on a phone (0-9, # and *)",
                        bad.escape_default()
                    )),
                    None => Ok(Self::Keys(keys.to_owned())),
                }
            }
            ("wait", Some(secs)) => match secs.trim().parse::<u32>() {
                Ok(n) if (1..=MAX_WAIT_SECONDS).contains(&n) => Ok(Self::Wait(n)),
                _ => Err(format!("wait: takes 1 to {MAX_WAIT_SECONDS} seconds")),
            },
            _ => Err(format!(
                "unknown response \"{}\": use auto, code:NNNNNN, keys:KEYS, none, answer, hangup, resend or wait:SECONDS",
                s.chars().take(20).collect::<String>()
            )),
        }
    }
}

impl Response {
    /// Whether this response has a meaning on a call (`Some(true)`), on the code page
    /// (`Some(false)`), or on both (`None`), for refusing a script that cannot fit its flow.
    pub fn for_calls(&self) -> Option<bool> {
        match self {
            Self::Keys(_) | Self::Answer | Self::HangUp => Some(true),
            Self::Code(_) => Some(false),
            Self::Auto | Self::None | Self::Resend | Self::Wait(_) => None,
        }
    }
}

/// The first response that cannot fit `request`'s channel (keys for a text, a code for a call),
/// with why: a script mistake refused before anything runs.
pub fn misfit(request: &FlowRequest, responses: &[Response]) -> Option<String> {
    let calls = request.known_channel()? == Channel::Voice;
    let wrong = responses
        .iter()
        .find(|r| r.for_calls().is_some_and(|c| c != calls))?;
    Some(format!(
        "--respond {wrong} does not fit a sign-in by {}",
        if calls { "voice" } else { "text" }
    ))
}

fn pause(session: &mut Session, store: &dyn Directory, ms: i64) -> Result<(), SimError> {
    let until = session.now().plus_millis(ms);
    session.tick(store, until).map(drop)
}

/// The greeting of the connected call, as the phone plays it.
fn greeting(session: &Session) -> Option<String> {
    match &session.view().phone?.call?.screen {
        CallScreen::Connected { greeting, .. } => Some(greeting.clone()),
        CallScreen::Incoming => None,
    }
}

/// Answers, listens to the greeting once, then presses `keys` (if the call is still there).
fn answer_and_press(
    session: &mut Session,
    store: &dyn Directory,
    keys: &str,
) -> Result<(), SimError> {
    pause(session, store, PICK_UP_MS)?;
    if session.waiting() != Waiting::IncomingCall {
        return Ok(());
    }
    session.handle(store, Event::AnswerCall)?;
    if let Some(text) = greeting(session) {
        pause(session, store, voice::speaking_ms(&text))?;
    }
    if session.waiting() == Waiting::Keys {
        session.handle(store, Event::PressKeys(keys.to_owned()))?;
    }
    Ok(())
}

fn does_not_fit(response: &Response, why: &str) -> SimError {
    SimError::NotNow(format!("{response} does not fit: {why}"))
}

/// Plays one response at the session's next decision point.
pub fn perform(
    session: &mut Session,
    store: &dyn Directory,
    response: &Response,
) -> Result<(), SimError> {
    session.settle(store)?;
    let waiting = session.waiting();
    match (waiting, response) {
        (_, Response::Wait(seconds)) => session.handle(store, Event::Advance { seconds: *seconds }),
        (Waiting::Code, Response::Auto) => {
            pause(session, store, READ_AND_TYPE_MS)?;
            match session.code_on_phone() {
                Some(code) if session.waiting() == Waiting::Code => {
                    session.handle(store, Event::TypeCode(code))
                }
                Some(_) => Ok(()),
                None => {
                    session.remark("waits: no code has reached the phone");
                    Ok(())
                }
            }
        }
        (Waiting::Code, Response::Code(code)) => {
            pause(session, store, READ_AND_TYPE_MS)?;
            session.handle(store, Event::TypeCode(code.clone()))
        }
        (Waiting::Code, Response::Resend) | (Waiting::Nothing, Response::Resend)
            if session.outcome().is_some() || waiting == Waiting::Code =>
        {
            pause(session, store, CLICK_MS)?;
            session.handle(store, Event::Resend)
        }
        (Waiting::Code | Waiting::IncomingCall | Waiting::Keys, Response::None) => {
            session.run_until_idle(store)
        }
        (Waiting::Code, _) => Err(does_not_fit(
            response,
            "the sign-in page is waiting for a text code, not a call",
        )),
        (Waiting::IncomingCall, Response::Auto) => answer_and_press(session, store, "#"),
        (Waiting::IncomingCall, Response::Keys(keys)) => answer_and_press(session, store, keys),
        (Waiting::IncomingCall, Response::Answer) => {
            pause(session, store, PICK_UP_MS)?;
            session.handle(store, Event::AnswerCall)
        }
        (Waiting::IncomingCall, Response::HangUp) => {
            pause(session, store, PICK_UP_MS)?;
            session.handle(store, Event::AnswerCall)?;
            pause(session, store, LISTEN_BEFORE_HANGING_UP_MS)?;
            if session.waiting() == Waiting::Keys {
                session.handle(store, Event::HangUp)?;
            }
            Ok(())
        }
        (Waiting::Keys, Response::Auto) => session.handle(store, Event::PressKeys("#".into())),
        (Waiting::Keys, Response::Keys(keys)) => {
            session.handle(store, Event::PressKeys(keys.clone()))
        }
        (Waiting::Keys, Response::HangUp) => session.handle(store, Event::HangUp),
        (Waiting::IncomingCall | Waiting::Keys | Waiting::Dialling, _) => Err(does_not_fit(
            response,
            "a call is in progress, not a text code",
        )),
        (Waiting::Nothing, Response::Code(code)) if session.accepts_code() => {
            pause(session, store, READ_AND_TYPE_MS)?;
            session.handle(store, Event::TypeCode(code.clone()))
        }
        (Waiting::Nothing, Response::None) => Ok(()),
        // The sign-in ended before the person got to act (a refusal, voicemail): nothing to do.
        (Waiting::Nothing, _) => {
            session.remark(format!(
                "has nothing left to do ({response}): the sign-in ended"
            ));
            Ok(())
        }
        (Waiting::PhoneNumber, _) => Err(does_not_fit(
            response,
            "the sign-in page is asking for a phone number",
        )),
    }
}

/// Lets the rest happen by itself once the person has done everything asked.
pub fn finish(session: &mut Session, store: &dyn Directory) -> Result<(), SimError> {
    session.run_until_idle(store)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_parse_and_never_echo_codes() {
        assert_eq!("auto".parse::<Response>(), Ok(Response::Auto));
        assert_eq!(
            "keys:0#1".parse::<Response>(),
            Ok(Response::Keys("0#1".into()))
        );
        assert_eq!("wait:30".parse::<Response>(), Ok(Response::Wait(30)));
        assert!("keys:12a".parse::<Response>().is_err());
        assert!("wait:0".parse::<Response>().is_err());
        assert!("dance".parse::<Response>().is_err());
        let code: Response = "code:482913".parse().unwrap();
        assert!(!code.to_string().contains("482913"));
        assert!(!format!("{code:?}").contains("482913"));
    }
}
