//! The role rule for imports: every way a whole directory is written by an operator (`import`,
//! `import --replace`, `demo reset`) goes through [`begin`] or [`import`], never straight to
//! [`Directory::begin_import`].
//!
//! An import sets the methods of every user in the file, and replacing a directory deletes every
//! user in it and recreates them with a fresh verification state. For admins both are acting on
//! admins, which an Authentication Administrator may not do (DOMAIN.md §1). So an auth-admin
//! may import only a file without admins, and may replace only a directory without admins; a
//! privileged-auth-admin may do both. ("No admin changes" would be friendlier, but it would have
//! to compare each admin's record, the SMS sign-in claims a file can date earlier than theirs,
//! the phones on their numbers and their failure counts: a rule that hard to check has holes.)
//!
//! Seeding an empty database with the embedded demo tenant on first run is not an operator's
//! import: no user exists yet to act on, and the data is fixed, not chosen.

use crate::domain::{Device, Operator, Policy, Role, Tenant, User};
use crate::store::{CommitStage, Directory, DirectoryImport, ImportSummary, Snapshot, StoreError};

/// Starts an import under the role rule: refused before a byte is read when the directory holds
/// users and `replace` is missing, or when an auth-admin would replace a directory with admins.
/// Each user the import then takes is checked too.
pub fn begin<'s>(
    store: &'s dyn Directory,
    operator: &Operator,
    replace: bool,
) -> Result<Box<dyn DirectoryImport + 's>, StoreError> {
    let inner = store.begin_import(operator, replace)?;
    if operator.role == Role::AuthAdmin {
        operator.may_replace(first_admin(store)?.as_ref())?;
    }
    Ok(Box::new(Guarded {
        inner,
        operator: operator.clone(),
        refused: 0,
    }))
}

/// Replaces the whole directory with a snapshot held in memory (the demo tenant), under the
/// same rule as [`begin`].
pub fn import(
    store: &dyn Directory,
    operator: &Operator,
    snapshot: &Snapshot,
    replace: bool,
) -> Result<ImportSummary, StoreError> {
    let mut import = begin(store, operator, replace)?;
    import.tenant(snapshot.tenant.clone());
    import.policy(snapshot.policy.clone());
    for user in &snapshot.users {
        import.add_user(user)?;
    }
    for device in &snapshot.devices {
        import.add_device(device.clone());
    }
    import.commit(&mut |_| {})
}

/// The first admin in the directory, in UPN order (the scan stops there).
fn first_admin(store: &dyn Directory) -> Result<Option<User>, StoreError> {
    let mut found = None;
    store.for_each_user_while(&mut |user| {
        if user.is_admin() {
            found = Some(user);
        }
        found.is_none()
    })?;
    Ok(found)
}

/// The store's import, taking only the users the operator's role covers.
struct Guarded<'s> {
    inner: Box<dyn DirectoryImport + 's>,
    operator: Operator,
    /// Users refused so far. The first refusal is reported with its path; one is enough to
    /// refuse the import, so the others are counted, not listed.
    refused: usize,
}

impl DirectoryImport for Guarded<'_> {
    fn tenant(&mut self, tenant: Tenant) {
        self.inner.tenant(tenant);
    }

    fn policy(&mut self, policy: Policy) {
        self.inner.policy(policy);
    }

    fn add_user(&mut self, user: &User) -> Result<(), StoreError> {
        if let Err(e) = self.operator.may_import(user) {
            self.refused += 1;
            if self.refused == 1 {
                return Err(e.into());
            }
            return Ok(());
        }
        self.inner.add_user(user)
    }

    fn add_device(&mut self, device: Device) {
        self.inner.add_device(device);
    }

    fn user_count(&self) -> usize {
        self.inner.user_count()
    }

    fn commit(
        self: Box<Self>,
        progress: &mut dyn FnMut(CommitStage),
    ) -> Result<ImportSummary, StoreError> {
        if self.refused > 0 {
            return Err(StoreError::Invalid(format!(
                "the file holds {} admin user{} that the {} role does not cover; nothing was imported",
                self.refused,
                if self.refused == 1 { "" } else { "s" },
                self.operator.role
            )));
        }
        self.inner.commit(progress)
    }
}
