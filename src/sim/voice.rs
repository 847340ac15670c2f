//! Voice calls: the greeting texts of DOMAIN.md §4 (kept here, in one place) and the keypad
//! state machine of one answered call: `#` approves; in PIN mode the PIN then `#`; `0#` reports
//! fraud and `1` confirms it.

use super::flow::GreetingMode;

/// Opens every verification call.
pub const INTRO: &str = "Thank you for using the Microsoft sign-in verification system.";
/// Standard mode.
pub const STANDARD: &str = "Please press the pound key to finish your verification.";
/// PIN mode.
pub const PIN: &str =
    "Please enter your PIN followed by the pound key to finish your verification.";
/// Offered on every call.
pub const FRAUD: &str =
    "If you did not start this sign-in, press zero pound to submit a fraud alert.";
/// After `0#`.
pub const FRAUD_CONFIRM: &str =
    "To confirm the fraud alert and block further verification calls, press one.";
/// After `#` (or the right PIN).
pub const SUCCESS: &str = "Your sign-in was successfully verified. Good bye.";
/// After a wrong PIN, or a fraud alert.
pub const DENIED: &str = "Your sign-in was denied. Good bye.";
/// After the fraud alert is confirmed.
pub const FRAUD_SUBMITTED: &str = "Your fraud alert has been submitted, and your account is blocked from further verification. Good bye.";

/// The prompt an MFA call to an office phone with an extension starts with.
pub fn extension_prompt(extension: &str) -> String {
    format!("Please transfer this call to extension {extension}.")
}

/// What the caller hears after answering.
pub fn greeting(mode: &GreetingMode, transfer_to: Option<&str>) -> String {
    let ask = match mode {
        GreetingMode::Standard => STANDARD,
        GreetingMode::Pin(_) => PIN,
    };
    let mut text = String::new();
    if let Some(ext) = transfer_to {
        text.push_str(&extension_prompt(ext));
        text.push(' ');
    }
    text.push_str(INTRO);
    text.push(' ');
    text.push_str(ask);
    text.push(' ');
    text.push_str(FRAUD);
    text
}

/// How long `text` takes to say: about 15 characters a second, plus a breath.
pub fn speaking_ms(text: &str) -> i64 {
    let chars = i64::try_from(text.chars().count()).unwrap_or(i64::MAX / 100);
    1_000 + chars.saturating_mul(1000) / 15
}

/// The greeting is played this many times before the service gives up waiting for input.
pub const GREETING_PLAYS: i64 = 2;
/// Keys kept before `#`; more are ignored (no PIN is longer).
const MAX_BUFFER: usize = 16;

/// Where an answered call is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Listening {
    /// Waiting for `#`, the PIN and `#`, or `0#`.
    ForApproval,
    /// `0#` was pressed: waiting for `1`.
    ForFraudConfirmation,
}

/// What one key did.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum KeyOutcome {
    /// Kept (a digit towards the PIN or `0#`).
    Collected,
    /// Had no effect here.
    Ignored,
    Approved,
    WrongPin,
    /// `0#`: the fraud alert, waiting for `1`.
    FraudReported,
    FraudConfirmed,
}

/// The keypad of one answered call. The digits collected are never shown or logged: they may
/// be a PIN.
#[derive(Clone, Debug)]
pub struct Keypad {
    mode: GreetingMode,
    listening: Listening,
    buffer: String,
    /// How many keys were pressed.
    pub pressed: usize,
    /// The keys as the phone's screen shows them ([`Keypad::shown`]).
    shown: String,
}

impl Keypad {
    pub fn new(mode: GreetingMode) -> Self {
        Self {
            mode,
            listening: Listening::ForApproval,
            buffer: String::new(),
            pressed: 0,
            shown: String::new(),
        }
    }

    /// The keys pressed so far as the phone's screen (and the timeline) show them: as pressed,
    /// so a fraud report reads `0#` and its confirmation `1`, except the digits of a PIN, which
    /// are dots. Never the PIN itself.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// How `keys` would be shown if pressed now, without pressing them.
    pub fn display(&self, keys: &str) -> String {
        let mut probe = self.clone();
        probe.shown.clear();
        for key in keys.chars() {
            probe.press(key);
        }
        probe.shown
    }

    /// Whether a digit pressed now may be part of a PIN.
    fn collecting_pin(&self) -> bool {
        self.listening == Listening::ForApproval && matches!(self.mode, GreetingMode::Pin(_))
    }

    pub fn listening(&self) -> Listening {
        self.listening
    }

    /// Whether `key` is a key a phone has.
    pub fn is_key(key: char) -> bool {
        key.is_ascii_digit() || key == '#' || key == '*'
    }

    /// Feeds one key.
    pub fn press(&mut self, key: char) -> KeyOutcome {
        self.pressed = self.pressed.saturating_add(1);
        let masked = key.is_ascii_digit() && self.collecting_pin();
        if self.shown.chars().count() < MAX_BUFFER {
            self.shown.push(if masked { '•' } else { key });
        }
        match (self.listening, key) {
            (Listening::ForFraudConfirmation, '1') => KeyOutcome::FraudConfirmed,
            (Listening::ForFraudConfirmation, _) => KeyOutcome::Ignored,
            (Listening::ForApproval, '#') => {
                let entered = std::mem::take(&mut self.buffer);
                if entered == "0" {
                    self.listening = Listening::ForFraudConfirmation;
                    // 0# is the fraud code, not a PIN: shown as pressed even in PIN mode.
                    if let Some(cut) = self.shown.char_indices().rev().nth(1).map(|(i, _)| i) {
                        self.shown.truncate(cut);
                    }
                    self.shown.push_str("0#");
                    return KeyOutcome::FraudReported;
                }
                match &self.mode {
                    GreetingMode::Standard if entered.is_empty() => KeyOutcome::Approved,
                    // Standard mode asks for `#` alone; other digits first are not an answer.
                    GreetingMode::Standard => KeyOutcome::Ignored,
                    GreetingMode::Pin(pin) if pin.verify(&entered) => KeyOutcome::Approved,
                    GreetingMode::Pin(_) => KeyOutcome::WrongPin,
                }
            }
            (Listening::ForApproval, '*') => {
                self.buffer.clear();
                KeyOutcome::Ignored
            }
            (Listening::ForApproval, digit) if digit.is_ascii_digit() => {
                if self.buffer.len() < MAX_BUFFER {
                    self.buffer.push(digit);
                }
                KeyOutcome::Collected
            }
            _ => KeyOutcome::Ignored,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PinHash;

    fn press_all(pad: &mut Keypad, keys: &str) -> Vec<KeyOutcome> {
        keys.chars().map(|k| pad.press(k)).collect()
    }

    #[test]
    fn pound_approves_in_standard_mode() {
        let mut pad = Keypad::new(GreetingMode::Standard);
        assert_eq!(press_all(&mut pad, "#"), [KeyOutcome::Approved]);
        let mut pad = Keypad::new(GreetingMode::Standard);
        assert_eq!(pad.press('5'), KeyOutcome::Collected);
        assert_eq!(pad.press('#'), KeyOutcome::Ignored);
        assert_eq!(pad.press('#'), KeyOutcome::Approved);
    }

    #[test]
    fn zero_pound_then_one_confirms_fraud() {
        let mut pad = Keypad::new(GreetingMode::Standard);
        let outcomes = press_all(&mut pad, "0#1");
        assert_eq!(
            outcomes,
            [
                KeyOutcome::Collected,
                KeyOutcome::FraudReported,
                KeyOutcome::FraudConfirmed
            ]
        );
    }

    #[test]
    fn keys_are_shown_as_pressed_but_a_pin_as_dots() {
        let mut pad = Keypad::new(GreetingMode::Standard);
        assert_eq!(pad.display("0#1"), "0#1");
        press_all(&mut pad, "0#");
        assert_eq!(pad.shown(), "0#");
        assert_eq!(pad.display("1"), "1");
        let pin = PinHash::derive("2580", &[3; 16]).unwrap();
        let mut pad = Keypad::new(GreetingMode::Pin(pin));
        assert_eq!(pad.display("2580#"), "••••#");
        press_all(&mut pad, "0#");
        assert_eq!(pad.shown(), "0#", "the fraud code is no PIN");
        assert_eq!(pad.display("1"), "1");
    }

    #[test]
    fn pin_mode_checks_the_pin() {
        let pin = PinHash::derive("2580", &[3; 16]).unwrap();
        let mut pad = Keypad::new(GreetingMode::Pin(pin.clone()));
        assert_eq!(
            press_all(&mut pad, "2580#").last(),
            Some(&KeyOutcome::Approved)
        );
        let mut pad = Keypad::new(GreetingMode::Pin(pin));
        assert_eq!(
            press_all(&mut pad, "1111#").last(),
            Some(&KeyOutcome::WrongPin)
        );
    }

    #[test]
    fn greetings_name_the_extension_and_the_mode() {
        let text = greeting(&GreetingMode::Standard, Some("2301"));
        assert!(text.starts_with("Please transfer this call to extension 2301."));
        assert!(text.contains("pound key") && text.contains("zero pound"));
        assert!(speaking_ms(&text) > 5_000);
    }
}
