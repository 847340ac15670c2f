//! The domain operations, written once over any [`Backend`].

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::audit::{AuditEntry, describe_state};
use super::backend::{Backend, TreeId, Txn, TxnError};
use super::buckets::{ClaimBucket, UserBucket, claim_bucket_key};
use super::changes;
use super::codec::{self, Malformed};
use super::schema::{self, KEY_AUDIT_SEQ, KEY_POLICY, KEY_TENANT, KEY_USER_COUNT};
use super::{
    AuditTrail, Clock, Directory, DynBackend, Record, RecordKind, Snapshot, StoreError, UserSearch,
};
use crate::domain::rules::{self, EditContext};
use crate::domain::search::near_matches;
use crate::domain::{
    Applied, Claim, Edit, Operator, PhoneNumber, Policy, Tenant, Timestamp, Upn, User,
};

/// The directory over a storage backend: sled in the app, memory in logic tests.
pub struct Store<B: Backend> {
    pub(super) backend: B,
    pub(super) clock: Arc<dyn Clock>,
}

/// How many buckets around a missing UPN are read for "did you mean": bounded, so a typo costs
/// the same in a demo and in a million-user tenant.
const SUGGESTION_BUCKETS: usize = 8;

impl<B: Backend> Store<B> {
    /// Wraps `backend`, checking (or stamping) the schema version, and upgrading a database of
    /// an older schema first (`notice` hears about it before the work starts).
    pub fn new(backend: B, clock: Arc<dyn Clock>) -> Result<Self, StoreError> {
        Self::with_notice(backend, clock, &|_| {})
    }

    pub fn with_notice(
        backend: B,
        clock: Arc<dyn Clock>,
        notice: &dyn Fn(&str),
    ) -> Result<Self, StoreError> {
        let found = schema::check_or_init(&backend)?;
        let store = Self { backend, clock };
        if found < schema::SCHEMA_VERSION {
            super::upgrade::upgrade(&store, found, notice)?;
        }
        Ok(store)
    }

    pub(super) fn corrupt(&self, e: &Malformed) -> StoreError {
        StoreError::Corrupt {
            path: self.backend.location(),
            detail: e.to_string(),
        }
    }

    /// The key of the bucket that holds (or would hold) `key`.
    fn bucket_key(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self
            .backend
            .floor(TreeId::Users, key.as_bytes())?
            .map(|(k, _)| k))
    }

    fn suggestions_for(&self, wanted: &str) -> Vec<String> {
        let key = user_key(wanted);
        // The buckets just before and from the missing key on: its neighbours in UPN order.
        let start = self
            .backend
            .floor(TreeId::Users, key.as_bytes())
            .ok()
            .flatten()
            .map(|(k, _)| k)
            .unwrap_or_default();
        let mut buckets = Vec::new();
        let _ = self
            .backend
            .scan_before(TreeId::Users, &start, &mut |_, v| {
                buckets.push(v.to_vec());
                buckets.len() < SUGGESTION_BUCKETS
            });
        let _ = self.backend.scan_from(TreeId::Users, &start, &mut |_, v| {
            buckets.push(v.to_vec());
            buckets.len() < 2 * SUGGESTION_BUCKETS
        });
        let mut upns = Vec::new();
        for bytes in &buckets {
            if let Ok(bucket) = UserBucket::decode(bytes) {
                for (_, record) in bucket.users {
                    if let Ok(user) = codec::decode_user(&record) {
                        upns.push(user.user_principal_name.to_string());
                    }
                }
            }
        }
        near_matches(wanted, upns.iter().map(String::as_str), 3)
    }

    /// Adds near-match suggestions to a not-found error, outside any transaction.
    fn with_suggestions(&self, e: StoreError) -> StoreError {
        match e {
            StoreError::NotFound { upn, .. } => StoreError::NotFound {
                suggestions: self.suggestions_for(&upn),
                upn,
            },
            other => other,
        }
    }

    /// The last change sequence number handed out (0 before any edit).
    pub fn change_seq(&self) -> Result<u64, StoreError> {
        changes::current_seq(&self.backend)
    }
}

pub(crate) fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, TxnError> {
    serde_json::to_vec(value).map_err(|e| TxnError::Storage(e.to_string()))
}

pub(crate) fn decode<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt {
        path: "(record)".into(),
        detail: format!("unreadable {what}: {e}"),
    })
}

/// A record, or its default when absent (no tenant yet).
fn read_or_default<T: DeserializeOwned + Default>(
    backend: &dyn Backend,
    tree: TreeId,
    key: &[u8],
    what: &str,
) -> Result<T, StoreError> {
    backend
        .get(tree, key)?
        .map(|bytes| decode(&bytes, what))
        .transpose()
        .map(Option::unwrap_or_default)
}

pub(super) fn user_key(upn: &str) -> String {
    upn.trim().to_ascii_lowercase()
}

fn malformed(e: &Malformed) -> TxnError {
    TxnError::Refused(StoreError::Corrupt {
        path: "(record)".into(),
        detail: e.to_string(),
    })
}

/// The bucket at `bucket_key` and the position of `key` in it, inside a transaction.
fn read_bucket(
    txn: &dyn Txn,
    bucket_key: &[u8],
    key: &str,
) -> Result<Option<(UserBucket, usize)>, TxnError> {
    let Some(bytes) = txn.get(TreeId::Users, bucket_key)? else {
        return Ok(None);
    };
    let bucket = UserBucket::decode(&bytes).map_err(|e| malformed(&e))?;
    Ok(bucket.position(key).map(|at| (bucket, at)))
}

fn read_policy(txn: &dyn Txn) -> Result<Policy, TxnError> {
    txn.get(TreeId::Meta, KEY_POLICY)?
        .map(|bytes| decode(&bytes, "policy").map_err(TxnError::Refused))
        .transpose()
        .map(Option::unwrap_or_default)
}

fn read_claim_bucket(txn: &dyn Txn, number: &str) -> Result<ClaimBucket, TxnError> {
    match txn.get(TreeId::Claims, &claim_bucket_key(number))? {
        Some(bytes) => ClaimBucket::decode(&bytes).map_err(|e| malformed(&e)),
        None => Ok(ClaimBucket::default()),
    }
}

fn read_claims(txn: &dyn Txn, number: &PhoneNumber) -> Result<Vec<Claim>, TxnError> {
    let key = number.without_extension().to_string();
    Ok(read_claim_bucket(txn, &key)?.claims_on(&key).to_vec())
}

fn write_claims(txn: &dyn Txn, number: &PhoneNumber, claims: Vec<Claim>) -> Result<(), TxnError> {
    let key = number.without_extension().to_string();
    let mut bucket = read_claim_bucket(txn, &key)?;
    bucket.set(&key, claims);
    let bucket_key = claim_bucket_key(&key);
    if bucket.is_empty() {
        txn.remove(TreeId::Claims, &bucket_key)
    } else {
        txn.insert(TreeId::Claims, &bucket_key, &bucket.encode())
    }
}

/// Moves the user's SMS sign-in claim when an edit changed it. Returns every user holding a claim
/// on the old or the new number: their SMS sign-in state may have changed with it.
fn update_claims(txn: &dyn Txn, before: &User, after: &User) -> Result<Vec<String>, TxnError> {
    let old = rules::claim_of(before);
    let new = rules::claim_of(after);
    let mut holders = Vec::new();
    if old == new {
        return Ok(holders);
    }
    if let Some((number, claim)) = &old {
        let mut claims = read_claims(txn, number)?;
        holders.extend(claims.iter().map(|c| c.upn_key.clone()));
        claims.retain(|c| c.upn_key != claim.upn_key);
        write_claims(txn, number, claims)?;
    }
    if let Some((number, claim)) = new {
        let mut claims = read_claims(txn, &number)?;
        holders.extend(claims.iter().map(|c| c.upn_key.clone()));
        claims.retain(|c| c.upn_key != claim.upn_key);
        claims.push(claim);
        write_claims(txn, &number, claims)?;
    }
    Ok(holders)
}

/// Appends an audit entry (its `seq` is assigned here) inside the caller's transaction.
pub(crate) fn append_audit(txn: &dyn Txn, entry: &AuditEntry) -> Result<u64, TxnError> {
    let seq = schema::next_seq(txn, KEY_AUDIT_SEQ)?;
    let entry = AuditEntry {
        seq,
        ..entry.clone()
    };
    txn.insert(TreeId::Audit, &seq.to_be_bytes(), &encode(&entry)?)?;
    if let Some(target) = &entry.target {
        let key = schema::indexed_key(&user_key(target), seq);
        txn.insert(TreeId::AuditByUser, &key, &[])?;
    }
    Ok(seq)
}

fn not_found(upn: &str) -> TxnError {
    TxnError::Refused(StoreError::NotFound {
        upn: upn.trim().to_owned(),
        suggestions: Vec::new(),
    })
}

impl<B: Backend> Record for Store<B> {
    fn location(&self) -> String {
        self.backend.location()
    }

    fn tenant(&self) -> Result<Tenant, StoreError> {
        read_or_default(&self.backend, TreeId::Meta, KEY_TENANT, "tenant")
    }

    fn policy(&self) -> Result<Policy, StoreError> {
        read_or_default(&self.backend, TreeId::Meta, KEY_POLICY, "policy")
    }

    fn user(&self, upn: &str) -> Result<User, StoreError> {
        let key = user_key(upn);
        let missing = || {
            self.with_suggestions(StoreError::NotFound {
                upn: upn.trim().to_owned(),
                suggestions: Vec::new(),
            })
        };
        let Some((_, bytes)) = self.backend.floor(TreeId::Users, key.as_bytes())? else {
            return Err(missing());
        };
        let bucket = UserBucket::decode(&bytes).map_err(|e| self.corrupt(&e))?;
        match bucket.get(&key) {
            Some(record) => codec::decode_user(record).map_err(|e| self.corrupt(&e)),
            None => Err(missing()),
        }
    }

    fn claims_on(&self, number: &PhoneNumber) -> Result<Vec<Claim>, StoreError> {
        let key = number.without_extension().to_string();
        match self.backend.get(TreeId::Claims, &claim_bucket_key(&key))? {
            Some(bytes) => Ok(ClaimBucket::decode(&bytes)
                .map_err(|e| self.corrupt(&e))?
                .claims_on(&key)
                .to_vec()),
            None => Ok(Vec::new()),
        }
    }

    fn edit(&self, operator: &Operator, upn: &str, edit: &Edit) -> Result<Applied, StoreError> {
        let key = user_key(upn);
        let now = self.clock.now();
        let Some(bucket_key) = self.bucket_key(&key)? else {
            return Err(self.with_suggestions(StoreError::NotFound {
                upn: upn.trim().to_owned(),
                suggestions: Vec::new(),
            }));
        };
        super::transact(&self.backend, |txn| {
            let (mut bucket, at) =
                read_bucket(txn, &bucket_key, &key)?.ok_or_else(|| not_found(upn))?;
            let user = codec::decode_user(&bucket.users[at].1).map_err(|e| malformed(&e))?;
            let policy = read_policy(txn)?;
            let mobile_claims = match rules::mobile_after(&user, edit) {
                Some(number) => read_claims(txn, &number)?,
                None => Vec::new(),
            };
            let ctx = EditContext {
                operator,
                policy: &policy,
                now,
                mobile_claims: &mobile_claims,
            };
            let applied = rules::apply_edit(&user, edit, &ctx)
                .map_err(|e| TxnError::Refused(StoreError::Rule(e)))?;
            let mut affected: BTreeSet<String> = update_claims(txn, &user, &applied.user)?
                .into_iter()
                .collect();
            affected.insert(key.clone());
            bucket.users[at].1 = codec::encode_user(&applied.user);
            txn.insert(TreeId::Users, &bucket_key, &bucket.encode())?;
            changes::append(txn, &affected.into_iter().collect::<Vec<_>>())?;
            let action = edit.action();
            let mut entry = AuditEntry::new(operator, now, action)
                .target(user.upn().to_string())
                .slot(edit.slot())
                .change(
                    describe_state(&user, action, edit.slot()),
                    describe_state(&applied.user, action, edit.slot()),
                );
            if let Some(reason) = edit.reason() {
                entry = entry.reason(reason);
            }
            append_audit(txn, &entry)?;
            Ok(applied)
        })
        .map_err(|e| self.with_suggestions(e))
    }

    fn reveal(&self, operator: &Operator, upn: &str, context: &str) -> Result<User, StoreError> {
        let key = user_key(upn);
        let now = self.clock.now();
        let Some(bucket_key) = self.bucket_key(&key)? else {
            return Err(self.with_suggestions(StoreError::NotFound {
                upn: upn.trim().to_owned(),
                suggestions: Vec::new(),
            }));
        };
        super::transact(&self.backend, |txn| {
            let (bucket, at) =
                read_bucket(txn, &bucket_key, &key)?.ok_or_else(|| not_found(upn))?;
            let user = codec::decode_user(&bucket.users[at].1).map_err(|e| malformed(&e))?;
            operator
                .may_act_on(&user)
                .map_err(|e| TxnError::Refused(StoreError::Rule(e)))?;
            let entry = AuditEntry::new(operator, now, "numbers.reveal")
                .target(user.upn().to_string())
                .reason(context);
            append_audit(txn, &entry)?;
            Ok(user)
        })
        .map_err(|e| self.with_suggestions(e))
    }

    fn now(&self) -> Timestamp {
        self.clock.now()
    }

    fn kind(&self) -> RecordKind {
        RecordKind::Simulated {
            path: self.backend.location(),
        }
    }

    fn user_search(&self) -> Result<Box<dyn UserSearch + '_>, StoreError> {
        Ok(Box::new(super::local_index::IndexSearch::open(self)?))
    }

    fn simulated(&self) -> Option<&dyn Directory> {
        Some(self)
    }
}

impl<B: Backend> AuditTrail for Store<B> {
    fn record(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        super::transact(&self.backend, |txn| append_audit(txn, entry).map(drop))
    }

    fn audit(&self, upn: Option<&Upn>, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        let mut entries = Vec::new();
        let mut failure = None;
        match upn {
            Some(upn) => {
                let prefix = schema::index_prefix(&upn.key());
                let mut seqs = Vec::new();
                self.backend
                    .scan_rev(TreeId::AuditByUser, &prefix, &mut |k, _| {
                        if let Some(seq) = k.get(prefix.len()..).and_then(schema::decode_u64) {
                            seqs.push(seq);
                        }
                        seqs.len() < limit
                    })?;
                for seq in seqs {
                    if let Some(bytes) = self.backend.get(TreeId::Audit, &seq.to_be_bytes())? {
                        entries.push(decode(&bytes, "audit entry")?);
                    }
                }
            }
            None => {
                self.backend.scan_rev(TreeId::Audit, &[], &mut |_, v| {
                    match decode(v, "audit entry") {
                        Ok(entry) => entries.push(entry),
                        Err(e) => failure = Some(e),
                    }
                    failure.is_none() && entries.len() < limit
                })?;
            }
        }
        failure.map_or(Ok(entries), Err)
    }
}

impl<B: Backend> Directory for Store<B> {
    fn user_count(&self) -> Result<usize, StoreError> {
        let count = self
            .backend
            .get(TreeId::Meta, KEY_USER_COUNT)?
            .and_then(|b| schema::decode_u64(&b))
            .unwrap_or(0);
        usize::try_from(count).map_err(|_| StoreError::Corrupt {
            path: self.backend.location(),
            detail: "the user count is out of range".into(),
        })
    }

    fn for_each_user_while(&self, visit: &mut dyn FnMut(User) -> bool) -> Result<(), StoreError> {
        let mut failure = None;
        self.backend.scan(TreeId::Users, &[], &mut |_, value| {
            let bucket = match UserBucket::decode(value) {
                Ok(b) => b,
                Err(e) => {
                    failure = Some(self.corrupt(&e));
                    return false;
                }
            };
            for (_, record) in &bucket.users {
                match codec::decode_user(record) {
                    Ok(user) => {
                        if !visit(user) {
                            return false;
                        }
                    }
                    Err(e) => {
                        failure = Some(self.corrupt(&e));
                        return false;
                    }
                }
            }
            true
        })?;
        failure.map_or(Ok(()), Err)
    }

    fn all_claims(&self) -> Result<HashMap<String, Vec<Claim>>, StoreError> {
        let mut all = HashMap::new();
        let mut failure = None;
        self.backend.scan(
            TreeId::Claims,
            &[],
            &mut |_, value| match ClaimBucket::decode(value) {
                Ok(bucket) => {
                    all.extend(bucket.numbers);
                    true
                }
                Err(e) => {
                    failure = Some(self.corrupt(&e));
                    false
                }
            },
        )?;
        failure.map_or(Ok(all), Err)
    }

    fn begin_import(
        &self,
        operator: &Operator,
        replace: bool,
    ) -> Result<Box<dyn super::DirectoryImport + '_>, StoreError> {
        Ok(Box::new(Store::begin_import(self, operator, replace)?))
    }

    fn export(&self) -> Result<Snapshot, StoreError> {
        let mut users = Vec::new();
        self.for_each_user(&mut |u| users.push(u))?;
        Ok(Snapshot {
            tenant: self.tenant()?,
            policy: self.policy()?,
            users,
            devices: super::devices::all_devices(&self.backend)?,
        })
    }

    fn backend(&self) -> &dyn DynBackend {
        &self.backend
    }

    fn generation(&self) -> u64 {
        self.backend.generation()
    }

    fn change_seq(&self) -> Result<u64, StoreError> {
        changes::current_seq(&self.backend)
    }

    fn changes_since(&self, seq: u64) -> Result<Vec<changes::Change>, StoreError> {
        changes::since(&self.backend, seq)
    }

    fn forget_changes(&self, upto: u64) -> Result<(), StoreError> {
        changes::forget(&self.backend, upto)
    }
}

pub(super) fn txn_to_store(e: TxnError) -> StoreError {
    match e {
        TxnError::Refused(e) => e,
        TxnError::Conflict => StoreError::Io("transaction conflict".into()),
        TxnError::Storage(e) => StoreError::Io(e),
    }
}
