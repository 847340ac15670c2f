//! `parse`: a whole tenant file into a [`Snapshot`], for the demo tenant, tests and other small
//! files. It is the streaming reader with a sink that keeps everything.

use super::Problem;
use super::limits::Limits;
use super::stream::{TenantSink, read_stream};
use crate::domain::{Device, Policy, Tenant, Timestamp, User};
use crate::store::Snapshot;

/// Parses and checks a whole tenant file. `now` stamps blocks and SMS sign-in claims the file
/// does not date.
pub fn parse(bytes: &[u8], now: Timestamp) -> Result<Snapshot, Vec<Problem>> {
    let mut sink = Collect::default();
    read_stream(bytes, now, &mut sink, &Limits::default())?;
    sink.into_snapshot()
}

/// A sink that keeps every record, for `parse`.
#[derive(Default)]
pub struct Collect {
    tenant: Option<Tenant>,
    policy: Option<Policy>,
    users: Vec<User>,
    devices: Vec<Device>,
}

impl Collect {
    /// The snapshot of a successful read; devices in number order, as the store keeps them.
    pub fn into_snapshot(mut self) -> Result<Snapshot, Vec<Problem>> {
        self.devices
            .sort_by(|a, b| a.phone_number.cmp(&b.phone_number));
        match (self.tenant, self.policy) {
            (Some(tenant), Some(policy)) => Ok(Snapshot {
                tenant,
                policy,
                users: self.users,
                devices: self.devices,
            }),
            // A successful read always delivers both; this only guards the contract.
            _ => Err(vec![Problem {
                path: "tenant".into(),
                message: "required".into(),
            }]),
        }
    }
}

impl TenantSink for Collect {
    fn tenant(&mut self, tenant: Tenant) {
        self.tenant = Some(tenant);
    }

    fn policy(&mut self, policy: Policy) {
        self.policy = Some(policy);
    }

    fn user(&mut self, _index: usize, user: User) -> Result<(), String> {
        self.users.push(user);
        Ok(())
    }

    fn device(&mut self, device: Device) {
        self.devices.push(device);
    }
}
