//! Writing a tenant file as a stream: the header, then one user at a time, then the devices.
//! The bytes are those of serde_json's pretty printer over the whole file (two-space indent,
//! trailing newline), so a streamed export equals the whole-snapshot one.
//!
//! Memory does not grow with the users: only the devices are held, with two flags each, to
//! decide at the end whether a device's number may be written in full.

use std::collections::HashMap;
use std::io::{self, BufWriter, Write};

use serde::Serialize;

use super::VERSION;
use super::pretty::{newline, write_at};
use super::write::user_out;
use crate::domain::rules::Claim;
use crate::domain::{Device, PhoneNumber, Policy, SenderId, Tenant, User};

/// A tenant file being written.
pub struct TenantWriter<W: Write> {
    out: BufWriter<W>,
    policy: Policy,
    devices: Vec<Device>,
    /// For each device's number: whether some user holds that line, and whether a masked user
    /// does.
    lines: HashMap<PhoneNumber, Holders>,
    any_revealed: bool,
    users: usize,
}

#[derive(Clone, Copy, Default)]
struct Holders {
    held: bool,
    masked: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DeviceOut<'a> {
    phone_number: String,
    powered_on: bool,
    signal: bool,
    sms_subscribed: bool,
    voicemail: bool,
    landline: bool,
    blocked_senders: &'a [SenderId],
}

const OUT_BUFFER: usize = 256 << 10;

impl<W: Write> TenantWriter<W> {
    /// Writes the header (`version`, `tenant`, `policy`) and opens `users`. `devices` are
    /// written by [`finish`](Self::finish) in the order given.
    pub fn begin(out: W, tenant: &Tenant, policy: &Policy, devices: &[Device]) -> io::Result<Self> {
        let mut out = BufWriter::with_capacity(OUT_BUFFER, out);
        write!(out, "{{\n  \"version\": {VERSION},\n  \"tenant\": ")?;
        write_at(&mut out, 1, tenant)?;
        out.write_all(b",\n  \"policy\": ")?;
        write_at(&mut out, 1, policy)?;
        out.write_all(b",\n  \"users\": [")?;
        let lines = devices
            .iter()
            .map(|d| (d.phone_number.clone(), Holders::default()))
            .collect();
        Ok(Self {
            out,
            policy: policy.clone(),
            devices: devices.to_vec(),
            lines,
            any_revealed: false,
            users: 0,
        })
    }

    /// Writes one user. `mobile_claims` are the SMS sign-in claims on the user's mobile number
    /// (theirs included); `reveal` writes their numbers in full, else masked.
    pub fn user(&mut self, user: &User, mobile_claims: &[Claim], reveal: bool) -> io::Result<()> {
        if self.users > 0 {
            self.out.write_all(b",")?;
        }
        newline(&mut self.out, 2)?;
        write_at(
            &mut self.out,
            2,
            &user_out(user, &self.policy, mobile_claims, reveal),
        )?;
        self.users += 1;
        self.any_revealed |= reveal;
        if !self.lines.is_empty() {
            for method in &user.phone_methods {
                let line = method.phone_number.without_extension();
                if let Some(holders) = self.lines.get_mut(&line) {
                    holders.held = true;
                    holders.masked |= !reveal;
                }
            }
        }
        Ok(())
    }

    /// Closes `users`, writes `devices` and returns the output. A device's number is written in
    /// full only when every user holding that line was revealed; a device nobody holds follows
    /// the export as a whole (in full if anyone was revealed), so a device never un-masks a
    /// number.
    pub fn finish(mut self) -> io::Result<W> {
        if self.users > 0 {
            newline(&mut self.out, 1)?;
        }
        self.out.write_all(b"],\n  \"devices\": ")?;
        let devices: Vec<DeviceOut<'_>> = self
            .devices
            .iter()
            .map(|d| {
                let holders = self.lines.get(&d.phone_number).copied().unwrap_or_default();
                let reveal = if holders.held {
                    !holders.masked
                } else {
                    self.any_revealed
                };
                DeviceOut {
                    phone_number: if reveal {
                        d.phone_number.to_string()
                    } else {
                        d.phone_number.masked()
                    },
                    powered_on: d.powered_on,
                    signal: d.signal,
                    sms_subscribed: d.sms_subscribed,
                    voicemail: d.voicemail,
                    landline: d.landline,
                    blocked_senders: &d.blocked_senders,
                }
            })
            .collect();
        write_at(&mut self.out, 1, &devices)?;
        self.out.write_all(b"\n}\n")?;
        self.out
            .into_inner()
            .map_err(io::IntoInnerError::into_error)
    }

    /// Users written so far.
    pub fn users(&self) -> usize {
        self.users
    }
}
