//! The simulator's sandbox: a scratch sled database holding a copy of the users a simulation
//! needs (a guided demo's cast), so that a demo never changes the directory of record and plays
//! the same way every time. A demo that blocks its user blocks the copy; the copy goes with the
//! sandbox when the demo ends.
//!
//! The sandbox is a real sled database in the temporary directory, one per play, removed on
//! drop (a play killed outright leaves it for the system's temporary-file cleanup). On a real
//! tenant, which never holds a demo's cast, a demo plays on a sandbox of the embedded demo
//! tenant instead: presenting needs no tenant, and nothing reaches it.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::SimError;
use super::demo_script::{DemoAction, DemoScript};
use super::flow::FlowRequest;
use crate::domain::{Operator, PhoneNumber, User};
use crate::store::{self, Clock, Directory, Record, Snapshot, StoreError, devices};

/// A scratch database with a copy of a simulation's cast.
pub struct Sandbox {
    store: store::Store<store::SledBackend>,
    /// Declared after `store`, so the database closes before its directory goes.
    _dir: RemovedOnDrop,
}

struct RemovedOnDrop(PathBuf);

impl Drop for RemovedOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

static PLAYS: AtomicU64 = AtomicU64::new(0);

impl Sandbox {
    /// A sandbox holding `cast` (with `record`'s tenant, policy and, when `record` is a local
    /// database, the cast's phones as they are set there), stamped by `clock`.
    pub fn with_users(
        record: &dyn Record,
        cast: Vec<User>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, SimError> {
        let sandbox = Self::scratch(clock)?;
        let mut phones = Vec::new();
        if let Some(local) = record.simulated() {
            for user in &cast {
                for method in &user.phone_methods {
                    let number = &method.phone_number;
                    if devices::is_configured(local.backend(), number)? {
                        phones.push(devices::device(local.backend(), number)?);
                    }
                }
            }
        }
        phones.sort_by_key(|d| d.phone_number.to_string());
        phones.dedup_by(|a, b| a.phone_number == b.phone_number);
        let snapshot = Snapshot {
            tenant: record.tenant()?,
            policy: record.policy()?,
            users: cast,
            devices: phones,
        };
        sandbox.directory().import(&seeder(), &snapshot, true)?;
        Ok(sandbox)
    }

    /// An empty scratch database of its own.
    fn scratch(clock: Arc<dyn Clock>) -> Result<Self, SimError> {
        let path = std::env::temp_dir().join(format!(
            "phonedesk-sandbox-{}-{}",
            std::process::id(),
            PLAYS.fetch_add(1, Ordering::SeqCst)
        ));
        // A leftover of an earlier process with the same id (after a kill) is stale.
        let _ = std::fs::remove_dir_all(&path);
        let dir = RemovedOnDrop(path);
        let store = store::open_sled_with(&dir.0, clock, &|_| {})?;
        Ok(Self { store, _dir: dir })
    }

    /// A sandbox holding the embedded demo tenant (its people, phones and policy).
    pub fn demo_tenant(clock: Arc<dyn Clock>) -> Result<Self, SimError> {
        let sandbox = Self::scratch(clock)?;
        crate::demo::seed_if_empty(sandbox.directory(), &seeder())?;
        Ok(sandbox)
    }

    /// A sandbox for `script`, its cast copied from `record`; refused up front, naming who is
    /// missing, when the open tenant does not hold the cast. A real tenant (not the simulator's
    /// world) is not asked at all: the demo plays on the embedded demo tenant.
    pub fn for_demo(
        record: &dyn Record,
        script: &DemoScript,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, SimError> {
        if record.simulated().is_none() {
            return Self::demo_tenant(clock);
        }
        let cast = cast_of(record, script)?;
        Self::with_users(record, cast, clock)
    }

    /// The sandbox's database, for the simulator.
    pub fn directory(&self) -> &dyn Directory {
        &self.store
    }
}

/// The sandbox is phonedesk's own scratch space: seeding it is not an operator's import.
fn seeder() -> Operator {
    Operator::new(
        "phonedesk-sandbox",
        crate::domain::Role::PrivilegedAuthAdmin,
    )
}

/// The users `script` acts on: those it names, and the owners of the numbers it types.
fn cast_of(record: &dyn Record, script: &DemoScript) -> Result<Vec<User>, SimError> {
    let mut upns: Vec<String> = script.unblock_first.clone();
    upns.extend(script.expect.blocked.iter().cloned());
    for step in &script.steps {
        match &step.action {
            DemoAction::Start(FlowRequest::Mfa { upn, .. } | FlowRequest::Sspr { upn, .. }) => {
                upns.push(upn.clone());
            }
            DemoAction::TypeNumber(typed) => {
                let number = PhoneNumber::parse(typed, None).map_err(|e| {
                    SimError::Invalid(format!("demo {}: {typed}: {e}", script.name))
                })?;
                let claims = record.claims_on(&number)?;
                if claims.is_empty() {
                    return Err(missing(
                        script,
                        &format!("the user whose mobile is {typed}"),
                    ));
                }
                upns.extend(claims.into_iter().map(|c| c.upn_key));
            }
            _ => {}
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut cast = Vec::new();
    for upn in upns {
        if !seen.insert(upn.to_ascii_lowercase()) {
            continue;
        }
        match record.user(&upn) {
            Ok(user) => cast.push(user),
            Err(StoreError::NotFound { .. }) => return Err(missing(script, &upn)),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(cast)
}

/// A refusal (exit 1), not a usage error: the command was right, the tenant lacks the cast.
fn missing(script: &DemoScript, who: &str) -> SimError {
    SimError::Store(StoreError::Invalid(format!(
        "the demo \"{}\" plays with {who}, who is not in this tenant; it needs the demo tenant \
         (`phonedesk demo reset --yes --role privileged-auth-admin` restores it, or use a fresh --db)",
        script.name
    )))
}
