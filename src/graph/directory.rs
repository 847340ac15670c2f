//! A real tenant as phonedesk's directory of record: every read and change goes to Microsoft
//! Graph; phonedesk's own state (the audit of what its operators did, with Graph's request id)
//! stays in a local sled database of its own, one per tenant, which never holds a tenant's
//! authentication numbers in clear (the audit's before/after columns are masked).
//!
//! The domain's rules run before any change is sent (the same refusals, words and warnings as on
//! the simulated tenant); the tenant then applies its own, and a refusal of either changes
//! nothing and writes nothing.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use super::error::GraphError;
use super::model::{self, RemoteUser};
use super::signins;
use super::tenant::GraphTenant;
use crate::domain::rules::{self, EditContext};
use crate::domain::signin::SignInRecord;
use crate::domain::{
    Applied, Claim, Edit, Operator, PhoneNumber, Policy, Region, Tenant, Timestamp, Upn, User,
    UserType,
};
use crate::store::{
    AuditEntry, AuditTrail, Directory, Found, FoundUser, Record, RecordKind, SignInLog, SmsStatus,
    StoreError, UserSearch, describe_state,
};

/// How far back `log --user` reads when no `--since` is given (the tenant keeps 7 to 30 days).
const DEFAULT_LOG_DAYS: i64 = 7;
/// Users remembered between a read and the next question about them (the SMS sign-in state the
/// tenant computed, the object id): enough for a session, never the directory.
const CACHE_USERS: usize = 256;

/// A tenant through Graph, with phonedesk's local state for it.
pub struct GraphDirectory {
    tenant: GraphTenant,
    /// phonedesk's own record of its operators' actions on this tenant.
    local: Box<dyn Directory>,
    /// Set by [`Record::interrupt`], cleared by [`Record::resume`]: calls end while it is set.
    interrupted: AtomicBool,
    recent: Mutex<HashMap<String, RemoteUser>>,
}

impl GraphDirectory {
    /// `local` is the database of phonedesk's own state for this tenant (its audit trail).
    pub fn new(tenant: GraphTenant, local: Box<dyn Directory>) -> Self {
        Self {
            tenant,
            local,
            interrupted: AtomicBool::new(false),
            recent: Mutex::new(HashMap::new()),
        }
    }

    /// The cancellation check the calls are given: true while interrupted.
    fn cancel_flag(&self) -> impl Fn() -> bool + '_ {
        || self.interrupted.load(Ordering::SeqCst)
    }

    /// The user as the tenant has them now (never a cached copy: a change is checked against
    /// what is really there).
    fn fetch(&self, upn: &str) -> Result<RemoteUser, StoreError> {
        let wanted = upn.trim();
        if wanted.is_empty() {
            return Err(StoreError::Invalid(
                "a user principal name is needed".into(),
            ));
        }
        let cancelled = self.cancel_flag();
        let remote = self
            .tenant
            .user(wanted, self.now(), &cancelled)
            .map_err(|e| match e {
                GraphError::NotFound { .. } => StoreError::NotFound {
                    upn: wanted.to_owned(),
                    suggestions: Vec::new(),
                },
                other => other.into(),
            })?;
        if let Ok(mut recent) = self.recent.lock() {
            if recent.len() >= CACHE_USERS {
                recent.clear();
            }
            recent.insert(remote.user.upn().key(), remote.clone());
        }
        Ok(remote)
    }

    fn remembered(&self, user: &User) -> Option<RemoteUser> {
        self.recent.lock().ok()?.get(&user.upn().key()).cloned()
    }

    fn forget(&self, user: &User) {
        if let Ok(mut recent) = self.recent.lock() {
            recent.remove(&user.upn().key());
        }
    }
}

/// Refusals phonedesk knows before asking the tenant: what only the simulator does, and what
/// Graph has no call for.
fn refuse_before_sending(edit: &Edit) -> Result<(), StoreError> {
    match edit {
        Edit::FraudBlock => Err(StoreError::Invalid(
            "a fraud report happens only in the simulator; a real tenant blocks through its own fraud alert".into(),
        )),
        Edit::SetDefault { method: None } => Err(StoreError::Invalid(
            "a real tenant always keeps a default method: choose another one instead of none"
                .into(),
        )),
        _ => Ok(()),
    }
}

impl Record for GraphDirectory {
    fn location(&self) -> String {
        self.tenant.name.clone()
    }

    fn kind(&self) -> RecordKind {
        RecordKind::Graph {
            tenant: self.tenant.name.clone(),
            account: self.tenant.client.account(),
        }
    }

    fn tenant(&self) -> Result<Tenant, StoreError> {
        Ok(Tenant {
            name: self.tenant.name.clone(),
            domain: self.tenant.name.clone(),
        })
    }

    fn policy(&self) -> Result<Policy, StoreError> {
        Ok(model::policy())
    }

    fn user(&self, upn: &str) -> Result<User, StoreError> {
        Ok(self.fetch(upn)?.user)
    }

    /// The tenant keeps its own SMS sign-in claims and reports the outcome as `smsSignInState`.
    fn claims_on(&self, _number: &PhoneNumber) -> Result<Vec<Claim>, StoreError> {
        Ok(Vec::new())
    }

    /// The state the tenant computed, not phonedesk's guess.
    fn sms_status(&self, user: &User) -> Result<Option<SmsStatus>, StoreError> {
        if user.method(crate::domain::PhoneType::Mobile).is_none() {
            return Ok(None);
        }
        let remote = match self.remembered(user) {
            Some(remote) => remote,
            None => self.fetch(user.upn().as_str())?,
        };
        Ok(remote.sms_state.map(|state| SmsStatus {
            state,
            reason: "as the tenant reports it".into(),
        }))
    }

    fn edit(&self, operator: &Operator, upn: &str, edit: &Edit) -> Result<Applied, StoreError> {
        refuse_before_sending(edit)?;
        let remote = self.fetch(upn)?;
        let policy = model::policy();
        let now = self.now();
        let ctx = EditContext {
            operator,
            policy: &policy,
            now,
            mobile_claims: &[],
        };
        let applied = rules::apply_edit(&remote.user, edit, &ctx).map_err(StoreError::Rule)?;
        let cancelled = self.cancel_flag();
        let request_id = self.tenant.apply(&remote, edit, &cancelled)?;
        self.forget(&remote.user);
        let action = edit.action();
        let mut entry = AuditEntry::new(operator, now, action)
            .target(remote.user.upn().to_string())
            .slot(edit.slot())
            .change(
                describe_state(&remote.user, action, edit.slot()),
                describe_state(&applied.user, action, edit.slot()),
            )
            .request_id(request_id.clone());
        if let Some(reason) = edit.reason() {
            entry = entry.reason(reason);
        }
        self.local.record(&entry).map_err(|e| {
            StoreError::Io(format!(
                "the tenant made the change (request id {}), but phonedesk could not record it in its audit trail: {e}",
                request_id.as_deref().unwrap_or("not given")
            ))
        })?;
        Ok(applied)
    }

    fn reveal(&self, operator: &Operator, upn: &str, context: &str) -> Result<User, StoreError> {
        let remote = self.fetch(upn)?;
        operator
            .may_act_on(&remote.user)
            .map_err(StoreError::Rule)?;
        let entry = AuditEntry::new(operator, self.now(), "numbers.reveal")
            .target(remote.user.upn().to_string())
            .reason(context);
        self.local.record(&entry)?;
        Ok(remote.user)
    }

    fn now(&self) -> Timestamp {
        self.local.now()
    }

    fn user_search(&self) -> Result<Box<dyn UserSearch + '_>, StoreError> {
        Ok(Box::new(TenantSearch { record: self }))
    }

    /// A real tenant is never the simulator's world.
    fn simulated(&self) -> Option<&dyn Directory> {
        None
    }

    fn interrupt(&self) {
        self.interrupted.store(true, Ordering::SeqCst);
    }

    fn resume(&self) {
        self.interrupted.store(false, Ordering::SeqCst);
    }
}

impl AuditTrail for GraphDirectory {
    fn record(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        self.local.record(entry)
    }

    fn audit(&self, upn: Option<&Upn>, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        self.local.audit(upn, limit)
    }
}

impl SignInLog for GraphDirectory {
    /// The tenant's `auditLogs/signIns` for one user (Graph's sign-in log is far too large, and
    /// too tightly throttled, to read for everyone at once).
    fn sign_ins(
        &self,
        upn: Option<&Upn>,
        since: Option<Timestamp>,
        limit: usize,
    ) -> Result<Vec<SignInRecord>, StoreError> {
        let Some(upn) = upn else {
            return Err(StoreError::Invalid(
                "a real tenant's sign-in log is read one user at a time: add --user UPN".into(),
            ));
        };
        let remote = self.fetch(upn.as_str())?;
        let since = since.unwrap_or_else(|| self.now().plus_secs(-DEFAULT_LOG_DAYS * 24 * 60 * 60));
        let cancelled = self.cancel_flag();
        let attempts = self
            .tenant
            .sign_ins(&remote.id, &since.to_string(), limit, &cancelled)?;
        let name = remote.user.upn().to_string();
        Ok(attempts
            .iter()
            .enumerate()
            .map(|(i, attempt)| signins::record(i as u64 + 1, Some(&name), attempt))
            .collect())
    }
}

/// Graph's own query: `$search` on names and UPNs, `startswith` on directory mobile phones.
struct TenantSearch<'a> {
    record: &'a GraphDirectory,
}

impl UserSearch for TenantSearch<'_> {
    fn find(
        &self,
        text: &str,
        _region: Option<Region>,
        limit: usize,
        cancelled: &dyn Fn() -> bool,
    ) -> Result<Found, StoreError> {
        let interrupted = self.record.cancel_flag();
        let either = || cancelled() || interrupted();
        let search = self.record.tenant.search(text, limit, &either)?;
        let rows = search
            .rows
            .into_iter()
            .map(|row| FoundUser {
                guest: row
                    .user_type
                    .as_deref()
                    .is_some_and(|t| t.eq_ignore_ascii_case(UserType::Guest.as_str())),
                upn: row.upn,
                display_name: row.display_name,
                mobile: None,
                sms_state: None,
                methods: None,
                usage_location: row.usage_location,
                blocked: row.enabled == Some(false),
                admin: None,
            })
            .collect::<Vec<_>>();
        let total = search
            .count
            .and_then(|c| usize::try_from(c).ok())
            .or((!search.more).then_some(rows.len()));
        Ok(Found {
            total,
            more: search.more,
            note: search.note.map(str::to_owned),
            rows,
        })
    }
}
