//! Upgrading a database written by an older phonedesk, on open, without losing anything.
//!
//! Schema 1 kept one JSON record per user under plain tree names. The upgrade reads it as an
//! import would, carries the simulated world (devices, providers, codes, counters) over unchanged,
//! writes generation 1 in today's layout and switches to it in one transaction: a crash at any
//! moment leaves either the old database or the upgraded one.

use super::StoreError;
use super::backend::{Backend, TreeId};
use super::directory::{Store, decode};
use super::schema::{KEY_POLICY, KEY_TENANT};
use crate::domain::{Device, Operator, Policy, Role, Tenant, User};

/// Upgrades `store` from schema `from` to the current one.
pub fn upgrade<B: Backend>(
    store: &Store<B>,
    from: u32,
    notice: &dyn Fn(&str),
) -> Result<(), StoreError> {
    let backend = &store.backend;
    if from != 1 || backend.generation() != 0 {
        return Err(StoreError::Corrupt {
            path: backend.location(),
            detail: format!(
                "schema {from} at generation {} has no upgrade path",
                backend.generation()
            ),
        });
    }
    notice(&format!(
        "upgrading the database {} to the current format (once; large tenants take a while)",
        backend.location()
    ));
    let tenant: Tenant = read_meta(backend, KEY_TENANT, "tenant")?;
    let policy: Policy = read_meta(backend, KEY_POLICY, "policy")?;
    let operator = Operator::new("phonedesk-upgrade", Role::PrivilegedAuthAdmin);
    let mut import = store.importer(&operator, "directory.upgrade", 0);
    import.tenant(tenant);
    import.policy(policy);
    let mut failure = None;
    backend.scan(TreeId::Users, &[], &mut |_, value| {
        match decode::<User>(value, "user") {
            Ok(user) => {
                if let Err(e) = import.add_user(&user) {
                    failure = Some(e);
                }
            }
            Err(e) => failure = Some(e),
        }
        failure.is_none()
    })?;
    if let Some(e) = failure {
        return Err(e);
    }
    backend.scan(TreeId::Devices, &[], &mut |_, value| {
        match decode::<Device>(value, "device") {
            Ok(device) => import.add_device(device),
            Err(e) => failure = Some(e),
        }
        failure.is_none()
    })?;
    if let Some(e) = failure {
        return Err(e);
    }
    for tree in [TreeId::Challenges, TreeId::Throttles, TreeId::Telecom] {
        backend.scan(tree, &[], &mut |k, v| {
            import.add_raw(tree, k.to_vec(), v.to_vec());
            true
        })?;
    }
    let users = import.user_count();
    import.commit()?;
    notice(&format!("upgraded: {users} users"));
    Ok(())
}

fn read_meta<T: serde::de::DeserializeOwned + Default>(
    backend: &dyn Backend,
    key: &[u8],
    what: &str,
) -> Result<T, StoreError> {
    backend
        .get(TreeId::Meta, key)?
        .map(|b| decode(&b, what))
        .transpose()
        .map(Option::unwrap_or_default)
}
