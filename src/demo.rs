//! The embedded demo tenant (fictional people and numbers from the fictional ranges of DOMAIN.md
//! §2) and the deterministic generator for large tenants.

pub mod generate;

use crate::domain::{Operator, Timestamp};
use crate::store::{Directory, ImportSummary, Snapshot, StoreError};
use crate::tenant_file;

/// The demo tenant file, compiled into the binary.
pub const DEMO_TENANT: &str = include_str!("../assets/demo-tenant.json");

/// The demo tenant as a snapshot.
pub fn snapshot(now: Timestamp) -> Result<Snapshot, StoreError> {
    tenant_file::parse(DEMO_TENANT.as_bytes(), now).map_err(|problems| {
        let first = problems
            .first()
            .map(ToString::to_string)
            .unwrap_or_default();
        StoreError::Invalid(format!("the embedded demo tenant is broken: {first}"))
    })
}

/// Seeds an empty database with the demo tenant; does nothing when it holds users. Not an
/// operator's import (no user exists yet to act on, and the data is fixed), so the role rule of
/// [`crate::import_rule`] does not apply.
pub fn seed_if_empty(store: &dyn Directory, operator: &Operator) -> Result<bool, StoreError> {
    if !store.is_empty()? {
        return Ok(false);
    }
    store.import(operator, &snapshot(store.now())?, false)?;
    Ok(true)
}

/// Replaces whatever is in the database with the demo tenant, under the role rule of an import
/// (the demo tenant holds admins: an auth-admin may not reset it, see [`crate::import_rule`]).
pub fn reset(store: &dyn Directory, operator: &Operator) -> Result<ImportSummary, StoreError> {
    crate::import_rule::import(store, operator, &snapshot(store.now())?, true)
}
