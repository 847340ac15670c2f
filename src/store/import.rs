//! Importing a whole directory, all or nothing, at any size.
//!
//! Users arrive one at a time (from a tenant file read as a stream) and are kept as compact
//! records until the file is known to be good. [`Importer::commit`] then writes a new generation
//! of trees beside the current one in bounded batches, with its search index, and switches to it
//! in one small transaction: a refused, failed or killed import leaves the previous directory
//! exactly as it was, and the old generation is dropped only after the switch.

use std::collections::HashMap;

use super::audit::AuditEntry;
use super::backend::{Backend, KeyValue, TreeId, Txn, TxnError};
use super::buckets::{BucketCutter, ClaimBucket, claim_bucket_key};
use super::codec;
use super::directory::{Store, append_audit, encode, txn_to_store};
use super::local_index;
use super::schema::{KEY_POLICY, KEY_SCHEMA, KEY_TENANT, KEY_USER_COUNT, SCHEMA_VERSION};
use super::{Directory, ImportSummary, StoreError};
use crate::domain::rules::{self, Claim};
use crate::domain::search::{IndexBuilder, IndexStamp, parts_with_claims};
use crate::domain::{Device, Operator, Policy, Tenant, User};

/// Buckets written per batch while staging.
const BATCH: usize = 256;
/// The most users one import takes (what `demo generate` makes at most): an endless stream of
/// well-formed users is refused here rather than held in memory without bound.
pub const MAX_IMPORT_USERS: usize = 2_000_000;

/// Where a commit is, for a progress display.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommitStage {
    /// Users written so far, of the total.
    Writing { written: usize, total: usize },
    /// Building and saving the search index.
    Indexing,
    /// Switching to the new directory.
    Switching,
}

/// An import in progress, behind `&dyn Directory`: users go in one at a time, nothing is
/// written until [`DirectoryImport::commit`], and dropping it writes nothing.
pub trait DirectoryImport {
    fn tenant(&mut self, tenant: Tenant);
    fn policy(&mut self, policy: Policy);
    fn add_user(&mut self, user: &User) -> Result<(), StoreError>;
    fn add_device(&mut self, device: Device);
    fn user_count(&self) -> usize;
    /// Writes the new directory and switches to it, reporting where it is.
    fn commit(
        self: Box<Self>,
        progress: &mut dyn FnMut(CommitStage),
    ) -> Result<ImportSummary, StoreError>;
}

impl<B: Backend> DirectoryImport for Importer<'_, B> {
    fn tenant(&mut self, tenant: Tenant) {
        Importer::tenant(self, tenant);
    }

    fn policy(&mut self, policy: Policy) {
        Importer::policy(self, policy);
    }

    fn add_user(&mut self, user: &User) -> Result<(), StoreError> {
        Importer::add_user(self, user)
    }

    fn add_device(&mut self, device: Device) {
        Importer::add_device(self, device);
    }

    fn user_count(&self) -> usize {
        Importer::user_count(self)
    }

    fn commit(
        self: Box<Self>,
        progress: &mut dyn FnMut(CommitStage),
    ) -> Result<ImportSummary, StoreError> {
        self.commit_with(progress)
    }
}

/// An import in progress. Dropping it without [`Importer::commit`] writes nothing.
pub struct Importer<'s, B: Backend> {
    store: &'s Store<B>,
    operator: Operator,
    action: &'static str,
    existing: usize,
    tenant: Tenant,
    policy: Policy,
    users: Vec<(String, Vec<u8>)>,
    claims: HashMap<String, Vec<Claim>>,
    devices: Vec<Device>,
    /// Simulator records carried over unchanged (an upgrade keeps the simulated world).
    raw: Vec<(TreeId, Vec<u8>, Vec<u8>)>,
    /// Users written by the commit (the list itself is consumed while writing).
    count: usize,
    limit: usize,
}

impl<B: Backend> Store<B> {
    /// Starts an import. Refused when the database holds users and `replace` is not given.
    pub fn begin_import(
        &self,
        operator: &Operator,
        replace: bool,
    ) -> Result<Importer<'_, B>, StoreError> {
        let existing = self.user_count()?;
        if existing > 0 && !replace {
            return Err(StoreError::Invalid(format!(
                "the database already holds {existing} users; add --replace to replace them"
            )));
        }
        Ok(self.importer(operator, "directory.import", existing))
    }

    pub(super) fn importer(
        &self,
        operator: &Operator,
        action: &'static str,
        existing: usize,
    ) -> Importer<'_, B> {
        Importer {
            store: self,
            operator: operator.clone(),
            action,
            existing,
            tenant: Tenant::default(),
            policy: Policy::default(),
            users: Vec::new(),
            claims: HashMap::new(),
            devices: Vec::new(),
            raw: Vec::new(),
            count: 0,
            limit: MAX_IMPORT_USERS,
        }
    }
}

impl<B: Backend> Importer<'_, B> {
    pub fn tenant(&mut self, tenant: Tenant) {
        self.tenant = tenant;
    }

    pub fn policy(&mut self, policy: Policy) {
        self.policy = policy;
    }

    /// Takes one user. Users may come in any order; a second user with the same UPN (in any
    /// case) is refused at commit.
    pub fn add_user(&mut self, user: &User) -> Result<(), StoreError> {
        if self.users.len() >= self.limit {
            return Err(StoreError::Invalid(format!(
                "more than {} users in one import; split the tenant file",
                self.limit
            )));
        }
        if let Some((number, claim)) = rules::claim_of(user) {
            self.claims
                .entry(number.to_string())
                .or_default()
                .push(claim);
        }
        self.users
            .push((user.upn().key(), codec::encode_user(user)));
        Ok(())
    }

    pub fn add_device(&mut self, device: Device) {
        self.devices.push(device);
    }

    pub(super) fn add_raw(&mut self, tree: TreeId, key: Vec<u8>, value: Vec<u8>) {
        self.raw.push((tree, key, value));
    }

    pub fn user_count(&self) -> usize {
        self.users.len()
    }

    /// Writes the new directory and switches to it.
    pub fn commit(self) -> Result<ImportSummary, StoreError> {
        self.commit_with(&mut |_| {})
    }

    /// [`Importer::commit`], reporting where it is.
    pub fn commit_with(
        mut self,
        progress: &mut dyn FnMut(CommitStage),
    ) -> Result<ImportSummary, StoreError> {
        self.users.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        if let Some(pair) = self.users.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(StoreError::Invalid(format!(
                "two users share the user principal name {}",
                pair[0].0
            )));
        }
        self.count = self.users.len();
        let backend = &self.store.backend;
        let generation = backend.stage()?;
        let written = self.write_generation(generation, progress);
        let switched = written.and_then(|()| {
            progress(CommitStage::Switching);
            self.switch()
        });
        match switched {
            Ok(summary) => {
                let _ = backend.remove_side(&local_index::file_name(generation - 1));
                Ok(summary)
            }
            Err(e) => {
                let _ = backend.remove_side(&local_index::file_name(generation));
                let _ = backend.discard_staged();
                Err(e)
            }
        }
    }

    fn write_generation(
        &mut self,
        generation: u64,
        progress: &mut dyn FnMut(CommitStage),
    ) -> Result<(), StoreError> {
        let backend = &self.store.backend;
        let total = self.users.len();
        let mut index = IndexBuilder::with_capacity(total);
        let mut cutter = BucketCutter::new();
        let mut batch = Vec::with_capacity(BATCH);
        for (n, (key, record)) in std::mem::take(&mut self.users).into_iter().enumerate() {
            let user = codec::decode_user(&record).map_err(|e| self.store.corrupt(&e))?;
            index.push(parts_with_claims(&user, &self.policy, &self.claims));
            if let Some(bucket) = cutter.push(key, record) {
                let first = bucket.first_key().unwrap_or_default().as_bytes().to_vec();
                batch.push((first, bucket.encode()));
                if batch.len() >= BATCH {
                    backend.stage_insert(TreeId::Users, &batch)?;
                    batch.clear();
                    progress(CommitStage::Writing {
                        written: n + 1,
                        total,
                    });
                }
            }
        }
        if let Some(bucket) = cutter.finish() {
            let first = bucket.first_key().unwrap_or_default().as_bytes().to_vec();
            batch.push((first, bucket.encode()));
        }
        backend.stage_insert(TreeId::Users, &batch)?;
        progress(CommitStage::Writing {
            written: total,
            total,
        });
        let mut claim_buckets: HashMap<[u8; 2], ClaimBucket> = HashMap::new();
        for (number, claims) in std::mem::take(&mut self.claims) {
            claim_buckets
                .entry(claim_bucket_key(&number))
                .or_default()
                .set(&number, claims);
        }
        let claims: Vec<KeyValue> = claim_buckets
            .into_iter()
            .map(|(k, b)| (k.to_vec(), b.encode()))
            .collect();
        for chunk in claims.chunks(BATCH) {
            backend.stage_insert(TreeId::Claims, chunk)?;
        }
        let devices = self
            .devices
            .iter()
            .map(|d| Ok((super::devices::device_key(&d.phone_number), encode(d)?)))
            .collect::<Result<Vec<_>, TxnError>>()
            .map_err(txn_to_store)?;
        backend.stage_insert(TreeId::Devices, &devices)?;
        let mut by_tree: HashMap<TreeId, Vec<KeyValue>> = HashMap::new();
        for (tree, k, v) in std::mem::take(&mut self.raw) {
            by_tree.entry(tree).or_default().push((k, v));
        }
        for (tree, items) in by_tree {
            for chunk in items.chunks(BATCH) {
                backend.stage_insert(tree, chunk)?;
            }
        }
        progress(CommitStage::Indexing);
        let index = index.finish();
        let stamp = IndexStamp {
            generation,
            seq: self.store.change_seq()?,
        };
        local_index::save_file(backend, &index, stamp)
    }

    fn switch(&self) -> Result<ImportSummary, StoreError> {
        let now = self.store.clock.now();
        let tenant = encode(&self.tenant).map_err(txn_to_store)?;
        let policy = encode(&self.policy).map_err(txn_to_store)?;
        let users = self.count;
        let count = (users as u64).to_be_bytes();
        let entry = AuditEntry::new(&self.operator, now, self.action).change(
            Some(format!("{} users", self.existing)),
            Some(format!("{users} users")),
        );
        self.store.backend.switch(&|txn: &dyn Txn| {
            txn.insert(TreeId::Meta, KEY_TENANT, &tenant)?;
            txn.insert(TreeId::Meta, KEY_POLICY, &policy)?;
            txn.insert(TreeId::Meta, KEY_USER_COUNT, &count)?;
            txn.insert(
                TreeId::Meta,
                KEY_SCHEMA,
                &u64::from(SCHEMA_VERSION).to_be_bytes(),
            )?;
            append_audit(txn, &entry)?;
            Ok(())
        })?;
        Ok(ImportSummary {
            users,
            replaced: self.existing,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Role, Timestamp, Upn};
    use crate::store::{Directory, open_memory};

    struct Fixed;

    impl crate::store::Clock for Fixed {
        fn now(&self) -> Timestamp {
            Timestamp(0)
        }
    }

    #[test]
    fn an_import_beyond_its_user_limit_is_refused_and_writes_nothing() {
        let store = open_memory(std::sync::Arc::new(Fixed)).unwrap();
        let operator = Operator::new("t", Role::PrivilegedAuthAdmin);
        let mut import = store.begin_import(&operator, false).unwrap();
        import.limit = 3;
        for i in 0..3 {
            let user = User::new(Upn::parse(&format!("u{i}@x.example")).unwrap(), "U");
            import.add_user(&user).unwrap();
        }
        let fourth = User::new(Upn::parse("u4@x.example").unwrap(), "U");
        assert!(matches!(
            import.add_user(&fourth),
            Err(StoreError::Invalid(_))
        ));
        drop(import);
        assert_eq!(store.user_count().unwrap(), 0);
    }
}
