//! The sign-in page's words: what the person signing in reads, and nothing else. The internal
//! reason, the AADSTS code and the counters (tries left, waits) never appear here; they go to
//! the timeline and the sign-in log, where the operator looks. Microsoft's wording is used where
//! it is known ("We texted your phone ... Please enter the code to sign in.", "We're calling
//! your phone. Please answer it to continue.", "You didn't enter the expected verification
//! code. Please try again."); elsewhere the words are phonedesk's, in the same plain register.
//!
//! Text production lives here, in the simulator, so the pane only lays it out. (The pane adds a
//! code-expiry countdown under the page, muted: an aid for the operator, not the page's text.)

use super::view::Screen;
use crate::sim::reason::Reason;

/// After a wrong code, while the same code can still be typed (Microsoft's wording).
pub const WRONG_CODE: &str = "You didn't enter the expected verification code. Please try again.";

/// After too many failed verifications, while checks wait (the wait itself is in the timeline).
pub const TRY_LATER: &str =
    "You've made too many unsuccessful attempts. Please wait a while, then try again.";

/// How the page reads: asking, or the end of the sign-in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tone {
    Asking,
    Success,
    Denied,
}

/// One sign-in page, as the pane lays it out: a heading, the text, the field's label (the
/// field itself is the pane's), and a notice below it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Page {
    pub heading: Option<&'static str>,
    pub text: Vec<String>,
    pub prompt: Option<&'static str>,
    pub notice: Option<String>,
    pub tone: Tone,
}

impl Page {
    fn asking(heading: &'static str, text: Vec<String>, prompt: Option<&'static str>) -> Self {
        Self {
            heading: Some(heading),
            text,
            prompt,
            notice: None,
            tone: Tone::Asking,
        }
    }
}

/// What the page says when a sign-in ends: success, or the denial in the person's words. It
/// never says whether an account or a number exists; the log keeps the real reason.
pub fn end_message(reason: Option<Reason>) -> &'static str {
    let Some(reason) = reason else {
        return "You're signed in.";
    };
    match reason {
        Reason::IncorrectCode => WRONG_CODE,
        Reason::TooManyIncorrectCodes => {
            "You've entered the wrong code too many times. Sign in again to get a new code."
        }
        Reason::CodeAlreadyUsed | Reason::CodeExpired => {
            "That code is no longer valid. Sign in again to get a new code."
        }
        Reason::Throttled => {
            "Sorry, you've hit our limit on verification texts and calls. Please try again later."
        }
        Reason::SsprLimitReached => {
            "You've tried to verify your phone too many times. Please try again in 24 hours."
        }
        Reason::TooManyFailures => TRY_LATER,
        Reason::UserBlocked | Reason::FraudReported => {
            "Your sign-in was blocked. Contact your helpdesk."
        }
        Reason::SmsSignInNotReady | Reason::GuestNotAllowed | Reason::InvalidFormat => {
            "We couldn't sign you in with that number. Use your user name instead."
        }
        Reason::NeverEntered | Reason::Voicemail | Reason::HungUp => {
            "We didn't receive a response. Please sign in again, or use another method."
        }
        _ => "We couldn't verify your identity. Please try again, or use another method.",
    }
}

impl Screen {
    /// The page this screen shows.
    pub fn page(&self) -> Page {
        match self {
            Self::Idle => Page {
                heading: None,
                text: vec!["Nothing is running.".to_owned()],
                prompt: None,
                notice: None,
                tone: Tone::Asking,
            },
            Self::EnterPhoneNumber => Page::asking(
                "Sign in",
                vec!["Enter your phone number instead of a user name.".to_owned()],
                Some("Phone: "),
            ),
            Self::EnterCode {
                sent_to, notice, ..
            } => Page {
                notice: notice.clone(),
                ..Page::asking(
                    "Enter code",
                    vec![format!(
                        "We texted your phone {sent_to}. Please enter the code to sign in."
                    )],
                    Some("Code: "),
                )
            },
            Self::WaitingForCall { calling } => Page::asking(
                "Approve with a call",
                vec![format!(
                    "We're calling your phone {calling}. Please answer it to continue."
                )],
                None,
            ),
            Self::Finished { outcome, message } => Page {
                heading: None,
                text: vec![(*message).to_owned()],
                prompt: None,
                notice: None,
                tone: if outcome.is_success() {
                    Tone::Success
                } else {
                    Tone::Denied
                },
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::reason::Outcome;

    #[test]
    fn the_wrong_code_message_is_microsofts() {
        assert_eq!(
            WRONG_CODE,
            "You didn't enter the expected verification code. Please try again."
        );
        assert_eq!(end_message(Some(Reason::IncorrectCode)), WRONG_CODE);
    }

    /// A page never names the internal reason, its code, or the log's words for it.
    #[test]
    fn no_page_shows_a_reason_or_an_aadsts_code() {
        for reason in Reason::ALL {
            let page = Screen::Finished {
                outcome: Outcome::denied(reason),
                message: end_message(Some(reason)),
            }
            .page();
            let text = page.text.join(" ");
            assert!(!text.contains("AADSTS"), "{reason:?}: {text}");
            assert!(
                !text.contains(&reason.error_code().to_string()),
                "{reason:?}: {text}"
            );
            assert!(!text.contains(reason.text()), "{reason:?}: {text}");
            assert_eq!(page.tone, Tone::Denied);
        }
    }
}
