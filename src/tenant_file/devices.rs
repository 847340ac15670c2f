//! The top-level `devices` list of a tenant file: one simulated phone per number (without
//! extension), with the conditions the troubleshooting list checks. Absent conditions take the
//! number's defaults ([`Device::defaults_for`]).

use std::collections::HashMap;

use serde_json::Value;

use super::fields::{Fields, index, join};
use crate::domain::device::MAX_BLOCKED_SENDERS;
use crate::domain::{Device, PhoneNumber, SenderId};

const DEVICE_KEYS: &[&str] = &[
    "phoneNumber",
    "poweredOn",
    "signal",
    "smsSubscribed",
    "voicemail",
    "landline",
    "blockedSenders",
];

/// The devices read so far, by number, so a second device for the same line is refused.
#[derive(Default)]
pub struct Devices {
    seen: HashMap<PhoneNumber, usize>,
}

impl Devices {
    /// Reads `devices[i]`; problems name their path (`devices[2].blockedSenders[0]`). A
    /// duplicate of an earlier device is a problem and is not returned.
    pub fn read(&mut self, f: &mut Fields, value: &Value, i: usize) -> Option<Device> {
        let path = index("devices", i);
        let device = read_device(f, value, &path)?;
        if let Some(first) = self.seen.get(&device.phone_number) {
            f.problem(
                &join(&path, "phoneNumber"),
                format!("duplicate of devices[{first}] (one device per number)"),
            );
            return None;
        }
        self.seen.insert(device.phone_number.clone(), i);
        Some(device)
    }
}

pub fn read_device(f: &mut Fields, value: &Value, path: &str) -> Option<Device> {
    let obj = f.object(value, path)?;
    f.only_keys(obj, path, DEVICE_KEYS);
    let number_path = join(path, "phoneNumber");
    let number = f.number(obj, path, "phoneNumber").filter(|n| {
        let whole_line = n.extension().is_none();
        if !whole_line {
            f.problem(
                &number_path,
                "a device is the whole line: write the number without its extension",
            );
        }
        whole_line
    });
    let defaults = number.as_ref().map(Device::defaults_for);
    let default = |pick: fn(&Device) -> bool| defaults.as_ref().is_some_and(pick);
    let powered_on = f.bool(obj, path, "poweredOn", default(|d| d.powered_on));
    let signal = f.bool(obj, path, "signal", default(|d| d.signal));
    let sms_subscribed = f.bool(obj, path, "smsSubscribed", default(|d| d.sms_subscribed));
    let voicemail = f.bool(obj, path, "voicemail", default(|d| d.voicemail));
    let landline = f.bool(obj, path, "landline", default(|d| d.landline));
    let senders_path = join(path, "blockedSenders");
    let texts = f.strings(obj, path, "blockedSenders");
    if texts.len() > MAX_BLOCKED_SENDERS {
        f.problem(
            &senders_path,
            format!("at most {MAX_BLOCKED_SENDERS} blocked senders"),
        );
    }
    let mut blocked_senders: Vec<SenderId> = Vec::with_capacity(texts.len());
    for (i, text) in texts.iter().enumerate() {
        match SenderId::parse(text) {
            Ok(sender) if blocked_senders.contains(&sender) => {
                f.problem(&index(&senders_path, i), "listed twice");
            }
            Ok(sender) => blocked_senders.push(sender),
            Err(e) => f.problem(&index(&senders_path, i), e),
        }
    }
    blocked_senders.sort();
    Some(Device {
        phone_number: number?,
        powered_on,
        signal,
        sms_subscribed,
        voicemail,
        landline,
        blocked_senders,
    })
}
