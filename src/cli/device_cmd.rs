//! `phonedesk device show|set NUMBER`: the simulated phone at the end of a number.

use super::output::{self, safe};
use super::{Failure, Outcome};
use crate::domain::{Operator, PhoneNumber, SenderId};
use crate::sim::device::{DeviceChange, set_device};
use crate::store::{Directory, devices};

/// The conditions `device set` was given (`None` leaves one as it is).
pub struct Conditions {
    pub power: Option<bool>,
    pub signal: Option<bool>,
    pub sms: Option<bool>,
    pub voicemail: Option<bool>,
    pub landline: Option<bool>,
    pub block: Vec<String>,
    pub unblock: Vec<String>,
}

fn number(text: &str) -> Result<PhoneNumber, Failure> {
    PhoneNumber::parse(text, None)
        .map_err(|e| Failure::refused(format!("cannot read the number \"{}\": {e}", safe(text))))
}

fn senders(texts: &[String]) -> Result<Vec<SenderId>, Failure> {
    texts
        .iter()
        .map(|t| SenderId::parse(t).map_err(Failure::refused))
        .collect()
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

pub fn show(store: &dyn Directory, text: &str) -> Outcome {
    let number = number(text)?;
    let device = devices::device(store.backend(), &number)?;
    let configured = devices::is_configured(store.backend(), &number)?;
    output::line(&format!(
        "phone {} ({})",
        device.phone_number,
        if configured {
            "configured"
        } else {
            "defaults for this number"
        }
    ));
    output::line(&format!("  powered on:      {}", yes_no(device.powered_on)));
    output::line(&format!("  signal:          {}", yes_no(device.signal)));
    output::line(&format!(
        "  SMS subscribed:  {}",
        yes_no(device.sms_subscribed)
    ));
    output::line(&format!("  voicemail:       {}", yes_no(device.voicemail)));
    output::line(&format!("  landline:        {}", yes_no(device.landline)));
    let blocked = if device.blocked_senders.is_empty() {
        "(none)".to_owned()
    } else {
        device
            .blocked_senders
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    output::line(&format!("  blocked senders: {blocked}"));
    Ok(())
}

pub fn set(
    store: &dyn Directory,
    operator: &Operator,
    text: &str,
    conditions: Conditions,
) -> Outcome {
    let number = number(text)?;
    let change = DeviceChange {
        powered_on: conditions.power,
        signal: conditions.signal,
        sms_subscribed: conditions.sms,
        voicemail: conditions.voicemail,
        landline: conditions.landline,
        block: senders(&conditions.block)?,
        unblock: senders(&conditions.unblock)?,
    };
    let device = set_device(store, operator, &number, &change)?;
    output::line(&format!(
        "updated the phone {}: {}",
        device.phone_number,
        device.summary()
    ));
    Ok(())
}
