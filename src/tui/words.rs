//! Plain words for what Graph, the store and the simulator name in their own terms.
//!
//! One vocabulary for every place the UI shows these things (profile, Methods, the result list,
//! the audit trail, dialogs, help), so an operator never reads `notAllowedByPolicy` or
//! `phone.update`. Each match is exhaustive: a new state or fault does not compile until it has
//! words.

use crate::domain::{Block, BlockKind, DefaultMethod, PhoneType, SmsSignInState, Timestamp};
use crate::sim::Fault;
use crate::sim::session::SIM_OPERATOR;
use crate::store::AuditEntry;

/// The SMS sign-in state, short enough for a column.
pub fn sms_state(state: SmsSignInState) -> &'static str {
    use SmsSignInState as S;
    match state {
        S::Ready => "ready",
        S::NotEnabled => "not enabled",
        S::NotAllowedByPolicy => "not in policy",
        S::NotConfigured => "not configured",
        S::PhoneNumberNotUnique => "not unique",
        S::NotSupported => "not supported",
        S::UnknownFutureValue => "unknown",
    }
}

/// The default MFA method, or its absence.
pub fn default_method(method: Option<DefaultMethod>) -> &'static str {
    method.map_or("none", DefaultMethod::label)
}

/// `mobile number`, `alternate mobile number`, `office number`.
pub fn slot_number(slot: PhoneType) -> String {
    format!("{} number", slot.label().to_lowercase())
}

/// A provider fault as the conditions picker names it.
pub fn fault(fault: Fault) -> &'static str {
    match fault {
        Fault::None => "working",
        Fault::SmsDrop => "loses texts",
        Fault::CallFail => "cannot place calls",
        Fault::DtmfLoss => "loses key tones",
    }
}

pub fn block_kind(kind: BlockKind) -> &'static str {
    kind.describe()
}

/// The block in words as of `at`: who blocked, when, until when. A real tenant does not say when
/// an account was disabled (`since_known` false), so there no time is made up.
pub fn block(block: &Block, at: Timestamp, since_known: bool) -> String {
    let mut text = block_kind(block.kind).to_owned();
    if since_known {
        text.push(' ');
        text.push_str(&crate::tui::when::relative(block.since, at));
    }
    if let Some(until) = block.until {
        text.push_str(&format!(", ends {}", crate::tui::when::relative(until, at)));
    }
    text
}

/// Who did it: the operator's name, or the simulated service for what the simulator did.
pub fn actor(operator: &str) -> String {
    if operator == SIM_OPERATOR {
        "simulated service".to_owned()
    } else {
        operator.to_owned()
    }
}

/// What an audit entry records, naming the slot it touched.
pub fn audit_action(entry: &AuditEntry) -> String {
    let slot = entry.slot.map_or_else(|| "number".to_owned(), slot_number);
    match entry.action.as_str() {
        "phone.add" => format!("added the {slot}"),
        "phone.update" => format!("changed the {slot}"),
        "phone.delete" => format!("deleted the {slot}"),
        "smsSignIn.enable" => "enabled SMS sign-in".into(),
        "smsSignIn.disable" => "disabled SMS sign-in".into(),
        "defaultMethod.set" => "set the default MFA method".into(),
        "user.block" => "blocked the user".into(),
        "user.unblock" => "unblocked the user".into(),
        "user.fraudBlock" => "blocked the user after a fraud report".into(),
        "numbers.reveal" => "revealed the numbers".into(),
        "device.set" => "changed the simulated phone".into(),
        "telecom.fault" => "changed a telecom provider's fault".into(),
        "signIn.reset" => "reset the verification state".into(),
        "signIn.clearFailures" => "cleared the failed attempts".into(),
        "signIn.throttled" => "refused a code: too many sent".into(),
        "signIn.failureDelay" => "delayed a sign-in after failures".into(),
        "signIn.locked" => "locked sign-in after failures".into(),
        "sspr.blocked" => "blocked password reset for a while".into(),
        "directory.import" => "imported the directory".into(),
        other => other.to_owned(),
    }
}

/// A before/after value of an audit entry in plain words (default methods and block kinds are
/// stored by their Graph names).
pub fn audit_value(action: &str, value: &str) -> String {
    if action.starts_with("defaultMethod.") {
        return value
            .parse::<DefaultMethod>()
            .map_or_else(|_| value.to_owned(), |m| m.label().to_owned());
    }
    match value {
        "blocked (admin)" => block_kind(BlockKind::Admin).to_owned(),
        "blocked (fraudReport)" => block_kind(BlockKind::FraudReport).to_owned(),
        other => other.to_owned(),
    }
}

/// The reason or note of an audit entry in plain words (a reveal records where it happened).
pub fn audit_reason(action: &str, reason: &str) -> String {
    match (action, reason) {
        ("numbers.reveal", "tui profile") => "in phonedesk".to_owned(),
        (_, other) => other.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Operator, Role, Timestamp};

    #[test]
    fn audit_lines_name_the_slot_in_plain_words() {
        let operator = Operator::new("helpdesk", Role::AuthAdmin);
        let entry = AuditEntry::new(&operator, Timestamp(0), "phone.update")
            .slot(Some(PhoneType::AlternateMobile));
        assert_eq!(audit_action(&entry), "changed the alternate mobile number");
        assert_eq!(
            audit_value("defaultMethod.set", "voiceMobile"),
            "Call mobile"
        );
        assert_eq!(actor(SIM_OPERATOR), "simulated service");
    }
}
