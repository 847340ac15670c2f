//! "Reset the simulated world": the simulator's own state back to a fresh start, in one flushed
//! transaction with one audit entry. Phone conditions (power, signal, blocked senders…),
//! telecom providers' faults, send and failure counters and live codes go; users, their methods, the audit
//! trail and the sign-in log stay.
//!
//! The failure counters and codes of an admin are the admin's: an auth-admin's reset is refused
//! while any exist (the admin rule, DOMAIN.md), naming them, so a privileged-auth-admin clears
//! them.

use super::SimError;
use super::otp::Challenge;
use crate::domain::Operator;
use crate::sim::clock;
use crate::store::{AuditEntry, Directory, StoreError, TreeId, append_audit};

/// What a reset cleared.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WorldCleared {
    pub phones: usize,
    pub faults: usize,
    pub counters: usize,
    pub codes: usize,
}

impl WorldCleared {
    /// One line for the operator and the audit.
    pub fn describe(&self) -> String {
        format!(
            "conditions of {} phones, {} telecom providers, {} counters, {} codes",
            self.phones, self.faults, self.counters, self.codes
        )
    }
}

const TREES: [TreeId; 4] = [
    TreeId::Devices,
    TreeId::Telecom,
    TreeId::Throttles,
    TreeId::Challenges,
];

/// A tree's records as (key, value).
type Records = Vec<(Vec<u8>, Vec<u8>)>;

fn records_of(store: &dyn Directory, tree: TreeId) -> Result<Records, StoreError> {
    let mut records = Vec::new();
    store.backend().scan(tree, &[], &mut |k, v| {
        records.push((k.to_vec(), v.to_vec()));
        true
    })?;
    Ok(records)
}

/// The user a throttle or challenge record belongs to, when it belongs to one.
fn owner(tree: TreeId, key: &[u8], value: &[u8]) -> Option<String> {
    match tree {
        TreeId::Throttles => {
            let text = std::str::from_utf8(key).ok()?;
            let mut parts = text.split('\0');
            match parts.next()? {
                "failures" | "sspr" => parts.next().map(str::to_owned),
                _ => None,
            }
        }
        TreeId::Challenges => crate::store::decode::<Challenge>(value, "challenge")
            .ok()
            .map(|c| c.upn_key),
        _ => None,
    }
}

/// Clears the simulated world; refused, with nothing cleared, when an auth-admin would clear an
/// admin's counters or codes.
pub fn reset_world(store: &dyn Directory, operator: &Operator) -> Result<WorldCleared, SimError> {
    let found = TREES
        .iter()
        .map(|t| Ok((*t, records_of(store, *t)?)))
        .collect::<Result<Vec<_>, StoreError>>()?;
    let mut refused = Vec::new();
    for (tree, records) in &found {
        for (key, value) in records {
            let Some(upn) = owner(*tree, key, value) else {
                continue;
            };
            match store.user(&upn) {
                Ok(user) => {
                    if operator.covers(&user).is_err() && !refused.contains(&upn) {
                        refused.push(upn);
                    }
                }
                Err(StoreError::NotFound { .. }) => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
    if !refused.is_empty() {
        return Err(SimError::Store(StoreError::Invalid(format!(
            "the simulated world holds failure counters or codes of users with an admin role ({}); only a \
             privileged-auth-admin may clear those (--role privileged-auth-admin)",
            refused.join(", ")
        ))));
    }
    let count = |tree: TreeId| {
        found
            .iter()
            .find(|(t, _)| *t == tree)
            .map_or(0, |(_, r)| r.len())
    };
    let cleared = WorldCleared {
        phones: count(TreeId::Devices),
        faults: count(TreeId::Telecom),
        counters: count(TreeId::Throttles),
        codes: count(TreeId::Challenges),
    };
    let now = store.now();
    clock::transact(store, |txn| {
        for (tree, records) in &found {
            for (key, _) in records {
                txn.remove(*tree, key)?;
            }
        }
        let entry = AuditEntry::new(operator, now, "sim.reset").change(
            Some(cleared.describe()),
            Some("a fresh simulated world".into()),
        );
        append_audit(txn, &entry)?;
        Ok(())
    })?;
    Ok(cleared)
}
