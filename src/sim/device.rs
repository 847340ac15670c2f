//! What the phone at the other end does with a text or a call, given its conditions (DOMAIN.md
//! §6) and the provider's fault; and the operator's changes to those conditions, audited.

use super::SimError;
use super::telecom::Fault;
use crate::domain::{Device, Operator, PhoneNumber, Role, RuleError, SenderId, User};
use crate::sim::clock;
use crate::store::{self, AuditEntry, Directory, append_audit, devices};

/// What happened to a text when it reached (or did not reach) the phone.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SmsFate {
    Delivered,
    /// The provider lost it (fault `sms-drop`).
    DroppedByProvider,
    /// The phone is off or has no signal: the network keeps it and retries when it is back.
    Unreachable,
    /// The line has no messaging service.
    NotSubscribed,
    /// A landline cannot show a text.
    Landline,
    /// The owner blocked the sender: the phone discards it silently.
    BlockedSender,
}

/// The fate of a text from `sender`, sent through a provider with `fault`, to `device` now.
pub fn sms_fate(device: &Device, fault: Fault, sender: &SenderId) -> SmsFate {
    if fault == Fault::SmsDrop {
        SmsFate::DroppedByProvider
    } else if !device.reachable() {
        SmsFate::Unreachable
    } else if device.landline {
        SmsFate::Landline
    } else if !device.sms_subscribed {
        SmsFate::NotSubscribed
    } else if device.blocks(sender) {
        SmsFate::BlockedSender
    } else {
        SmsFate::Delivered
    }
}

/// What happened when a call reached the network.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum CallFate {
    /// The provider could not place it (fault `call-fail`).
    NotPlaced,
    /// Voicemail answered; the detail says why the phone did not.
    Voicemail(&'static str),
    /// Nobody and nothing answered; the detail says why.
    Unreachable(&'static str),
    Rings,
}

/// The fate of a call from `caller` through a provider with `fault` to `device`.
pub fn call_fate(device: &Device, fault: Fault, caller: &SenderId) -> CallFate {
    if fault == Fault::CallFail {
        return CallFate::NotPlaced;
    }
    if !device.reachable() {
        let why = if device.powered_on {
            "no signal"
        } else {
            "the phone is switched off"
        };
        return not_answered(device, why);
    }
    if device.blocks(caller) {
        return not_answered(device, "the phone rejects the blocked caller ID");
    }
    CallFate::Rings
}

/// A call the phone did not take: voicemail when forwarding is on, else unreachable.
pub fn not_answered(device: &Device, why: &'static str) -> CallFate {
    if device.voicemail {
        CallFate::Voicemail(why)
    } else {
        CallFate::Unreachable(why)
    }
}

/// A change to a device's conditions; `None` leaves a condition as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeviceChange {
    pub powered_on: Option<bool>,
    pub signal: Option<bool>,
    pub sms_subscribed: Option<bool>,
    pub voicemail: Option<bool>,
    pub landline: Option<bool>,
    pub block: Vec<SenderId>,
    pub unblock: Vec<SenderId>,
}

impl DeviceChange {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// `device` with the change applied.
    pub fn apply(&self, device: &Device) -> Result<Device, String> {
        let mut next = device.clone();
        let set = |target: &mut bool, value: Option<bool>| {
            if let Some(v) = value {
                *target = v;
            }
        };
        set(&mut next.powered_on, self.powered_on);
        set(&mut next.signal, self.signal);
        set(&mut next.sms_subscribed, self.sms_subscribed);
        set(&mut next.voicemail, self.voicemail);
        set(&mut next.landline, self.landline);
        for sender in &self.unblock {
            next.unblock(sender);
        }
        for sender in &self.block {
            next.block(sender.clone())?;
        }
        Ok(next)
    }
}

/// The first admin with an authentication phone on `line`, if any. A scan of the directory:
/// only an auth-admin's change of a phone pays for it, and that is rare next to a sign-in.
fn admin_on_line(store: &dyn Directory, line: &PhoneNumber) -> Result<Option<User>, SimError> {
    let mut found = None;
    store.for_each_user_while(&mut |user| {
        let on_line = user.is_admin()
            && user
                .phone_methods
                .iter()
                .any(|m| m.phone_number.without_extension() == *line);
        if on_line {
            found = Some(user);
        }
        found.is_none()
    })?;
    Ok(found)
}

/// Changes the device of `number` (its line), audited in the same flushed transaction; returns
/// the device as stored. The phone of an admin's number is theirs: an auth-admin's change is
/// refused, with nothing written.
pub fn set_device(
    store: &dyn Directory,
    operator: &Operator,
    number: &PhoneNumber,
    change: &DeviceChange,
) -> Result<Device, SimError> {
    if change.is_empty() {
        return Err(SimError::Invalid(
            "nothing to change: name at least one condition".into(),
        ));
    }
    let now = store.now();
    let line = number.without_extension();
    if operator.role == Role::AuthAdmin
        && let Some(admin) = admin_on_line(store, &line)?
    {
        return Err(SimError::Store(
            RuleError::PhoneOfAdmin {
                upn: admin.upn().to_string(),
            }
            .into(),
        ));
    }
    let updated = clock::transact(store, |txn| {
        let before = devices::device_in(txn, &line)?;
        let after = change
            .apply(&before)
            .map_err(|e| store::TxnError::Refused(store::StoreError::Invalid(e)))?;
        devices::put_device(txn, &after)?;
        let entry = AuditEntry::new(operator, now, "device.set")
            .change(Some(before.summary()), Some(after.summary()))
            .reason(format!("device {}", line.masked()));
        append_audit(txn, &entry)?;
        Ok(after)
    })?;
    Ok(updated)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device() -> Device {
        Device::defaults_for(&PhoneNumber::parse_canonical("+1 2065550101").unwrap())
    }

    fn code(s: &str) -> SenderId {
        SenderId::parse(s).unwrap()
    }

    #[test]
    fn texts_meet_each_condition() {
        let d = device();
        assert_eq!(
            sms_fate(&d, Fault::None, &code("26096")),
            SmsFate::Delivered
        );
        assert_eq!(
            sms_fate(&d, Fault::SmsDrop, &code("26096")),
            SmsFate::DroppedByProvider
        );
        let off = DeviceChange {
            powered_on: Some(false),
            ..Default::default()
        };
        assert_eq!(
            sms_fate(&off.apply(&d).unwrap(), Fault::None, &code("26096")),
            SmsFate::Unreachable
        );
        let blocked = DeviceChange {
            block: vec![code("26096")],
            ..Default::default()
        }
        .apply(&d)
        .unwrap();
        assert_eq!(
            sms_fate(&blocked, Fault::None, &code("26096")),
            SmsFate::BlockedSender
        );
        assert_eq!(
            sms_fate(&blocked, Fault::None, &code("51789")),
            SmsFate::Delivered
        );
    }

    #[test]
    fn calls_go_to_voicemail_only_when_forwarding() {
        let caller = code("+1 8553308653");
        let mut d = device();
        assert_eq!(call_fate(&d, Fault::None, &caller), CallFate::Rings);
        assert_eq!(call_fate(&d, Fault::CallFail, &caller), CallFate::NotPlaced);
        d.powered_on = false;
        assert!(matches!(
            call_fate(&d, Fault::None, &caller),
            CallFate::Unreachable(_)
        ));
        d.voicemail = true;
        assert!(matches!(
            call_fate(&d, Fault::None, &caller),
            CallFate::Voicemail(_)
        ));
    }
}
