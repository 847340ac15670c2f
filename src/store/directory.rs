//! The domain operations, written once over any [`Backend`].

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::audit::{AuditEntry, describe_state};
use super::backend::{Backend, TreeId, Txn, TxnError};
use super::schema::{self, KEY_AUDIT_SEQ, KEY_POLICY, KEY_TENANT};
use super::{Clock, Directory, DynBackend, ImportSummary, Snapshot, StoreError};
use crate::domain::rules::{self, EditContext};
use crate::domain::search::near_matches;
use crate::domain::{
    Applied, Claim, Edit, Operator, PhoneNumber, Policy, Tenant, Timestamp, Upn, User,
};

/// The directory over a storage backend: sled in the app, memory in logic tests.
pub struct Store<B: Backend> {
    backend: B,
    clock: Arc<dyn Clock>,
}

impl<B: Backend> Store<B> {
    /// Wraps `backend`, checking (or stamping) the schema version.
    pub fn new(backend: B, clock: Arc<dyn Clock>) -> Result<Self, StoreError> {
        schema::check_or_init(&backend)?;
        Ok(Self { backend, clock })
    }

    fn suggestions_for(&self, wanted: &str) -> Vec<String> {
        let mut upns = Vec::new();
        let _ = self.backend.scan(TreeId::Users, &[], &mut |_, value| {
            if let Ok(user) = serde_json::from_slice::<User>(value) {
                upns.push(user.user_principal_name.to_string());
            }
            true
        });
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

/// A record, or its default when absent (no tenant yet, no claims on a number).
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

fn user_key(upn: &str) -> String {
    upn.trim().to_ascii_lowercase()
}

fn read_user(txn: &dyn Txn, key: &str) -> Result<Option<User>, TxnError> {
    txn.get(TreeId::Users, key.as_bytes())?
        .map(|bytes| decode(&bytes, "user").map_err(TxnError::Refused))
        .transpose()
}

fn read_policy(txn: &dyn Txn) -> Result<Policy, TxnError> {
    txn.get(TreeId::Meta, KEY_POLICY)?
        .map(|bytes| decode(&bytes, "policy").map_err(TxnError::Refused))
        .transpose()
        .map(Option::unwrap_or_default)
}

fn read_claims(txn: &dyn Txn, number: &PhoneNumber) -> Result<Vec<Claim>, TxnError> {
    txn.get(TreeId::Claims, number.to_string().as_bytes())?
        .map(|bytes| decode(&bytes, "claims").map_err(TxnError::Refused))
        .transpose()
        .map(Option::unwrap_or_default)
}

fn write_claims(txn: &dyn Txn, number: &PhoneNumber, claims: &[Claim]) -> Result<(), TxnError> {
    let key = number.to_string();
    if claims.is_empty() {
        txn.remove(TreeId::Claims, key.as_bytes())
    } else {
        txn.insert(TreeId::Claims, key.as_bytes(), &encode(&claims)?)
    }
}

/// Moves the user's SMS sign-in claim when an edit changed it.
fn update_claims(txn: &dyn Txn, before: &User, after: &User) -> Result<(), TxnError> {
    let old = rules::claim_of(before);
    let new = rules::claim_of(after);
    if old == new {
        return Ok(());
    }
    if let Some((number, claim)) = &old {
        let mut claims = read_claims(txn, number)?;
        claims.retain(|c| c.upn_key != claim.upn_key);
        write_claims(txn, number, &claims)?;
    }
    if let Some((number, claim)) = new {
        let mut claims = read_claims(txn, &number)?;
        claims.retain(|c| c.upn_key != claim.upn_key);
        claims.push(claim);
        write_claims(txn, &number, &claims)?;
    }
    Ok(())
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

/// Collects every key of `tree`, to remove them inside a replacing transaction.
fn all_keys<B: Backend>(backend: &B, tree: TreeId) -> Result<Vec<Vec<u8>>, StoreError> {
    let mut keys = Vec::new();
    backend.scan(tree, &[], &mut |k, _| {
        keys.push(k.to_vec());
        true
    })?;
    Ok(keys)
}

impl<B: Backend> Directory for Store<B> {
    fn location(&self) -> String {
        self.backend.location()
    }

    fn tenant(&self) -> Result<Tenant, StoreError> {
        read_or_default(&self.backend, TreeId::Meta, KEY_TENANT, "tenant")
    }

    fn policy(&self) -> Result<Policy, StoreError> {
        read_or_default(&self.backend, TreeId::Meta, KEY_POLICY, "policy")
    }

    fn user_count(&self) -> Result<usize, StoreError> {
        self.backend.len(TreeId::Users)
    }

    fn user(&self, upn: &str) -> Result<User, StoreError> {
        match self.backend.get(TreeId::Users, user_key(upn).as_bytes())? {
            Some(bytes) => decode(&bytes, "user"),
            None => Err(self.with_suggestions(StoreError::NotFound {
                upn: upn.trim().to_owned(),
                suggestions: Vec::new(),
            })),
        }
    }

    fn for_each_user_while(&self, visit: &mut dyn FnMut(User) -> bool) -> Result<(), StoreError> {
        let mut failure = None;
        self.backend.scan(
            TreeId::Users,
            &[],
            &mut |_, value| match decode(value, "user") {
                Ok(user) => visit(user),
                Err(e) => {
                    failure = Some(e);
                    false
                }
            },
        )?;
        failure.map_or(Ok(()), Err)
    }

    fn claims_on(&self, number: &PhoneNumber) -> Result<Vec<Claim>, StoreError> {
        let key = number.without_extension().to_string();
        read_or_default(&self.backend, TreeId::Claims, key.as_bytes(), "claims")
    }

    fn all_claims(&self) -> Result<HashMap<PhoneNumber, Vec<Claim>>, StoreError> {
        let mut all = HashMap::new();
        let mut failure = None;
        self.backend.scan(TreeId::Claims, &[], &mut |key, value| {
            let parsed = std::str::from_utf8(key)
                .ok()
                .and_then(|k| PhoneNumber::parse_canonical(k).ok());
            match (parsed, decode::<Vec<Claim>>(value, "claims")) {
                (Some(number), Ok(claims)) => {
                    all.insert(number, claims);
                    true
                }
                (_, Err(e)) => {
                    failure = Some(e);
                    false
                }
                (None, _) => {
                    failure = Some(StoreError::Corrupt {
                        path: self.backend.location(),
                        detail: "a claim key is not a phone number".into(),
                    });
                    false
                }
            }
        })?;
        failure.map_or(Ok(all), Err)
    }

    fn edit(&self, operator: &Operator, upn: &str, edit: &Edit) -> Result<Applied, StoreError> {
        let key = user_key(upn);
        let now = self.clock.now();
        super::transact(&self.backend, |txn| {
            let user = read_user(txn, &key)?.ok_or_else(|| not_found(upn))?;
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
            update_claims(txn, &user, &applied.user)?;
            txn.insert(TreeId::Users, key.as_bytes(), &encode(&applied.user)?)?;
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
        super::transact(&self.backend, |txn| {
            let user = read_user(txn, &key)?.ok_or_else(|| not_found(upn))?;
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

    fn import(
        &self,
        operator: &Operator,
        snapshot: &Snapshot,
        replace: bool,
    ) -> Result<ImportSummary, StoreError> {
        let existing = self.user_count()?;
        if existing > 0 && !replace {
            return Err(StoreError::Invalid(format!(
                "the database already holds {existing} users; add --replace to replace them"
            )));
        }
        let now = self.clock.now();
        let mut users = Vec::with_capacity(snapshot.users.len());
        let mut claims: HashMap<PhoneNumber, Vec<Claim>> = HashMap::new();
        for user in &snapshot.users {
            users.push((user.upn().key(), encode(user).map_err(txn_to_store)?));
            if let Some((number, claim)) = rules::claim_of(user) {
                claims.entry(number).or_default().push(claim);
            }
        }
        let claims: Vec<(String, Vec<u8>)> = claims
            .into_iter()
            .map(|(n, c)| Ok((n.to_string(), encode(&c)?)))
            .collect::<Result<_, TxnError>>()
            .map_err(txn_to_store)?;
        let cleared = [
            TreeId::Users,
            TreeId::Claims,
            TreeId::Challenges,
            TreeId::Throttles,
            TreeId::Devices,
            TreeId::Telecom,
        ];
        let mut stale = Vec::new();
        for tree in cleared {
            stale.push((tree, all_keys(&self.backend, tree)?));
        }
        let devices: Vec<(Vec<u8>, Vec<u8>)> = snapshot
            .devices
            .iter()
            .map(|d| Ok((super::devices::device_key(&d.phone_number), encode(d)?)))
            .collect::<Result<_, TxnError>>()
            .map_err(txn_to_store)?;
        let tenant = encode(&snapshot.tenant).map_err(txn_to_store)?;
        let policy = encode(&snapshot.policy).map_err(txn_to_store)?;
        super::transact(&self.backend, |txn| {
            for (tree, keys) in &stale {
                for key in keys {
                    txn.remove(*tree, key)?;
                }
            }
            for (key, value) in &users {
                txn.insert(TreeId::Users, key.as_bytes(), value)?;
            }
            for (key, value) in &claims {
                txn.insert(TreeId::Claims, key.as_bytes(), value)?;
            }
            for (key, value) in &devices {
                txn.insert(TreeId::Devices, key, value)?;
            }
            txn.insert(TreeId::Meta, KEY_TENANT, &tenant)?;
            txn.insert(TreeId::Meta, KEY_POLICY, &policy)?;
            let entry = AuditEntry::new(operator, now, "directory.import").change(
                Some(format!("{existing} users")),
                Some(format!("{} users", users.len())),
            );
            append_audit(txn, &entry)?;
            Ok(())
        })?;
        Ok(ImportSummary {
            users: users.len(),
            replaced: existing,
        })
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

    fn now(&self) -> Timestamp {
        self.clock.now()
    }

    fn backend(&self) -> &dyn DynBackend {
        &self.backend
    }
}

fn txn_to_store(e: TxnError) -> StoreError {
    match e {
        TxnError::Refused(e) => e,
        TxnError::Conflict => StoreError::Io("transaction conflict".into()),
        TxnError::Storage(e) => StoreError::Io(e),
    }
}
