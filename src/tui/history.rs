//! The selected user's recent sign-in attempts, as the Methods pane shows them beside the audit
//! trail: what the caller tried, how it ended and why, without leaving phonedesk for the log.
//!
//! Read through [`SignInLog`] (the simulator's log on a local database, the tenant's
//! `auditLogs/signIns` on a real one) by the worker, never by a key press or a frame: on a real
//! tenant the read is a network call.

use crate::domain::signin::{Channel, SignInRecord};
use crate::domain::{Timestamp, Upn};
use crate::store::{SignInLog, StoreError};

/// How many attempts are read: more than any screen shows, few enough to read in one call.
pub const HISTORY_ROWS: usize = 20;
/// How far back: Entra keeps a tenant's sign-in log for 30 days.
pub const HISTORY_DAYS: i64 = 30;

/// One user's attempts, newest first, and when they were read (times are shown relative to it).
#[derive(Clone, Debug)]
pub struct SignInHistory {
    pub upn: Upn,
    pub attempts: Vec<SignInRecord>,
    pub loaded_at: Timestamp,
}

impl SignInHistory {
    /// Reads `upn`'s attempts of the last [`HISTORY_DAYS`] up to `now`.
    pub fn load<L: SignInLog + ?Sized>(
        log: &L,
        upn: &Upn,
        now: Timestamp,
    ) -> Result<Self, StoreError> {
        let since = now.plus_secs(-HISTORY_DAYS * 86_400);
        Ok(Self {
            upn: upn.clone(),
            attempts: log.sign_ins(Some(upn), Some(since), HISTORY_ROWS)?,
            loaded_at: now,
        })
    }

    /// Whether these are `upn`'s attempts.
    pub fn is(&self, upn: &Upn) -> bool {
        self.upn.as_str().eq_ignore_ascii_case(upn.as_str())
    }
}

/// How the attempt reached the user, in the words of the flow picker: `text to mobile`,
/// `call office`; `None` when it never got as far as a phone.
pub fn via(attempt: &SignInRecord) -> Option<String> {
    let verb = match attempt.channel? {
        Channel::Sms => "text to",
        Channel::Voice => "call",
    };
    Some(match attempt.slot {
        Some(slot) => format!("{verb} {}", slot.label().to_lowercase()),
        None => verb.trim_end_matches(" to").to_owned(),
    })
}

/// How the attempt ended: `signed in`, or `denied: <the log's reason>`.
pub fn ending(attempt: &SignInRecord) -> String {
    match attempt.reason {
        _ if attempt.outcome().is_success() => "signed in".to_owned(),
        Some(reason) => format!("denied: {}", reason.text()),
        None => "denied".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PhoneType;
    use crate::domain::signin::{FlowKind, Reason, SignInResult};

    fn attempt(channel: Option<Channel>, slot: Option<PhoneType>) -> SignInRecord {
        SignInRecord {
            seq: 1,
            correlation_id: "c".into(),
            attempt: 1,
            started_at: Timestamp(0),
            ended_at: Timestamp(0),
            flow: FlowKind::Mfa,
            user: None,
            number: None,
            channel,
            slot,
            provider: None,
            result: SignInResult::Denied,
            reason: Some(Reason::Voicemail),
            error_code: None,
            steps: Vec::new(),
        }
    }

    #[test]
    fn attempts_read_in_plain_words() {
        let call = attempt(Some(Channel::Voice), Some(PhoneType::Office));
        assert_eq!(via(&call).as_deref(), Some("call office"));
        assert_eq!(ending(&call), "denied: phone call went to voicemail");
        let text = attempt(Some(Channel::Sms), Some(PhoneType::AlternateMobile));
        assert_eq!(via(&text).as_deref(), Some("text to alternate mobile"));
        assert_eq!(
            via(&attempt(Some(Channel::Sms), None)).as_deref(),
            Some("text")
        );
        assert_eq!(via(&attempt(None, None)), None);
        let mut ok = attempt(None, None);
        ok.result = SignInResult::Success;
        ok.reason = None;
        assert_eq!(ending(&ok), "signed in");
    }
}
