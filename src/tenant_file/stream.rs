//! Reading a tenant file as a stream: the top-level object is walked key by key with serde's
//! seed machinery, and each user (or device) is parsed, checked and handed to a
//! [`TenantSink`] before the next one is read, so memory stays the same for ten users or ten
//! million. What spans users is kept small: the UPN keys with their first index, the device
//! numbers, and the paths of office phones while the policy is not yet known.
//!
//! Every problem is listed with its JSON path, in the order `parse` always gave; a file that is
//! not JSON, not UTF-8 or over a size limit gives one problem, with its position.

mod fatal;
mod reader;
mod seeds;

use std::io::{BufReader, Read};

use serde::de::DeserializeSeed;

use super::Problem;
use super::limits::Limits;
use super::meter::{Meter, READ_AHEAD};
use crate::domain::{Device, Policy, Tenant, Timestamp, User};
use reader::{Reader, Scope};
use seeds::Top;

/// Where the records of a tenant file go as they are read. On `Err` from [`read_stream`]
/// everything the sink received must be discarded; on `Ok` it has received exactly one tenant
/// and one policy (the default one when the file has none).
pub trait TenantSink {
    fn tenant(&mut self, tenant: Tenant);
    fn policy(&mut self, policy: Policy);
    /// One user that passed every per-user check, in file order. An Err stops the read
    /// (the store failed); it becomes a Problem with the user's path.
    fn user(&mut self, index: usize, user: User) -> Result<(), String>;
    /// One device that passed its checks, in file order.
    fn device(&mut self, device: Device);
    /// Bytes of input consumed so far, called now and then (progress display).
    fn progress(&mut self, _bytes: u64, _users: usize) {}
}

/// What a successful read handed to the sink.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadSummary {
    pub users: usize,
    pub devices: usize,
    pub bytes: u64,
}

/// How often (in users) the sink hears about progress.
pub(super) const PROGRESS_EVERY: usize = 4096;

/// Reads and checks a tenant file from `input`, handing each valid record to `sink`. `now`
/// stamps blocks and SMS sign-in claims the file does not date. Any problem means `Err` with
/// every problem found (up to `limits.problems`).
pub fn read_stream(
    input: impl Read,
    now: Timestamp,
    sink: &mut dyn TenantSink,
    limits: &Limits,
) -> Result<ReadSummary, Vec<Problem>> {
    let (meter, gauge) = Meter::new(input, limits.file_bytes, limits.value_bytes);
    let buffered = BufReader::with_capacity(READ_AHEAD, meter);
    let mut de = serde_json::Deserializer::from_reader(buffered);
    let mut reader = Reader::new(sink, now, limits, gauge);
    let walked = Top {
        reader: &mut reader,
    }
    .deserialize(&mut de)
    .and_then(|()| {
        reader.enter(Scope::Between, reader.limits.value_bytes);
        de.end()
    });
    match walked {
        Err(error) => Err(vec![reader.fatal(&error)]),
        Ok(()) => reader.finish(),
    }
}
